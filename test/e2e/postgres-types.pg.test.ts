/**
 * The PostgreSQL type matrix of dialects/postgres/TYPES.md, end to end: one
 * table with a column of every documented type, rows of edge values read by
 * the snapshot (`r`), inserted again while streaming (`c`) and updated (`u`,
 * REPLICA IDENTITY FULL before images). Every decoded Kafka value is compared
 * with the database's own rendering of the same value (epoch microseconds,
 * day numbers, hex, numeric text, JSON of array elements...), not with
 * constants typed here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { avroSummary } from '../harness/avro-summary.ts';
import { big, hex, int, num, str, type Decoded, type Mismatch } from '../harness/decoded-values.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { latestValueSchema } from '../harness/registry.ts';
import { waitOrFail } from '../harness/waiting.ts';

interface Column {
  name: string;
  type: string;
  /** The Avro type TYPES.md documents, summarised by `avroSummary` (`?` marks a nullable union). */
  avro: string;
  /** SQL expressions of the values of rows 1..4 (row 5 is all NULL); missing entries are NULL. */
  values: readonly string[];
  /** SQL computing the database's own text for the value of column `c`; default: the column's text output. */
  expected?: string;
  /** The decoded Kafka value → what is compared with `fromDb(text)`; checks the JS type too. */
  decoded: Decoded;
  fromDb?: (text: string) => unknown;
}

// Booleans render differently per dialect; the other decoders are shared (decoded-values.ts).
const bool: Decoded = (v) => {
  assert.equal(typeof v, 'boolean', `expected a boolean, got ${typeof v}`);
  return String(v);
};
/** Arrays: the same shape, each non-null element rendered by `element`. */
const arrayOf =
  (element: Decoded): Decoded =>
  (v) => {
    assert.ok(Array.isArray(v), `expected an array, got ${typeof v}`);
    return v.map((item: unknown) =>
      item === null ? null : Array.isArray(item) ? arrayOf(element)(item) : element(item),
    );
  };
const json = (text: string): unknown => JSON.parse(text);
/** A point (SRID, then the WKB point) as Postgres prints it: `(x,y)`. */
const pointText: Decoded = (v) => {
  assert.ok(Buffer.isBuffer(v), `expected a Buffer, got ${typeof v}`);
  const show = (n: number): string => (Object.is(n, -0) ? '-0' : String(n));
  return `(${show(v.readDoubleLE(9))},${show(v.readDoubleLE(17))})`;
};
/** Elements of a 1-D array, in order, through a SQL function of `x`. */
const eachElement = (fn: string): string =>
  `CASE WHEN c IS NOT NULL THEN to_json(ARRAY(SELECT ${fn} FROM unnest(c) WITH ORDINALITY AS u(x, n) ORDER BY n))::text END`;

const NUMERIC_OR_NULL = `CASE WHEN c::text IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE c::text END`;
const BIG_DIGITS = `${'9'.repeat(40)}.${'1234567890'.repeat(3)}`; // 70 significant digits

const COLUMNS: readonly Column[] = [
  // integers
  { name: 'i2', type: 'smallint', avro: '?int16', values: ['1', '-32768', '32767', '0'], decoded: int },
  {
    name: 'i4',
    type: 'integer',
    avro: '?int',
    values: ['0', '-2147483648', '2147483647', '-1'],
    decoded: int,
  },
  {
    name: 'i8',
    type: 'bigint',
    avro: '?long',
    values: ['42', '-9223372036854775808', '9223372036854775807', '9007199254740993'],
    decoded: big,
  },
  { name: 'oid_', type: 'oid', avro: '?long', values: ['0', '4294967295', '16384'], decoded: big },
  // decimals
  {
    name: 'dec',
    type: 'numeric(38,9)',
    avro: '?decimal(38,9)',
    values: [
      '12345678901234567890.123456789',
      '-0.000000001',
      '-99999999999999999999999999999.999999999',
      '0',
    ],
    decoded: str,
  },
  {
    // NOT NULL: not optional, as Debezium (NaN would stop the stream, TYPES.md).
    name: 'dec_nn',
    type: 'numeric(5,2) NOT NULL',
    avro: 'decimal(5,2)',
    values: ['1.25', '-999.99', '0', '0.5', '7'],
    decoded: str,
  },
  {
    name: 'dec_any',
    type: 'numeric',
    avro: '?VariableScaleDecimal',
    values: [BIG_DIGITS, '0.00000000000000000001', `'NaN'`, `'Infinity'`],
    // NaN and ±Infinity have no Decimal form: null (TYPES.md).
    expected: NUMERIC_OR_NULL,
    decoded: str,
  },
  {
    name: 'dec_any2',
    type: 'numeric',
    avro: '?VariableScaleDecimal',
    values: [`'-Infinity'`, `-${BIG_DIGITS}`, '1e-30', '100.000'],
    expected: NUMERIC_OR_NULL,
    decoded: str,
  },
  {
    name: 'price',
    type: 'price',
    avro: '?decimal(12,3)',
    values: ['123456789.123', '0', '0.5'],
    decoded: str,
  },
  {
    // PG 15 negative scale: integers rounded to thousands → decimal(5,0).
    name: 'dec_negscale',
    type: 'numeric(2,-3)',
    avro: '?decimal(5,0)',
    values: ['12345', '-99000', '0'],
    decoded: str,
  },
  {
    // Scale above precision → decimal(5,5).
    name: 'dec_bigscale',
    type: 'numeric(3,5)',
    avro: '?decimal(5,5)',
    values: ['0.00123', '-0.00999', '0'],
    decoded: str,
  },
  {
    name: 'xid_',
    type: 'xid',
    avro: '?long',
    values: [`'4294967295'`, `'0'`],
    expected: 'c::text',
    decoded: big,
  },
  {
    name: 'xid8_',
    type: 'xid8',
    avro: '?decimal(20,0)',
    values: [`'18446744073709551615'`, `'0'`],
    expected: 'c::text',
    decoded: str,
  },
  {
    name: 'cash',
    type: 'money',
    avro: '?decimal(64,2)',
    values: [`'1234.56'`, `'-92233720368547758.08'`, `'92233720368547758.07'`, `'0'`],
    expected: 'c::numeric::text',
    decoded: str,
  },
  // floats: compared as numbers (Object.is: NaN equals NaN, -0 differs from 0)
  {
    name: 'f4',
    type: 'real',
    avro: '?float',
    values: ['1.1', `'-0'`, `'NaN'`, `'Infinity'`],
    expected: 'c::float8::text',
    decoded: num,
    fromDb: Number,
  },
  {
    name: 'f4b',
    type: 'real',
    avro: '?float',
    values: [`'-Infinity'`, '3.4028235e38', '1.4e-45', '-1.17549435e-38'],
    expected: 'c::float8::text',
    decoded: num,
    fromDb: Number,
  },
  {
    name: 'f8',
    type: 'double precision',
    avro: '?double',
    values: ['0.1', `'-0'`, `'NaN'`, `'Infinity'`],
    decoded: num,
    fromDb: Number,
  },
  {
    name: 'f8b',
    type: 'double precision',
    avro: '?double',
    values: [`'-Infinity'`, '1.7976931348623157e308', '5e-324', '-2.2250738585072014e-308'],
    decoded: num,
    fromDb: Number,
  },
  {
    name: 'flag',
    type: 'boolean',
    avro: '?boolean',
    values: ['true', 'false'],
    expected: 'c::text',
    decoded: bool,
  },
  // strings
  {
    name: 'fixed',
    type: 'char(5)',
    avro: '?string',
    values: [`'ab'`, `'🚀'`, `''`, `'abcde'`],
    decoded: str,
  },
  {
    name: 'vc',
    type: 'varchar(10)',
    avro: '?string',
    values: [`'héllo'`, `'🚀🚀'`, `''`, `' spaced '`],
    decoded: str,
  },
  {
    name: 'txt',
    type: 'text',
    avro: '?string',
    values: [`'plain'`, `''`, `E'line\\nbreak\\ttab \\\\ back "dq'' sq'`, `'🚀 4-byte UTF-8'`],
    decoded: str,
  },
  {
    name: 'ch',
    type: '"char"',
    avro: '?string',
    values: [`'a'`, `'\\351'`, `'Z'`],
    decoded: str,
  },
  { name: 'nm', type: 'name', avro: '?string', values: [`'pg_class'`, `'🚀name'`, `''`], decoded: str },
  {
    name: 'mood',
    type: 'mood',
    avro: '?Enum',
    values: [`'happy'`, `'sad 🚀'`, `'ok'`],
    decoded: str,
  },
  {
    name: 'tag',
    type: 'tag',
    avro: '?string',
    values: [`'a-tag'`, `''`],
    decoded: str,
  },
  {
    name: 'bin',
    type: 'bytea',
    avro: '?bytes',
    values: [`'\\x00ff10'`, `''`, `decode(repeat('5c78', 3), 'hex')`, `'\\x00'`],
    expected: `encode(c, 'hex')`,
    decoded: hex,
  },
  // dates and times
  {
    name: 'd',
    type: 'date',
    avro: '?Date',
    values: [`'1970-01-01'`, `'1969-12-31'`, `'infinity'`, `'-infinity'`],
    expected: 'days(c)',
    decoded: int,
  },
  {
    name: 'd2',
    type: 'date',
    avro: '?Date',
    values: [`'0001-12-31 BC'`, `'5874897-12-31'`, `'2038-01-20'`, `'1900-02-28'`],
    expected: 'days(c)',
    decoded: int,
  },
  {
    // The first and the last dates Postgres has.
    name: 'd3',
    type: 'date',
    avro: '?Date',
    values: [`'4714-11-24 BC'`, `'2000-02-29'`],
    expected: 'days(c)',
    decoded: int,
  },
  {
    name: 't',
    type: 'time',
    avro: '?MicroTime',
    values: [`'00:00:00'`, `'23:59:59.999999'`, `'24:00:00'`, `'12:34:56.000001'`],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    // Up to 3 fraction digits: Debezium's millisecond Time (an int).
    name: 't3',
    type: 'time(3)',
    avro: '?Time',
    values: [`'00:00:00'`, `'23:59:59.999'`, `'24:00:00'`, `'12:34:56.001'`],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'tz',
    type: 'timetz',
    avro: '?ZonedTime',
    values: [`'04:05:06.789+05:30'`, `'04:05:06-02'`, `'23:59:59.999999+14'`, `'00:00:00+01:02:03'`],
    // TYPES.md: the offset is kept, normalised to ±HH:MM[:SS].
    expected: `regexp_replace(c::text, '([+-]\\d\\d)$', '\\1:00')`,
    decoded: str,
  },
  {
    name: 'ts',
    type: 'timestamp',
    avro: '?MicroTimestamp',
    values: [`'1969-07-20 20:17:40.123456'`, `'2262-04-11 23:47:16.854775'`, `'infinity'`, `'-infinity'`],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'ts2',
    type: 'timestamp(6)',
    avro: '?MicroTimestamp',
    values: [
      `'0044-03-15 12:00:00.000001 BC'`,
      `'1900-01-01 00:00:00.000001'`,
      `'2038-01-19 03:14:08.000001'`,
      `'200000-01-01 00:00:00.5'`,
    ],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    // Up to 3 fraction digits: Debezium's millisecond Timestamp.
    name: 'ts_ms',
    type: 'timestamp(3)',
    avro: '?Timestamp',
    values: [
      `'1969-07-20 20:17:40.123'`,
      `'0044-03-15 12:00:00.001 BC'`,
      `'infinity'`,
      `'200000-01-01 00:00:00'`,
    ],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    // Postgres' first timestamp, and the last microsecond before the int64 sentinel.
    name: 'ts3',
    type: 'timestamp',
    avro: '?MicroTimestamp',
    values: [`'4714-11-24 00:00:00 BC'`, `'294247-01-10 04:00:54.775806'`],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'tstz',
    type: 'timestamptz',
    avro: '?ZonedTimestamp',
    values: [
      `'1969-12-31 23:59:59.999999+00'`,
      `'2100-06-15 12:34:56.789012-08'`,
      `'infinity'`,
      `'-infinity'`,
    ],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'tstz2',
    type: 'timestamptz',
    avro: '?ZonedTimestamp',
    values: [
      `'1901-12-13 20:45:51.999999+00'`,
      `'9999-12-31 23:59:59.999999+14'`,
      `'0100-01-01 00:00:00+00 BC'`,
      `'2038-01-19 03:14:08.5+05:30'`,
    ],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'tstz3',
    type: 'timestamptz',
    avro: '?ZonedTimestamp',
    values: [`'4714-11-24 00:00:00+00 BC'`, `'294247-01-10 04:00:54.775806+00'`],
    expected: 'micros(c)',
    decoded: big,
  },
  {
    name: 'iv',
    type: 'interval',
    avro: '?Interval',
    values: [
      `'1 year 2 months 3 days 04:05:06.5'`,
      `'-1 years -2 months +3 days -04:05:06.5'`,
      `'0'`,
      `'1 day -1 second'`,
    ],
    expected: 'c::text', // with IntervalStyle=iso_8601 (set for the expectation query)
    decoded: str,
  },
  {
    name: 'iv2',
    type: 'interval',
    avro: '?Interval',
    values: [`'-0.000001 seconds'`, `'178000000 years'`, `'100 hours 0.25 seconds'`, `'-2147483648 days'`],
    expected: 'c::text',
    decoded: str,
  },
  // identifiers, documents, network, bits, text search
  {
    name: 'id_',
    type: 'uuid',
    avro: '?Uuid',
    values: [
      `'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`,
      `'00000000-0000-0000-0000-000000000000'`,
      `'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'`,
    ],
    decoded: str,
  },
  {
    name: 'js',
    type: 'json',
    avro: '?Json',
    values: [`'{"a": 1,  "b": [true, null]}'`, `'"🚀"'`, `'[]'`, `'{"a":1,"a":2}'`],
    decoded: str,
  },
  {
    name: 'jsb',
    type: 'jsonb',
    avro: '?Json',
    values: [`'{"b": [true, null],  "a": 1}'`, `'"🚀"'`, `'{}'`, `'{"a":1,"a":2, "n": 1.50}'`],
    decoded: str,
  },
  {
    name: 'x',
    type: 'xml',
    avro: '?Xml',
    values: [`'<a b="1">🚀</a>'`, `'text only'`, `'<r><s/></r>'`],
    decoded: str,
  },
  {
    name: 'ip',
    type: 'inet',
    avro: '?string',
    values: [`'192.168.0.1/24'`, `'::1'`, `'2001:db8::ff00:42:8329/64'`, `'10.0.0.1'`],
    decoded: str,
  },
  {
    name: 'net',
    type: 'cidr',
    avro: '?string',
    values: [`'10.0.0.0/8'`, `'2001:db8::/32'`, `'192.168.1'`],
    decoded: str,
  },
  {
    name: 'mac',
    type: 'macaddr',
    avro: '?string',
    values: [`'08:00:2b:01:02:03'`, `'FF-FF-FF-FF-FF-FF'`],
    decoded: str,
  },
  {
    name: 'mac8',
    type: 'macaddr8',
    avro: '?string',
    values: [`'08:00:2b:01:02:03:04:05'`, `'08:00:2b:01:02:03'`],
    decoded: str,
  },
  {
    name: 'b8',
    type: 'bit(8)',
    avro: '?Bits',
    values: [`B'10100101'`, `B'00000000'`, `B'11111111'`],
    decoded: str,
  },
  {
    // Debezium's Bits would lose the length of a shorter value: the text keeps it (TYPES.md).
    name: 'vb',
    type: 'varbit(16)',
    avro: '?string',
    values: [`B''`, `B'1'`, `B'1010101010101010'`, `B'0001'`],
    decoded: str,
  },
  {
    name: 'tsv',
    type: 'tsvector',
    avro: '?TsVector',
    values: [`'a fat cat sat on a mat'`, `$$'🚀':1A 'it''s':2$$`, `''`],
    decoded: str,
  },
  // other server types: their text output
  { name: 'tsq', type: 'tsquery', avro: '?string', values: [`'fat & (rat | !cat)'`], decoded: str },
  { name: 'jp', type: 'jsonpath', avro: '?string', values: [`'$.a[*] ? (@ > 1)'`], decoded: str },
  { name: 'lsn', type: 'pg_lsn', avro: '?string', values: [`'16/B374D848'`, `'0/0'`], decoded: str },
  { name: 'snap', type: 'pg_snapshot', avro: '?string', values: [`'10:20:10,14,15'`], decoded: str },
  { name: 'i2v', type: 'int2vector', avro: '?string', values: [`'1 2 3'`, `''`], decoded: str },
  { name: 'oidv', type: 'oidvector', avro: '?string', values: [`'1 2 4294967295'`], decoded: str },
  {
    name: 'pair',
    type: 'pair',
    avro: '?string',
    values: [`ROW(1, 'a b')`, `ROW(NULL, '')`, `ROW(-1, '🚀"q')`],
    decoded: str,
  },
  {
    name: 'hs',
    type: 'hstore',
    avro: '?string',
    values: [`'a=>1, "b c"=>NULL, "🚀"=>"x\\"y"'`, `''`],
    decoded: str,
  },
  { name: 'ci', type: 'citext', avro: '?string', values: [`'MiXeD 🚀'`, `''`], decoded: str },
  {
    name: 'iv3',
    type: 'interval',
    avro: '?Interval',
    values: [
      `'178956970 years 7 mons 2147483647 days 2562047788:00:54.775807'`,
      `'-178956970 years -7 mons -2147483647 days -2562047788:00:54.775807'`,
      `'-1 day +1 hour'`,
      `'1 mon -0.5 sec'`,
    ],
    expected: 'c::text',
    decoded: str,
  },
  // geometry
  {
    name: 'pt',
    type: 'point',
    avro: '?Point',
    values: [`'(1.5,-2)'`, `'(NaN,Infinity)'`, `'(-0,1e300)'`],
    decoded: pointText,
  },
  { name: 'ln', type: 'line', avro: '?string', values: [`'{1,-1,0}'`], decoded: str },
  { name: 'seg', type: 'lseg', avro: '?string', values: [`'[(0,0),(1,1)]'`], decoded: str },
  { name: 'bx', type: 'box', avro: '?string', values: [`'(3,3),(1,1)'`], decoded: str },
  {
    name: 'pth',
    type: 'path',
    avro: '?string',
    values: [`'[(0,0),(1,1),(2,0)]'`, `'((0,0),(1,1))'`],
    decoded: str,
  },
  {
    name: 'poly',
    type: 'polygon',
    avro: '?string',
    values: [`'((0,0),(1,1),(1,0))'`],
    decoded: str,
  },
  { name: 'circ', type: 'circle', avro: '?string', values: [`'<(0,0),1.5>'`], decoded: str },
  // ranges and multiranges
  {
    name: 'r4',
    type: 'int4range',
    avro: '?string',
    values: [`'[1,10)'`, `'empty'`, `'(,5]'`, `'[-2147483648,)'`],
    decoded: str,
  },
  {
    name: 'r8',
    type: 'int8range',
    avro: '?string',
    values: [`'[1,9223372036854775806]'`],
    decoded: str,
  },
  { name: 'rn', type: 'numrange', avro: '?string', values: [`'(1.5,2.25]'`, `'(,)'`], decoded: str },
  {
    name: 'rd',
    type: 'daterange',
    avro: '?string',
    values: [`'[2000-01-01,infinity)'`],
    decoded: str,
  },
  {
    name: 'rts',
    type: 'tsrange',
    avro: '?string',
    values: [`'[2000-01-01 00:00:00.000001,2000-01-02)'`],
    decoded: str,
  },
  {
    name: 'rtz',
    type: 'tstzrange',
    avro: '?string',
    values: [`'[2000-01-01 00:00:00+05,infinity)'`, `'(,2038-01-19 03:14:08.5+00]'`],
    decoded: str,
  },
  {
    name: 'mr',
    type: 'int4multirange',
    avro: '?string',
    values: [`'{[1,3),[5,7)}'`, `'{}'`],
    decoded: str,
  },
  // arrays
  {
    name: 'a_i4',
    type: 'integer[]',
    avro: '?array<?int>',
    values: [`'{1,NULL,-2147483648}'`, `'{}'`, `'{NULL}'`, `'[0:1]={7,8}'`],
    expected: 'to_json(c)::text',
    decoded: arrayOf(num),
    fromDb: json,
  },
  {
    name: 'a_i4_2d',
    type: 'integer[][]',
    avro: '?array<?array<?int>>',
    values: [`'{{1,2},{3,NULL}}'`, `'{}'`, `'{{-1}}'`],
    expected: 'to_json(c)::text',
    decoded: arrayOf(num),
    fromDb: json,
  },
  {
    name: 'a_i8',
    type: 'bigint[]',
    avro: '?array<?long>',
    values: [`'{9223372036854775807,NULL,-9223372036854775808}'`, `'{}'`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(big),
    fromDb: json,
  },
  {
    name: 'a_txt',
    type: 'text[]',
    avro: '?array<?string>',
    values: [
      `ARRAY['a,b', 'q"x', 'back\\slash', 'NULL', NULL, '', '🚀', '{braces}', ' spaced ']`,
      `'{}'`,
      `ARRAY[NULL, NULL]::text[]`,
    ],
    expected: 'to_json(c)::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_dec',
    type: 'numeric(10,2)[]',
    avro: '?array<?decimal(10,2)>',
    values: [`'{1.5,NULL,-99999999.99}'`, `'{}'`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_f8',
    type: 'double precision[]',
    avro: '?array<?double>',
    values: [`'{NaN,Infinity,-Infinity,-0,0.1,NULL}'`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(num),
    fromDb: (text) => (JSON.parse(text) as Array<string | null>).map((e) => (e === null ? null : Number(e))),
  },
  {
    name: 'a_bin',
    type: 'bytea[]',
    avro: '?array<?bytes>',
    values: [`ARRAY['\\x00ff'::bytea, NULL, '']`],
    expected: eachElement(`encode(x, 'hex')`),
    decoded: arrayOf(hex),
    fromDb: json,
  },
  {
    name: 'a_d',
    type: 'date[]',
    avro: '?array<?Date>',
    values: [`'{1970-01-01,NULL,infinity,0001-01-01 BC}'`],
    expected: eachElement('days(x)'),
    decoded: arrayOf(int),
    fromDb: json,
  },
  {
    name: 'a_tstz',
    type: 'timestamptz[]',
    avro: '?array<?ZonedTimestamp>',
    values: [`'{"1969-12-31 23:59:59.999999+00",NULL,-infinity,"2100-01-01 00:00:00.000001+01"}'`],
    expected: eachElement('micros(x)'),
    decoded: arrayOf(big),
    fromDb: json,
  },
  {
    name: 'a_time',
    type: 'time[]',
    avro: '?array<?MicroTime>',
    values: [`'{24:00:00,NULL,00:00:00.000001}'`],
    expected: eachElement('micros(x)'),
    decoded: arrayOf(big),
    fromDb: json,
  },
  {
    name: 'a_iv',
    type: 'interval[]',
    avro: '?array<?Interval>',
    values: [`ARRAY['1 day 02:00:00'::interval, NULL, '-00:00:01', '1 mon -1 day +00:00:00.5']`],
    expected: 'to_json(c::text[])::text', // with IntervalStyle=iso_8601
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_bpchar',
    type: 'char(3)[]',
    avro: '?array<?string>',
    values: [`ARRAY['a', NULL, '', 'abc', '🚀']::char(3)[]`],
    expected: 'to_json(c)::text', // blank-padded elements, as stored
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_jsb',
    type: 'jsonb[]',
    avro: '?array<?Json>',
    values: [`ARRAY['{"a": [1, "x,y"]}'::jsonb, NULL, '"🚀"', '"\\\\"']`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_box',
    type: 'box[]',
    avro: '?array<?string>',
    values: [`ARRAY['(1,1),(0,0)'::box, NULL, '(3,3),(2,2)']`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_price',
    type: 'price[]',
    avro: '?array<?decimal(12,3)>',
    values: [`'{1.5,NULL,0}'`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_num',
    type: 'numeric[]',
    avro: '?array<?VariableScaleDecimal>',
    values: [`'{NaN,Infinity,-Infinity,1.50,NULL,0.00000000000000000001}'`],
    expected: eachElement(`CASE WHEN x::text IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE x::text END`),
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'a_r4',
    type: 'int4range[]',
    avro: '?array<?string>',
    values: [`ARRAY['[1,3)'::int4range, 'empty', NULL]`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
  {
    name: 'intlist',
    type: 'intlist',
    avro: '?array<?int>',
    values: [`'{1,NULL,3}'`, `'{}'`],
    expected: 'to_json(c)::text',
    decoded: arrayOf(num),
    fromDb: json,
  },
  {
    name: 'a_mood',
    type: 'mood[]',
    avro: '?array<?Enum>',
    values: [`'{happy,"sad 🚀",NULL}'`],
    expected: 'to_json(c::text[])::text',
    decoded: arrayOf(str),
    fromDb: json,
  },
];

const ROWS = 5; // row 5: NULL in every nullable column
/** How long to wait for the matrix's events. */
const WAIT_MS = 60_000;

const SETUP = `
  CREATE TYPE mood AS ENUM ('happy', 'sad 🚀', 'ok');
  CREATE DOMAIN price AS numeric(12,3) CHECK (VALUE >= 0);
  CREATE DOMAIN tag AS varchar(20);
  CREATE DOMAIN intlist AS integer[];
  CREATE TYPE pair AS (a int, b text);
  CREATE EXTENSION hstore;
  CREATE EXTENSION citext;
  -- The database's own renderings of temporal values (infinities: the sentinels TYPES.md documents).
  CREATE FUNCTION days(v date) RETURNS text IMMUTABLE LANGUAGE sql AS $$
    SELECT CASE WHEN v = 'infinity' THEN '2147483647' WHEN v = '-infinity' THEN '-2147483648'
                ELSE (v - date '1970-01-01')::text END $$;
  CREATE FUNCTION micros(v timestamptz) RETURNS text IMMUTABLE LANGUAGE sql AS $$
    SELECT CASE WHEN v = 'infinity' THEN '9223372036854775807' WHEN v = '-infinity' THEN '-9223372036854775808'
                ELSE trunc(extract(epoch FROM v) * 1000000)::text END $$;
  CREATE FUNCTION micros(v timestamp) RETURNS text IMMUTABLE LANGUAGE sql AS $$
    SELECT CASE WHEN v = 'infinity' THEN '9223372036854775807' WHEN v = '-infinity' THEN '-9223372036854775808'
                ELSE trunc(extract(epoch FROM v) * 1000000)::text END $$;
  CREATE FUNCTION micros(v time) RETURNS text IMMUTABLE LANGUAGE sql AS $$
    SELECT trunc(extract(epoch FROM v) * 1000000)::text $$;
`;

const quote = (name: string): string => `"${name}"`;

function rowValues(id: number): string {
  return [
    String(id),
    '0',
    ...COLUMNS.map((column) => {
      const value = id <= 4 ? column.values[id - 1] : column.values[4];
      return value ?? 'NULL';
    }),
  ].join(', ');
}

/**
 * Database defaults that change how values print. Tributary's sessions (the
 * walsender's included) must pin their own settings, so nothing may change.
 * Our `ctx.db` session predates them and keeps the server's defaults.
 */
const HOSTILE_DEFAULTS = [
  `DateStyle = 'SQL, DMY'`,
  `IntervalStyle = 'sql_standard'`,
  `TimeZone = 'Asia/Kathmandu'`,
  `extra_float_digits = -15`,
  `bytea_output = 'escape'`,
];

test('every documented PostgreSQL type: snapshot (r), streamed (c) and update before/after (u) values equal the database values, with edge values', async () => {
  await using ctx = await PgTestContext.open();
  await typeMatrix(ctx);
});

test('the type matrix is unchanged when the database defaults to other DateStyle, IntervalStyle, TimeZone, extra_float_digits and bytea_output', async () => {
  await using ctx = await PgTestContext.open();
  const database = (await ctx.db.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
  for (const setting of HOSTILE_DEFAULTS) await ctx.db.query(`ALTER DATABASE ${database} SET ${setting}`);
  const fresh = new pg.Client({ connectionString: ctx.url });
  await fresh.connect();
  try {
    const shown = await fresh.query<{ d: string; b: string }>(
      `SELECT current_setting('DateStyle') AS d, current_setting('bytea_output') AS b`,
    );
    assert.deepEqual({ ...shown.rows[0] }, { d: 'SQL, DMY', b: 'escape' }, 'the defaults took effect');
  } finally {
    await fresh.end();
  }
  await typeMatrix(ctx);
});

async function typeMatrix(ctx: PgTestContext): Promise<void> {
  await ctx.db.query(SETUP);
  const columnDefs = COLUMNS.map((c) => `${quote(c.name)} ${c.type}`).join(',\n    ');
  await ctx.db.query(`CREATE TABLE matrix (id int PRIMARY KEY, rev int NOT NULL,\n    ${columnDefs})`);
  for (let id = 1; id <= ROWS; id++) await ctx.db.query(`INSERT INTO matrix VALUES (${rowValues(id)})`);

  const topic = ctx.topic('matrix');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  const ops = (op: string) => events.changes(topic).filter((e) => e.value.op === op);
  await waitOrFail(connector, events, () => ops('r').length >= ROWS, 'the snapshot of the matrix', WAIT_MS);

  // The same rows again while streaming, then an update of every one of them.
  const names = COLUMNS.map((c) => quote(c.name)).join(', ');
  await ctx.db.query(
    `INSERT INTO matrix (id, rev, ${names}) SELECT id + 100, rev, ${names} FROM matrix ORDER BY id`,
  );
  await ctx.db.query(`UPDATE matrix SET rev = rev + 1 WHERE id > 100`);
  await waitOrFail(
    connector,
    events,
    () => ops('c').length >= ROWS && ops('u').length >= ROWS,
    'the streamed inserts and updates',
    WAIT_MS,
  );
  await connector.stop();

  // What the database itself says each value is.
  const expectations = COLUMNS.map((c) => `(${(c.expected ?? 'c').replaceAll(/\bc\b/g, quote(c.name))})`);
  await ctx.db.query('BEGIN');
  await ctx.db.query(`SET LOCAL IntervalStyle = iso_8601`);
  await ctx.db.query(`SET LOCAL TimeZone = 'UTC'`);
  const { rows } = await ctx.db.query<Array<string | null>>({
    text: `SELECT id::text, rev::text, ${expectations.join(', ')} FROM matrix ORDER BY id`,
    rowMode: 'array',
    types: { getTypeParser: () => (text: string) => text },
  });
  await ctx.db.query('COMMIT');
  const database = new Map(rows.map((row) => [Number(row[0]), row]));
  assert.equal(database.size, ROWS * 2);

  const mismatches: Mismatch[] = [];
  const compare = (row: number, image: Record<string, unknown> | null, what: string) => {
    assert.ok(image, `${what} of row ${row} is null`);
    const expected = database.get(row)!;
    assert.equal(image['id'], row, `${what}: id`);
    COLUMNS.forEach((column, i) => {
      const text = expected[i + 2]!;
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
          column: `${what}.${column.name} (${column.type})`,
          kafka: got,
          database: want,
        });
      }
    });
  };

  // Snapshot reads (ids 1..5) and streamed creates (ids 101..105) against the database.
  const reads = ops('r');
  const creates = ops('c');
  assert.deepEqual(
    reads.map((e) => e.value.after?.['id']),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    creates.map((e) => e.value.after?.['id']),
    [101, 102, 103, 104, 105],
  );
  for (const e of reads) compare(e.value.after!['id'] as number, e.value.after, 'r.after');
  for (const e of creates) compare(e.value.after!['id'] as number, e.value.after, 'c.after');
  for (const e of ops('u')) {
    const id = e.value.after!['id'] as number;
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

  // The Avro type of every column is the one TYPES.md documents.
  const fields = await latestValueSchema(topic);
  const actualTypes = Object.fromEntries(COLUMNS.map((c) => [c.name, avroSummary(fields.get(c.name))]));
  const documented = Object.fromEntries(COLUMNS.map((c) => [c.name, c.avro]));
  assert.deepEqual(actualTypes, documented);
  assert.equal(avroSummary(fields.get('id')), 'int');
  assert.equal(avroSummary(fields.get('rev')), 'int');
}
