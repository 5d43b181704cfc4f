import type pg from 'pg';
import type { SnapshotTable } from '../../src/core/snapshot.ts';
import { quoteIdent, quoteTable, TEXT_TYPES } from './connection.ts';
import { arrayToRow, type PgTable } from './table-schema.ts';

type TextRow = Array<string | null>;

/**
 * A table read inside the snapshot transaction on `client`, in primary-key
 * order by keyset pagination (so a restart can resume after any committed
 * row); a table without a primary key is read through a cursor, and a restart
 * reads it again from its start.
 */
export function snapshotTable(client: pg.Client, table: PgTable, chunkSize: number): SnapshotTable<TextRow> {
  const pkIndexes = table.schema.primaryKey.map((name) => table.columnNames.indexOf(name));
  return {
    schema: table.schema,
    chunks: (resumeKey) =>
      pkIndexes.length > 0
        ? keysetChunks(client, table, chunkSize, resumeKey as string[] | undefined)
        : cursorChunks(client, table, chunkSize),
    toRow: (row) => arrayToRow(table, row),
    keyOf: (row) => pkIndexes.map((i) => row[i]),
  };
}

function selectList(table: PgTable): string {
  return table.columnNames.map(quoteIdent).join(', ');
}

async function* keysetChunks(
  client: pg.Client,
  table: PgTable,
  chunkSize: number,
  resumeKey: string[] | undefined,
): AsyncGenerator<TextRow[]> {
  const pk = table.schema.primaryKey;
  const pkTypes = pk.map((name) => table.schema.columns.find((c) => c.name === name)!.sourceType);
  const pkIndexes = pk.map((name) => table.columnNames.indexOf(name));
  const order = pk.map(quoteIdent).join(', ');
  const params = pk.map((_, i) => `$${i + 1}::${pkTypes[i]}`).join(', ');
  const from = `SELECT ${selectList(table)} FROM ${quoteTable(table.id)}`;
  const first = `${from} ORDER BY ${order} LIMIT ${chunkSize}`;
  const next = `${from} WHERE (${order}) > (${params}) ORDER BY ${order} LIMIT ${chunkSize}`;
  let after = resumeKey ?? null;
  for (;;) {
    const result = await client.query<TextRow>({
      text: after ? next : first,
      values: after ?? [],
      rowMode: 'array',
      types: TEXT_TYPES,
    });
    if (result.rows.length === 0) return;
    yield result.rows;
    if (result.rows.length < chunkSize) return;
    const last = result.rows[result.rows.length - 1]!;
    after = pkIndexes.map((i) => last[i]!);
  }
}

async function* cursorChunks(
  client: pg.Client,
  table: PgTable,
  chunkSize: number,
): AsyncGenerator<TextRow[]> {
  const cursor = quoteIdent(`tributary_${table.relationOid}`);
  await client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${selectList(table)} FROM ${quoteTable(table.id)}`,
  );
  try {
    for (;;) {
      const result = await client.query<TextRow>({
        text: `FETCH FORWARD ${chunkSize} FROM ${cursor}`,
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      if (result.rows.length === 0) return;
      yield result.rows;
      if (result.rows.length < chunkSize) return;
    }
  } finally {
    await client.query(`CLOSE ${cursor}`).catch(() => {});
  }
}
