import type { Logger } from 'pino';
import type { TableId } from '../../src/core/schema.ts';
import type { CheckProblem } from '../../src/core/dialect.ts';
import { quoteIdent, quoteTable, type Queryable } from './connection.ts';

/** Ordinary and partitioned tables outside the system schemas, filtered by the user's globs. */
export async function listCapturedTables(
  client: Queryable,
  accepts: (id: TableId) => boolean,
): Promise<TableId[]> {
  const { rows } = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1, 2`,
  );
  return rows.filter(accepts);
}

/** Creates the publication, or sets its table list to exactly the captured tables. */
export async function ensurePublication(
  client: Queryable,
  name: string,
  tables: TableId[],
  logger: Logger,
): Promise<void> {
  const list = tables.map(quoteTable).join(', ');
  const { rows } = await client.query<{ puballtables: boolean }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  if (rows.length === 0) {
    await client.query(`CREATE PUBLICATION ${quoteIdent(name)}${list ? ` FOR TABLE ${list}` : ''}`);
    logger.info({ publication: name, tables: tables.length }, 'created publication');
    return;
  }
  if (rows[0]!.puballtables) return;
  const current = await client.query<{ schemaname: string; tablename: string }>(
    'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2',
    [name],
  );
  const have = current.rows.map((r) => `${r.schemaname}.${r.tablename}`).join(',');
  const want = tables.map((t) => `${t.schema}.${t.table}`).join(',');
  if (have === want) return;
  if (list) await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
  else {
    for (const r of current.rows) {
      await client.query(
        `ALTER PUBLICATION ${quoteIdent(name)} DROP TABLE ${quoteTable({ schema: r.schemaname, table: r.tablename })}`,
      );
    }
  }
  logger.info({ publication: name, tables: tables.length }, 'updated publication table list');
}

/**
 * `REPLICA IDENTITY FULL` makes the WAL carry the whole old row, so updates and
 * deletes have complete before images and unchanged TOASTed values can be
 * filled from them.
 */
export async function ensureReplicaIdentityFull(
  client: Queryable,
  tables: TableId[],
  logger: Logger,
): Promise<void> {
  if (tables.length === 0) return;
  const { rows } = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS w(nsp, rel) ON n.nspname = w.nsp AND c.relname = w.rel
      WHERE c.relreplident <> 'f'
      ORDER BY 1, 2`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  // Several ALTERs per round trip, each batch one transaction: few enough
  // locks at once for max_locks_per_transaction.
  for (let i = 0; i < rows.length; i += ALTERS_PER_REQUEST) {
    const batch = rows.slice(i, i + ALTERS_PER_REQUEST);
    await client.query(batch.map((t) => `ALTER TABLE ${quoteTable(t)} REPLICA IDENTITY FULL;`).join('\n'));
    for (const table of batch) {
      logger.info(
        { table: `${table.schema}.${table.table}` },
        'set REPLICA IDENTITY FULL (source.replicaIdentity: full)',
      );
    }
  }
}

const ALTERS_PER_REQUEST = 50;

export interface SlotInfo {
  exists: boolean;
  active: boolean;
  confirmedFlushLsn: string | null;
  plugin: string | null;
}

export async function slotInfo(client: Queryable, slot: string): Promise<SlotInfo> {
  const { rows } = await client.query<{
    active: boolean;
    confirmed_flush_lsn: string | null;
    plugin: string | null;
    database: string;
  }>(
    'SELECT active, confirmed_flush_lsn::text, plugin, database FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const row = rows[0];
  return row
    ? { exists: true, active: row.active, confirmedFlushLsn: row.confirmed_flush_lsn, plugin: row.plugin }
    : { exists: false, active: false, confirmedFlushLsn: null, plugin: null };
}

/** Server settings and privileges logical replication needs, each with its fix. */
export async function checkServer(client: Queryable, slot: string): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const settings = await client.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_replication_slots', 'max_wal_senders', 'server_version_num')`,
  );
  const setting = new Map(settings.rows.map((r) => [r.name, r.setting]));
  if (setting.get('wal_level') !== 'logical') {
    problems.push({
      subject: 'wal_level',
      message: `wal_level is '${setting.get('wal_level')}', but logical replication needs 'logical'`,
      fix: "ALTER SYSTEM SET wal_level = 'logical'; then restart PostgreSQL",
    });
  }
  if (Number(setting.get('server_version_num')) < 100000) {
    problems.push({
      subject: 'server version',
      message: 'PostgreSQL 10 or later is required (pgoutput)',
      fix: 'upgrade PostgreSQL',
    });
  }
  const role = await client.query<{ rolreplication: boolean; rolsuper: boolean }>(
    'SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user',
  );
  if (!role.rows[0]?.rolreplication && !role.rows[0]?.rolsuper) {
    problems.push({
      subject: 'REPLICATION privilege',
      message: 'the user in source.url lacks the REPLICATION attribute',
      fix: 'ALTER ROLE <user> REPLICATION;',
    });
  }
  const info = await slotInfo(client, slot);
  if (info.exists && info.plugin !== 'pgoutput') {
    problems.push({
      subject: `replication slot ${slot}`,
      message: `slot ${slot} exists but uses the ${info.plugin} plugin, not pgoutput`,
      fix: `drop it (SELECT pg_drop_replication_slot('${slot}')) or choose another source.slot`,
    });
  }
  const slots = await client.query<{ used: string }>(
    'SELECT count(*)::text AS used FROM pg_replication_slots',
  );
  if (!info.exists && Number(slots.rows[0]!.used) >= Number(setting.get('max_replication_slots'))) {
    problems.push({
      subject: 'max_replication_slots',
      message: `all ${setting.get('max_replication_slots')} replication slots are in use`,
      fix: 'drop an unused slot or raise max_replication_slots (restart needed)',
    });
  }
  return problems;
}
