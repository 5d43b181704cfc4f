/**
 * Every type against the real server (MariaDB of the local stack): rows of edge
 * values are written once, then read back twice, from the binlog through zongji
 * and by a snapshot-style mysql2 query, and both canonical values must equal
 * each other and what the database itself computes for the stored value
 * (DATEDIFF, TIMESTAMPDIFF, UNIX_TIMESTAMP, TIME_TO_SEC, HEX, CAST ... AS CHAR).
 * The table's description from its TABLE_MAP event and from information_schema
 * must agree too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ZongJi, { type AnyBinlogEvent, type TableMapEvent, type WriteRowsEvent } from '@vlasky/zongji';
import mysql from 'mysql2/promise';
import { stackEnv, uniqueName } from '../../test/harness/stack.ts';
import type { MysqlColumn } from './column.ts';
import {
  columnsFromInformationSchema,
  columnsFromTableMap,
  INFORMATION_SCHEMA_COLUMNS_SQL,
} from './columns.ts';
import {
  BINLOG_CONNECTION_OPTIONS,
  columnTypeFor,
  SNAPSHOT_CONNECTION_OPTIONS,
  SNAPSHOT_SESSION_SQL,
  snapshotSelectList,
  valueParsers,
} from './types.ts';

/** How the database states a column's stored value, and how a canonical value must relate to it. */
interface Oracle {
  sql: (c: string) => string;
  /** The canonical value the database's statement `check` (never SQL NULL unless the value is null) implies. */
  expect: (check: string | null) => unknown;
}

const hex: Oracle = { sql: (c) => `HEX(${c})`, expect: (h) => (h === null ? null : Buffer.from(h, 'hex')) };
const utf8: Oracle = {
  sql: (c) => `HEX(CONVERT(${c} USING utf8mb4))`,
  expect: (h) => (h === null ? null : Buffer.from(h, 'hex').toString('utf8')),
};
const asNumber: Oracle = { sql: (c) => `CAST(${c} AS CHAR)`, expect: (t) => (t === null ? null : Number(t)) };
const asBigInt: Oracle = { sql: (c) => `CAST(${c} AS CHAR)`, expect: (t) => (t === null ? null : BigInt(t)) };
/** A DOUBLE's exact text: DOUBLE(m,d) prints only d decimals, its CAST to DOUBLE all digits. */
const exactDouble: Oracle = {
  sql: (c) => `CAST(CAST(${c} AS DOUBLE) AS CHAR)`,
  expect: (t) => (t === null ? null : Number(t)),
};
const asText: Oracle = { sql: (c) => `CAST(${c} AS CHAR)`, expect: (t) => t };
const float32: Oracle = {
  sql: (c) => `CAST(CAST(${c} AS DOUBLE) AS CHAR)`,
  expect: (t) => (t === null ? null : Math.fround(Number(t))),
};
const bits = (n: number): Oracle => ({
  sql: (c) => `BIN(${c})`,
  expect: (b) => (b === null ? null : n === 1 ? b === '1' : b.padStart(n, '0')),
});
/**
 * Zero dates (`0000-00-00`, `2024-00-15`) and days the month lacks (`2023-02-29`,
 * under ALLOW_INVALID_DATES) are sent as null: the server's own date arithmetic
 * gives NULL for the first and silently moves the second to the next month.
 */
const unlessInvalid = (c: string, sql: string) => `IF(DAY(${c}) > DAY(LAST_DAY(${c})), NULL, ${sql})`;
/** Days since the epoch. */
const days: Oracle = {
  sql: (c) => unlessInvalid(c, `DATEDIFF(${c}, '1970-01-01')`),
  expect: (t) => (t === null ? null : Number(t)),
};
const wallMicros: Oracle = {
  sql: (c) => unlessInvalid(c, `TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${c})`),
  expect: (t) => (t === null ? null : BigInt(t)),
};
/** UNIX_TIMESTAMP is 0 for the zero timestamp, which is sent as null. */
const utcMicros: Oracle = {
  sql: (c) => `UNIX_TIMESTAMP(${c})`,
  expect: (t) => (t === null || /^0(\.0*)?$/.test(t) ? null : decimalMicros(t)),
};
const timeMicros: Oracle = {
  sql: (c) => `TIME_TO_SEC(${c})`,
  expect: (t) => (t === null ? null : decimalMicros(t)),
};

/** Exact microseconds of a decimal seconds text such as `-3020399.999999`. */
function decimalMicros(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const micros = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -micros : micros;
}

interface Column {
  name: string;
  definition: string;
  oracle: Oracle;
  /**
   * SQL literals, one per row (row 4 is the all-NULL row: NULL, or the NOT NULL
   * default). A missing entry leaves the column to its default.
   */
  values: string[];
}

const N = 'NULL';
// The geometry columns come first: MariaDB lists them among the character
// columns of the charset metadata, which shifted zongji's charsets.
const COLUMNS: Column[] = [
  {
    name: 'g',
    definition: 'geometry',
    oracle: hex,
    values: [
      "ST_GeomFromText('POINT(1 2)')",
      "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326)",
      "ST_GeomFromText('MULTIPOINT(1 1,2 2)')",
      N,
      "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))', 3857)",
    ],
  },
  {
    name: 'lc',
    definition: 'varchar(20) CHARACTER SET latin1',
    oracle: utf8,
    values: ["''", "'é€ÿ Ž'", "'café'", N, "'x'"],
  },
  {
    name: 'pt',
    definition: 'point',
    oracle: hex,
    values: ["ST_GeomFromText('POINT(1.5 -2)', 4326)", "ST_GeomFromText('POINT(0 0)')", N, N, N],
  },
  { name: 'ti', definition: 'tinyint', oracle: asNumber, values: ['-128', '127', '0', N, '-1'] },
  { name: 'tiu', definition: 'tinyint unsigned', oracle: asNumber, values: ['0', '255', '0', N, '1'] },
  {
    name: 't1',
    definition: 'tinyint(1) NOT NULL DEFAULT 0',
    oracle: asNumber,
    values: ['-128', '127', '1', '0', '2'],
  },
  { name: 'si', definition: 'smallint', oracle: asNumber, values: ['-32768', '32767', '0', N, '-2'] },
  { name: 'siu', definition: 'smallint unsigned', oracle: asNumber, values: ['0', '65535', '0', N, '2'] },
  { name: 'mi', definition: 'mediumint', oracle: asNumber, values: ['-8388608', '8388607', '0', N, '-3'] },
  { name: 'miu', definition: 'mediumint unsigned', oracle: asNumber, values: ['0', '16777215', '0', N, '3'] },
  { name: 'i', definition: 'int', oracle: asNumber, values: ['-2147483648', '2147483647', '0', N, '-4'] },
  {
    name: 'iu',
    definition: 'int(10) unsigned zerofill',
    oracle: asBigInt,
    values: ['0', '4294967295', '0', N, '4'],
  },
  {
    name: 'bi',
    definition: 'bigint',
    oracle: asBigInt,
    values: ['-9223372036854775808', '9223372036854775807', '0', N, '9007199254740993'],
  },
  {
    name: 'biu',
    definition: 'bigint unsigned',
    oracle: asText,
    values: ['0', '18446744073709551615', '9007199254740991', N, '9007199254740993'],
  },
  {
    name: 'd1',
    definition: 'decimal(65,30)',
    oracle: asText,
    values: [
      `-${'9'.repeat(35)}.${'9'.repeat(30)}`,
      `${'9'.repeat(35)}.${'9'.repeat(30)}`,
      '0',
      N,
      `0.${'0'.repeat(29)}1`,
    ],
  },
  {
    name: 'd2',
    definition: 'decimal(10,0)',
    oracle: asText,
    values: ['-9999999999', '9999999999', '0', N, '-1'],
  },
  {
    name: 'd3',
    definition: 'decimal(5,2) unsigned',
    oracle: asText,
    values: ['0', '999.99', '0.01', N, '1.5'],
  },
  {
    name: 'd4',
    definition: 'decimal(30,30)',
    oracle: asText,
    values: [`-0.${'9'.repeat(30)}`, '0.5', '0', N, N],
  },
  {
    name: 'f',
    definition: 'float',
    oracle: float32,
    values: ['-3.4028234663852886e38', '3.4028234663852886e38', '0', N, '1.2345678'],
  },
  {
    name: 'f2',
    definition: 'float(7,3)',
    oracle: float32,
    values: ['-9999.999', '1234.567', '0', N, '1.401298464324817e-45'],
  },
  {
    name: 'db',
    definition: 'double',
    oracle: asNumber,
    // mysql2's own text-protocol float parser read 958721.3352067961 as 958721.335206796.
    values: ['-1.7976931348623157e308', '1.7976931348623157e308', '5e-324', N, '0.1e0', '958721.3352067961'],
  },
  {
    // The server stores -0.35803 as -0.35802999999999996 and prints DOUBLE(m,d) with d decimals.
    name: 'db2',
    definition: 'double(30,8)',
    oracle: exactDouble,
    values: ['-0.35803', '2.71817', '0', N, '-0.071', '99999999999999999999.99999999'],
  },
  { name: 'b1', definition: 'bit(1)', oracle: bits(1), values: ["b'0'", "b'1'", "b'1'", N, "b'0'"] },
  {
    name: 'b10',
    definition: 'bit(10)',
    oracle: bits(10),
    values: ["b'0000000000'", "b'1111111111'", "b'1000000001'", N, "b'0000000001'"],
  },
  {
    name: 'b64',
    definition: 'bit(64)',
    oracle: bits(64),
    values: ["b'0'", '0xFFFFFFFFFFFFFFFF', "b'1'", N, `b'1${'0'.repeat(63)}'`],
  },
  { name: 'c', definition: 'char(5)', oracle: utf8, values: ["''", "'ab  '", "' a'", N, "'😀😀😀😀😀'"] },
  {
    name: 'vc',
    definition: "varchar(300) NOT NULL DEFAULT ''",
    oracle: utf8,
    values: ["''", "'héllo 😀 \\0 tab\\t'", "'𝄞 ǅ ß'", "''", `'${'😀'.repeat(300)}'`],
  },
  {
    name: 'u3',
    definition: 'varchar(10) CHARACTER SET utf8mb3',
    oracle: utf8,
    values: ["''", "'ñandú'", "'€'", N, "'x'"],
  },
  {
    name: 'tt',
    definition: 'tinytext',
    oracle: utf8,
    values: ["''", `'${'é'.repeat(127)}'`, "'x'", N, "'y'"],
  },
  { name: 'tx', definition: 'text', oracle: utf8, values: ["''", `REPEAT('ab😀', 1000)`, "'x'", N, "'y'"] },
  {
    name: 'mt',
    definition: 'mediumtext',
    oracle: utf8,
    values: ["''", `REPEAT('é', 70000)`, "'x'", N, "'y'"],
  },
  {
    name: 'lt',
    definition: 'longtext CHARACTER SET latin1',
    oracle: utf8,
    values: ["''", "'Grüße €'", "'x'", N, "'y'"],
  },
  {
    name: 'bn',
    definition: 'binary(4)',
    oracle: hex,
    values: ["x'00000000'", "x'ffffffff'", "x'01'", N, "x'0100'"],
  },
  {
    name: 'vb',
    definition: 'varbinary(16)',
    oracle: hex,
    values: ["x''", "x'00ff00'", "x'00'", N, "x'deadbeef'"],
  },
  {
    name: 'tb',
    definition: 'tinyblob',
    oracle: hex,
    values: ["x''", `REPEAT(x'ff', 255)`, "x'00'", N, "x'01'"],
  },
  {
    name: 'bl',
    definition: 'blob',
    oracle: hex,
    values: ["x''", `REPEAT(x'00ff', 30000)`, "x'00'", N, "x'01'"],
  },
  {
    name: 'mb',
    definition: 'mediumblob',
    oracle: hex,
    values: ["x''", `REPEAT(x'c0ffee', 100000)`, "x'00'", N, N],
  },
  { name: 'lb', definition: 'longblob', oracle: hex, values: ["x''", `REPEAT(x'ab', 70000)`, "x'00'", N, N] },
  {
    name: 'e',
    definition: "enum('a','b''c','é','d\\\\e') CHARACTER SET latin1",
    oracle: utf8,
    // Row 3 stores an invalid value: the empty-string error value (index 0), non-strict mode.
    values: ["'a'", "'b''c'", "'nope'", N, "'d\\\\e'"],
  },
  {
    name: 's',
    definition: "set('x','y','z','w')",
    oracle: utf8,
    values: ["''", "'x,y,z,w'", "'w,x'", N, "'y'"],
  },
  {
    name: 'dt',
    definition: 'date',
    oracle: days,
    values: ["'1000-01-01'", "'9999-12-31'", "'0000-00-00'", N, "'1969-12-31'", "'2023-02-29'"],
  },
  {
    name: 'dtn',
    definition: "date NOT NULL DEFAULT '2000-01-01'",
    oracle: days,
    values: ["'0001-01-01'", "'2024-02-29'", "'2024-00-15'", "'2000-01-01'", "'1582-10-10'"],
  },
  {
    name: 'dtm',
    definition: 'datetime',
    oracle: wallMicros,
    values: [
      "'1000-01-01 00:00:00'",
      "'9999-12-31 23:59:59'",
      "'0000-00-00 00:00:00'",
      N,
      "'1969-12-31 23:59:59'",
      "'2023-04-31 12:00:00'",
    ],
  },
  {
    name: 'dtm3',
    definition: 'datetime(3)',
    oracle: wallMicros,
    values: [
      "'1970-01-01 00:00:00.001'",
      "'9999-12-31 23:59:59.999'",
      "'2024-00-15 10:00:00.000'",
      N,
      "'2024-02-29 12:34:56.789'",
    ],
  },
  {
    name: 'dtm6',
    definition: 'datetime(6)',
    oracle: wallMicros,
    values: [
      "'0001-01-01 00:00:00.000001'",
      "'9999-12-31 23:59:59.999999'",
      "'2024-02-30 00:00:00'",
      N,
      "'1582-10-10 00:00:00.5'",
    ],
  },
  {
    name: 'ts',
    definition: 'timestamp NULL',
    oracle: utcMicros,
    values: [
      "'1970-01-01 00:00:01'",
      "'2038-01-19 03:14:07'",
      "'0000-00-00 00:00:00'",
      N,
      "'2024-03-31 01:30:00'",
    ],
  },
  {
    name: 'ts6',
    definition: 'timestamp(6) NULL',
    oracle: utcMicros,
    values: [
      "'1970-01-01 00:00:01.000001'",
      "'2038-01-19 03:14:07.999999'",
      "'0000-00-00 00:00:00'",
      N,
      "'2000-02-29 23:59:59.5'",
    ],
  },
  {
    name: 'tm',
    definition: 'time',
    oracle: timeMicros,
    values: ["'-838:59:59'", "'838:59:59'", "'-01:00:00'", N, "'-24:00:00'", "'-00:00:01'"],
  },
  {
    name: 'tm1',
    definition: 'time(1)',
    oracle: timeMicros,
    values: ["'-00:00:00.5'", "'838:59:59.9'", "'-00:05:00'", N, "'24:00:00.1'", "'-10:00:00.0'"],
  },
  {
    name: 'tm3',
    definition: 'time(3)',
    oracle: timeMicros,
    values: ["'-01:00:00.000'", "'-00:00:00.001'", "'-100:00:00'", N, "'-12:34:56.789'"],
  },
  {
    name: 'tm6',
    definition: 'time(6)',
    oracle: timeMicros,
    values: ["'-838:59:59.999999'", "'838:59:59.999999'", "'-00:00:00.000001'", N, "'-00:01:00'"],
  },
  {
    name: 'y',
    definition: 'year',
    oracle: { sql: (c) => `${c} + 0`, expect: asNumber.expect },
    values: ['1901', '2155', '0', N, '2024'],
  },
  {
    name: 'j',
    definition: 'json',
    oracle: utf8,
    values: ["'{}'", `'{"b": 1, "10": [1e300, 1.5, "é😀", null, true]}'`, "'[]'", N, `'"x"'`],
  },
  {
    name: 'ls',
    definition: 'linestring',
    oracle: hex,
    values: ["ST_GeomFromText('LINESTRING(0 0,1 1,2 -2.5)')", N, N, N, N],
  },
  {
    name: 'gc',
    definition: 'geometrycollection',
    oracle: hex,
    values: ["ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))')", N, N, N, N],
  },
  {
    name: 'uu',
    definition: 'uuid',
    oracle: hex,
    values: [
      "'00000000-0000-0000-0000-000000000000'",
      "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
      "'6ccd780c-baba-1026-9564-5b8c656024db'",
      N,
      "'123e4567-e89b-42d3-a456-426614174000'",
    ],
  },
  {
    name: 'i4',
    definition: 'inet4',
    oracle: hex,
    values: ["'0.0.0.0'", "'255.255.255.255'", "'10.0.0.1'", N, N],
  },
  { name: 'i6', definition: 'inet6', oracle: hex, values: ["'::'", "'ffff::1'", "'::ffff:1.2.3.4'", N, N] },
];
const ROWS = 6;
/** MariaDB types information_schema names but the binlog knows only as BINARY(n). */
const BINARY_IN_BINLOG = new Set(['uu', 'i4', 'i6']);

const env = stackEnv();
const url = new URL(env.mysqlUrl);
const endpoint = {
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
};
const database = url.pathname.slice(1);

describe('MySQL types against MariaDB: binlog and snapshot agree with the database', () => {
  const table = uniqueName('types');
  let connection: mysql.Connection;
  let zongji: ZongJi;
  let tableMap: TableMapEvent | undefined;
  const binlogRows: Record<string, unknown>[] = [];
  let snapshotRows: unknown[][] = [];
  let checks: Array<Record<string, string | null>> = [];
  let fromCatalog: MysqlColumn[] = [];
  let fromBinlog: { columns: MysqlColumn[]; primaryKey: string[] };

  before(async () => {
    connection = await mysql.createConnection({ ...endpoint, database, ...SNAPSHOT_CONNECTION_OPTIONS });
    await connection.query(SNAPSHOT_SESSION_SQL);
    // Zero dates, invalid dates and invalid enum values need a permissive session.
    await connection.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
    const columns = COLUMNS.map((c) => `\`${c.name}\` ${c.definition}`).join(',\n  ');
    await connection.query(`CREATE TABLE \`${table}\` (\n  id int NOT NULL PRIMARY KEY,\n  ${columns}\n)`);

    zongji = new ZongJi({ ...endpoint, ...BINLOG_CONNECTION_OPTIONS });
    const errors: Error[] = [];
    zongji.on('error', (error: Error) => errors.push(error));
    const rowsArrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`binlog rows did not arrive: ${errors.join('; ')}`)),
        30_000,
      );
      zongji.on('binlog', (event: AnyBinlogEvent) => {
        if (event.getEventName() === 'tablemap') tableMap ??= event as TableMapEvent;
        if (event.getEventName() === 'writerows') binlogRows.push(...(event as WriteRowsEvent).rows);
        if (binlogRows.length >= ROWS) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise<void>((resolve) => {
      zongji.once('ready', () => resolve());
      zongji.start({
        serverId: 1000 + Math.floor(Math.random() * 1_000_000),
        startAtEnd: true,
        includeEvents: ['tablemap', 'writerows'],
        includeSchema: { [database]: [table] },
      });
    });

    for (let row = 0; row < ROWS; row++) {
      const names = COLUMNS.filter((c) => c.values[row] !== undefined);
      const values = names.map((c) => c.values[row]);
      await connection.query(
        `INSERT INTO \`${table}\` (id, ${names.map((c) => `\`${c.name}\``).join(', ')}) VALUES (${row + 1}, ${values.join(', ')})`,
      );
    }
    await rowsArrived;
    binlogRows.sort((a, b) => (a.id as number) - (b.id as number));

    const [catalogRows] = await connection.query<mysql.RowDataPacket[]>(INFORMATION_SCHEMA_COLUMNS_SQL, [
      database,
      table,
    ]);
    fromCatalog = columnsFromInformationSchema(catalogRows);
    fromBinlog = columnsFromTableMap(tableMap!);
    const [rows] = await connection.query<mysql.RowDataPacket[][]>({
      sql: `SELECT ${snapshotSelectList(fromCatalog)} FROM \`${table}\` ORDER BY id`,
      rowsAsArray: true,
    });
    snapshotRows = rows as unknown as unknown[][];
    const [checkRows] = await connection.query<mysql.RowDataPacket[]>({
      sql: `SELECT ${COLUMNS.map((c) => `CAST(${c.oracle.sql(`\`${c.name}\``)} AS CHAR) AS \`${c.name}\``).join(', ')} FROM \`${table}\` ORDER BY id`,
      typeCast: false,
    });
    checks = checkRows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, v === null ? null : (v as Buffer).toString('utf8')]),
      ),
    );
  });

  after(async () => {
    if (zongji) {
      const stopped = new Promise((resolve) => zongji.once('stopped', resolve));
      zongji.stop();
      await stopped;
    }
    if (connection) {
      await connection.query(`DROP TABLE IF EXISTS \`${table}\``);
      await connection.end();
    }
  });

  test('the TABLE_MAP event and information_schema describe the table alike', () => {
    assert.ok(tableMap, 'a TABLE_MAP event arrived');
    assert.deepEqual(fromBinlog.primaryKey, ['id']);
    assert.equal(fromBinlog.columns.length, fromCatalog.length);
    for (let i = 0; i < fromCatalog.length; i++) {
      // Defaults are not in the binlog: both roads take them from information_schema.
      const { defaultText: _, ...catalog } = fromCatalog[i]!;
      const binlog = fromBinlog.columns[i]!;
      if (BINARY_IN_BINLOG.has(catalog.name)) {
        assert.deepEqual({ ...binlog, dataType: catalog.dataType }, catalog, catalog.name);
        assert.equal(binlog.dataType, 'binary');
      } else {
        assert.deepEqual(binlog, catalog, catalog.name);
      }
      assert.deepEqual(columnTypeFor(binlog), columnTypeFor(catalog), catalog.name);
    }
    const byName = new Map(fromCatalog.map((c) => [c.name, c]));
    assert.equal(byName.get('t1')!.nullable, false);
    assert.equal(byName.get('ti')!.nullable, true);
    assert.equal(byName.get('iu')!.columnType, 'int unsigned');
    assert.equal(byName.get('lc')!.charset, 'latin1');
    assert.deepEqual(byName.get('e')!.enumValues, ['a', "b'c", 'é', 'd\\e']);
  });

  for (const [index, column] of COLUMNS.entries()) {
    test(`${column.name} ${column.definition}`, () => {
      const position = index + 1; // after id
      const catalogColumn = fromCatalog[position]!;
      assert.equal(catalogColumn.name, column.name);
      const parsers = valueParsers(catalogColumn, { onLoss: () => {} });
      const binlogParse = valueParsers(fromBinlog.columns[position]!).binlog;
      const { type, forceNullable } = columnTypeFor(catalogColumn);
      for (let row = 0; row < ROWS; row++) {
        const binlogValue = binlogRows[row]![column.name];
        const snapshotValue = snapshotRows[row]![position];
        const fromBinlogValue = binlogValue == null ? null : binlogParse(binlogValue);
        const fromSnapshotValue = snapshotValue == null ? null : parsers.snapshot(snapshotValue);
        const label = `${column.name} row ${row + 1} (${column.values[row] ?? 'NULL'})`;
        const expected = column.oracle.expect(checks[row]![column.name]!);
        assert.deepEqual(fromSnapshotValue, expected, `snapshot ${label}`);
        assert.deepEqual(fromBinlogValue, expected, `binlog ${label}`);
        if (expected === null && snapshotValue != null) {
          assert.ok(forceNullable, `${label} became null: the column must be forced nullable`);
        }
        if (type.kind === 'float32' && typeof expected === 'number') {
          assert.equal(Math.fround(expected), expected);
        }
      }
    });
  }
});
