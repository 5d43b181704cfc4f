import type { Logger } from 'pino';
import type { TableId } from '../../src/core/schema.ts';
import type { TableSelection } from '../../src/core/table-filter.ts';
import { quoteIdent, quoteTable, type Queryable } from './connection.ts';
import { ensurePublication } from './setup.ts';

/**
 * What the publication must cover so that tables created while streaming are
 * decoded from their first row: every table of the schemas the include globs
 * name, or every table when a glob's schema part is itself a pattern. The
 * globs then pick the captured tables out of the stream's Relation messages.
 */
export type PublicationScope = { kind: 'all' } | { kind: 'schemas'; schemas: string[] };

export function publicationScope(selection: TableSelection): PublicationScope {
  const schemas = new Set<string>();
  for (const glob of selection.include) {
    const schema = glob.slice(0, glob.indexOf('.'));
    if (/[*?]/.test(schema)) return { kind: 'all' };
    schemas.add(schema);
  }
  return { kind: 'schemas', schemas: [...schemas].sort() };
}

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Makes the publication cover `scope` (FOR ALL TABLES, or FOR TABLES IN
 * SCHEMA on PostgreSQL 15+), plus `extraTables` outside it. Both need a
 * superuser; without the privilege, or on an older server, it falls back to
 * the list of `tables` with a warning, and tables created while streaming are
 * then captured from the next start. Returns whether new tables are live.
 */
export async function ensureLivePublication(
  client: Queryable,
  name: string,
  scope: PublicationScope,
  tables: TableId[],
  extraTables: TableId[],
  logger: Logger,
): Promise<boolean> {
  const fallBack = async (reason: string): Promise<boolean> => {
    logger.warn(
      { publication: name, reason },
      'tables created while streaming are captured only from the next start: the publication lists the tables found now. ' +
        'Fix: let a superuser create the publication FOR ALL TABLES or FOR TABLES IN SCHEMA (see the README), or set source.captureNewTables: false to silence this',
    );
    await ensurePublication(client, name, [...tables, ...extraTables], logger);
    return false;
  };
  const version = Number(
    (await client.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]!
      .server_version_num,
  );
  const existing = await client.query<{ puballtables: boolean }>(
    'SELECT puballtables FROM pg_publication WHERE pubname = $1',
    [name],
  );
  if (existing.rows[0]?.puballtables) return true;
  if (scope.kind === 'schemas' && version < 150000)
    return fallBack('FOR TABLES IN SCHEMA needs PostgreSQL 15 or later');

  const extras = extraTables.filter((t) => scope.kind === 'schemas' && !scope.schemas.includes(t.schema));
  const target =
    scope.kind === 'all'
      ? 'FOR ALL TABLES'
      : `FOR TABLES IN SCHEMA ${scope.schemas.map(quoteIdent).join(', ')}${extras.map((t) => `, TABLE ${quoteTable(t)}`).join('')}`;
  try {
    if (existing.rows.length === 0) {
      await client.query(`CREATE PUBLICATION ${quoteIdent(name)} ${target}`);
      logger.info(
        { publication: name, scope },
        'created publication: tables created while streaming are captured',
      );
      return true;
    }
    if (scope.kind === 'all') {
      // A publication cannot be altered into FOR ALL TABLES, and dropping it
      // under an existing slot breaks decoding of the WAL written before.
      return await fallBack(
        `publication ${name} exists with a table list; drop it to have it recreated FOR ALL TABLES`,
      );
    }
    if (!(await coversExactly(client, name, scope.schemas, extras))) {
      await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET ${target.slice('FOR '.length)}`);
      logger.info(
        { publication: name, scope },
        'publication now covers whole schemas: tables created while streaming are captured',
      );
    }
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    return fallBack(
      `the user may not publish ${scope.kind === 'all' ? 'all tables' : 'whole schemas'} (superuser needed)`,
    );
  }
}

async function coversExactly(
  client: Queryable,
  name: string,
  schemas: string[],
  extras: TableId[],
): Promise<boolean> {
  const { rows: have } = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_publication_namespace pn
       JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid
      WHERE p.pubname = $1 ORDER BY 1`,
    [name],
  );
  const { rows: listed } = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table FROM pg_publication_rel pr
       JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE p.pubname = $1 ORDER BY 1, 2`,
    [name],
  );
  const key = (t: TableId) => `${t.schema}.${t.table}`;
  return (
    have.map((r) => r.nspname).join(',') === schemas.join(',') &&
    listed.map(key).join(',') === extras.map(key).sort().join(',')
  );
}

/**
 * Tables in the publication's scope that are not captured and have no
 * replica identity: once published, the server refuses UPDATE and DELETE on
 * them. Named in a warning with the fix.
 */
export async function tablesWithoutIdentity(
  client: Queryable,
  scope: PublicationScope,
  captured: TableId[],
): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
        AND (c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS
              (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))
      ORDER BY 1`,
    [scope.kind === 'all' ? null : scope.schemas],
  );
  const capturedNames = new Set(captured.map((t) => `${t.schema}.${t.table}`));
  return rows.map((r) => r.name).filter((name) => !capturedNames.has(name));
}

/**
 * The publication for a start: whole schemas (or all tables) when
 * `captureNewTables` is on, else the captured tables as found now.
 */
export async function preparePublication(
  client: Queryable,
  options: { publication: string; tables: TableSelection; captureNewTables: boolean; extraTables: TableId[] },
  captured: TableId[],
  logger: Logger,
): Promise<void> {
  if (!options.captureNewTables) {
    await ensurePublication(client, options.publication, [...captured, ...options.extraTables], logger);
    return;
  }
  const scope = publicationScope(options.tables);
  const live = await ensureLivePublication(
    client,
    options.publication,
    scope,
    captured,
    options.extraTables,
    logger,
  );
  if (!live) return;
  const refused = await tablesWithoutIdentity(client, scope, captured);
  if (refused.length > 0) {
    logger.warn(
      { tables: refused },
      'these tables are published (their schema is) but have no primary key or replica identity, so PostgreSQL refuses UPDATE and DELETE on them. ' +
        'Fix: give them a primary key or REPLICA IDENTITY FULL, or set source.captureNewTables: false',
    );
  }
}
