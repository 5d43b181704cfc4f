import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { Dialect } from './core/dialect.ts';
import type { TableId } from './core/schema.ts';
import type { Metrics } from './observe/metrics.ts';
import { createMysqlDialect } from '../dialects/mysql/index.ts';
import { createPostgresDialect } from '../dialects/postgres/index.ts';

/** The one place `src/` knows the dialects: config in, Dialect out. */
export function createDialect(config: Config, logger: Logger, metrics?: Metrics): Dialect {
  const { source } = config;
  const log = logger.child({ component: source.dialect });
  switch (source.dialect) {
    case 'postgres':
      return createPostgresDialect({
        connection: { url: source.url, ssl: source.ssl },
        tables: source.tables,
        slot: source.slot,
        publication: source.publication,
        replicaIdentity: source.replicaIdentity,
        captureNewTables: source.captureNewTables,
        signalTable: signalTableOf(config),
        snapshot: source.snapshot,
        heartbeatIntervalMs: source.heartbeatIntervalMs,
        logger: log,
        ...(metrics
          ? {
              onSnapshotRows: (table: string, rows: number) => metrics.snapshotRows.inc({ table }, rows),
              onSnapshotTables: (total: number, completed: number) =>
                metrics.snapshotTablesProgress(total, completed),
            }
          : {}),
      });
    case 'mysql':
      return createMysqlDialect({
        connection: { url: source.url, ssl: source.ssl },
        tables: source.tables,
        serverId: source.serverId,
        signalTable: signalTableOf(config),
        snapshot: source.snapshot,
        logger: log,
        ...(metrics
          ? {
              onSnapshotRows: (table: string, rows: number) => metrics.snapshotRows.inc({ table }, rows),
              onSnapshotTables: (total: number, completed: number) =>
                metrics.snapshotTablesProgress(total, completed),
            }
          : {}),
      });
  }
}

/** The signal table, or null when signals are off. */
function signalTableOf(config: Config): TableId | null {
  const { signal } = config.source;
  if (!signal.enabled) return null;
  const dot = signal.table.indexOf('.');
  return { schema: signal.table.slice(0, dot), table: signal.table.slice(dot + 1) };
}
