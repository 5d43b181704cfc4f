import type pg from 'pg';
import type { Logger } from 'pino';
import type { ChunkReader, IncrementalSource } from '../../src/core/incremental-snapshot.ts';
import { SIGNAL, warnNoSignals } from '../../src/core/incremental-snapshot.ts';
import type { TableId } from '../../src/core/schema.ts';
import {
  connect,
  quoteIdent,
  quoteTable,
  TEXT_TYPES,
  type PgConnectionOptions,
  type Queryable,
} from './connection.ts';
import { arrayToRow, describeTable, type PgTable, type PgTypeResolver } from './table-schema.ts';

type TextRow = Array<string | null>;

/** Debezium's signal table shape: `id`, `type`, `data`. */
export async function ensureSignalTable(client: Queryable, table: TableId, logger: Logger): Promise<boolean> {
  const ddl = `CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`;
  try {
    await client.query(ddl);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    warnNoSignals(logger, table, ddl, error);
    return false;
  }
}

/** Inserts one signal row on a connection of its own (the HTTP API's `POST /snapshots`). */
export async function sendSignal(
  connection: PgConnectionOptions,
  table: TableId,
  row: { id: string; type: string; data: string | null },
): Promise<void> {
  const client = await connect(connection);
  try {
    await client.query(`INSERT INTO ${quoteTable(table)} (id, type, data) VALUES ($1, $2, $3)`, [
      row.id,
      row.type,
      row.data,
    ]);
  } finally {
    await client.end().catch(() => {});
  }
}

function chunkReader(client: Queryable, table: PgTable): ChunkReader {
  const pk = table.schema.primaryKey;
  const pkTypes = pk.map((name) => table.schema.columns.find((c) => c.name === name)!.sourceType);
  const pkIndexes = pk.map((name) => table.columnNames.indexOf(name));
  const keyList = pk.map(quoteIdent).join(', ');
  const from = quoteTable(table.id);
  const params = (first: number) => pk.map((_, i) => `$${first + i}::${pkTypes[i]}`).join(', ');
  const filter = (where: string | null) => (where ? ` AND (${where})` : '');
  const query = (text: string, values: unknown[]) =>
    client.query<TextRow>({ text, values, rowMode: 'array', types: TEXT_TYPES });
  return {
    schema: table.schema,
    async count(where) {
      const { rows } = await query(`SELECT count(*) FROM ${from} WHERE true${filter(where)}`, []);
      return Number(rows[0]![0]);
    },
    async maxKey(where) {
      const desc = pk.map((name) => `${quoteIdent(name)} DESC`).join(', ');
      const { rows } = await query(
        `SELECT ${keyList} FROM ${from} WHERE true${filter(where)} ORDER BY ${desc} LIMIT 1`,
        [],
      );
      return rows[0] ?? null;
    },
    async read(after, upTo, where, limit) {
      const lower = after ? ` AND (${keyList}) > (${params(pk.length + 1)})` : '';
      const { rows } = await query(
        `SELECT ${table.columnNames.map(quoteIdent).join(', ')} FROM ${from}
          WHERE (${keyList}) <= (${params(1)})${lower}${filter(where)} ORDER BY ${keyList} LIMIT ${limit}`,
        [...upTo, ...(after ?? [])],
      );
      return rows.map((row) => ({ row: arrayToRow(table, row), key: pkIndexes.map((i) => row[i]) }));
    },
  };
}

/** Incremental snapshots of a Postgres source: reads through the catalog connection, in READ COMMITTED. */
export function pgIncrementalSource(
  catalog: Queryable & Pick<pg.Pool, 'query'>,
  types: PgTypeResolver,
  signalTable: TableId,
): IncrementalSource {
  const signals = quoteTable(signalTable);
  return {
    signalTable,
    async writeSignal(id, type, data) {
      await catalog.query(`INSERT INTO ${signals} (id, type, data) VALUES ($1, $2, $3)`, [id, type, data]);
    },
    async clearWindows() {
      await catalog.query(`DELETE FROM ${signals} WHERE type IN ($1, $2)`, [
        SIGNAL.windowOpen,
        SIGNAL.windowClose,
      ]);
    },
    async table(id) {
      const { rows } = await catalog.query<{ oid: number }>(
        `SELECT c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
        [id.schema, id.table],
      );
      if (!rows[0]) return null;
      return chunkReader(catalog, await describeTable(catalog, types, id, rows[0].oid));
    },
    sourceFor: (table, at) => ({
      ...at,
      snapshot: 'incremental',
      schema: table.id.schema,
      table: table.id.table,
    }),
    close: async () => {},
  };
}
