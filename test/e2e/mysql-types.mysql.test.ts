/**
 * The MySQL/MariaDB type matrix of dialects/mysql/TYPES.md, end to end through
 * Kafka: one table with a column of every documented type, rows of edge
 * values read by the snapshot (`r`), inserted again while streaming (`c`) and
 * updated (`u`, full before images). Every decoded Kafka value is compared
 * with the database's own rendering of the stored value (TIMESTAMPDIFF,
 * DATEDIFF, TIME_TO_SEC, HEX, BIN, CAST ... AS CHAR), not with constants typed
 * here, and the snapshot and streamed values of the same row must be identical.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { avroSummary } from '../harness/avro-summary.ts';
import { big, hex, int, num, str, type Decoded, type Mismatch } from '../harness/decoded-values.ts';
import { EventCollector, type SeenEvent } from '../harness/kafka-events.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';
import { latestValueSchema } from '../harness/registry.ts';
import { stackEnv } from '../harness/stack.ts';
import { waitOrFail } from '../harness/waiting.ts';

interface Column {
  name: string;
  definition: string;
  /** The Avro type TYPES.md documents, summarised by `avroSummary` (`?` marks a nullable union). */
  avro: string;
  /** SQL literals of rows 1..4 (and 5, else NULL: row 5 is the NULL row). */
  values: readonly string[];
  /** SQL of the database's own text for the stored value of column `c`; default `CAST(c AS CHAR)`. */
  expected?: string;
  /** The decoded Kafka value → what is compared with `fromDb(text)`; checks the JS type too. */
  decoded: Decoded;
  fromDb?: (text: string) => unknown;
}

// Booleans render differently per dialect; the other decoders are shared (decoded-values.ts).
const bool: Decoded = (v) => {
  assert.equal(typeof v, 'boolean', `expected a boolean, got ${typeof v}`);
  return v;
};

/** Text of any character set, as the database converts it to UTF-8. */
const UTF8 = 'HEX(CONVERT(c USING utf8mb4))';
const fromUtf8Hex = (h: string): string => Buffer.from(h, 'hex').toString('utf8');
const lowerHex = (h: string): string => h.toLowerCase();
/**
 * Zero dates (`0000-00-00`, `2024-00-15`) and days the month lacks
 * (`2023-02-29`) are sent as null (TYPES.md): the server's date arithmetic
 * gives NULL for the first and silently moves the second to the next month.
 */
const unlessInvalid = (sql: string): string => `IF(DAY(c) > DAY(LAST_DAY(c)), NULL, ${sql})`;
const DAYS = unlessInvalid(`DATEDIFF(c, '1970-01-01')`);
/** Wall-clock (DATETIME) or, in a UTC session, UTC (TIMESTAMP) microseconds since the epoch. */
const MICROS = unlessInvalid(`TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', c)`);
/** Exact microseconds of a decimal seconds text such as `-3020399.999999`. */
function decimalMicros(text: string): string {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const micros = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return String(negative ? -micros : micros);
}

const nines = (n: number): string => '9'.repeat(n);
const digits = (p: number): string => '123456'.slice(0, p);
const fraction = (p: number, text: string): string => (p === 0 ? '' : `.${text}`);
/** The smallest fraction of precision p: `000001` for 6. */
const tick = (p: number): string => (p === 0 ? '' : `${'0'.repeat(p - 1)}1`);

const datetimeColumns: Column[] = [0, 1, 2, 3, 4, 5, 6].map((p) => ({
  name: `dtm${p}`,
  definition: p === 0 ? 'datetime' : `datetime(${p})`,
  // Debezium's adaptive mode: milliseconds up to 3 fraction digits.
  avro: p <= 3 ? '?Timestamp' : '?MicroTimestamp',
  values: [
    `'1969-12-31 23:59:59${fraction(p, nines(p))}'`,
    `'9999-12-31 23:59:59${fraction(p, nines(p))}'`,
    p === 0 ? `'0000-00-00 00:00:00'` : `'0001-01-01 00:00:00${fraction(p, tick(p))}'`,
    p === 3 ? `'2024-00-15 10:00:00.000'` : `'2024-02-29 12:34:56${fraction(p, digits(p))}'`,
  ],
  expected: MICROS,
  decoded: big,
}));

/** Inserted in a +05:30 session: the stored UTC value is 5h30 earlier. */
const timestampColumns: Column[] = [0, 1, 2, 3, 4, 5, 6].map((p) => ({
  name: `ts${p}`,
  definition: `${p === 0 ? 'timestamp' : `timestamp(${p})`} NULL`,
  avro: '?ZonedTimestamp',
  values: [
    `'1970-01-01 05:30:01${fraction(p, tick(p))}'`,
    `'2038-01-19 08:44:07${fraction(p, nines(p))}'`,
    `'0000-00-00 00:00:00'`,
    `'2024-03-31 07:00:00${fraction(p, digits(p))}'`,
  ],
  expected: MICROS,
  decoded: big,
}));

const timeColumns: Column[] = [0, 1, 2, 3, 4, 5, 6].map((p) => ({
  name: `tm${p}`,
  definition: p === 0 ? 'time' : `time(${p})`,
  avro: '?MicroTime',
  values:
    p === 0
      ? [`'-838:59:59'`, `'838:59:59'`, `'-01:00:00'`, `'00:00:00'`]
      : p === 6
        ? [`'-838:59:59.000000'`, `'838:59:59.999999'`, `'-00:00:00.000001'`, `'-00:01:00'`]
        : [
            `'-838:59:59.${nines(p)}'`,
            `'838:59:59.${nines(p)}'`,
            `'-01:00:00.${'0'.repeat(p)}'`,
            `'-12:34:56.${digits(p)}'`,
          ],
  expected: 'TIME_TO_SEC(c)',
  fromDb: decimalMicros,
  decoded: big,
}));

const DEC_MAX = `${nines(35)}.${nines(30)}`;

const COLUMNS: readonly Column[] = [
  // Geometry first: MariaDB's charset metadata counts geometry columns, and
  // every text column after one must still decode in its own character set.
  {
    name: 'g',
    definition: 'geometry',
    avro: '?Geometry',
    values: [
      "ST_GeomFromText('POINT(1 2)')",
      "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326)",
      "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))', 3857)",
      "ST_GeomFromText('MULTIPOINT(1 1,2 2)')",
    ],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'pt',
    definition: 'point',
    avro: '?Point',
    values: ["ST_GeomFromText('POINT(1.5 -2)', 4326)", "ST_GeomFromText('POINT(0 0)')"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'lc',
    definition: 'varchar(20) CHARACTER SET latin1',
    avro: '?string',
    values: ["'é'", "'café €'", "''", "'ÿ Ž'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  // integers
  { name: 'ti', definition: 'tinyint', avro: '?int16', values: ['-128', '127', '0', '-1'], decoded: int },
  {
    name: 'tiu',
    definition: 'tinyint unsigned',
    avro: '?int16',
    values: ['0', '255', '1', '128'],
    decoded: int,
  },
  {
    name: 'si',
    definition: 'smallint',
    avro: '?int16',
    values: ['-32768', '32767', '0', '-1'],
    decoded: int,
  },
  {
    name: 'siu',
    definition: 'smallint unsigned',
    avro: '?int',
    values: ['0', '65535', '1', '32768'],
    decoded: int,
  },
  {
    name: 'mi',
    definition: 'mediumint',
    avro: '?int',
    values: ['-8388608', '8388607', '0', '-1'],
    decoded: int,
  },
  {
    name: 'miu',
    definition: 'mediumint unsigned',
    avro: '?int',
    values: ['0', '16777215', '1', '8388608'],
    decoded: int,
  },
  {
    name: 'i',
    definition: 'int',
    avro: '?int',
    values: ['-2147483648', '2147483647', '0', '-1'],
    decoded: int,
  },
  {
    name: 'iu',
    definition: 'int unsigned',
    avro: '?long',
    values: ['0', '4294967295', '1', '2147483648'],
    decoded: big,
  },
  {
    name: 'bi',
    definition: 'bigint',
    avro: '?long',
    values: ['-9223372036854775808', '9223372036854775807', '0', '9007199254740993'],
    decoded: big,
  },
  {
    name: 'biu',
    definition: 'bigint unsigned',
    avro: '?decimal(20,0)',
    values: ['0', '18446744073709551615', '9223372036854775808', '9007199254740993'],
    decoded: str,
  },
  {
    // tinyint(1): the binlog cannot tell it from tinyint, and 2 is a legal value.
    name: 'bo',
    definition: 'boolean NOT NULL DEFAULT FALSE',
    avro: 'int16',
    values: ['TRUE', 'FALSE', '2', '-128', 'DEFAULT'],
    decoded: int,
  },
  // decimals and floats
  {
    name: 'dec',
    definition: 'decimal(65,30)',
    avro: '?decimal(65,30)',
    values: [`-${DEC_MAX}`, DEC_MAX, '0', `0.${'0'.repeat(29)}1`],
    decoded: str,
  },
  {
    name: 'dec2',
    definition: 'decimal(10,2) unsigned',
    avro: '?decimal(10,2)',
    values: ['0', '99999999.99', '0.01', '1.5'],
    decoded: str,
  },
  {
    name: 'f',
    definition: 'float',
    avro: '?float',
    values: ['1.2345678', '-3.4028234663852886e38', '0', '1.401298464324817e-45'],
    expected: 'CAST(CAST(c AS DOUBLE) AS CHAR)',
    fromDb: (t) => Math.fround(Number(t)),
    decoded: num,
  },
  {
    name: 'db',
    definition: 'double',
    avro: '?double',
    values: ['0.1', '1.7976931348623157e308', '5e-324', '-2.2250738585072014e-308'],
    fromDb: Number,
    decoded: num,
  },
  // bits
  {
    name: 'b1',
    definition: 'bit(1)',
    avro: '?boolean',
    values: ["b'1'", "b'0'", "b'1'", "b'0'"],
    expected: 'BIN(c)',
    fromDb: (t) => t === '1',
    decoded: bool,
  },
  {
    name: 'b10',
    definition: 'bit(10)',
    avro: '?Bits',
    values: ["b'1000000001'", "b'0000000000'", "b'1111111111'", "b'0000000001'"],
    expected: `LPAD(BIN(c), 10, '0')`,
    decoded: str,
  },
  // strings
  {
    name: 'ch',
    definition: 'char(5)',
    avro: '?string',
    values: ["'ab'", "'🚀'", "''", "'🚀🚀🚀🚀🚀'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'vc',
    definition: "varchar(300) NOT NULL DEFAULT ''",
    avro: 'string',
    values: ["'héllo 🚀'", "''", "' spaced '", `'line\\nbreak\\ttab \\\\ back "dq'' sq'`, 'DEFAULT'],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'tt',
    definition: 'tinytext',
    avro: '?string',
    values: ["'🚀'", "''", `REPEAT('é', 127)`, "'x'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'tx',
    definition: 'text',
    avro: '?string',
    values: [`REPEAT('ab🚀', 1000)`, "''", "'🚀'", "'x'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'mt',
    definition: 'mediumtext',
    avro: '?string',
    values: [`REPEAT('é', 33000)`, "''", "'🚀'", "'x'"], // 66000 bytes: more than a TEXT holds
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'lt',
    definition: 'longtext',
    avro: '?string',
    values: ["'🚀 long'", "''", `REPEAT('z', 1000)`, "'x'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'l1',
    definition: 'text CHARACTER SET latin1',
    avro: '?string',
    values: ["'Grüße €'", "''", "'é'", "'x'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  // bytes
  {
    name: 'bn',
    definition: 'binary(4)',
    avro: '?bytes',
    values: ["x'00ff'", "x'ffffffff'", "x''", "x'01'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'vb',
    definition: 'varbinary(16)',
    avro: '?bytes',
    values: ["x'00ff00'", "x''", "x'00'", "x'deadbeef'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'tb',
    definition: 'tinyblob',
    avro: '?bytes',
    values: [`REPEAT(x'ff', 255)`, "x''", "x'00'", "x'01'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'bl',
    definition: 'blob',
    avro: '?bytes',
    values: [`REPEAT(x'00ff', 1000)`, "x''", "x'00'", "x'01'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'mb',
    definition: 'mediumblob',
    avro: '?bytes',
    values: ["x'01'", "x''", `REPEAT(x'c0ffee', 22000)`, "x'00'"], // 66000 bytes: more than a BLOB holds
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'lb',
    definition: 'longblob',
    avro: '?bytes',
    values: [`REPEAT(x'ab', 1000)`, "x''", "x'00'", "x'01'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  // enum and set
  {
    name: 'e',
    definition: "enum('a','b''c','é','🚀')",
    avro: '?Enum',
    // Row 3 stores an invalid label: the empty-string error value (index 0) of a non-strict insert.
    values: ["'a'", "'b''c'", "'nope'", "'🚀'"],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 's',
    definition: "set('x','y','z','w')",
    avro: '?EnumSet',
    values: ["''", "'x,y,z,w'", "'w,x'", "'y'"],
    decoded: str,
  },
  // dates and times
  {
    name: 'dt',
    definition: 'date',
    avro: '?Date',
    values: ["'0001-01-01'", "'0000-00-00'", "'9999-12-31'", "'1969-12-31'"],
    expected: DAYS,
    decoded: int,
  },
  {
    // NOT NULL, yet nullable in Avro: its zero dates are sent as null.
    name: 'dtn',
    definition: "date NOT NULL DEFAULT '2000-01-01'",
    avro: '?Date',
    values: ["'2024-00-15'", "'2023-02-29'", "'2000-02-29'", "'1970-01-01'", 'DEFAULT'],
    expected: DAYS,
    decoded: int,
  },
  ...datetimeColumns,
  ...timestampColumns,
  ...timeColumns,
  {
    name: 'y',
    definition: 'year',
    avro: '?Year',
    values: ['1901', '2155', '0', '2024'],
    expected: 'c + 0',
    decoded: int,
  },
  // documents and MariaDB binary types
  {
    name: 'j',
    definition: 'json',
    avro: '?string',
    values: ["'{}'", `'{"b": 1, "10": [1e300, 1.5, "é🚀", null, true]}'`, "'[]'", `'"x"'`],
    expected: UTF8,
    fromDb: fromUtf8Hex,
    decoded: str,
  },
  {
    name: 'uu',
    definition: 'uuid',
    avro: '?bytes',
    values: [
      "'00000000-0000-0000-0000-000000000000'",
      "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
      "'6ccd780c-baba-1026-9564-5b8c656024db'",
      "'123e4567-e89b-42d3-a456-426614174000'",
    ],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'i4',
    definition: 'inet4',
    avro: '?bytes',
    values: ["'0.0.0.0'", "'255.255.255.255'", "'10.0.0.1'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
  {
    name: 'i6',
    definition: 'inet6',
    avro: '?bytes',
    values: ["'::'", "'ffff::1'", "'::ffff:1.2.3.4'"],
    expected: 'HEX(c)',
    fromDb: lowerHex,
    decoded: hex,
  },
];

const ROWS = 5; // row 5: NULL in every nullable column
/** How long to wait for the matrix's events. */
const WAIT_MS = 30_000;

const quote = (name: string): string => `\`${name}\``;

function rowValues(id: number): string {
  return [String(id), '0', ...COLUMNS.map((column) => column.values[id - 1] ?? 'NULL')].join(', ');
}

test('every documented MariaDB type: snapshot (r), streamed (c) and update before/after (u) values equal the database values, with edge values and zero dates', async () => {
  await using ctx = await MysqlTestContext.open();
  // Zero dates, invalid dates and invalid enum labels need a permissive session;
  // TIMESTAMP literals are read in a zone other than UTC.
  await ctx.sql(`SET SESSION sql_mode = 'ALLOW_INVALID_DATES'`);
  await ctx.sql(`SET SESSION time_zone = '+05:30'`);
  const columnDefs = COLUMNS.map((c) => `${quote(c.name)} ${c.definition}`).join(',\n    ');
  await ctx.sql(
    `CREATE TABLE matrix (id int PRIMARY KEY, rev int NOT NULL,\n    ${columnDefs}\n) DEFAULT CHARSET = utf8mb4`,
  );
  for (let id = 1; id <= ROWS; id++) await ctx.sql(`INSERT INTO matrix VALUES (${rowValues(id)})`);
  const [warnings] = await ctx.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM matrix`);
  assert.equal(Number(warnings!.n), ROWS);

  const topic = ctx.topic('matrix');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  const ops = (op: string) => events.changes(topic).filter((e) => e.value.op === op);
  await waitOrFail(connector, events, () => ops('r').length >= ROWS, 'the snapshot of the matrix', WAIT_MS);

  // The same rows again while streaming, then an update of every one of them.
  const names = COLUMNS.map((c) => quote(c.name)).join(', ');
  await ctx.sql(
    `INSERT INTO matrix (id, rev, ${names}) SELECT id + 100, rev, ${names} FROM matrix ORDER BY id`,
  );
  await ctx.sql(`UPDATE matrix SET rev = rev + 1 WHERE id > 100`);
  await waitOrFail(
    connector,
    events,
    () => ops('c').length >= ROWS && ops('u').length >= ROWS,
    'the streamed inserts and updates',
    WAIT_MS,
  );
  await connector.stop();

  // What the database itself says each value is (TIMESTAMP differences in UTC).
  await ctx.sql(`SET SESSION time_zone = '+00:00'`);
  const expectations = COLUMNS.map(
    (c) => `CAST((${(c.expected ?? 'CAST(c AS CHAR)').replaceAll(/\bc\b/g, quote(c.name))}) AS CHAR)`,
  );
  const [rows] = await ctx.db.query<mysql.RowDataPacket[][]>({
    sql: `SELECT CAST(id AS CHAR), ${expectations.join(', ')} FROM matrix ORDER BY id`,
    rowsAsArray: true,
    typeCast: false,
  });
  const database = new Map(
    (rows as unknown as Array<Array<Buffer | null>>).map((row) => [
      Number(row[0]!.toString('utf8')),
      row.slice(1).map((v) => (v === null ? null : v.toString('utf8'))),
    ]),
  );
  assert.equal(database.size, ROWS * 2);

  const mismatches: Mismatch[] = [];
  const compare = (row: number, image: Record<string, unknown> | null, what: string) => {
    assert.ok(image, `${what} of row ${row} is null`);
    const expected = database.get(row)!;
    assert.equal(image['id'], row, `${what}: id`);
    COLUMNS.forEach((column, i) => {
      const text = expected[i]!;
      const raw = image[column.name];
      const want = text === null ? null : (column.fromDb ?? ((t: string) => t))(text);
      let got: unknown;
      try {
        got = raw === null ? null : column.decoded(raw);
      } catch (error) {
        got = `${(error as Error).message} (raw ${typeof raw})`;
      }
      try {
        assert.deepStrictEqual(got, want);
      } catch {
        mismatches.push({
          row,
          column: `${what}.${column.name} (${column.definition})`,
          kafka: typeof got === 'string' && got.length > 80 ? `${got.slice(0, 80)}… (${got.length})` : got,
          database:
            typeof want === 'string' && want.length > 80 ? `${want.slice(0, 80)}… (${want.length})` : want,
        });
      }
    });
  };

  // MariaDB writes the rows of INSERT ... SELECT from the same table in an
  // order of its own (through a temporary table), whatever the ORDER BY.
  const byId = (a: SeenEvent, b: SeenEvent) =>
    (a.value!.after!['id'] as number) - (b.value!.after!['id'] as number);
  const reads = ops('r');
  const creates = ops('c').sort(byId);
  const updates = ops('u').sort(byId);
  assert.deepEqual(
    reads.map((e) => e.value.after?.['id']),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    creates.map((e) => e.value.after?.['id']),
    [101, 102, 103, 104, 105],
  );
  assert.deepEqual(
    updates.map((e) => e.value.after?.['id']),
    [101, 102, 103, 104, 105],
  );
  for (const e of reads) compare(e.value.after!['id'] as number, e.value.after, 'r.after');
  for (const e of creates) compare(e.value.after!['id'] as number, e.value.after, 'c.after');
  for (const e of updates) {
    const id = e.value.after!['id'] as number;
    // The before image is the row as inserted: the database values with rev 0.
    compare(id, e.value.before, 'u.before');
    compare(id, e.value.after, 'u.after');
    assert.equal(e.value.before!['rev'], 0);
    assert.equal(e.value.after!['rev'], 1);
  }
  assert.deepStrictEqual(mismatches, [], 'values that differ from the database');

  // A snapshot read and the streamed insert of the same row carry identical values.
  for (let i = 0; i < ROWS; i++) {
    const { id: readId, ...read } = reads[i]!.value.after!;
    const { id: createId, ...create } = creates[i]!.value.after!;
    assert.equal(createId, (readId as number) + 100);
    assert.deepStrictEqual(create, read, `row ${String(readId)}: snapshot and stream differ`);
  }
  assert.deepEqual(
    reads.map((e) => e.value.source['snapshot']),
    ['first', 'true', 'true', 'true', 'last'],
  );
  assert.ok(creates.every((e) => e.value.source['snapshot'] === 'false'));

  // The documented mapping of the values users notice first (TYPES.md), on
  // the streamed row: zero dates are null (a NOT NULL column included), the
  // unsigned bigint maximum is exact, TIME spans ±838 hours.
  const created = (id: number) => creates.find((e) => e.value.after!['id'] === id)!.value.after!;
  assert.equal(created(102)['dt'], null, "date '0000-00-00' → null");
  assert.equal(created(101)['dtn'], null, "NOT NULL date '2024-00-15' → null");
  assert.equal(created(102)['dtn'], null, "date '2023-02-29' (ALLOW_INVALID_DATES) → null");
  assert.equal(created(103)['dtm0'], null, "datetime '0000-00-00 00:00:00' → null");
  assert.equal(created(104)['dtm3'], null, "datetime(3) '2024-00-15 10:00:00.000' → null");
  assert.equal(created(103)['ts6'], null, 'the zero timestamp → null');
  assert.equal(created(101)['dt'], -719162, '0001-01-01 is day −719162');
  assert.equal(created(103)['dt'], 2932896, '9999-12-31 is day 2932896');
  assert.equal(created(101)['ts0'], 1_000_000n, '1970-01-01 00:00:01 UTC is 1000000 µs');
  assert.equal(created(102)['biu'], '18446744073709551615');
  assert.equal(created(101)['tm6'], -3020399000000n, "'-838:59:59.000000'");
  assert.equal(created(102)['tm0'], 3020399000000n, "'838:59:59'");
  assert.equal(created(102)['tm6'], 3020399999999n, "'838:59:59.999999'");
  assert.equal(created(103)['tm0'], -3600000000n, "'-01:00:00'");
  assert.equal(created(103)['y'], 0, 'the zero year');
  assert.equal(created(103)['e'], '', 'the enum error value');
  assert.equal(created(103)['bo'], 2, 'boolean is tinyint(1): 2 is kept');
  assert.equal(created(101)['b10'], '1000000001');
  assert.equal(created(101)['lc'], 'é');
  assert.equal(created(102)['ch'], '🚀');
  assert.equal(created(105)['vc'], '', 'the NOT NULL default');

  // The Avro type of every column is the one TYPES.md documents.
  const fields = await latestValueSchema(topic);
  const actualTypes = Object.fromEntries(COLUMNS.map((c) => [c.name, avroSummary(fields.get(c.name))]));
  const documented = Object.fromEntries(COLUMNS.map((c) => [c.name, c.avro]));
  assert.deepEqual(actualTypes, documented);
  assert.equal(avroSummary(fields.get('id')), 'int');
  assert.equal(avroSummary(fields.get('rev')), 'int');
  // information_schema (snapshot) and the TABLE_MAP (stream) describe the table
  // alike: one schema version for both roads.
  const versions = await fetch(
    `${stackEnv().registryUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions`,
  );
  assert.deepEqual(await versions.json(), [1], 'one value schema version for snapshot and stream');
});
