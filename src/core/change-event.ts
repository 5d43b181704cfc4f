import type { ColumnType, Row, TableId, TableSchema } from './schema.ts';

/**
 * The plain, tagged messages a dialect yields, in source-log order.
 *
 * A source transaction is `begin`, any number of `schema`/`change`/`truncate`,
 * then `commit`. A `schema` message always precedes the first change that needs
 * it, so every change is encoded with its table's schema as of its position in
 * the log. Snapshot chunks travel as transactions of `r` changes whose commit
 * offset records snapshot progress.
 */
export type SourceMessage =
  BeginMessage | SchemaMessage | ChangeMessage | TruncateMessage | CommitMessage | HeartbeatMessage;

export interface BeginMessage {
  kind: 'begin';
  /** The source's transaction id, when it has one. */
  txId: string | null;
  /** When the source committed the transaction (ms since the epoch). */
  commitTimeMs: number;
  /** The same in microseconds, when the source has them (`source.ts_us`, `ts_ns`). */
  commitTimeUs?: bigint;
}

export interface SchemaMessage {
  kind: 'schema';
  table: TableSchema;
  /** Register the table's schemas (and create its topic) now, not at its first change. */
  register?: boolean;
  /**
   * Start registering the table's schemas (and creating its topic) without
   * waiting for it: a change will follow. The snapshot announces the tables
   * it has read ahead this way, so many tables are prepared at once.
   */
  prepare?: boolean;
}

export type RowOp = 'c' | 'u' | 'd' | 'r';

export interface ChangeMessage {
  kind: 'change';
  op: RowOp;
  table: TableId;
  /** Row image before the change: updates and deletes (as complete as the source allows). */
  before: Row | null;
  /** Row image after the change: creates, updates and snapshot reads. */
  after: Row | null;
  /** Values for every field of the dialect's `sourceFields`. */
  source: Record<string, unknown>;
}

export interface TruncateMessage {
  kind: 'truncate';
  table: TableId;
  source: Record<string, unknown>;
}

/**
 * Ends a source transaction. `offset` is what restart resumes after: it is
 * written to the offsets topic in the same Kafka transaction as the events, and
 * handed back to the dialect's `acknowledge` once that transaction committed.
 */
export interface CommitMessage {
  kind: 'commit';
  offset: SourceOffset;
}

/** A position the source reached with nothing to emit (idle database, filtered tables). */
export interface HeartbeatMessage {
  kind: 'heartbeat';
  offset: SourceOffset;
}

/** A dialect's resume point: opaque to the core, JSON-serialisable. */
export type SourceOffset = Record<string, unknown>;

/** One field of the dialect's part of the Debezium `source` block. */
export interface SourceField {
  name: string;
  type: ColumnType;
  nullable: boolean;
}
