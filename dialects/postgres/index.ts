import type pg from 'pg';
import type { Logger } from 'pino';
import type { SourceField, SourceMessage, SourceOffset } from '../../src/core/change-event.ts';
import type { ChangeStream, CheckProblem, Dialect, OpenOptions } from '../../src/core/dialect.ts';
import { TributaryError } from '../../src/core/errors.ts';
import { tableFilter, type TableSelection } from '../../src/core/table-filter.ts';
import {
  catalogPool,
  connect,
  pgError,
  quoteIdent,
  type PgConnectionOptions,
  type Queryable,
} from './connection.ts';
import { snapshotMessages, type SnapshotProgress } from '../../src/core/snapshot.ts';
import { snapshotTable } from './snapshot.ts';
import {
  logPositionLost,
  readsRows,
  startWithoutRows,
  streams,
  type SnapshotMode,
} from '../../src/core/snapshot-mode.ts';
import { lsnToBigInt } from './lsn.ts';
import { PgReplicationStream } from './replication.ts';
import { preparePublication } from './publication.ts';
import { ensureSignalTable, pgIncrementalSource, sendSignal } from './incremental.ts';
import { tableKey, type TableId } from '../../src/core/schema.ts';
import { checkServer, ensureReplicaIdentityFull, listCapturedTables, slotInfo } from './setup.ts';
import { describeTables, type PgTypeResolver } from './table-schema.ts';
import { createTypeResolver } from './type-resolver.ts';

export interface PostgresDialectOptions {
  connection: PgConnectionOptions;
  tables: TableSelection;
  slot: string;
  publication: string;
  replicaIdentity: 'full' | 'keep';
  /** Debezium's signal table (incremental snapshots); null turns signals off. */
  signalTable: TableId | null;
  /** Publish whole schemas (or all tables) so tables created while streaming are captured at once. */
  captureNewTables: boolean;
  snapshot: { mode: SnapshotMode; chunkSize: number };
  heartbeatIntervalMs: number;
  logger: Logger;
  /** Called with rows read per table during a snapshot (metrics). */
  onSnapshotRows?: (table: string, rows: number) => void;
  /** Called with the tables a snapshot reads and has read (progress). */
  onSnapshotTables?: (total: number, completed: number) => void;
}

/** The offset this dialect commits: the commit end LSN, plus snapshot progress while one runs. */
interface PgOffset {
  lsn: string;
  snapshot?: SnapshotProgress;
}

/** Debezium's PostgreSQL `source` fields after the common ones (`version` … `ts_ns`). */
const SOURCE_FIELDS: readonly SourceField[] = [
  { name: 'schema', type: { kind: 'string' }, nullable: false },
  { name: 'table', type: { kind: 'string' }, nullable: false },
  { name: 'txId', type: { kind: 'int64' }, nullable: true },
  { name: 'lsn', type: { kind: 'int64' }, nullable: true },
  { name: 'xmin', type: { kind: 'int64' }, nullable: true },
  { name: 'origin', type: { kind: 'string' }, nullable: true },
  { name: 'origin_lsn', type: { kind: 'int64' }, nullable: true },
];

export function createPostgresDialect(options: PostgresDialectOptions): Dialect {
  return {
    connector: 'postgresql',
    sourceFields: SOURCE_FIELDS,
    async check(): Promise<CheckProblem[]> {
      const client = await connect(options.connection);
      try {
        return await checkServer(client, options.slot);
      } finally {
        await client.end().catch(() => {});
      }
    },
    open: (openOptions) => openStream(options, openOptions),
    ...(options.signalTable
      ? { sendSignal: (row) => sendSignal(options.connection, options.signalTable!, row) }
      : {}),
    async describe(offset: SourceOffset | null): Promise<Record<string, unknown>> {
      const client = await connect(options.connection);
      try {
        const committed = offset as PgOffset | null;
        const info = await slotInfo(client, options.slot);
        const { rows } = await client.query<{ current: string; behind: string | null }>(
          'SELECT pg_current_wal_lsn()::text AS current, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS behind',
          [committed?.lsn ?? '0/0'],
        );
        return {
          slot: { name: options.slot, ...info },
          serverLsn: rows[0]!.current,
          committedLsn: committed?.lsn ?? null,
          lagBytes: committed ? Number(rows[0]!.behind) : null,
        };
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

async function openStream(
  options: PostgresDialectOptions,
  { offset, signal }: OpenOptions,
): Promise<ChangeStream> {
  const { logger, slot } = options;
  const catalog = catalogPool(options.connection);
  // Connections that live only while a snapshot is read: the one holding the
  // exported snapshot's slot creation, and the reader.
  const snapshotClients: pg.Client[] = [];
  const endSnapshotClients = async () => {
    for (const client of snapshotClients.splice(0)) await client.end().catch(() => {});
  };
  let stopStream = async () => {};
  const closeAll = async () => {
    await stopStream();
    await endSnapshotClients();
    await catalog.end().catch(() => {});
  };
  try {
    const problems = await checkServer(catalog, slot);
    if (problems.length > 0) throw problemsError(problems);
    const database = (await catalog.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    let { signalTable } = options;
    if (signalTable && !(await ensureSignalTable(catalog, signalTable, logger))) signalTable = null;
    const isSignal = (id: TableId) => signalTable !== null && tableKey(id) === tableKey(signalTable);
    const captured = tableFilter(options.tables);
    const ids = (await listCapturedTables(catalog, captured)).filter((id) => !isSignal(id));
    if (ids.length === 0)
      logger.warn(
        { include: options.tables.include },
        'no table matches source.tables; waiting for changes anyway',
      );
    await preparePublication(
      catalog,
      { ...options, extraTables: signalTable ? [signalTable] : [] },
      ids,
      logger,
    );
    if (options.replicaIdentity === 'full') await ensureReplicaIdentityFull(catalog, ids, logger);
    const types = createTypeResolver(catalog, { onLoss: rateLimitedWarning(logger) });

    let committed = offset as PgOffset | null;
    const info = await slotInfo(catalog, slot);
    if (committed && !info.exists && options.snapshot.mode === 'when_needed') {
      logPositionLost(logger, `replication slot ${slot} does not exist`);
      committed = null;
    }
    if (committed && !info.exists) {
      throw new TributaryError(
        `replication slot ${slot} is gone, so the changes since the committed offset ${committed.lsn} cannot be read`,
        {
          code: 'SOURCE_POSITION_LOST',
          fix: 'take a new snapshot: `tributary reset --config <file>` clears the committed offset, then `tributary run` snapshots again',
        },
      );
    }
    if (info.active) {
      throw new TributaryError(`replication slot ${slot} is in use by another connection`, {
        code: 'SOURCE_SETTING',
        retriable: true,
        fix: 'stop the other consumer of this slot (another Tributary with the same name?) or choose another source.slot',
      });
    }

    let startLsn: string;
    let snapshot: AsyncGenerator<SourceMessage> | null = null;
    if (committed && !committed.snapshot) {
      startLsn = committed.lsn;
      logger.info({ slot, lsn: startLsn }, 'resuming after the committed offset');
    } else if (committed?.snapshot) {
      // The exported snapshot died with the previous process: finish with a
      // fresh one. Rows changed since the slot's point are streamed again
      // afterwards, so every key still ends in its latest state.
      startLsn = committed.lsn;
      const reader = await connect(options.connection);
      snapshotClients.push(reader);
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      logger.info({ slot, progress: committed.snapshot }, 'resuming an interrupted snapshot');
      snapshot = await snapshotOf(
        options,
        reader,
        catalog,
        types,
        ids,
        database,
        startLsn,
        committed.snapshot,
      );
    } else {
      if (info.exists) {
        // A slot with no committed offset: a first run that never committed. Its
        // position cannot be tied to a snapshot any more, so start it afresh.
        await catalog.query('SELECT pg_drop_replication_slot($1)', [slot]);
        logger.info({ slot }, 'dropped a replication slot left by a run that committed nothing');
      }
      const replication = await connect(options.connection, true);
      snapshotClients.push(replication);
      const exportSnapshot = readsRows(options.snapshot.mode);
      const created = await replication.query<{ consistent_point: string; snapshot_name: string | null }>(
        `CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
      );
      startLsn = created.rows[0]!.consistent_point;
      logger.info({ slot, lsn: startLsn }, 'created replication slot');
      if (exportSnapshot) {
        const reader = await connect(options.connection);
        snapshotClients.push(reader);
        await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await reader.query(`SET TRANSACTION SNAPSHOT '${created.rows[0]!.snapshot_name}'`);
        snapshot = await snapshotOf(options, reader, catalog, types, ids, database, startLsn, null);
      } else {
        // Nothing to read: make the slot's position the committed offset.
        const describeAll = async () =>
          (await describeTables(catalog, types, ids)).map((table) => table.schema);
        snapshot = startWithoutRows(options.snapshot.mode, describeAll, { lsn: startLsn });
      }
    }

    const stream = new PgReplicationStream({
      connection: options.connection,
      slot,
      publication: options.publication,
      startLsn,
      catalog,
      types,
      database,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      accepts: (id) => isSignal(id) || captured(id),
      logger,
    });
    let streaming = false;
    // The signal does not stop the stream: the pipeline stops at a transaction
    // boundary, so a shutdown never cuts a source transaction, then closes us.
    stopStream = () => stream.stop();

    async function* messages(): AsyncGenerator<SourceMessage> {
      if (snapshot) {
        yield* snapshot;
        // The exported snapshot (and the connection that made the slot) are done.
        await endSnapshotClients();
      }
      if (signal.aborted || !streams(options.snapshot.mode)) return;
      streaming = true;
      stream.start();
      // Streaming has begun: committing the start position marks the sidecar ready even when idle.
      yield { kind: 'heartbeat', offset: { lsn: startLsn } };
      yield* stream.queue;
    }

    return {
      [Symbol.asyncIterator]: () => messages(),
      acknowledge: async (acked: SourceOffset) => {
        const { lsn, snapshot: inSnapshot } = acked as unknown as PgOffset;
        // During a snapshot the slot must stay at its consistent point.
        if (!inSnapshot && streaming) await stream.acknowledge(lsn);
      },
      close: closeAll,
      ...(signalTable ? { incremental: pgIncrementalSource(catalog, types, signalTable) } : {}),
      lagBytes: async () => {
        const { rows } = await catalog.query<{ lag: string | null }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag FROM pg_replication_slots WHERE slot_name = $1',
          [slot],
        );
        return rows[0]?.lag == null ? null : Number(rows[0].lag);
      },
    };
  } catch (error) {
    await closeAll();
    throw pgError(error, 'preparing replication');
  }
}

/** The snapshot's messages: its rows read on `reader`, whose transaction holds the snapshot (and ends with it). */
async function snapshotOf(
  options: PostgresDialectOptions,
  reader: pg.Client,
  catalog: Queryable,
  types: PgTypeResolver,
  ids: ReadonlyArray<{ schema: string; table: string }>,
  database: string,
  lsn: string,
  progress: SnapshotProgress | null,
): Promise<AsyncGenerator<SourceMessage>> {
  const tables = await describeTables(catalog, types, ids);
  return snapshotMessages({
    tables: tables.map((table) => snapshotTable(reader, table, options.snapshot.chunkSize)),
    streamOffset: { lsn },
    progress,
    sourceFor: (table, snapshot) => ({
      snapshot,
      db: database,
      sequence: JSON.stringify([null, String(lsnToBigInt(lsn))]),
      schema: table.id.schema,
      table: table.id.table,
      txId: null,
      lsn: lsnToBigInt(lsn),
      xmin: null,
      origin: null,
      origin_lsn: null,
    }),
    logger: options.logger,
    readAheadRows: 2 * options.snapshot.chunkSize,
    ...(options.onSnapshotRows ? { onRows: options.onSnapshotRows } : {}),
    ...(options.onSnapshotTables ? { onTables: options.onSnapshotTables } : {}),
  });
}

/**
 * Lossy substitutions (NaN in numeric(p,s), timestamps past the int64 range)
 * can occur on every row: warn at once, then at most once a minute with a count.
 */
function rateLimitedWarning(logger: Logger): (message: string) => void {
  let lastAt = 0;
  let suppressed = 0;
  return (message) => {
    if (Date.now() - lastAt < 60_000) {
      suppressed += 1;
      return;
    }
    logger.warn({ suppressedSinceLast: suppressed }, message);
    lastAt = Date.now();
    suppressed = 0;
  };
}

function problemsError(problems: CheckProblem[]): TributaryError {
  const text = problems.map((p) => `${p.subject}: ${p.message}`).join('; ');
  return new TributaryError(`PostgreSQL is not ready for Tributary: ${text}`, {
    code: 'SOURCE_SETTING',
    fix: problems.map((p) => p.fix).join('; '),
  });
}
