import type mysql from 'mysql2/promise';
import type { Logger } from 'pino';
import ZongJi, {
  type AnyBinlogEvent,
  type DeleteRowsEvent,
  type GtidEvent,
  type MariadbGtidEvent,
  type QueryEvent,
  type RotateEvent,
  type TableMapEvent,
  type UpdateRowsEvent,
  type WriteRowsEvent,
  type XidEvent,
} from '@vlasky/zongji';
import type { SourceMessage } from '../../src/core/change-event.ts';
import { tableKey, type TableId, type TableSchema } from '../../src/core/schema.ts';
import { AsyncQueue } from '../../src/core/async-queue.ts';
import { endpointOf, mysqlError, mysqlSsl, type MysqlConnectionOptions } from './connection.ts';
import { ExecutedGtids } from './gtid.ts';
import { BINLOG_CONNECTION_OPTIONS } from './types.ts';
import {
  binlogRow,
  sameSchema,
  sameTable,
  tableFromCatalog,
  tableFromTableMap,
  withCatalogDefaults,
  withoutDefaults,
  type MysqlTable,
} from './table-schema.ts';

/** Where the binlog is read from, and what a commit records: resume strictly after it. */
export interface BinlogPosition {
  file: string;
  pos: number;
  /** The executed GTIDs (MariaDB position or MySQL set), when the server has GTIDs. */
  gtid: string | null;
}

export interface BinlogStreamOptions {
  connection: MysqlConnectionOptions;
  /** Our replica server id: unique among the server's replicas. */
  replicaServerId: number;
  /** The source server's own server_id, for `source.server_id`. */
  sourceServerId: number;
  isMariaDb: boolean;
  start: BinlogPosition;
  /**
   * Which tables are captured. Also zongji's table filter, so rows of other
   * tables are not even decoded; tables created while streaming are judged
   * when their first TABLE_MAP arrives.
   */
  accepts: (id: TableId) => boolean;
  /** For servers without `binlog_row_metadata=FULL`: schemas from information_schema. */
  catalog: mysql.Connection;
  logger: Logger;
  queueCapacity?: number;
}

const EVENTS = [
  'rotate',
  'tablemap',
  'writerows',
  'updaterows',
  'deleterows',
  'xid',
  'query',
  'mariadbgtid',
  'gtid',
  'anonymousgtid',
];
const TRUNCATE =
  /^TRUNCATE\s+(?:TABLE\s+)?(?:`((?:[^`]|``)+)`|([^`.\s]+))(?:\.(?:`((?:[^`]|``)+)`|([^`\s;]+)))?/i;
/**
 * Rows of raw events buffered before the binlog socket is paused
 * (backpressure); an event without rows counts as one. By rows, not events:
 * one rows event holds many rows, all parsed, and what waits here long enough
 * outlives the young generation and costs a full GC to free.
 */
const PAUSE_AT = 1_000;
const RESUME_AT = 200;

/** What a raw event weighs in the buffer: its rows, or one. */
function rowsIn(event: AnyBinlogEvent): number {
  const rows = (event as { rows?: unknown[] }).rows;
  return Array.isArray(rows) && rows.length > 0 ? rows.length : 1;
}

interface OpenTransaction {
  gtid: string | null;
  /** Where the transaction starts in the binlog: Debezium's `source.pos`. */
  pos: number;
  /**
   * A group of one statement (DDL, TRUNCATE): its Query event ends it. Set by
   * a MySQL GTID event until a BEGIN follows, and by a MariaDB GTID event
   * flagged standalone; any other group ends at its XID or COMMIT only.
   */
  standalone: boolean;
}

/** Statements a transaction logs between its rows without ending it. */
const IN_TRANSACTION = /^(?:SAVEPOINT\b|RELEASE\s+SAVEPOINT\b|ROLLBACK\s+(?:WORK\s+)?TO\b)/i;

/**
 * Reads the binlog through zongji into a bounded queue of source messages.
 * Each TABLE_MAP event (with FULL row metadata) gives the table's schema as
 * of that point in the log, so DDL needs no parsing: a changed schema is
 * announced before the first row that uses it.
 */
export class MysqlBinlogStream {
  readonly queue: AsyncQueue<SourceMessage>;
  private readonly options: BinlogStreamOptions;
  private readonly zongji: ZongJi;
  private readonly raw: AnyBinlogEvent[] = [];
  /** Rows in `raw` (see rowsIn). */
  private rawRows = 0;
  private readonly tablesById = new Map<number, MysqlTable>();
  private readonly announced = new Map<string, TableSchema>();
  /**
   * The latest version of each table, kept across TABLE_MAP events (one per
   * transaction) while its columns stay the same, so its value parsers, and
   * their once-per-column loss warnings, are not made anew per transaction.
   */
  private readonly latestTables = new Map<string, MysqlTable>();
  private readonly executed: ExecutedGtids | null;
  private file: string;
  private tx: OpenTransaction | null = null;
  private draining = false;
  private paused = false;
  private stopped = false;
  private warnedNoMetadata = false;

  constructor(options: BinlogStreamOptions) {
    this.options = options;
    this.queue = new AsyncQueue(options.queueCapacity ?? 2_000);
    this.file = options.start.file;
    this.executed =
      options.start.gtid !== null ? ExecutedGtids.parse(options.start.gtid, options.isMariaDb) : null;
    const endpoint = endpointOf(options.connection.url);
    const binlogSsl = mysqlSsl(options.connection.ssl);
    this.zongji = new ZongJi({
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password: endpoint.password,
      ...(binlogSsl ? { ssl: binlogSsl } : {}),
      // Exact values: dates as text (JS Dates lose microseconds), UTC, JSON as text.
      ...BINLOG_CONNECTION_OPTIONS,
    });
    // zongji's own filter (includeSchema) is a list of tables fixed at start,
    // which would silently drop the rows of a captured table created while
    // streaming. Its TABLE_MAP parser asks `_skipSchema(database, table)`:
    // answer with the table filter itself. (Without that hook, zongji decodes
    // every table and onTableMap filters.)
    const filtered = this.zongji as unknown as { _skipSchema?: (database: string, table: string) => boolean };
    if (typeof filtered._skipSchema === 'function') {
      filtered._skipSchema = (database, table) => !options.accepts({ schema: database, table });
    }
  }

  start(): void {
    const { start, logger } = this.options;
    this.zongji.on('binlog', (event: AnyBinlogEvent) => {
      this.raw.push(event);
      this.rawRows += rowsIn(event);
      if (this.rawRows >= PAUSE_AT && !this.paused) {
        this.paused = true;
        this.zongji.connection?.pause();
      }
      void this.drain();
    });
    this.zongji.on('error', (error: Error) => this.fail(error));
    const from = start.gtid ? { gtidSet: start.gtid } : { filename: start.file, position: start.pos };
    this.zongji.start({
      serverId: this.options.replicaServerId,
      includeEvents: EVENTS,
      ...from,
    });
    logger.info({ from: start, serverId: this.options.replicaServerId }, 'streaming from the binlog');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.end();
    this.zongji.removeAllListeners('binlog');
    this.zongji.on('error', () => {});
    this.zongji.stop();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.fail(mysqlError(error, 'reading the binlog'));
    this.zongji.stop();
  }

  /** Handles raw events one at a time, in log order, awaiting room in the queue. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.raw.length > 0 && !this.stopped) {
        const event = this.raw.shift()!;
        this.rawRows -= rowsIn(event);
        await this.handle(event);
        if (this.paused && this.rawRows <= RESUME_AT) {
          this.paused = false;
          this.zongji.connection?.resume();
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = false;
    }
  }

  private async handle(event: AnyBinlogEvent): Promise<void> {
    switch (event.getTypeName()) {
      case 'Rotate':
        this.file = (event as RotateEvent).binlogName;
        return;
      case 'MariadbGtid':
        await this.begin((event as MariadbGtidEvent).gtid, event, (event as MariadbGtidEvent).standalone);
        return;
      case 'Gtid':
        await this.begin((event as GtidEvent).gtid, event, true);
        return;
      case 'AnonymousGtid':
        await this.begin(null, event, true);
        return;
      case 'Query':
        await this.onQuery(event as QueryEvent);
        return;
      case 'TableMap':
        await this.onTableMap(event as TableMapEvent);
        return;
      case 'WriteRows':
      case 'UpdateRows':
      case 'DeleteRows':
        await this.onRows(event as WriteRowsEvent | UpdateRowsEvent | DeleteRowsEvent);
        return;
      case 'Xid':
        await this.commit(event as XidEvent);
        return;
      default:
        return;
    }
  }

  private async begin(gtid: string | null, event: AnyBinlogEvent, standalone: boolean): Promise<void> {
    this.tx = { gtid, pos: event.nextPosition - event.size, standalone };
    await this.queue.push({ kind: 'begin', txId: gtid, commitTimeMs: event.timestamp });
  }

  private async commit(event: AnyBinlogEvent): Promise<void> {
    if (!this.tx) return;
    if (this.tx.gtid && this.executed) this.executed.add(this.tx.gtid);
    this.tx = null;
    await this.queue.push({
      kind: 'commit',
      offset: { file: this.file, pos: event.nextPosition, gtid: this.executed?.toString() ?? null },
    });
  }

  private async onQuery(event: QueryEvent): Promise<void> {
    const statement = event.query.trim();
    const upper = statement.slice(0, 16).toUpperCase();
    if (upper === 'BEGIN') {
      // After a MySQL GTID event: the group is a transaction, ended by XID or COMMIT.
      if (this.tx) this.tx.standalone = false;
      else await this.begin(null, event, false);
      return;
    }
    // SAVEPOINT and ROLLBACK TO are logged inside the transaction: it goes on.
    if (this.tx && IN_TRANSACTION.test(statement)) return;
    if (upper === 'COMMIT' || upper.startsWith('ROLLBACK')) {
      await this.commit(event);
      return;
    }
    // Any other statement outside a transaction is DDL (or similar) and stands alone.
    if (!this.tx) await this.begin(null, event, true);
    const truncated = TRUNCATE.exec(statement);
    if (truncated) {
      const first = (truncated[1] ?? truncated[2])!.replaceAll('``', '`');
      const second = (truncated[3] ?? truncated[4])?.replaceAll('``', '`');
      const id: TableId = second ? { schema: first, table: second } : { schema: event.schema, table: first };
      if (this.options.accepts(id)) await this.onTruncate(id);
    }
    if (this.tx?.standalone) await this.commit(event);
  }

  private async onTruncate(id: TableId): Promise<void> {
    const key = tableKey(id);
    if (!this.announced.has(key)) {
      // No row event announced this table yet: its schema comes from the catalog.
      const table = await tableFromCatalog(this.options.catalog, id);
      if (table.columns.length === 0) {
        // Dropped since (the binlog is read late): no schema of it is known,
        // and a table of no columns would be a new schema version with a null
        // key, which a compacted topic refuses.
        this.options.logger.warn(
          { table: key },
          'a TRUNCATE of a table that no longer exists is not sent: its columns are unknown',
        );
        return;
      }
      this.announced.set(key, table.schema);
      await this.queue.push({ kind: 'schema', table: table.schema });
    }
    await this.queue.push({ kind: 'truncate', table: id, source: this.source(id, 0) });
  }

  private async onTableMap(event: TableMapEvent): Promise<void> {
    const id: TableId = { schema: event.schemaName, table: event.tableName };
    if (!this.options.accepts(id)) return;
    let table: MysqlTable;
    if (
      event.hasSelfDescribingMetadata() &&
      !(this.options.isMariaDb && event.hasAmbiguousTemporalColumns())
    ) {
      table = tableFromTableMap(event);
    } else {
      if (!this.warnedNoMetadata) {
        this.warnedNoMetadata = true;
        this.options.logger.warn(
          { table: tableKey(id) },
          'a TABLE_MAP event carries no full column metadata: schemas come from information_schema, which may not match older events across DDL (set binlog_row_metadata=FULL)',
        );
      }
      table = await tableFromCatalog(this.options.catalog, id);
    }
    const key = tableKey(id);
    const latest = this.latestTables.get(key);
    if (latest && sameTable(latest, table)) table = latest;
    else this.latestTables.set(key, table);
    this.tablesById.set(event.tableId, table);
    const previous = this.announced.get(key);
    if (previous && sameSchema(withoutDefaults(previous), withoutDefaults(table.schema))) {
      // The same version: keep the defaults it was announced with (a TABLE_MAP has none).
      this.tablesById.set(event.tableId, table);
      return;
    }
    if (table.columns.every((column) => column.defaultText === undefined)) {
      table = await withCatalogDefaults(this.options.catalog, table);
    }
    this.tablesById.set(event.tableId, table);
    if (!previous || !sameSchema(previous, table.schema)) {
      this.announced.set(key, table.schema);
      await this.queue.push({ kind: 'schema', table: table.schema });
    }
  }

  private async onRows(event: WriteRowsEvent | UpdateRowsEvent | DeleteRowsEvent): Promise<void> {
    const table = this.tablesById.get(event.tableId);
    if (!table) return;
    const kind = event.getTypeName();
    for (let i = 0; i < event.rows.length; i++) {
      const source = this.source(table.id, i);
      if (kind === 'WriteRows') {
        const after = binlogRow(table, (event as WriteRowsEvent).rows[i]!);
        await this.queue.push({ kind: 'change', op: 'c', table: table.id, before: null, after, source });
      } else if (kind === 'UpdateRows') {
        const row = (event as UpdateRowsEvent).rows[i]!;
        await this.queue.push({
          kind: 'change',
          op: 'u',
          table: table.id,
          before: binlogRow(table, row.before),
          after: binlogRow(table, row.after),
          source,
        });
      } else {
        const before = binlogRow(table, (event as DeleteRowsEvent).rows[i]!);
        await this.queue.push({ kind: 'change', op: 'd', table: table.id, before, after: null, source });
      }
    }
  }

  private source(id: TableId, row: number): Record<string, unknown> {
    return {
      snapshot: 'false',
      db: id.schema,
      sequence: null,
      table: id.table,
      server_id: BigInt(this.options.sourceServerId),
      gtid: this.tx?.gtid ?? null,
      file: this.file,
      pos: BigInt(this.tx?.pos ?? 0),
      row,
      thread: null,
      query: null,
    };
  }
}
