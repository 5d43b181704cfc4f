import type mysql from 'mysql2/promise';
import type { Connection as CoreConnection } from 'mysql2';
import type { SnapshotTable } from '../../src/core/snapshot.ts';
import { quoteIdent, quoteTable } from './connection.ts';
import { snapshotRow, type MysqlTable } from './table-schema.ts';
import { snapshotSelectList } from './types.ts';

type NativeRow = unknown[];

/** Offsets are JSON: a binary primary-key value travels as `{ hex }`. */
export function encodeKeyValue(value: unknown): unknown {
  return Buffer.isBuffer(value) ? { hex: value.toString('hex') } : value;
}

export function decodeKeyValue(value: unknown): unknown {
  return value && typeof value === 'object' && 'hex' in value
    ? Buffer.from(String((value as { hex: string }).hex), 'hex')
    : value;
}

/**
 * A table read inside the snapshot transaction on `connection`: keyset
 * pagination in primary-key order (so a restart resumes after any committed
 * row), or one streamed scan for a table without a primary key (which a
 * restart reads again from its start).
 */
export function snapshotTable(
  connection: mysql.Connection,
  table: MysqlTable,
  chunkSize: number,
): SnapshotTable<NativeRow> {
  const pkIndexes = table.schema.primaryKey.map((name) => table.columns.findIndex((c) => c.name === name));
  return {
    schema: table.schema,
    chunks: (resumeKey) =>
      pkIndexes.length > 0
        ? keysetChunks(connection, table, chunkSize, resumeKey?.map(decodeKeyValue))
        : scanChunks(connection, table, chunkSize),
    toRow: (row) => snapshotRow(table, row),
    keyOf: (row) => pkIndexes.map((i) => encodeKeyValue(row[i])),
  };
}

/** Columns selected so their values stay exact (e.g. FLOAT widened to DOUBLE text). */
function selectList(table: MysqlTable): string {
  return snapshotSelectList(table.columns);
}

async function* keysetChunks(
  connection: mysql.Connection,
  table: MysqlTable,
  chunkSize: number,
  resumeKey: unknown[] | undefined,
): AsyncGenerator<NativeRow[]> {
  const pk = table.schema.primaryKey.map(quoteIdent).join(', ');
  const pkIndexes = table.schema.primaryKey.map((name) => table.columns.findIndex((c) => c.name === name));
  const from = `SELECT ${selectList(table)} FROM ${quoteTable(table.id)}`;
  const placeholders = table.schema.primaryKey.map(() => '?').join(', ');
  let after = resumeKey ?? null;
  for (;;) {
    const sql = after
      ? `${from} WHERE (${pk}) > (${placeholders}) ORDER BY ${pk} LIMIT ${chunkSize}`
      : `${from} ORDER BY ${pk} LIMIT ${chunkSize}`;
    const [rows] = await connection.query<mysql.RowDataPacket[][]>({ sql, rowsAsArray: true }, after ?? []);
    const chunk = rows as unknown as NativeRow[];
    if (chunk.length === 0) return;
    yield chunk;
    if (chunk.length < chunkSize) return;
    const last = chunk[chunk.length - 1]!;
    after = pkIndexes.map((i) => last[i]);
  }
}

async function* scanChunks(
  connection: mysql.Connection,
  table: MysqlTable,
  chunkSize: number,
): AsyncGenerator<NativeRow[]> {
  // The promise API has no row stream; its wrapped callback connection does
  // (same session, so the same snapshot transaction).
  const core = (connection as unknown as { connection: CoreConnection }).connection;
  const stream = core
    .query({ sql: `SELECT ${selectList(table)} FROM ${quoteTable(table.id)}`, rowsAsArray: true })
    .stream({ highWaterMark: chunkSize });
  let chunk: NativeRow[] = [];
  for await (const row of stream as AsyncIterable<NativeRow>) {
    chunk.push(row);
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
