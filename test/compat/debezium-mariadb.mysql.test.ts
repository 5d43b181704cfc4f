/**
 * Debezium compatibility on MariaDB, proven with Debezium's own consumer and
 * connector: Debezium's JDBC sink mirrors Tributary's topics of a table of
 * every common type exactly, creating the same column types as from Debezium's
 * own MariaDB connector's topics for the same table; and our registered
 * schemas differ from that connector's only as README.md documents.
 */
import { MYSQL_ALLOWED } from './allowed-differences.ts';
import {
  commonChangesSql,
  createTableSql,
  insertRowsSql,
  renderedSelect,
  type MirrorColumn,
  type Rows,
} from './mirror.ts';
import { compatScenario, sinkConnection } from './scenario.ts';
import { debeziumMariaDb } from '../harness/connect-worker.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';
import { stackEnv } from '../harness/stack.ts';

const env = stackEnv();

const TIMESTAMP = "DATE_FORMAT({}, '%Y-%m-%d %H:%i:%s.%f')";
const TIME = "TIME_FORMAT({}, '%H:%i:%s.%f')";
const BITS = 'BIN({} + 0)';

/**
 * The mirrored table's columns (`id int PRIMARY KEY` comes first); rows 1-4
 * hold values, row 5 NULLs. Temporal values stay inside what the sink's
 * columns hold even from Debezium's topics: it mirrors DATETIME into
 * TIMESTAMP(6) (1970-2038) and reads TIME as a time of day (no negative or
 * 24h+ values). NOT NULL temporal columns are in the schema comparison only:
 * ours stay optional (zero dates are null).
 */
const COLUMNS: readonly MirrorColumn[] = [
  { name: 'ti', type: 'tinyint', values: ['1', '-128', '127', '0'] },
  { name: 'si', type: 'smallint NOT NULL', values: ['2', '-32768', '32767', '0', '5'] },
  { name: 'mi', type: 'mediumint', values: ['3', '-8388608', '8388607'] },
  { name: 'i', type: 'int', values: ['4', '-2147483648', '2147483647'] },
  { name: 'bi', type: 'bigint', values: ['5', '-9223372036854775808', '9223372036854775807'] },
  { name: 'tiu', type: 'tinyint unsigned', values: ['255', '0'] },
  { name: 'siu', type: 'smallint unsigned', values: ['65535', '0'] },
  { name: 'miu', type: 'mediumint unsigned', values: ['16777215'] },
  { name: 'iu', type: 'int unsigned', values: ['4294967295', '0'] },
  {
    name: 'biu',
    type: 'bigint unsigned',
    values: ['18446744073709551615', '0', '9223372036854775808'],
    debeziumLossy: 'Debezium sends a long: 18446744073709551615 arrives as -1',
  },
  { name: 'dec_', type: 'decimal(12,3)', values: ['123.456', '-999999999.999', '0.001'] },
  { name: 'dec_nn', type: 'decimal(10,2) NOT NULL', values: ['1.50', '-99999999.99', '0', '1', '2'] },
  { name: 'decu', type: 'decimal(8,2) unsigned', values: ['2.50', '999999.99'] },
  {
    name: 'fl',
    type: 'float',
    values: ['1.5', '-3.25e38', '0.25'],
    render: 'CAST(CAST({} AS DOUBLE) AS CHAR)',
  },
  {
    name: 'fl7',
    type: 'float',
    values: ['1.2345678', '16777216'],
    render: 'CAST(CAST({} AS DOUBLE) AS CHAR)',
    debeziumLossy: 'Debezium keeps the 6 digits the server prints: 1.2345678 arrives as 1.23457',
  },
  { name: 'db', type: 'double', values: ['2.25', '-1.7976931348623157e308', '5e-324'] },
  { name: 'b1', type: 'bit(1)', values: ["b'1'", "b'0'"], render: 'CAST({} + 0 AS CHAR)' },
  { name: 'b10', type: 'bit(10)', values: ["b'1000000001'", "b'0'"], render: BITS },
  { name: 'b64', type: 'bit(64)', values: ["b'1'", `b'${'1'.repeat(64)}'`], render: BITS },
  { name: 'ch', type: 'char(5)', values: ["'ab'", "''", "'abcde'"] },
  { name: 'vc', type: 'varchar(20)', values: ["'hello'", "'😀 émoji'", "''", "'x''y'"] },
  { name: 'tt', type: 'tinytext', values: ["'tiny'"] },
  { name: 'txt', type: 'text', values: ["'text'", "REPEAT('long ', 2000)"] },
  { name: 'lt', type: 'longtext', values: ["'long'"] },
  { name: 'bin', type: 'binary(4)', values: ["'abcd'", "x'00000000'"], render: 'HEX({})' },
  { name: 'vbin', type: 'varbinary(10)', values: ["'xy'", "x''"], render: 'HEX({})' },
  { name: 'bl', type: 'blob', values: ["'blob'", "x'00ff'"], render: 'HEX({})' },
  { name: 'd', type: 'date', values: ["'2024-02-29'", "'1000-01-01'", "'9999-12-31'", "'1969-12-31'"] },
  {
    name: 'dt',
    type: 'datetime',
    values: ["'2024-02-29 12:34:56'", "'1970-01-02 00:00:00'", "'2038-01-18 00:00:00'"],
    render: TIMESTAMP,
  },
  { name: 'dt3', type: 'datetime(3)', values: ["'2024-02-29 12:34:56.123'"], render: TIMESTAMP },
  {
    name: 'dt6',
    type: 'datetime(6)',
    values: ["'2024-02-29 12:34:56.123456'", "'1999-12-31 23:59:59.999999'"],
    render: TIMESTAMP,
  },
  {
    name: 'ts',
    type: 'timestamp NULL',
    values: ["'2024-02-29 12:34:56'", "'1970-01-01 00:00:01'", "'2038-01-19 03:14:07'"],
    render: TIMESTAMP,
  },
  { name: 'ts6', type: 'timestamp(6) NULL', values: ["'2024-02-29 12:34:56.123456'"], render: TIMESTAMP },
  { name: 't', type: 'time', values: ["'12:34:56'", "'00:00:00'", "'23:59:59'"], render: TIME },
  { name: 't6', type: 'time(6)', values: ["'12:34:56.123456'", "'00:00:00.000001'"], render: TIME },
  { name: 'y', type: 'year', values: ['2024', '1901', '2155'] },
  { name: 'e', type: "enum('a','b','c')", values: ["'b'", "'a'"] },
  { name: 's', type: "set('x','y','z')", values: ["'x,z'", "''", "'y'"] },
  { name: 'js', type: 'json', values: [`'{"a": 1}'`, "'[]'"] },
  {
    name: 'g',
    type: 'geometry',
    values: ["ST_GeomFromText('POINT(1 2)')", "ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326)"],
    render: "CONCAT(ST_SRID({}), ':', ST_AsText({}))",
  },
  {
    name: 'p',
    type: 'point',
    values: ["ST_GeomFromText('POINT(3 4)', 4326)"],
    render: "CONCAT(ST_SRID({}), ':', ST_AsText({}))",
  },
];

const ROWS = 5;
const quote = (name: string) => `\`${name}\``;

/**
 * Every common type, for the schema comparison only: the mirror's and those
 * the sink cannot mirror even from Debezium's topics (a negative TIME, read as
 * a time of day; a NOT NULL TIMESTAMP whose default it spells
 * '1970-01-01T00:00:00', which MariaDB refuses).
 */
const ALL_TYPES: readonly MirrorColumn[] = [
  ...COLUMNS,
  { name: 'ti1', type: 'tinyint(1)', values: ['1'] },
  { name: 'bo', type: 'boolean', values: ['true'] },
  { name: 'vc_nn', type: "varchar(20) NOT NULL DEFAULT 'x'", values: ["'v'"] },
  { name: 'd_nn', type: 'date NOT NULL', values: ["'1970-01-01'"] },
  { name: 'dt_nn', type: 'datetime NOT NULL', values: ["'2000-01-01 00:00:00'"] },
  { name: 'ts_nn', type: 'timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP', values: ["'2000-01-01 00:00:00'"] },
  { name: 't_neg', type: 'time(6)', values: ["'-12:34:56.123456'"] },
  { name: 't_nn', type: 'time NOT NULL', values: ["'01:00:00'"] },
  { name: 'y_nn', type: 'year NOT NULL', values: ['2000'] },
  { name: 'e_nn', type: "enum('x','y') NOT NULL", values: ["'y'"] },
];

const mirrors = new WeakMap<MysqlTestContext, string>();
const COLUMNS_WITH_ID: readonly MirrorColumn[] = [{ name: 'id', type: 'int', values: [] }, ...COLUMNS];

/** Rows of a table in any database of the server, through the test's own session. */
async function rowsOf(ctx: MysqlTestContext, table: string): Promise<Rows> {
  return ctx.sql(renderedSelect(COLUMNS_WITH_ID, table, quote, 'CAST({} AS CHAR)'));
}

compatScenario<MysqlTestContext>({
  columns: COLUMNS,
  allowed: MYSQL_ALLOWED,
  dialect: {
    open: () => MysqlTestContext.open(),
    async openMirror(ctx) {
      const name = `${ctx.name}_m`;
      await ctx.sql(`CREATE DATABASE ${name}`);
      mirrors.set(ctx, name);
      return sinkConnection(env.mysqlUrl, 'mariadb', name);
    },
    async dropMirror(ctx) {
      const name = mirrors.get(ctx);
      if (name) await ctx.sql(`DROP DATABASE IF EXISTS ${name}`);
    },
    debeziumSource: (ctx, prefix, workDir) => ({
      ...debeziumMariaDb(env.mysqlUrl, ctx.name, workDir),
      'topic.prefix': prefix,
      // In Tributary's snapshot order, so both mark the same first and last rows.
      'table.include.list': `${ctx.name}.all_types,${ctx.name}.types`,
      // Other tests' invalid dates (ALLOW_INVALID_DATES) in the shared binlog would otherwise stop it.
      'event.processing.failure.handling.mode': 'warn',
    }),
    sourceRows: (ctx, table) => rowsOf(ctx, `${ctx.name}.${table}`),
    mirrorRows: (ctx, table) => rowsOf(ctx, `${mirrors.get(ctx)!}.${table}`),
    async mirrorColumnTypes(ctx, table) {
      return ctx.sql(
        `SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable,
                COLUMN_DEFAULT AS column_default, CHARACTER_SET_NAME AS character_set
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = $1 AND TABLE_NAME = $2
          ORDER BY ORDINAL_POSITION`,
        [mirrors.get(ctx)!, table],
      );
    },
    setupSql: [
      createTableSql('types', COLUMNS, quote),
      insertRowsSql('types', COLUMNS, ROWS, quote),
      createTableSql('all_types', ALL_TYPES, quote),
      insertRowsSql('all_types', ALL_TYPES, 1, quote),
    ],
    changesSql: [
      ...commonChangesSql(COLUMNS, quote),
      "UPDATE types SET i = i + 1, vc = 'updated', dt = '2000-01-01 00:00:00', d = NULL, s = 'y,z' WHERE id = 1",
      "UPDATE types SET i = 7, ch = 'z' WHERE id = 5",
      'START TRANSACTION',
      'UPDATE types SET bi = 1 WHERE id = 11',
      "UPDATE types SET bi = 2, txt = 'twice' WHERE id = 11",
      'COMMIT',
    ],
  },
});
