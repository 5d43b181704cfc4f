import type mysql from 'mysql2/promise';
import type { Logger } from 'pino';
import type { SourceField, SourceMessage, SourceOffset } from '../../src/core/change-event.ts';
import type { ChangeStream, CheckProblem, Dialect, OpenOptions } from '../../src/core/dialect.ts';
import { TributaryError } from '../../src/core/errors.ts';
import { tableKey, type TableId } from '../../src/core/schema.ts';
import { snapshotMessages, snapshotProgressOf } from '../../src/core/snapshot.ts';
import { tableFilter, type TableSelection } from '../../src/core/table-filter.ts';
import { MysqlBinlogStream, type BinlogPosition } from './binlog.ts';
import { binlogFileExists, bytesBehind, checkServer, serverInfo, type ServerInfo } from './checks.ts';
import { connect, mysqlError, type MysqlConnectionOptions } from './connection.ts';
import { snapshotTable } from './snapshot.ts';
import { ensureSignalTable, mysqlIncrementalSource, sendSignal } from './incremental.ts';
import {
  logPositionLost,
  readsRows,
  startWithoutRows,
  streams,
  type SnapshotMode,
} from '../../src/core/snapshot-mode.ts';
import { tablesFromCatalog } from './table-schema.ts';
import { SNAPSHOT_CONNECTION_OPTIONS } from './types.ts';

export interface MysqlDialectOptions {
  connection: MysqlConnectionOptions;
  tables: TableSelection;
  /** Our replica server id on the binlog connection. */
  serverId: number;
  /** Debezium's signal table (incremental snapshots); null turns signals off. */
  signalTable: TableId | null;
  snapshot: { mode: SnapshotMode; chunkSize: number };
  logger: Logger;
  onSnapshotRows?: (table: string, rows: number) => void;
  /** Called with the tables a snapshot reads and has read (progress). */
  onSnapshotTables?: (total: number, completed: number) => void;
}

/** Debezium's MySQL and MariaDB `source` fields after the common ones (`version` … `ts_ns`). */
const SOURCE_FIELDS: readonly SourceField[] = [
  { name: 'table', type: { kind: 'string' }, nullable: true },
  { name: 'server_id', type: { kind: 'int64' }, nullable: false },
  { name: 'gtid', type: { kind: 'string' }, nullable: true },
  { name: 'file', type: { kind: 'string' }, nullable: false },
  { name: 'pos', type: { kind: 'int64' }, nullable: false },
  { name: 'row', type: { kind: 'int32' }, nullable: false },
  { name: 'thread', type: { kind: 'int64' }, nullable: true },
  { name: 'query', type: { kind: 'string' }, nullable: true },
];

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

export function createMysqlDialect(options: MysqlDialectOptions): Dialect {
  // Debezium's MariaDB connector names itself `mariadb` (and its source record
  // io.debezium.connector.mariadb.Source): a MariaDB server is mimicked as that.
  let connector: 'mysql' | 'mariadb' = 'mysql';
  return {
    get connector() {
      return connector;
    },
    sourceFields: SOURCE_FIELDS,
    async check(): Promise<CheckProblem[]> {
      const connection = await connect(options.connection);
      try {
        return await checkServer(connection, options.serverId);
      } finally {
        await connection.end().catch(() => {});
      }
    },
    open: (openOptions) =>
      openStream(options, openOptions, (isMariaDb) => {
        connector = isMariaDb ? 'mariadb' : 'mysql';
      }),
    ...(options.signalTable
      ? { sendSignal: (row) => sendSignal(options.connection, options.signalTable!, row) }
      : {}),
    async describe(offset: SourceOffset | null): Promise<Record<string, unknown>> {
      const connection = await connect(options.connection);
      try {
        const info = await serverInfo(connection);
        const committed = offset as MysqlOffset | null;
        return {
          server: { version: info.version, serverId: info.serverId },
          serverPosition: await currentPosition(connection, info),
          committedPosition: committed
            ? { file: committed.file, pos: committed.pos, gtid: committed.gtid }
            : null,
          lagBytes: committed ? await bytesBehind(connection, committed.file, committed.pos) : null,
        };
      } finally {
        await connection.end().catch(() => {});
      }
    },
  };
}

async function listCapturedTables(
  connection: mysql.Connection,
  accepts: (id: TableId) => boolean,
): Promise<TableId[]> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS \`table\` FROM information_schema.TABLES
      WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (?) ORDER BY 1, 2`,
    [SYSTEM_SCHEMAS],
  );
  return rows.map((r) => ({ schema: String(r.schema), table: String(r.table) })).filter(accepts);
}

/** The binlog position (and GTIDs) the current transaction's snapshot sits at. */
async function currentPosition(connection: mysql.Connection, info: ServerInfo): Promise<BinlogPosition> {
  let rows: mysql.RowDataPacket[];
  try {
    [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS');
  } catch {
    [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW BINARY LOG STATUS'); // MySQL 8.4+
  }
  const status = rows[0];
  if (!status) {
    throw new TributaryError('the server reports no binlog position (is log_bin on?)', {
      code: 'SOURCE_SETTING',
      fix: 'enable the binary log: log_bin=binlog and a server_id in the server config, then restart',
    });
  }
  let gtid: string | null = null;
  if (info.isMariaDb) {
    const [pos] = await connection.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS pos');
    gtid = String(pos[0]!.pos ?? '');
  } else if (info.gtids) {
    gtid = String(status.Executed_Gtid_Set ?? '').replace(/\s+/g, '');
  }
  return { file: String(status.File), pos: Number(status.Position), gtid };
}

interface MysqlOffset extends BinlogPosition {
  snapshot?: unknown;
}

async function openStream(
  options: MysqlDialectOptions,
  { offset }: OpenOptions,
  onServer: (isMariaDb: boolean) => void,
): Promise<ChangeStream> {
  const { logger } = options;
  const catalog = await connect(options.connection);
  let snapshotConnection: mysql.Connection | null = null;
  let binlog: MysqlBinlogStream | null = null;
  const closeAll = async () => {
    await binlog?.stop().catch(() => {});
    await snapshotConnection?.end().catch(() => {});
    await catalog.end().catch(() => {});
  };
  try {
    const info = await serverInfo(catalog);
    onServer(info.isMariaDb);
    const problems = await checkServer(catalog, options.serverId);
    const fatal = problems.filter((p) => p.subject !== 'gtid_mode');
    for (const p of problems.filter((p) => p.subject === 'gtid_mode')) logger.warn({ fix: p.fix }, p.message);
    if (fatal.length > 0) {
      throw new TributaryError(
        `MySQL is not ready for Tributary: ${fatal.map((p) => `${p.subject}: ${p.message}`).join('; ')}`,
        {
          code: 'SOURCE_SETTING',
          fix: fatal.map((p) => p.fix).join('; '),
        },
      );
    }
    let { signalTable } = options;
    if (signalTable && !(await ensureSignalTable(catalog, signalTable, logger))) signalTable = null;
    const isSignal = (id: TableId) => signalTable !== null && tableKey(id) === tableKey(signalTable);
    const captured = tableFilter(options.tables);
    const accepts = (id: TableId) => isSignal(id) || captured(id);
    const ids = (await listCapturedTables(catalog, captured)).filter((id) => !isSignal(id));
    if (ids.length === 0)
      logger.warn(
        { include: options.tables.include },
        'no table matches source.tables; waiting for changes anyway',
      );

    let committed = offset as MysqlOffset | null;
    let progress = snapshotProgressOf(offset);
    if (
      committed &&
      options.snapshot.mode === 'when_needed' &&
      !(await binlogFileExists(catalog, committed.file))
    ) {
      logPositionLost(logger, `binlog ${committed.file} was purged from the server`);
      committed = null;
      progress = null;
    }
    let start: BinlogPosition;
    let snapshot: AsyncGenerator<SourceMessage> | null = null;
    if (committed && !progress) {
      start = { file: committed.file, pos: committed.pos, gtid: committed.gtid };
      if (!start.gtid && !(await binlogFileExists(catalog, start.file))) {
        throw new TributaryError(
          `binlog ${start.file}, where the committed offset points, was purged from the server`,
          {
            code: 'SOURCE_POSITION_LOST',
            fix: 'take a new snapshot: `tributary reset --config <file>` clears the committed offset, then `tributary run` snapshots again; keep binlogs longer than the sidecar may be down',
          },
        );
      }
      logger.info({ position: start }, 'resuming after the committed offset');
    } else if (progress) {
      // The consistent snapshot died with the previous process: finish with a
      // fresh one; the binlog from the original point replays every change since.
      start = { file: committed!.file, pos: committed!.pos, gtid: committed!.gtid };
      snapshotConnection = await connect(options.connection, SNAPSHOT_CONNECTION_OPTIONS);
      await snapshotConnection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await snapshotConnection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      logger.info({ progress }, 'resuming an interrupted snapshot');
      snapshot = await readSnapshot(
        options,
        snapshotConnection,
        catalog,
        ids,
        start,
        progress,
        info.serverId,
      );
    } else if (!readsRows(options.snapshot.mode)) {
      start = await currentPosition(catalog, info);
      const describeAll = async () => (await tablesFromCatalog(catalog, ids)).map((table) => table.schema);
      snapshot = startWithoutRows(options.snapshot.mode, describeAll, { ...start });
    } else {
      snapshotConnection = await connect(options.connection, SNAPSHOT_CONNECTION_OPTIONS);
      // A brief global read lock pins the binlog position to the snapshot.
      logger.info('snapshot: taking a global read lock to pin the binlog position');
      await snapshotConnection.query('FLUSH TABLES WITH READ LOCK');
      try {
        await snapshotConnection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await snapshotConnection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
        start = await currentPosition(snapshotConnection, info);
      } finally {
        await snapshotConnection.query('UNLOCK TABLES');
      }
      logger.info({ position: start }, 'snapshot: position pinned, lock released');
      snapshot = await readSnapshot(options, snapshotConnection, catalog, ids, start, null, info.serverId);
    }

    let acknowledged: BinlogPosition = start;
    const stream = new MysqlBinlogStream({
      connection: options.connection,
      replicaServerId: options.serverId,
      sourceServerId: info.serverId,
      isMariaDb: info.isMariaDb,
      start,
      accepts,
      catalog,
      logger,
    });
    binlog = stream;
    async function* messages(): AsyncGenerator<SourceMessage> {
      if (snapshot) {
        yield* snapshot;
        await snapshotConnection?.end().catch(() => {});
        snapshotConnection = null;
      }
      if (!streams(options.snapshot.mode)) return;
      stream.start();
      // Streaming has begun: committing the start position marks the sidecar ready even when idle.
      yield { kind: 'heartbeat', offset: { ...start } };
      yield* stream.queue;
    }
    return {
      [Symbol.asyncIterator]: () => messages(),
      // The binlog has no server-side acknowledgement: the committed offset is the position.
      acknowledge: async (acked) => {
        acknowledged = acked as unknown as BinlogPosition;
      },
      close: closeAll,
      ...(signalTable
        ? { incremental: mysqlIncrementalSource(options.connection, catalog, signalTable) }
        : {}),
      lagBytes: () => bytesBehind(catalog, acknowledged.file, acknowledged.pos),
    };
  } catch (error) {
    await closeAll();
    throw mysqlError(error, 'preparing the binlog stream');
  }
}

/** The snapshot's messages: its rows read on `connection`, whose transaction holds the snapshot (and ends with it). */
async function readSnapshot(
  options: MysqlDialectOptions,
  connection: mysql.Connection,
  catalog: mysql.Connection,
  ids: TableId[],
  position: BinlogPosition,
  progress: ReturnType<typeof snapshotProgressOf>,
  sourceServerId: number,
): Promise<AsyncGenerator<SourceMessage>> {
  const tables = await tablesFromCatalog(catalog, ids);
  return snapshotMessages({
    tables: tables.map((table) => snapshotTable(connection, table, options.snapshot.chunkSize)),
    streamOffset: { ...position },
    progress,
    sourceFor: (table, snapshot) => ({
      snapshot,
      db: table.id.schema,
      sequence: null,
      table: table.id.table,
      server_id: BigInt(sourceServerId),
      gtid: null,
      file: position.file,
      pos: BigInt(position.pos),
      row: 0,
      thread: null,
      query: null,
    }),
    logger: options.logger,
    readAheadRows: 2 * options.snapshot.chunkSize,
    ...(options.onSnapshotRows ? { onRows: options.onSnapshotRows } : {}),
    ...(options.onSnapshotTables ? { onTables: options.onSnapshotTables } : {}),
  });
}
