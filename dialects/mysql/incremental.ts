import type mysql from 'mysql2/promise';
import type { Logger } from 'pino';
import type { ChunkReader, IncrementalSource } from '../../src/core/incremental-snapshot.ts';
import { SIGNAL, warnNoSignals } from '../../src/core/incremental-snapshot.ts';
import type { TableId } from '../../src/core/schema.ts';
import { connect, quoteIdent, quoteTable, type MysqlConnectionOptions } from './connection.ts';
import { decodeKeyValue, encodeKeyValue } from './snapshot.ts';
import { snapshotRow, tableFromCatalog, type MysqlTable } from './table-schema.ts';
import { SNAPSHOT_CONNECTION_OPTIONS, snapshotSelectList } from './types.ts';

type NativeRow = unknown[];

/** Debezium's signal table shape: `id`, `type`, `data`. */
export async function ensureSignalTable(
  connection: mysql.Connection,
  table: TableId,
  logger: Logger,
): Promise<boolean> {
  const ddl = `CREATE TABLE IF NOT EXISTS ${quoteTable(table)} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`;
  try {
    await connection.query(ddl);
    return true;
  } catch (error) {
    // ER_TABLEACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR
    if (![1142, 1044].includes((error as { errno?: number }).errno ?? 0)) throw error;
    warnNoSignals(logger, table, ddl, error);
    return false;
  }
}

/** Inserts one signal row on a connection of its own (the HTTP API's `POST /snapshots`). */
export async function sendSignal(
  options: MysqlConnectionOptions,
  table: TableId,
  row: { id: string; type: string; data: string | null },
): Promise<void> {
  const connection = await connect(options);
  try {
    await connection.query(`INSERT INTO ${quoteTable(table)} (id, type, data) VALUES (?, ?, ?)`, [
      row.id,
      row.type,
      row.data,
    ]);
  } finally {
    await connection.end().catch(() => {});
  }
}

function chunkReader(reader: () => Promise<mysql.Connection>, table: MysqlTable): ChunkReader {
  const pk = table.schema.primaryKey;
  const pkIndexes = pk.map((name) => table.columns.findIndex((c) => c.name === name));
  const keyList = pk.map(quoteIdent).join(', ');
  const marks = pk.map(() => '?').join(', ');
  const from = quoteTable(table.id);
  const filter = (where: string | null) => (where ? ` AND (${where})` : '');
  const rows = async (sql: string, values: unknown[]) => {
    const [result] = await (
      await reader()
    ).query<mysql.RowDataPacket[][]>({ sql, rowsAsArray: true }, values);
    return result as unknown as NativeRow[];
  };
  return {
    schema: table.schema,
    async count(where) {
      return Number((await rows(`SELECT count(*) FROM ${from} WHERE true${filter(where)}`, []))[0]![0]);
    },
    async maxKey(where) {
      const desc = pk.map((name) => `${quoteIdent(name)} DESC`).join(', ');
      const [last] = await rows(
        `SELECT ${keyList} FROM ${from} WHERE true${filter(where)} ORDER BY ${desc} LIMIT 1`,
        [],
      );
      return last ? last.map(encodeKeyValue) : null;
    },
    async read(after, upTo, where, limit) {
      const lower = after ? ` AND (${keyList}) > (${marks})` : '';
      const found = await rows(
        `SELECT ${snapshotSelectList(table.columns)} FROM ${from}
          WHERE (${keyList}) <= (${marks})${lower}${filter(where)} ORDER BY ${keyList} LIMIT ${limit}`,
        [...upTo.map(decodeKeyValue), ...(after ?? []).map(decodeKeyValue)],
      );
      return found.map((row) => ({
        row: snapshotRow(table, row),
        key: pkIndexes.map((i) => encodeKeyValue(row[i])),
      }));
    },
  };
}

/** Incremental snapshots of a MySQL source: chunks read on a connection of their own, in READ COMMITTED. */
export function mysqlIncrementalSource(
  options: MysqlConnectionOptions,
  catalog: mysql.Connection,
  signalTable: TableId,
): IncrementalSource {
  const signals = quoteTable(signalTable);
  let connection: Promise<mysql.Connection> | null = null;
  const reader = () => {
    connection ??= connect(options, SNAPSHOT_CONNECTION_OPTIONS).then(async (c) => {
      await c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      return c;
    });
    return connection;
  };
  return {
    signalTable,
    async writeSignal(id, type, data) {
      await catalog.query(`INSERT INTO ${signals} (id, type, data) VALUES (?, ?, ?)`, [id, type, data]);
    },
    async clearWindows() {
      await catalog.query(`DELETE FROM ${signals} WHERE type IN (?, ?)`, [
        SIGNAL.windowOpen,
        SIGNAL.windowClose,
      ]);
    },
    async table(id) {
      const table = await tableFromCatalog(catalog, id);
      return table.columns.length === 0 ? null : chunkReader(reader, table);
    },
    sourceFor: (table, at) => ({
      ...at,
      snapshot: 'incremental',
      db: table.id.schema,
      table: table.id.table,
    }),
    close: async () => {
      const open = connection;
      connection = null;
      if (open) await (await open).end().catch(() => {});
    },
  };
}
