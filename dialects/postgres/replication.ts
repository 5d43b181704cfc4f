import type { Logger } from 'pino';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { BinaryReader } from 'pg-logical-replication/dist/output-plugins/pgoutput/binary-reader.js';
import type { SourceMessage } from '../../src/core/change-event.ts';
import type { TableId } from '../../src/core/schema.ts';
import { AsyncQueue } from '../../src/core/async-queue.ts';
import { TributaryError } from '../../src/core/errors.ts';
import { clientConfig, pgError, type PgConnectionOptions, type Queryable } from './connection.ts';
import { bigIntToLsn, lsnToBigInt } from './lsn.ts';
import { describeTable, toRow, type PgTable, type PgTypeResolver } from './table-schema.ts';

type Tuple = Record<string, string | null | undefined>;

interface RelationColumn {
  name: string;
  typeOid: number;
  typeMod: number;
}

/** The pgoutput messages we act on, as pg-logical-replication parses them (values kept as text). */
type PgoutputMessage =
  | { tag: 'begin'; commitLsn: string; commitTime: bigint; xid: number }
  | { tag: 'commit'; commitLsn: string; commitEndLsn: string; commitTime: bigint }
  | { tag: 'relation'; relationOid: number; schema: string; name: string; columns: RelationColumn[] }
  | { tag: 'type'; typeOid: number }
  | { tag: 'insert'; relation: { relationOid: number }; new: Tuple }
  | { tag: 'update'; relation: { relationOid: number }; key: Tuple | null; old: Tuple | null; new: Tuple }
  | { tag: 'delete'; relation: { relationOid: number }; key: Tuple | null; old: Tuple | null }
  | { tag: 'truncate'; relations: Array<{ relationOid: number }> }
  | { tag: 'origin' | 'message' };

/**
 * pg-logical-replication 2.5.0 decodes every string of the protocol (column
 * text, names) with a default `TextDecoder`, which drops a leading U+FEFF as
 * a byte-order mark: a text value starting with it lost it in `c`/`u` events
 * while the snapshot kept it. It is data; decode UTF-8 as it is (still not
 * fatal on invalid bytes, as the library chose).
 */
const verbatimUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
BinaryReader.prototype.decodeText = (bytes: Uint8Array) => verbatimUtf8.decode(bytes);

/**
 * pg-logical-replication's parser converts column text through pg's global
 * type parsers, which lose microseconds among other things. We keep its
 * parser but make every column's converter the identity, so values stay text
 * for our own type code.
 */
export function textKeepingPlugin(publication: string): PgoutputPlugin {
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication], messages: false });
  const parser = (
    plugin as unknown as { parser: { readRelationColumn: (reader: unknown) => Record<string, unknown> } }
  ).parser;
  const readRelationColumn = parser.readRelationColumn.bind(parser);
  parser.readRelationColumn = (reader) => ({ ...readRelationColumn(reader), parser: (text: string) => text });
  return plugin;
}

export interface ReplicationOptions {
  connection: PgConnectionOptions;
  slot: string;
  publication: string;
  /** Stream transactions that commit after this LSN. */
  startLsn: string;
  /** Catalog lookups when a Relation message arrives. */
  catalog: Queryable;
  types: PgTypeResolver;
  database: string;
  heartbeatIntervalMs: number;
  /**
   * Which relations are captured: a publication of whole schemas also
   * streams tables the globs leave out, and this drops them.
   */
  accepts?: (id: TableId) => boolean;
  logger: Logger;
  queueCapacity?: number;
}

/**
 * Streams the slot into a bounded queue of source messages. The socket pauses
 * while the queue is full. Nothing is acknowledged until `acknowledge` is
 * called with an offset whose Kafka transaction committed; keepalives are
 * answered with that last acknowledged LSN, or with the keepalive's own WAL
 * end when nothing is in flight (see `onKeepalive`).
 */
export class PgReplicationStream {
  readonly queue: AsyncQueue<SourceMessage>;
  private readonly options: ReplicationOptions;
  private readonly service: LogicalReplicationService;
  private readonly tables = new Map<number, PgTable>();
  /** Relations announced but not captured: their changes are skipped. */
  private readonly ignored = new Set<number>();
  /** The highest offset LSN whose Kafka transaction committed. */
  private committedLsn: bigint;
  /** The highest offset LSN handed to the pipeline (commits and heartbeats). */
  private queuedLsn: bigint;
  /** The highest LSN confirmed to the server; never moves back. */
  private confirmedLsn: bigint;
  private inTransaction = false;
  private txId: bigint | null = null;
  /** The commit LSN of the last transaction seen (decimal), for `source.sequence`. */
  private lastCommitLsn: string | null = null;
  private lastHeartbeatAt = Date.now();
  private stopped = false;

  constructor(options: ReplicationOptions) {
    this.options = options;
    this.committedLsn = this.queuedLsn = this.confirmedLsn = lsnToBigInt(options.startLsn);
    this.queue = new AsyncQueue(options.queueCapacity ?? 10_000);
    this.service = new LogicalReplicationService(clientConfig(options.connection), {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: true },
    });
  }

  start(): void {
    const { service } = this;
    service.on('data', async (lsn: string, message: PgoutputMessage) => {
      if (this.stopped) return;
      try {
        await this.onMessage(lsn, message);
      } catch (error) {
        this.fail(error);
      }
    });
    service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) =>
      this.onKeepalive(lsn, shouldRespond),
    );
    service.on('error', (error: Error) => this.fail(error));
    service
      .subscribe(textKeepingPlugin(this.options.publication), this.options.slot, this.options.startLsn)
      .then(() => {
        if (!this.stopped) this.fail(new Error('the replication stream ended'));
      })
      .catch((error: unknown) => this.fail(error));
    this.options.logger.info(
      { slot: this.options.slot, from: this.options.startLsn },
      'streaming from the replication slot',
    );
  }

  async acknowledge(lsn: string): Promise<void> {
    const value = lsnToBigInt(lsn);
    if (value > this.committedLsn) this.committedLsn = value;
    await this.confirm(value);
  }

  /** Tells the server that WAL up to `lsn` may be released (write, flush and apply positions). */
  private async confirm(lsn: bigint): Promise<void> {
    if (lsn > this.confirmedLsn) this.confirmedLsn = lsn;
    if (this.stopped) return;
    // pg-logical-replication (2.5.0) reports the LSN it is given plus one. A
    // walsender shutting down waits until the confirmed flush position equals
    // what it sent exactly, so hand it one less to report the position itself.
    await this.service.acknowledge(bigIntToLsn(this.confirmedLsn - 1n));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.end();
    await this.service.destroy().catch(() => {});
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    const e = error as { code?: string };
    this.queue.fail(
      e.code === '42704' // undefined_object: the slot was dropped under us
        ? new TributaryError(
            `replication slot ${this.options.slot} no longer exists, so changes since the last committed offset are lost`,
            {
              code: 'SOURCE_POSITION_LOST',
              fix: 'take a new snapshot: `tributary reset --config <file>` clears the committed offset, then `tributary run` snapshots again',
              cause: error,
            },
          )
        : pgError(error, `streaming from replication slot ${this.options.slot}`),
    );
    void this.service.destroy().catch(() => {});
  }

  private onKeepalive(lsn: string, shouldRespond: boolean): void {
    if (this.stopped) return;
    // A keepalive's LSN is the end of the WAL the server has sent, so every
    // message before it is already here. When none of them is still being
    // handled and every offset handed on has committed to Kafka, nothing up
    // to that LSN is owed to Kafka: it is a safe resume point.
    const internals = this.service as unknown as { _messageQueue: unknown[]; _processing: boolean };
    const idle =
      !this.inTransaction &&
      internals._messageQueue.length === 0 &&
      !internals._processing &&
      this.queue.size === 0 &&
      this.committedLsn >= this.queuedLsn;
    // Confirm it when asked. A server shutting down (fast or smart) waits
    // until its walsender's client confirms all the WAL it sent, up to the
    // shutdown checkpoint; confirming only commit positions would hold the
    // shutdown open for as long as we stay connected.
    if (shouldRespond) {
      void this.confirm(idle ? lsnToBigInt(lsn) : this.confirmedLsn).catch(() => {});
    }
    const interval = this.options.heartbeatIntervalMs; // 0: heartbeats off
    if (idle && interval > 0 && Date.now() - this.lastHeartbeatAt >= interval) {
      this.lastHeartbeatAt = Date.now();
      this.queued(lsn);
      void this.queue.push({ kind: 'heartbeat', offset: { lsn } });
    }
  }

  /** Notes an offset handed to the pipeline: until it commits, nothing past it is confirmed. */
  private queued(lsn: string): void {
    const value = lsnToBigInt(lsn);
    if (value > this.queuedLsn) this.queuedLsn = value;
  }

  private source(table: PgTable, lsn: string): Record<string, unknown> {
    const position = lsnToBigInt(lsn);
    return {
      snapshot: 'false',
      db: this.options.database,
      // Debezium's [last commit LSN, event LSN], as JSON text of decimal LSNs.
      sequence: JSON.stringify([this.lastCommitLsn, String(position)]),
      schema: table.id.schema,
      table: table.id.table,
      txId: this.txId,
      lsn: position,
      xmin: null,
      origin: null,
      origin_lsn: null,
    };
  }

  private table(relationOid: number): PgTable {
    const table = this.tables.get(relationOid);
    if (!table) throw new Error(`a change arrived for relation ${relationOid} before its Relation message`);
    return table;
  }

  private async onMessage(lsn: string, message: PgoutputMessage): Promise<void> {
    const { queue } = this;
    if ('relation' in message && this.ignored.has(message.relation.relationOid)) return;
    switch (message.tag) {
      case 'begin':
        this.inTransaction = true;
        this.txId = BigInt(message.xid);
        await queue.push({
          kind: 'begin',
          txId: String(message.xid),
          commitTimeMs: Number(message.commitTime / 1000n),
          commitTimeUs: message.commitTime,
        });
        return;
      case 'commit':
        this.queued(message.commitEndLsn);
        this.lastCommitLsn = String(lsnToBigInt(message.commitLsn));
        await queue.push({ kind: 'commit', offset: { lsn: message.commitEndLsn } });
        this.inTransaction = false;
        this.lastHeartbeatAt = Date.now();
        return;
      case 'type':
        this.options.types.invalidate();
        return;
      case 'relation': {
        const id: TableId = { schema: message.schema, table: message.name };
        if (this.options.accepts && !this.options.accepts(id)) {
          this.ignored.add(message.relationOid);
          this.tables.delete(message.relationOid);
          return;
        }
        this.ignored.delete(message.relationOid);
        const table = await describeTable(
          this.options.catalog,
          this.options.types,
          id,
          message.relationOid,
          message.columns,
        );
        this.tables.set(message.relationOid, table);
        await queue.push({ kind: 'schema', table: table.schema });
        return;
      }
      case 'insert': {
        const table = this.table(message.relation.relationOid);
        await queue.push({
          kind: 'change',
          op: 'c',
          table: table.id,
          before: null,
          after: toRow(table, message.new),
          source: this.source(table, lsn),
        });
        return;
      }
      case 'update': {
        const table = this.table(message.relation.relationOid);
        const old = message.old ?? message.key;
        await queue.push({
          kind: 'change',
          op: 'u',
          table: table.id,
          before: old ? toRow(table, old) : null,
          after: toRow(table, message.new),
          source: this.source(table, lsn),
        });
        return;
      }
      case 'delete': {
        const table = this.table(message.relation.relationOid);
        const old = message.old ?? message.key;
        await queue.push({
          kind: 'change',
          op: 'd',
          table: table.id,
          before: old ? toRow(table, old) : null,
          after: null,
          source: this.source(table, lsn),
        });
        return;
      }
      case 'truncate':
        for (const relation of message.relations) {
          if (this.ignored.has(relation.relationOid)) continue;
          const table = this.table(relation.relationOid);
          await queue.push({ kind: 'truncate', table: table.id, source: this.source(table, lsn) });
        }
        return;
      default:
        return;
    }
  }
}
