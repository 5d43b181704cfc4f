/**
 * Every type against the real server: values written as SQL literals, read
 * back as TEXT, parsed, and compared with what the database itself computes
 * for each (epoch microseconds with exact numeric arithmetic, send() bytes of
 * floats, encode(bytea), numeric text, JSON of array elements...).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { ColumnType } from '../../src/core/schema.ts';
import { stackEnv, uniqueName } from '../../test/harness/stack.ts';
import { formatType } from './format-type.ts';
import { PG_OID, type PgTypeInfo } from './pg-type-info.ts';
import {
  DATE_INFINITY,
  DATE_NEG_INFINITY,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from './temporal-text.ts';
import { PgTypeCatalog } from './type-catalog.ts';
import { columnTypeFor, parserFor } from './types.ts';

const TEXT = { getTypeParser: () => (value: string) => value };
const SESSION = `SET TimeZone='UTC'; SET DateStyle='ISO'; SET IntervalStyle='postgres'; SET extra_float_digits=3; SET lc_monetary='C'`;

interface Check {
  /** SQL computing, from column `c`, the text the parsed value is checked against. */
  sql: (c: string) => string;
  /** Asserts `parsed` (never null input) against the check text; `losses` are the values reported as lossy. */
  verify: (parsed: unknown, check: string, info: PgTypeInfo, losses: string[]) => void;
}

interface ColumnDef {
  type: string;
  avro: ColumnType;
  values: string[];
  check: Check;
}

const unchecked: Check = { sql: (c) => `${c}::text`, verify: () => {} };
// The output function's text, where `::text` differs (inet::text always shows the mask).
const output: Check = {
  sql: (c) => `format('%s', ${c})`,
  verify: (parsed, check) => assert.equal(parsed, check),
};
const same: Check = { sql: (c) => `${c}::text`, verify: (parsed, check) => assert.equal(parsed, check) };
const asString: Check = {
  sql: (c) => `${c}::text`,
  verify: (parsed, check) => assert.equal(String(parsed), check),
};
const utf8: Check = {
  sql: (c) => `format('%s', ${c}) || '|' || octet_length(format('%s', ${c}))`,
  verify: (parsed, check) =>
    assert.equal(`${parsed as string}|${Buffer.byteLength(parsed as string)}`, check),
};
const bits: Check = {
  sql: (c) => `${c}::text || '|' || length(${c})`,
  verify: (parsed, check) => assert.equal(`${parsed as string}|${(parsed as string).length}`, check),
};
const float = (width: 4 | 8): Check => ({
  sql: (c) => `CASE WHEN ${c} = 'NaN' THEN 'NaN' ELSE encode(float${width}send(${c}), 'hex') END`,
  verify: (parsed, check) => {
    if (check === 'NaN') return assert.ok(Number.isNaN(parsed));
    const buffer = Buffer.alloc(width);
    if (width === 4) buffer.writeFloatBE(parsed as number);
    else buffer.writeDoubleBE(parsed as number);
    assert.equal(buffer.toString('hex'), check);
  },
});
/** Unconstrained numeric: the exact text; NaN and ±Infinity null, reported. */
const variableDecimal: Check = {
  sql: (c) => `${c}::text`,
  verify: (parsed, check, _info, losses) => {
    if (['NaN', 'Infinity', '-Infinity'].includes(check)) {
      assert.equal(parsed, null);
      return assert.ok(losses.some((m) => m.includes(check)));
    }
    assert.equal(parsed, check);
  },
};
const decimal: Check = {
  sql: (c) => `${c}::text || '|' || coalesce(scale(${c})::text, '')`,
  verify: (parsed, check, _info, losses) => {
    const [text, scale] = check.split('|');
    if (text === 'NaN') {
      assert.equal(parsed, null);
      return assert.ok(losses.some((m) => m.includes('NaN')));
    }
    assert.equal(parsed, text);
    assert.equal((parsed as string).split('.')[1]?.length ?? 0, Number(scale));
  },
};
// Exact microseconds since the epoch (or midnight), computed by the server in numeric.
const epochMicros = (c: string) => `(extract(epoch from ${c}) * 1000000)::numeric(40,0)::text`;
const timestamp: Check = {
  sql: (c) => `CASE WHEN isfinite(${c}) THEN ${epochMicros(c)} ELSE ${c}::text END`,
  verify: (parsed, check, _info, losses) => {
    if (check === 'infinity') return assert.equal(parsed, TIMESTAMP_INFINITY);
    if (check === '-infinity') return assert.equal(parsed, TIMESTAMP_NEG_INFINITY);
    if (BigInt(check) >= TIMESTAMP_INFINITY) {
      assert.equal(parsed, TIMESTAMP_INFINITY);
      return assert.ok(losses.some((m) => m.includes('int64')));
    }
    assert.equal(parsed, BigInt(check));
  },
};
const date: Check = {
  sql: (c) => `CASE WHEN isfinite(${c}) THEN (${c} - date '1970-01-01')::text ELSE ${c}::text END`,
  verify: (parsed, check) => {
    const expected =
      check === 'infinity' ? DATE_INFINITY : check === '-infinity' ? DATE_NEG_INFINITY : Number(check);
    assert.equal(parsed, expected);
  },
};
const time: Check = { sql: epochMicros, verify: (parsed, check) => assert.equal(parsed, BigInt(check)) };
const timetz: Check = {
  // epoch of a timetz is its UTC time of day; timezone is its offset east of UTC, in seconds.
  sql: (c) => `${epochMicros(c)} || '|' || extract(timezone from ${c})::text`,
  verify: (parsed, check) => {
    const match = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(
      parsed as string,
    );
    assert.ok(match, `ISO time with offset: ${String(parsed)}`);
    const [, h, m, s, f = '', sign, oh, om, os = '0'] = match;
    const local = ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1e6 + Number(f.padEnd(6, '0'));
    const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
    const [epoch, zone] = check.split('|');
    assert.equal(offset, Number(zone));
    assert.equal(local - offset * 1e6, Number(epoch));
  },
};
const money: Check = {
  sql: (c) => `${c}::numeric::text`,
  verify: (parsed, check) => assert.equal(parsed, check),
};
const bytea: Check = {
  sql: (c) => `encode(${c}, 'hex')`,
  verify: (parsed, check) => assert.equal((parsed as Buffer).toString('hex'), check),
};
// Arrays: the server's JSON of the element texts gives structure, NULLs and unescaped elements.
const array: Check = {
  sql: (c) => `to_json(${c}::text[])::text`,
  verify: (parsed, check, info) => {
    const arrayType = arrayInfo(info);
    const element = parserFor({ ...arrayType.element!, typmod: arrayType.typmod }, { onLoss: () => {} });
    const expected = mapDeep(JSON.parse(check), element);
    assert.deepEqual(parsed, expected);
  },
};

function arrayInfo(info: PgTypeInfo): PgTypeInfo {
  return info.base ? arrayInfo(info.base) : info;
}

function mapDeep(value: unknown, parse: (text: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, parse));
  return value === null ? null : parse(value as string);
}

const str = (semantic?: string): ColumnType =>
  (semantic ? { kind: 'string', semantic } : { kind: 'string' }) as ColumnType;
const arr = (items: ColumnType): ColumnType => ({ kind: 'array', items });
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

function columns(schema: string): Record<string, ColumnDef> {
  const ts = [
    '1970-01-01 00:00:00',
    '1969-12-31 23:59:59.999999',
    '1900-01-01 00:00:00.000001',
    '2038-01-19 03:14:08.123456',
    '2262-04-11 23:47:16.854776',
    '9999-12-31 23:59:59.999999',
    '10000-01-01 00:00:00',
    '294247-01-10 04:00:54.775806',
    '294276-12-31 23:59:59.999999',
    '0044-03-15 10:00:00.5 BC',
    '4713-01-01 00:00:00 BC',
    'infinity',
    '-infinity',
  ].map(q);
  return {
    c_int2: { type: 'smallint', avro: { kind: 'int16' }, values: ['-32768', '32767', '0'], check: asString },
    c_int4: {
      type: 'integer',
      avro: { kind: 'int32' },
      values: ['-2147483648', '2147483647'],
      check: asString,
    },
    c_int8: {
      type: 'bigint',
      avro: { kind: 'int64' },
      values: ['-9223372036854775808', '9223372036854775807', '9007199254740993'],
      check: asString,
    },
    c_oid: { type: 'oid', avro: { kind: 'int64' }, values: ['4294967295', '0'], check: asString },
    c_xid8: {
      type: 'xid8',
      avro: { kind: 'decimal', precision: 20, scale: 0 },
      values: [q('18446744073709551615')],
      check: same,
    },
    c_num: {
      type: 'numeric(38,9)',
      avro: { kind: 'decimal', precision: 38, scale: 9 },
      values: ['12345678901234567890.123456789', q('NaN'), '-0.000000001', '0', '1e-20'],
      check: decimal,
    },
    c_num_neg_scale: {
      type: 'numeric(2,-3)',
      avro: { kind: 'decimal', precision: 5, scale: 0 },
      values: ['12345'],
      check: decimal,
    },
    c_num_big_scale: {
      type: 'numeric(3,5)',
      avro: { kind: 'decimal', precision: 5, scale: 5 },
      values: ['0.00123'],
      check: decimal,
    },
    c_numeric: {
      type: 'numeric',
      avro: { kind: 'variable-decimal' },
      values: [
        '12345678901234567890.123456789',
        '1e-20',
        q('NaN'),
        q('Infinity'),
        q('-Infinity'),
        '-0.000',
        '1e100',
      ],
      check: variableDecimal,
    },
    c_real: {
      type: 'real',
      avro: { kind: 'float32' },
      values: ['1.1', '-0', q('NaN'), q('Infinity'), q('-Infinity'), '3.4028235e38', '1e-45'].map(
        (v) => `(${v})::real`,
      ),
      check: float(4),
    },
    c_double: {
      type: 'double precision',
      avro: { kind: 'float64' },
      values: [
        '0.1',
        q('-0'),
        q('NaN'),
        q('Infinity'),
        q('-Infinity'),
        '1.7976931348623157e308',
        '5e-324',
        '-123.456',
      ].map((v) => `(${v})::float8`),
      check: float(8),
    },
    c_money: {
      type: 'money',
      avro: { kind: 'decimal', scale: 2 },
      values: ['1234.5', '-1234.5', q('92233720368547758.07'), q('-92233720368547758.08'), '0'].map(
        (v) => `(${v})::money`,
      ),
      check: money,
    },
    c_bool: {
      type: 'boolean',
      avro: { kind: 'boolean' },
      values: ['true', 'false'],
      check: { sql: (c) => `${c}::text`, verify: (p, c) => assert.equal(p, c === 'true') },
    },
    c_char: { type: 'char(5)', avro: str(), values: [q('ab'), q(''), q('🚀')], check: utf8 },
    c_varchar: { type: 'varchar(10)', avro: str(), values: [q('🚀'), q(''), q('a"b,c\\d')], check: utf8 },
    c_text: {
      type: 'text',
      avro: str(),
      values: [q(''), q('🚀 rocket'), "E'multi\\nline\\ttab'", q('NULL')],
      check: utf8,
    },
    c_qchar: { type: '"char"', avro: str(), values: [q('a'), q('é')], check: same },
    c_name: { type: 'name', avro: str(), values: [q('pg_class')], check: same },
    c_bytea: {
      type: 'bytea',
      avro: { kind: 'bytes' },
      values: [q('\\x'), q('\\xdeadbeef00'), `'hello 🚀'::bytea`],
      check: bytea,
    },
    c_date: {
      type: 'date',
      avro: { kind: 'date' },
      values: [
        '1970-01-01',
        '1969-12-31',
        '2024-02-29',
        '0001-01-01',
        '0001-12-31 BC',
        '4714-11-24 BC',
        '5874897-12-31',
        'infinity',
        '-infinity',
      ].map(q),
      check: date,
    },
    c_time: {
      type: 'time',
      avro: { kind: 'time-micros', precision: 6 },
      values: ['00:00:00', '23:59:59.999999', '24:00:00', '12:34:56.5'].map(q),
      check: time,
    },
    c_timetz: {
      type: 'time(6) with time zone',
      avro: str('time-with-zone'),
      values: [
        '04:05:06.789+05:30',
        '04:05:06-02',
        '23:59:59.999999-15:59',
        '00:00:00+00',
        '12:00:00+05:30:15',
      ].map(q),
      check: timetz,
    },
    c_ts: {
      type: 'timestamp',
      avro: { kind: 'local-timestamp-micros', precision: 6 },
      values: ts,
      check: timestamp,
    },
    c_tstz: {
      type: 'timestamptz',
      avro: { kind: 'timestamp-micros', precision: 6 },
      values: [
        ...ts,
        q('2024-06-01 12:00:00+05:30'),
        q('1850-01-01 00:00:00 America/New_York'),
        q('1500-06-01 12:00:00.000001-03'),
      ],
      check: timestamp,
    },
    c_ts3: {
      type: 'timestamp(3)',
      avro: { kind: 'local-timestamp-micros', precision: 3 },
      values: [q('2024-01-01 00:00:00.1239')],
      check: timestamp,
    },
    c_interval: {
      type: 'interval',
      avro: str('interval'),
      values: [
        '0',
        '1 day',
        '1 year 2 mons 3 days 04:05:06.789',
        '-1 year -2 mons +3 days -04:05:06.5',
        '-0.000001 sec',
        '178956970 years 7 mons 2147483647 days 2562047788:00:54.775807',
        '-178956970 years -8 mons -2147483648 days -2562047788:00:54.775807',
        '36 hours',
        '-1 mons 1 day',
      ].map(q),
      check: unchecked, // checked against IntervalStyle=iso_8601 below
    },
    c_interval_ym: {
      type: 'interval year to month',
      avro: str('interval'),
      values: [q('3 years 2 months')],
      check: unchecked,
    },
    c_uuid: {
      type: 'uuid',
      avro: { kind: 'uuid' },
      values: [q('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')],
      check: { sql: (c) => `${c}::text`, verify: (p, c) => assert.equal(p, c.toLowerCase()) },
    },
    c_json: {
      type: 'json',
      avro: str('json'),
      values: [q('{"a": 1,  "b": "🚀"}'), q('null'), q('[]')],
      check: utf8,
    },
    c_jsonb: {
      type: 'jsonb',
      avro: str('json'),
      values: [q('{"b": "🚀", "a": [1, 2.50]}'), q('"x"')],
      check: utf8,
    },
    c_xml: { type: 'xml', avro: str('xml'), values: [q('<a x="1">🚀</a>')], check: same },
    c_inet: {
      type: 'inet',
      avro: str('inet'),
      values: [q('192.168.0.1/24'), q('::1'), q('2001:db8::1/64')],
      check: output,
    },
    c_cidr: { type: 'cidr', avro: str('cidr'), values: [q('10.0.0.0/8'), q('2001:db8::/32')], check: same },
    c_macaddr: { type: 'macaddr', avro: str('macaddr'), values: [q('08:00:2B:01:02:03')], check: same },
    c_macaddr8: {
      type: 'macaddr8',
      avro: str('macaddr'),
      values: [q('08:00:2b:01:02:03:04:05')],
      check: same,
    },
    c_bit: { type: 'bit(4)', avro: { kind: 'bits', length: 4 }, values: ["B'1010'", "B'0000'"], check: bits },
    c_varbit: { type: 'bit varying(8)', avro: str('bits'), values: ["B''", "B'10101'"], check: bits },
    c_tsvector: {
      type: 'tsvector',
      avro: str('tsvector'),
      values: [q('a fat cat sat on a mat'), q('')],
      check: same,
    },
    c_tsquery: { type: 'tsquery', avro: str(), values: [q('fat & (rat | cat)')], check: same },
    c_point: {
      type: 'point',
      avro: { kind: 'geometry', point: true },
      values: [q('(1.5,-2)')],
      // SRID 0, then the WKB point: x at byte 9, y at 17.
      check: {
        sql: (c) => `${c}::text`,
        verify: (p, c) =>
          assert.equal(`(${(p as Buffer).readDoubleLE(9)},${(p as Buffer).readDoubleLE(17)})`, c),
      },
    },
    c_line: { type: 'line', avro: str('geometry'), values: [q('{1,-1,0}')], check: same },
    c_lseg: { type: 'lseg', avro: str('geometry'), values: [q('[(0,0),(1,1)]')], check: same },
    c_box: { type: 'box', avro: str('geometry'), values: [q('(0,0),(1,1)')], check: same },
    c_path: {
      type: 'path',
      avro: str('geometry'),
      values: [q('[(0,0),(1,1),(2,0)]'), q('((0,0),(1,1))')],
      check: same,
    },
    c_polygon: { type: 'polygon', avro: str('geometry'), values: [q('((0,0),(1,1),(2,0))')], check: same },
    c_circle: { type: 'circle', avro: str('geometry'), values: [q('<(0,0),1.5>')], check: same },
    c_int4range: {
      type: 'int4range',
      avro: str('range'),
      values: [q('[1,10)'), q('empty'), q('(,5]')],
      check: same,
    },
    c_int8range: {
      type: 'int8range',
      avro: str('range'),
      values: [q('[1,9223372036854775806]')],
      check: same,
    },
    c_numrange: { type: 'numrange', avro: str('range'), values: [q('(,1.5]')], check: same },
    c_daterange: { type: 'daterange', avro: str('range'), values: [q('[2024-01-01,infinity)')], check: same },
    c_tsrange: {
      type: 'tsrange',
      avro: str('range'),
      values: [q('[2024-01-01 00:00,2024-01-02 00:00)')],
      check: same,
    },
    c_tstzrange: {
      type: 'tstzrange',
      avro: str('range'),
      values: [q('[2024-01-01 00:00+02,)')],
      check: same,
    },
    c_multirange: {
      type: 'int4multirange',
      avro: str('range'),
      values: [q('{[1,3),[5,7)}'), q('{}')],
      check: same,
    },
    c_pg_lsn: { type: 'pg_lsn', avro: str(), values: [q('16/B374D848')], check: same },
    c_enum: {
      type: `${schema}.mood`,
      avro: { kind: 'string', semantic: 'enum', allowed: ['sad', 'ok', 'happy 🚀'] },
      values: [q('sad'), q('happy 🚀')],
      check: same,
    },
    c_price: {
      type: `${schema}.price`,
      avro: { kind: 'decimal', precision: 12, scale: 3 },
      values: ['1.5', q('NaN')],
      check: decimal,
    },
    c_ints_domain: {
      type: `${schema}.ints`,
      avro: arr({ kind: 'int32' }),
      values: [q('{1,2}'), q('{}')],
      check: array,
    },
    c_pair: { type: `${schema}.pair`, avro: str(), values: [`ROW(1, 'a b')::${schema}.pair`], check: same },
    a_int4: {
      type: 'integer[]',
      avro: arr({ kind: 'int32' }),
      values: [q('{}'), q('{1,NULL,3}'), q('[0:1]={1,2}')],
      check: array,
    },
    a_int8: {
      type: 'bigint[]',
      avro: arr({ kind: 'int64' }),
      values: [q('{9223372036854775807,-1}')],
      check: array,
    },
    a_text: {
      type: 'text[]',
      avro: arr(str()),
      values: [`ARRAY['', NULL, 'NULL', 'a,b', 'q"x', 'b\\s', ' sp', '{x}', '🚀', 'x y']`, q('{}')],
      check: array,
    },
    a_grid: {
      type: 'integer[][]',
      avro: arr(arr({ kind: 'int32' })),
      values: [q('{{1,2},{3,NULL}}'), q('[1:2][3:3]={{1},{2}}'), q('{}')],
      check: array,
    },
    a_cube: {
      type: 'text[][][]',
      avro: arr(arr(arr(str()))),
      values: [q('{{{a,"b,c"}},{{NULL,""}}}')],
      check: array,
    },
    a_num: {
      type: 'numeric(10,2)[]',
      avro: arr({ kind: 'decimal', precision: 10, scale: 2 }),
      values: [q('{1.5,NaN,NULL}')],
      check: array,
    },
    a_tstz: {
      type: 'timestamptz[]',
      avro: arr({ kind: 'timestamp-micros', precision: 6 }),
      values: [`ARRAY['1970-01-01 00:00:01+00', NULL, '-infinity', '0044-03-15 10:00:00 BC']::timestamptz[]`],
      check: array,
    },
    a_date: {
      type: 'date[]',
      avro: arr({ kind: 'date' }),
      values: [q('{1970-01-02,infinity,NULL}')],
      check: array,
    },
    a_box: {
      type: 'box[]',
      avro: arr(str('geometry')),
      values: [`ARRAY['(1,1),(0,0)'::box, '(2,2),(1,1)']`],
      check: array,
    },
    a_bytea: {
      type: 'bytea[]',
      avro: arr({ kind: 'bytes' }),
      values: [`ARRAY['\\x0102'::bytea, NULL, '']`],
      check: array,
    },
    a_json: {
      type: 'jsonb[]',
      avro: arr(str('json')),
      values: [`ARRAY['{"a": "x,y"}'::jsonb, '"q\\""']`],
      check: array,
    },
    a_uuid: {
      type: 'uuid[]',
      avro: arr({ kind: 'uuid' }),
      values: [q('{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}')],
      check: array,
    },
    a_enum: {
      type: `${schema}.mood[]`,
      avro: arr({ kind: 'string', semantic: 'enum', allowed: ['sad', 'ok', 'happy 🚀'] }),
      values: [q('{sad,NULL,"happy 🚀"}')],
      check: array,
    },
    a_price: {
      type: `${schema}.price[]`,
      avro: arr({ kind: 'decimal', precision: 12, scale: 3 }),
      values: [q('{1.5,NULL}')],
      check: array,
    },
  };
}

const env = stackEnv();

describe('Postgres types against the live server', () => {
  const schema = uniqueName('types');
  const table = `${schema}.every_type`;
  const client = new pg.Client({ connectionString: env.pgUrl });
  const defs = columns(schema);
  const names = Object.keys(defs);
  let infos: Map<string, PgTypeInfo>;
  let rows: Array<Record<string, string | null>>;
  const losses = new Map<string, string[]>();

  before(async () => {
    await client.connect();
    await client.query(SESSION);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TYPE ${schema}.mood AS ENUM ('sad', 'ok', 'happy 🚀')`);
    await client.query(`CREATE DOMAIN ${schema}.price AS numeric(12,3)`);
    await client.query(`CREATE DOMAIN ${schema}.ints AS integer[]`);
    await client.query(`CREATE TYPE ${schema}.pair AS (n integer, s text)`);
    const columnSql = names.map((n) => `${n} ${defs[n]!.type}`).join(', ');
    await client.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, ${columnSql})`);
    const count = Math.max(...names.map((n) => defs[n]!.values.length));
    for (let i = 0; i <= count; i++) {
      // The last row is all NULL.
      const values = names.map((n) => defs[n]!.values[i] ?? 'NULL');
      await client.query(
        `INSERT INTO ${table} (id, ${names.join(', ')}) VALUES (${i}, ${values.join(', ')})`,
      );
    }

    const { rows: attributes } = await client.query<{
      name: string;
      oid: string;
      typmod: string;
      dims: string;
    }>({
      text: `SELECT attname AS name, atttypid AS oid, atttypmod AS typmod, attndims AS dims FROM pg_attribute
              WHERE attrelid = $1::regclass AND attnum > 1 ORDER BY attnum`,
      values: [table],
      types: TEXT,
    });
    const catalog = new PgTypeCatalog(client);
    const resolved = await catalog.resolve(
      attributes.map((a) => ({ oid: Number(a.oid), typmod: Number(a.typmod), dimensions: Number(a.dims) })),
    );
    infos = new Map(attributes.map((a, i) => [a.name, resolved[i]!]));

    const checks = names
      .map((n) => `CASE WHEN ${n} IS NOT NULL THEN ${defs[n]!.check.sql(n)} END AS "check ${n}"`)
      .join(', ');
    ({ rows } = await client.query<Record<string, string | null>>({
      text: `SELECT ${names.join(', ')}, ${checks} FROM ${table} ORDER BY id`,
      types: TEXT,
    }));
  });

  after(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  test('every column maps to the expected type; formatType agrees with the server on built-ins', () => {
    for (const name of names) {
      const info = infos.get(name)!;
      const mapped = columnTypeFor(info);
      assert.deepEqual(mapped.type, defs[name]!.avro, name);
      assert.equal(mapped.sourceType, info.sourceType, name);
      if (info.schema === 'pg_catalog') assert.equal(formatType(info), info.sourceType, name);
    }
    assert.equal(infos.get('c_enum')!.sourceType, `${schema}.mood`);
    assert.deepEqual(infos.get('c_enum')!.enumLabels, ['sad', 'ok', 'happy 🚀']);
    assert.equal(infos.get('a_grid')!.dimensions, 2);
  });

  for (const name of names) {
    test(`${name}: parsed values match the server's own computation`, () => {
      const info = infos.get(name)!;
      const columnLosses: string[] = [];
      losses.set(name, columnLosses);
      const parse = parserFor(info, { onLoss: (m) => columnLosses.push(m) });
      for (const row of rows) {
        const text = row[name];
        const check = row[`check ${name}`];
        assert.equal(check == null, text == null, `${name}: NULL in the value or its check only`);
        if (text == null) continue;
        const parsed = parse(text);
        try {
          defs[name]!.check.verify(parsed, check!, info, columnLosses);
        } catch (error) {
          throw new Error(
            `${name}: ${JSON.stringify(text)} → ${String(parsed)} vs ${check}: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
      }
    });
  }

  test('intervals equal the server output with IntervalStyle=iso_8601', async () => {
    const parse = parserFor(infos.get('c_interval')!);
    const parseYm = parserFor(infos.get('c_interval_ym')!);
    await client.query(`SET IntervalStyle='iso_8601'`);
    try {
      const { rows: iso } = await client.query<{ c_interval: string | null; c_interval_ym: string | null }>({
        text: `SELECT c_interval, c_interval_ym FROM ${table} ORDER BY id`,
        types: TEXT,
      });
      assert.equal(iso.length, rows.length);
      iso.forEach((row, i) => {
        const text = rows[i]!['c_interval'];
        assert.equal(text == null ? null : parse(text), row.c_interval, text ?? 'NULL');
        const ym = rows[i]!['c_interval_ym'];
        assert.equal(ym == null ? null : parseYm(ym), row.c_interval_ym);
      });
    } finally {
      await client.query(`SET IntervalStyle='postgres'`);
    }
  });

  test('the built-in table matches pg_type', async () => {
    const { rows: types } = await client.query<{ name: string; oid: string }>({
      text: `SELECT typname AS name, oid FROM pg_type WHERE typnamespace = 'pg_catalog'::regnamespace AND typname = ANY($1)`,
      values: [Object.keys(PG_OID)],
      types: TEXT,
    });
    assert.equal(types.length, Object.keys(PG_OID).length);
    for (const { name, oid } of types) assert.equal(PG_OID[name], Number(oid), name);
  });

  test('the catalog caches per oid and reads enum labels again after invalidate', async () => {
    const catalog = new PgTypeCatalog(client);
    const mood = Number(
      (await client.query({ text: `SELECT '${schema}.mood'::regtype::oid AS oid`, types: TEXT })).rows[0].oid,
    );
    const moods = Number(
      (await client.query({ text: `SELECT '${schema}.mood[]'::regtype::oid AS oid`, types: TEXT })).rows[0]
        .oid,
    );
    const [first] = await catalog.resolve([{ oid: moods, typmod: -1 }]);
    assert.equal(first!.element!.oid, mood);
    await client.query(`ALTER TYPE ${schema}.mood ADD VALUE 'ecstatic'`);
    const [cached] = await catalog.resolve([{ oid: moods, typmod: -1 }]);
    assert.deepEqual(cached!.element!.enumLabels, ['sad', 'ok', 'happy 🚀']);
    catalog.invalidate([mood]);
    const [fresh] = await catalog.resolve([{ oid: moods, typmod: -1 }]);
    assert.deepEqual(fresh!.element!.enumLabels, ['sad', 'ok', 'happy 🚀', 'ecstatic']);
    assert.equal(fresh!.sourceType, `${schema}.mood[]`);
  });

  test('a type the catalog no longer has passes as a string', async () => {
    const catalog = new PgTypeCatalog(client);
    const [gone] = await catalog.resolve([{ oid: 4_000_000_000, typmod: -1 }]);
    assert.deepEqual(columnTypeFor(gone!).type, { kind: 'string' });
  });
});
