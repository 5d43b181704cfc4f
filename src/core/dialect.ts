import type { Logger } from 'pino';
import type { SourceField, SourceMessage, SourceOffset } from './change-event.ts';
import type { IncrementalSource } from './incremental-snapshot.ts';

/** A problem `tributary check` (and `run`, before it starts) reports: what is wrong and how to fix it. */
export interface CheckProblem {
  /** The setting, privilege or object at fault, e.g. `wal_level` or `binlog_row_image`. */
  subject: string;
  message: string;
  fix: string;
}

export interface OpenOptions {
  /** The last offset committed to Kafka, or null on first start (snapshot first). */
  offset: SourceOffset | null;
  /**
   * Aborts on shutdown. A dialect may skip work it has not started (a snapshot
   * not yet begun) but keeps delivering an open transaction: the core stops at
   * the next transaction boundary and then calls `close()`.
   */
  signal: AbortSignal;
}

/**
 * What the core asks of a database. A dialect yields ordered, positioned
 * messages; the core turns them into events, commits them with their offsets,
 * then acknowledges.
 */
export interface Dialect {
  /**
   * Debezium's connector name for the `source` block: `postgresql`, `mysql`, or
   * `mariadb` for a MariaDB server (known once `open` has connected).
   */
  readonly connector: 'postgresql' | 'mysql' | 'mariadb';
  /**
   * The connector's own fields of the `source` block, after the common ones
   * (`version`, `connector`, `name`, `ts_ms`, `snapshot`, `db`, `sequence`,
   * `ts_us`, `ts_ns`). Change messages carry values for these and for
   * `snapshot`, `db` and `sequence`; the core fills the rest.
   */
  readonly sourceFields: readonly SourceField[];
  /** Checks server settings and privileges; an empty list means ready to run. */
  check(): Promise<CheckProblem[]>;
  open(options: OpenOptions): Promise<ChangeStream>;
  /** What `tributary status` shows of the source beside a committed offset: server position, lag, slot. */
  describe(offset: SourceOffset | null): Promise<Record<string, unknown>>;
  /** Inserts a row into the signal table (e.g. Debezium's `execute-snapshot`), when the dialect has one. */
  sendSignal?(row: { id: string; type: string; data: string | null }): Promise<void>;
}

export interface ChangeStream extends AsyncIterable<SourceMessage> {
  /** Everything up to and including `offset` is durable in Kafka: the source may release it. */
  acknowledge(offset: SourceOffset): Promise<void>;
  close(): Promise<void>;
  /** Bytes of source log written after the last acknowledged position, when the source can tell. */
  lagBytes?(): Promise<number | null>;
  /** Incremental snapshots through the source's signal table, when it has one. */
  incremental?: IncrementalSource;
}

export interface DialectContext {
  logger: Logger;
}
