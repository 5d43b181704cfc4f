import type { ConnectorTestContext } from '../../test/harness/connector-context.ts';
import type { Dialect } from './figures.ts';
import { progress } from './progress.ts';

/** A column of a benchmark table: its type and the SQL giving row `g`'s value, per dialect. */
interface Column {
  name: string;
  type: Record<Dialect, string>;
  value: Record<Dialect, string>;
}

const both = (sql: string): Record<Dialect, string> => ({ postgres: sql, mysql: sql });
const timestamp = {
  postgres: `'2024-01-01'::timestamptz + g * interval '1 second'`,
  mysql: `TIMESTAMPADD(SECOND, g, '2024-01-01')`,
};
/** 32 hex characters, repeated: text that differs per row. */
const hexText = (times: number): Record<Dialect, string> => ({
  postgres: `repeat(md5(g::text), ${times})`,
  mysql: `REPEAT(MD5(g), ${times})`,
});

const ID: Column = { name: 'id', type: both('bigint PRIMARY KEY'), value: both('g') };

/** ~100 bytes a row in 5 columns (the benchmark's table from the start). */
export const NARROW: Column[] = [
  ID,
  { name: 'name', type: both('varchar(40) NOT NULL'), value: both(`CONCAT('name-', g)`) },
  { name: 'amount', type: both('numeric(12,2)'), value: both('(g % 100000) / 100.0') },
  {
    name: 'at',
    type: { postgres: 'timestamptz NOT NULL', mysql: 'timestamp(6) NOT NULL' },
    value: timestamp,
  },
  { name: 'flag', type: both('boolean'), value: both('g % 2 = 0') },
];

/** ~2 KB a row in 30 columns of mixed types. */
export const WIDE: Column[] = [
  ID,
  { name: 'i1', type: both('int'), value: both('g % 2000000000') },
  { name: 'i2', type: both('int'), value: both('(g * 7) % 1000000') },
  { name: 'i3', type: both('int'), value: both('g % 1000') },
  { name: 's1', type: both('smallint'), value: both('g % 30000') },
  { name: 'b1', type: both('bigint'), value: { postgres: 'g::bigint * 1000003', mysql: 'g * 1000003' } },
  { name: 'b2', type: both('bigint'), value: both('g * 31') },
  { name: 'n1', type: both('numeric(12,2)'), value: both('(g % 100000) / 100.0') },
  { name: 'n2', type: both('numeric(20,6)'), value: both('g / 7.0') },
  { name: 'n3', type: both('numeric(10,4)'), value: both('(g % 10000) / 3.0') },
  { name: 'f1', type: { postgres: 'double precision', mysql: 'double' }, value: both('g / 3.0') },
  { name: 't1', type: both('text'), value: hexText(16) },
  { name: 't2', type: both('text'), value: hexText(16) },
  { name: 't3', type: both('text'), value: hexText(8) },
  { name: 't4', type: both('text'), value: hexText(4) },
  { name: 'v1', type: both('varchar(100)'), value: both(`CONCAT('v1-', g, '-', MD5(CONCAT('a', g)))`) },
  { name: 'v2', type: both('varchar(100)'), value: both(`CONCAT('customer ', g % 50000)`) },
  { name: 'v3', type: both('varchar(255)'), value: hexText(5) },
  { name: 'v4', type: both('varchar(20)'), value: both(`CONCAT('code-', g % 997)`) },
  { name: 'ts1', type: { postgres: 'timestamptz', mysql: 'timestamp(6) NULL' }, value: timestamp },
  { name: 'ts2', type: { postgres: 'timestamp', mysql: 'datetime(6)' }, value: timestamp },
  { name: 'ts3', type: { postgres: 'timestamptz', mysql: 'datetime' }, value: timestamp },
  {
    name: 'd1',
    type: both('date'),
    value: {
      postgres: `DATE '2020-01-01' + (g % 3650)::int`,
      mysql: `DATE_ADD('2020-01-01', INTERVAL g % 3650 DAY)`,
    },
  },
  {
    name: 'd2',
    type: both('date'),
    value: {
      postgres: `DATE '1990-06-15' + (g % 10000)::int`,
      mysql: `DATE_ADD('1990-06-15', INTERVAL g % 10000 DAY)`,
    },
  },
  { name: 'flag1', type: both('boolean'), value: both('g % 2 = 0') },
  { name: 'flag2', type: both('boolean'), value: both('g % 3 = 0') },
  { name: 'flag3', type: both('boolean'), value: both('g % 5 = 0') },
  {
    name: 'doc',
    type: { postgres: 'jsonb', mysql: 'json' },
    value: {
      postgres: `jsonb_build_object('id', g, 'kind', 'order', 'tags', jsonb_build_array('a', 'b', g % 10), 'note', md5(g::text))`,
      mysql: `JSON_OBJECT('id', g, 'kind', 'order', 'tags', JSON_ARRAY('a', 'b', g % 10), 'note', MD5(g))`,
    },
  },
  {
    name: 'uid',
    type: { postgres: 'uuid', mysql: 'uuid' },
    value: {
      postgres: 'md5(g::text)::uuid',
      // MariaDB takes only UUIDs of a known version and variant: version 4, variant 8.
      mysql: `CONCAT_WS('-', SUBSTR(MD5(g), 1, 8), SUBSTR(MD5(g), 9, 4), CONCAT('4', SUBSTR(MD5(g), 14, 3)), CONCAT('8', SUBSTR(MD5(g), 18, 3)), SUBSTR(MD5(g), 21, 12))`,
    },
  },
  {
    name: 'bin',
    type: { postgres: 'bytea', mysql: 'varbinary(64)' },
    value: {
      postgres: `decode(md5(g::text) || md5((g + 1)::text), 'hex')`,
      mysql: `UNHEX(CONCAT(MD5(g), MD5(g + 1)))`,
    },
  },
];

export function createTableSql(dialect: Dialect, table: string, columns: Column[]): string {
  return `CREATE TABLE ${table} (${columns.map((c) => `${c.name} ${c.type[dialect]}`).join(', ')})`;
}

/** The SELECT list giving row `g`. */
export function valuesSql(dialect: Dialect, columns: Column[]): string {
  return columns.map((c) => c.value[dialect]).join(', ');
}

/** Inserts rows first..first+count-1, `chunk` rows a statement. */
export async function loadRows(
  ctx: ConnectorTestContext,
  table: string,
  columns: Column[],
  count: number,
  options: { first?: number; chunk?: number; label?: string } = {},
): Promise<void> {
  const first = options.first ?? 1;
  const chunk = options.chunk ?? 100_000;
  const values = valuesSql(ctx.dialect, columns);
  for (let from = first; from < first + count; from += chunk) {
    await ctx.insertSeries(table, Math.min(chunk, first + count - from), values, from);
    if (options.label)
      progress(
        options.label,
        `loaded ${from - first + Math.min(chunk, first + count - from)} / ${count} rows`,
      );
  }
}

/**
 * A backlog: `transactions` source transactions, transaction `k` (0-based)
 * running `statements(k)`, where `k` is a SQL variable of the loop the
 * server runs (so a million one-row transactions cost no round trips).
 */
export interface Backlog {
  transactions: number;
  /** Change events the backlog yields (tombstones not counted). */
  events: number;
  /** Deletes among them (a tombstone follows each). */
  deletes: number;
  statements: (dialect: Dialect) => string[];
}

/** The rows `from(k)`..`to(k)` of a series over `g`, as a FROM clause; `maxId` bounds MariaDB's sequence table. */
function series(dialect: Dialect, from: string, to: string, maxId: number): string {
  return dialect === 'postgres'
    ? `generate_series(${from}, ${to}) g`
    : `(SELECT seq AS g FROM seq_1_to_${maxId} WHERE seq BETWEEN ${from} AND ${to}) s`;
}

/** Inserts ids firstId.. in transactions of `txRows` rows. */
export function insertBacklog(
  table: string,
  columns: Column[],
  firstId: number,
  rows: number,
  txRows: number,
): Backlog {
  const transactions = Math.ceil(rows / txRows);
  const last = firstId + rows - 1;
  return {
    transactions,
    events: rows,
    deletes: 0,
    statements: (dialect) => [
      `INSERT INTO ${table} SELECT ${valuesSql(dialect, columns)} FROM ${series(
        dialect,
        `${firstId} + k * ${txRows}`,
        `LEAST(${firstId} + (k + 1) * ${txRows} - 1, ${last})`,
        last,
      )}`,
    ],
  };
}

/** Updates ids 1..rows once each (name and amount), `txRows` a transaction: full before images. */
export function updateBacklog(table: string, rows: number, txRows: number): Backlog {
  return {
    transactions: Math.ceil(rows / txRows),
    events: rows,
    deletes: 0,
    statements: () => [
      `UPDATE ${table} SET amount = amount + 1, name = CONCAT('updated-', id) WHERE id BETWEEN 1 + k * ${txRows} AND LEAST((k + 1) * ${txRows}, ${rows})`,
    ],
  };
}

/** Share of inserts, updates and deletes in each transaction of the mixed backlog. */
export const MIXED_TX = { inserts: 50, updates: 30, deletes: 20 } as const;
const MIXED_TX_ROWS = MIXED_TX.inserts + MIXED_TX.updates + MIXED_TX.deletes;

/** How many rows the mixed backlog of `events` events needs in the table beforehand (ids 1..existing). */
export function mixedExistingRows(events: number): number {
  return Math.floor(events / MIXED_TX_ROWS) * (MIXED_TX.updates + MIXED_TX.deletes);
}

/**
 * Transactions of 100 changes: 50 inserts of new ids, 30 updates and 20
 * deletes of existing ones, every id touched once. With E events and
 * existing rows 1..E/2, the change events' ids are exactly 1..E.
 */
export function mixedBacklog(table: string, columns: Column[], events: number): Backlog {
  const transactions = Math.floor(events / MIXED_TX_ROWS);
  const existing = mixedExistingRows(events);
  const touched = MIXED_TX.updates + MIXED_TX.deletes;
  const last = existing + transactions * MIXED_TX.inserts;
  return {
    transactions,
    events: transactions * MIXED_TX_ROWS,
    deletes: transactions * MIXED_TX.deletes,
    statements: (dialect) => [
      `INSERT INTO ${table} SELECT ${valuesSql(dialect, columns)} FROM ${series(
        dialect,
        `${existing + 1} + k * ${MIXED_TX.inserts}`,
        `${existing} + (k + 1) * ${MIXED_TX.inserts}`,
        last,
      )}`,
      `UPDATE ${table} SET amount = amount + 1, name = CONCAT('updated-', id) WHERE id BETWEEN 1 + k * ${touched} AND k * ${touched} + ${MIXED_TX.updates}`,
      `DELETE FROM ${table} WHERE id BETWEEN k * ${touched} + ${MIXED_TX.updates + 1} AND (k + 1) * ${touched}`,
    ],
  };
}

/** Commits the backlog: a server-side loop, one COMMIT per transaction. */
export async function commitBacklog(ctx: ConnectorTestContext, backlog: Backlog): Promise<void> {
  const body = backlog
    .statements(ctx.dialect)
    .map((s) => `${s};`)
    .join('\n');
  if (ctx.dialect === 'postgres') {
    // A DO block outside a transaction block may COMMIT (Postgres 11+).
    await ctx.sql(`DO $$
BEGIN
  FOR k IN 0..${backlog.transactions - 1} LOOP
    ${body}
    COMMIT;
  END LOOP;
END $$`);
    return;
  }
  const procedure = `bench_backlog_${Date.now().toString(36)}`;
  await ctx.sql(`CREATE PROCEDURE ${procedure}()
BEGIN
  DECLARE k BIGINT DEFAULT 0;
  WHILE k < ${backlog.transactions} DO
    START TRANSACTION;
    ${body}
    COMMIT;
    SET k = k + 1;
  END WHILE;
END`);
  try {
    await ctx.sql(`CALL ${procedure}()`);
  } finally {
    await ctx.sql(`DROP PROCEDURE ${procedure}`);
  }
}

/** `count` tables small_0001.., `rows` narrow rows each; returns their names. */
export async function createSmallTables(
  ctx: ConnectorTestContext,
  count: number,
  rows: number,
): Promise<string[]> {
  const tables = Array.from({ length: count }, (_, i) => `small_${String(i + 1).padStart(4, '0')}`);
  for (const [i, table] of tables.entries()) {
    await ctx.sql(createTableSql(ctx.dialect, table, NARROW));
    await ctx.insertSeries(table, rows, valuesSql(ctx.dialect, NARROW));
    progress('small tables', `created ${i + 1} / ${count}`);
  }
  return tables;
}
