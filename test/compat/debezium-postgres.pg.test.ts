/**
 * Debezium compatibility on PostgreSQL, proven with Debezium's own consumer
 * and connector: Debezium's JDBC sink mirrors Tributary's topics of a table of
 * every common type exactly, creating the same column types as from Debezium's
 * own Postgres connector's topics for the same table; and our registered
 * schemas differ from that connector's only as README.md documents.
 */
import pg from 'pg';
import { POSTGRES_ALLOWED } from './allowed-differences.ts';
import {
  commonChangesSql,
  createTableSql,
  insertRowsSql,
  renderedSelect,
  type MirrorColumn,
  type Rows,
} from './mirror.ts';
import { compatScenario, sinkConnection } from './scenario.ts';
import { debeziumServer } from '../harness/connect-worker.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { stackEnv } from '../harness/stack.ts';

const env = stackEnv();

/** The mirrored table's columns (`id integer PRIMARY KEY` comes first); rows 1-4 hold values, row 5 NULLs. */
const COLUMNS: readonly MirrorColumn[] = [
  { name: 'i2', type: 'smallint NOT NULL', values: ['1', '-32768', '32767', '0', '5'] },
  { name: 'i4', type: 'integer', values: ['2', '-2147483648', '2147483647', '0'] },
  {
    name: 'i8',
    type: 'bigint',
    values: ['3', '-9223372036854775808', '9223372036854775807', '9007199254740993'],
  },
  { name: 'r4', type: 'real', values: ['1.5', '-3.4028235e38', "'NaN'", '1.17549435e-38'] },
  {
    name: 'f8',
    type: 'double precision',
    values: ['2.25', '-1.7976931348623157e308', "'Infinity'", '5e-324'],
  },
  { name: 'dec', type: 'numeric(12,3)', values: ['123.456', '-999999999.999', '0.001', '0'] },
  { name: 'dec_nn', type: 'numeric(10,2) NOT NULL', values: ['1.50', '-99999999.99', '0', '1', '2'] },
  {
    name: 'money_',
    type: 'money',
    values: ['12.34', '-92233720368547758.08', '0'],
    render: '{}::numeric::text',
  },
  { name: 'b', type: 'boolean', values: ['true', 'false', 'true'] },
  // A char(n) mirrors into text, padded; rtrim compares the characters.
  { name: 'ch', type: 'char(5)', values: ["'ab'", "'abcde'", "''"], render: 'rtrim({}::text)' },
  { name: 'vc', type: 'varchar(20)', values: ["'hello'", "'😀 émoji'", "''", "'x''y'"] },
  {
    name: 'txt',
    type: "text NOT NULL DEFAULT 'x'",
    values: ["'text'", "repeat('long ', 2000)", "E'line\\nbreak\\ttab'", "''", "'5'"],
  },
  { name: 'by', type: 'bytea', values: ["'\\x0102'", "'\\x'", "'\\xff00ff'"] },
  { name: 'd', type: 'date', values: ["'2024-02-29'", "'0001-01-01'", "'9999-12-31'", "'1969-12-31'"] },
  {
    name: 'd_nn',
    type: 'date NOT NULL',
    values: ["'1970-01-01'", "'2000-02-29'", "'2038-01-19'", "'1900-03-01'", "'2020-01-01'"],
  },
  { name: 't', type: 'time', values: ["'12:34:56.123456'", "'00:00:00'", "'23:59:59.999999'"] },
  { name: 't3', type: 'time(3)', values: ["'01:02:03.123'", "'23:59:59.999'"] },
  // Debezium's ZonedTime is in UTC: compare the instants.
  {
    name: 'ttz',
    type: 'timetz',
    values: ["'04:05:06+02'", "'23:00:00-05'"],
    render: "({} AT TIME ZONE 'UTC')::text",
  },
  {
    name: 'ts',
    type: 'timestamp',
    values: [
      "'2024-02-29 12:34:56.123456'",
      "'1900-01-01 00:00:00'",
      "'9999-12-31 23:59:59.999999'",
      "'1969-12-31 23:59:59.999999'",
    ],
  },
  { name: 'ts3', type: 'timestamp(3)', values: ["'2024-02-29 12:34:56.123'", "'1970-01-01 00:00:00.001'"] },
  {
    name: 'tstz',
    type: 'timestamptz',
    values: [
      "'2024-02-29 12:34:56.123456+00'",
      "'1900-01-01 00:00:00+05:30'",
      "'9999-12-31 23:59:59.999999+00'",
    ],
    render: "({} AT TIME ZONE 'UTC')::text",
  },
  {
    name: 'tstz_nn',
    type: 'timestamptz NOT NULL',
    values: [
      "'2000-01-01 00:00:00+00'",
      "'1970-01-01 00:00:00+00'",
      "'2038-01-19 03:14:08+00'",
      "'1969-12-31 23:59:59.999999+00'",
      "'2020-06-01 12:00:00-07'",
    ],
    render: "({} AT TIME ZONE 'UTC')::text",
  },
  {
    name: 'u',
    type: 'uuid',
    values: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'"],
  },
  { name: 'js', type: 'json', values: [`'{"a": [1, 2.5, null]}'`, "'[]'", `'"😀"'`] },
  { name: 'jsb', type: 'jsonb', values: [`'{"b": 2, "a": "😀"}'`, "'{}'"] },
  { name: 'x', type: 'xml', values: ["'<a>1</a>'"] },
  // Mirrored as text: read back through the source type.
  { name: 'ip', type: 'inet', values: ["'192.168.0.1/24'", "'::1'"], render: '{}::inet::text' },
  { name: 'net', type: 'cidr', values: ["'10.0.0.0/8'"], render: '{}::cidr::text' },
  { name: 'mac', type: 'macaddr', values: ["'08:00:2b:01:02:03'"], render: '{}::macaddr::text' },
  { name: 'bt', type: 'bit(8)', values: ["B'10101010'", "B'00000000'"] },
  { name: 'm', type: 'mood', values: ["'ok'", "'happy'"] },
  { name: 'ia', type: 'integer[]', values: ["'{1,2,NULL}'", "'{}'"] },
  { name: 'ta', type: 'text[]', values: [`'{a,"b c",NULL}'`] },
  { name: 'ir', type: 'int4range', values: ["'[1,10)'", "'empty'"] },
];

const ROWS = 5;
const quote = (name: string) => `"${name}"`;

/**
 * Every common type, for the schema comparison only: the mirror's types and
 * those the sink cannot mirror exactly even from Debezium's topics
 * (unconstrained numeric becomes double precision, intervals are folded into
 * 30-day months, varbit loses its length, points need PostGIS in the sink).
 */
const ALL_TYPES = [
  ...COLUMNS,
  { name: 'num', type: 'numeric', values: ['3.14159'] },
  { name: 'iv', type: 'interval', values: ["'1 year 2 mons 3 days 04:05:06.5'"] },
  { name: 'vbt', type: 'bit varying(16)', values: ["B'101'"] },
  { name: 'pt', type: 'point', values: ["'(1.5,2)'"] },
  { name: 'u_nn', type: 'uuid NOT NULL', values: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'"] },
  { name: 'ts_nn', type: 'timestamp NOT NULL', values: ["'1970-01-01'"] },
];

const mirrors = new WeakMap<PgTestContext, { name: string; client: pg.Client }>();

const COLUMNS_WITH_ID: readonly MirrorColumn[] = [{ name: 'id', type: 'integer', values: [] }, ...COLUMNS];

async function rowsOf(client: pg.Client, table: string): Promise<Rows> {
  return (await client.query(renderedSelect(COLUMNS_WITH_ID, table, quote, '{}::text'))).rows as Rows;
}

compatScenario<PgTestContext>({
  columns: COLUMNS,
  allowed: POSTGRES_ALLOWED,
  dialect: {
    open: () => PgTestContext.open(),
    async openMirror(ctx) {
      const name = `${ctx.name}_m`;
      await ctx.sql(`CREATE DATABASE ${name}`);
      const url = new URL(env.pgUrl);
      url.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      mirrors.set(ctx, { name, client });
      return sinkConnection(env.pgUrl, 'postgresql', name);
    },
    async dropMirror(ctx) {
      const mirror = mirrors.get(ctx);
      if (!mirror) return;
      await mirror.client.end().catch(() => {});
      await ctx.sql(`DROP DATABASE IF EXISTS ${mirror.name} WITH (FORCE)`);
    },
    debeziumSource: (ctx, prefix) => ({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'plugin.name': 'pgoutput',
      ...debeziumServer(env.pgUrl),
      'database.dbname': ctx.name,
      'topic.prefix': prefix,
      'slot.name': prefix,
      'publication.name': prefix,
      'publication.autocreate.mode': 'filtered',
      // In Tributary's snapshot order, so both mark the same first and last rows.
      'table.include.list': 'public.all_types,public.types',
    }),
    sourceRows: (ctx, table) => rowsOf(ctx.db, table),
    mirrorRows: (ctx, table) => rowsOf(mirrors.get(ctx)!.client, table),
    async mirrorColumnTypes(ctx, table) {
      const { rows } = await mirrors.get(ctx)!.client.query(
        `SELECT column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale,
                datetime_precision, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
          ORDER BY ordinal_position`,
        [table],
      );
      return rows as Array<Record<string, unknown>>;
    },
    setupSql: [
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
      createTableSql('types', COLUMNS, quote),
      // Set before either connector starts, so both see full before images from the start.
      'ALTER TABLE types REPLICA IDENTITY FULL',
      insertRowsSql('types', COLUMNS, ROWS, quote),
      createTableSql('all_types', ALL_TYPES, quote),
      'ALTER TABLE all_types REPLICA IDENTITY FULL',
      insertRowsSql('all_types', ALL_TYPES, 1, quote),
    ],
    changesSql: [
      ...commonChangesSql(COLUMNS, quote),
      "UPDATE types SET i4 = i4 + 1, vc = 'updated', ts = '2000-01-01 00:00:00', d = NULL, jsb = '[1]' WHERE id = 1",
      'UPDATE types SET i4 = 7, ch = NULL WHERE id = 5',
      "BEGIN; UPDATE types SET i8 = 1 WHERE id = 11; UPDATE types SET i8 = 2, txt = 'twice' WHERE id = 11; COMMIT",
    ],
  },
});
