import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TributaryError } from '../../src/core/errors.ts';
import { formatType } from './format-type.ts';
import { arrayOf, builtinType, numericTypmod, PG_OID, type PgTypeInfo } from './pg-type-info.ts';
import { daysFromCivil } from '../../src/core/civil-date.ts';
import {
  DATE_INFINITY,
  DATE_NEG_INFINITY,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
} from './temporal-text.ts';
import { columnTypeFor, parserFor, parseText } from './types.ts';
import { constantDefault, notNullParser } from './table-schema.ts';

const t = builtinType;
/** typmod of numeric(p,s), as Postgres stores it. */
const numericMod = (p: number, s: number) => ((p << 16) | (s & 0x7ff)) + 4;
const parse = (name: string, text: string, typmod = -1) => parseText(t(name, typmod), text);
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const micros = (iso: string, fraction = 0) => BigInt(Date.parse(iso)) * 1000n + BigInt(fraction);

function rejects(fn: () => unknown, code = 'SOURCE_SETTING') {
  assert.throws(fn, (e: unknown) => e instanceof TributaryError && e.code === code);
}

describe('integers', () => {
  test('smallint, integer and bigint are exact', () => {
    assert.equal(parse('int2', '-32768'), -32768);
    assert.equal(parse('int4', '2147483647'), 2147483647);
    assert.equal(parse('int8', '9223372036854775807'), 9223372036854775807n);
    assert.equal(parse('int8', '-9223372036854775808'), -9223372036854775808n);
    assert.equal(parse('int8', '9007199254740993'), 9007199254740993n);
    assert.deepEqual(columnTypeFor(t('int2')).type, { kind: 'int16' });
    assert.deepEqual(columnTypeFor(t('int4')).type, { kind: 'int32' });
    assert.deepEqual(columnTypeFor(t('int8')).type, { kind: 'int64' });
  });

  test('oid, xid and cid are unsigned 32-bit: int64; xid8 is unsigned 64-bit: decimal(20,0)', () => {
    assert.equal(parse('oid', '4294967295'), 4294967295n);
    assert.deepEqual(columnTypeFor(t('oid')).type, { kind: 'int64' });
    assert.deepEqual(columnTypeFor(t('xid8')).type, { kind: 'decimal', precision: 20, scale: 0 });
    assert.equal(parse('xid8', '18446744073709551615'), '18446744073709551615');
  });
});

describe('numeric', () => {
  test('typmod gives precision and scale, including negative scales (PG 15)', () => {
    assert.deepEqual(numericTypmod(numericMod(10, 2)), { precision: 10, scale: 2 });
    assert.deepEqual(numericTypmod(numericMod(2, -3)), { precision: 2, scale: -3 });
    assert.deepEqual(numericTypmod(numericMod(1000, 1000)), { precision: 1000, scale: 1000 });
    assert.equal(numericTypmod(-1), null);
  });

  test('numeric(p,s) is a decimal of the same text; NaN becomes null and is reported', () => {
    const type = t('numeric', numericMod(10, 2));
    assert.deepEqual(columnTypeFor(type), {
      type: { kind: 'decimal', precision: 10, scale: 2 },
      sourceType: 'numeric(10,2)',
    });
    const losses: string[] = [];
    const p = parserFor(type, { onLoss: (m) => losses.push(m) });
    assert.equal(p('-12345678.90'), '-12345678.90');
    assert.equal(p('0.00'), '0.00');
    assert.equal(p('NaN'), null);
    assert.equal(losses.length, 1);
    assert.match(losses[0]!, /NaN/);
  });

  test('scales Avro cannot declare are widened without loss', () => {
    assert.deepEqual(columnTypeFor(t('numeric', numericMod(2, -3))).type, {
      kind: 'decimal',
      precision: 5,
      scale: 0,
    });
    assert.deepEqual(columnTypeFor(t('numeric', numericMod(3, 5))).type, {
      kind: 'decimal',
      precision: 5,
      scale: 5,
    });
  });

  test('unconstrained numeric is exact text (a VariableScaleDecimal); NaN and ±Infinity become null and are reported', () => {
    assert.deepEqual(columnTypeFor(t('numeric')).type, { kind: 'variable-decimal' });
    for (const text of ['12345678901234567890.123456789', '0.00000000000000000001', '-0.5']) {
      assert.equal(parse('numeric', text), text);
    }
    const losses: string[] = [];
    const p = parserFor(t('numeric'), { onLoss: (m) => losses.push(m) });
    for (const text of ['NaN', 'Infinity', '-Infinity']) assert.equal(p(text), null);
    assert.equal(losses.length, 3);
  });
});

describe('floats', () => {
  test('special values and -0 survive', () => {
    for (const name of ['float4', 'float8']) {
      assert.ok(Number.isNaN(parse(name, 'NaN')));
      assert.equal(parse(name, 'Infinity'), Infinity);
      assert.equal(parse(name, '-Infinity'), -Infinity);
      assert.ok(Object.is(parse(name, '-0'), -0));
    }
    assert.equal(parse('float8', '1e+300'), 1e300);
    assert.equal(parse('float8', '2.2250738585072014e-308'), 2.2250738585072014e-308);
    assert.equal(Math.fround(parse('float4', '1.1') as number), Math.fround(1.1));
    assert.deepEqual(columnTypeFor(t('float4')).type, { kind: 'float32' });
    assert.deepEqual(columnTypeFor(t('float8')).type, { kind: 'float64' });
  });
});

describe('money', () => {
  test('C-locale text becomes plain decimal text', () => {
    assert.deepEqual(columnTypeFor(t('money')).type, { kind: 'decimal', scale: 2 });
    assert.equal(parse('money', '$1,234.50'), '1234.50');
    assert.equal(parse('money', '-$92,233,720,368,547,758.08'), '-92233720368547758.08');
    assert.equal(parse('money', '$0.00'), '0.00');
  });

  test('other locales are refused rather than guessed', () => {
    rejects(() => parse('money', '1.234,50 €'));
    rejects(() => parse('money', '￥1,235'.replace('￥', '¥')));
  });
});

describe('booleans, strings and bytes', () => {
  test('boolean', () => {
    assert.equal(parse('bool', 't'), true);
    assert.equal(parse('bool', 'f'), false);
    rejects(() => parse('bool', 'true'));
  });

  test('character types keep their text, padding, empty strings and 4-byte UTF-8', () => {
    assert.equal(parse('bpchar', 'ab   ', 9), 'ab   ');
    assert.equal(parse('varchar', '🚀', 14), '🚀');
    assert.equal(parse('text', ''), '');
    assert.equal(parse('char', '\\303'), '\\303');
    assert.equal(parse('name', 'pg_class'), 'pg_class');
    for (const name of ['bpchar', 'varchar', 'text', 'char', 'name']) {
      assert.deepEqual(columnTypeFor(t(name)).type, { kind: 'string' });
    }
  });

  test('bytea hex and escape output', () => {
    assert.deepEqual(columnTypeFor(t('bytea')).type, { kind: 'bytes' });
    assert.deepEqual(parse('bytea', '\\xdeadbeef00'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0]));
    assert.deepEqual(parse('bytea', '\\x'), Buffer.alloc(0));
    assert.deepEqual(parse('bytea', 'a\\\\b\\001\\377'), Buffer.from([0x61, 0x5c, 0x62, 1, 255]));
    rejects(() => parse('bytea', '\\xabc'));
    rejects(() => parse('bytea', '\\xzz'));
  });

  test('uuid, json, jsonb, xml', () => {
    assert.deepEqual(columnTypeFor(t('uuid')).type, { kind: 'uuid' });
    assert.equal(
      parse('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    assert.deepEqual(columnTypeFor(t('json')).type, { kind: 'string', semantic: 'json' });
    assert.deepEqual(columnTypeFor(t('jsonb')).type, { kind: 'string', semantic: 'json' });
    assert.deepEqual(columnTypeFor(t('xml')).type, { kind: 'string', semantic: 'xml' });
    assert.equal(parse('jsonb', '{"a": [1, "🚀"]}'), '{"a": [1, "🚀"]}');
  });
});

describe('dates', () => {
  test('days since 1970, before and after, BC and far future', () => {
    assert.deepEqual(columnTypeFor(t('date')).type, { kind: 'date' });
    assert.equal(parse('date', '1970-01-01'), 0);
    assert.equal(parse('date', '2024-02-29'), days('2024-02-29'));
    assert.equal(parse('date', '1900-03-01'), days('1900-03-01'));
    assert.equal(parse('date', '0001-01-01'), -719162);
    assert.equal(parse('date', '0001-12-31 BC'), -719163);
    assert.equal(parse('date', '0044-03-15 BC'), daysFromCivil(-43, 3, 15));
    assert.equal(parse('date', '4714-11-24 BC'), -2440588);
    assert.equal(parse('date', '12345-06-07'), daysFromCivil(12345, 6, 7));
    assert.equal(parse('date', '5874897-12-31'), 2145042905);
  });

  test('infinities are the int32 sentinels', () => {
    assert.equal(parse('date', 'infinity'), DATE_INFINITY);
    assert.equal(parse('date', '-infinity'), DATE_NEG_INFINITY);
  });

  test('non-ISO DateStyles are refused', () => {
    rejects(() => parse('date', '01/02/2024'));
    rejects(() => parse('date', '02.01.2024'));
  });
});

describe('times', () => {
  test('time is microseconds since midnight, 24:00:00 included', () => {
    assert.deepEqual(columnTypeFor(t('time', 3)), {
      type: { kind: 'time-micros', precision: 3 },
      sourceType: 'time(3) without time zone',
    });
    assert.equal(parse('time', '00:00:00'), 0n);
    assert.equal(parse('time', '23:59:59.999999'), 86_399_999_999n);
    assert.equal(parse('time', '12:34:56.5'), 45_296_500_000n);
    assert.equal(parse('time', '24:00:00'), 86_400_000_000n);
    rejects(() => parse('time', '12:34:56.1234567'));
    rejects(() => parse('time', '12:34'));
  });

  test('timetz keeps its offset, normalised to ±HH:MM[:SS]', () => {
    assert.deepEqual(columnTypeFor(t('timetz')).type, { kind: 'string', semantic: 'time-with-zone' });
    assert.equal(parse('timetz', '04:05:06.789+05:30'), '04:05:06.789+05:30');
    assert.equal(parse('timetz', '04:05:06-02'), '04:05:06-02:00');
    assert.equal(parse('timetz', '04:05:06+05:30:15'), '04:05:06+05:30:15');
    assert.equal(parse('timetz', '24:00:00+00'), '24:00:00+00:00');
    rejects(() => parse('timetz', '04:05:06'));
  });
});

describe('timestamps', () => {
  test('timestamp is wall-clock microseconds', () => {
    assert.deepEqual(columnTypeFor(t('timestamp', 6)).type, { kind: 'local-timestamp-micros', precision: 6 });
    assert.equal(parse('timestamp', '1970-01-01 00:00:00'), 0n);
    assert.equal(parse('timestamp', '2024-01-02 03:04:05.123456'), micros('2024-01-02T03:04:05Z', 123456));
    assert.equal(parse('timestamp', '1969-12-31 23:59:59.5'), -500_000n);
    assert.equal(parse('timestamp', '1900-01-01 00:00:00.000001'), micros('1900-01-01T00:00:00Z', 1));
    assert.equal(parse('timestamp', '2100-12-31 23:59:59.999999'), micros('2100-12-31T23:59:59Z', 999999));
    assert.equal(
      parse('timestamp', '0044-03-15 10:00:00.5 BC'),
      BigInt(daysFromCivil(-43, 3, 15) * 86400 + 36000) * 1_000_000n + 500_000n,
    );
    assert.equal(parse('timestamp', '4714-11-24 00:00:00 BC'), -2440588n * 86_400_000_000n);
    rejects(() => parse('timestamp', '2024-01-02 03:04:05+00'));
  });

  test('timestamptz is UTC microseconds, whatever the offset', () => {
    assert.deepEqual(columnTypeFor(t('timestamptz')).type, { kind: 'timestamp-micros', precision: 6 });
    const utc = micros('2024-06-01T12:00:00Z');
    assert.equal(parse('timestamptz', '2024-06-01 12:00:00+00'), utc);
    assert.equal(parse('timestamptz', '2024-06-01 17:30:00+05:30'), utc);
    assert.equal(parse('timestamptz', '2024-06-01 08:00:00-04'), utc);
    assert.equal(parse('timestamptz', '1850-01-01 00:00:00-04:56:02'), micros('1850-01-01T04:56:02Z'));
    assert.equal(parse('timestamptz', '2038-01-19 03:14:08.000001+00'), micros('2038-01-19T03:14:08Z', 1));
    assert.equal(
      parse('timestamptz', '0044-03-15 08:00:00.5+00 BC'),
      parse('timestamp', '0044-03-15 08:00:00.5 BC'),
    );
    assert.equal(
      parse('timestamptz', '10000-01-01 00:00:00+00'),
      BigInt(daysFromCivil(10000, 1, 1)) * 86_400_000_000n,
    );
    rejects(() => parse('timestamptz', '2024-06-01 12:00:00'));
    rejects(() => parse('timestamptz', 'Sat Jun 01 12:00:00 2024 UTC'));
  });

  test('infinities are the int64 sentinels; the last 30 years of the range clamp to them, reported', () => {
    for (const name of ['timestamp', 'timestamptz']) {
      assert.equal(parse(name, 'infinity'), TIMESTAMP_INFINITY);
      assert.equal(parse(name, '-infinity'), TIMESTAMP_NEG_INFINITY);
    }
    const losses: string[] = [];
    const p = parserFor(t('timestamp'), { onLoss: (m) => losses.push(m) });
    assert.equal(p('294247-01-10 04:00:54.775806'), TIMESTAMP_INFINITY - 1n);
    assert.equal(losses.length, 0);
    assert.equal(p('294276-12-31 23:59:59.999999'), TIMESTAMP_INFINITY);
    assert.equal(losses.length, 1);
  });
});

describe('interval', () => {
  test('becomes ISO 8601 with each field signed, as IntervalStyle=iso_8601 prints it', () => {
    assert.deepEqual(columnTypeFor(t('interval')).type, { kind: 'string', semantic: 'interval' });
    const cases: Record<string, string> = {
      '00:00:00': 'PT0S',
      '1 day': 'P1D',
      '1 year 2 mons 3 days 04:05:06.789': 'P1Y2M3DT4H5M6.789S',
      '-1 years -2 mons +3 days -04:05:06.5': 'P-1Y-2M3DT-4H-5M-6.5S',
      '-00:00:00.000001': 'PT-0.000001S',
      '10:00:00': 'PT10H',
      '00:01:00': 'PT1M',
      '178956970 years 7 mons 2147483647 days 2562047788:00:54.775807':
        'P178956970Y7M2147483647DT2562047788H54.775807S',
      '-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808':
        'P-178956970Y-8M-2147483648DT-2562047788H-54.775808S',
    };
    for (const [text, iso] of Object.entries(cases)) assert.equal(parse('interval', text), iso, text);
  });

  test('ISO and infinite intervals pass through; other styles are refused', () => {
    assert.equal(parse('interval', 'P1Y2M'), 'P1Y2M');
    assert.equal(parse('interval', 'infinity'), 'infinity');
    rejects(() => parse('interval', '@ 1 year 2 mons'));
    rejects(() => parse('interval', '1-2 3 4:05:06'));
  });
});

describe('network, bits, text search, geometry, ranges', () => {
  const semantics: Record<string, [string, string]> = {
    inet: ['inet', '192.168.0.1/24'],
    cidr: ['cidr', '10.0.0.0/8'],
    macaddr: ['macaddr', '08:00:2b:01:02:03'],
    macaddr8: ['macaddr', '08:00:2b:01:02:03:04:05'],
    bit: ['bits', '101'],
    varbit: ['bits', ''],
    tsvector: ['tsvector', "'a' 'fat':2 'rat':3"],
    line: ['geometry', '{1,-1,0}'],
    lseg: ['geometry', '[(0,0),(1,1)]'],
    box: ['geometry', '(1,1),(0,0)'],
    path: ['geometry', '[(0,0),(1,1),(2,0)]'],
    polygon: ['geometry', '((0,0),(1,1),(2,0))'],
    circle: ['geometry', '<(0,0),1.5>'],
    int4range: ['range', '[1,10)'],
    int8range: ['range', 'empty'],
    numrange: ['range', '(,1.5]'],
    daterange: ['range', '[2024-01-01,infinity)'],
    tsrange: ['range', '["2024-01-01 00:00:00","2024-01-02 00:00:00")'],
    tstzrange: ['range', '["2024-01-01 00:00:00+00",)'],
    int4multirange: ['range', '{[1,3), [5,7)}'],
    datemultirange: ['range', '{}'],
  };
  for (const [name, [semantic, text]] of Object.entries(semantics)) {
    test(`${name} is its text, with semantic ${semantic}`, () => {
      assert.deepEqual(columnTypeFor(t(name)).type, { kind: 'string', semantic });
      assert.equal(parse(name, text), text);
    });
  }

  test("point is Debezium's Point: SRID 0 and a little-endian WKB point, NaN, ±Infinity and -0 kept", () => {
    assert.deepEqual(columnTypeFor(t('point')).type, { kind: 'geometry', point: true });
    const value = parse('point', '(1.5,-2)') as Buffer;
    assert.equal(value.toString('hex'), '00000000' + '0101000000' + '000000000000f83f' + '00000000000000c0');
    const special = parse('point', '(NaN,-0)') as Buffer;
    assert.ok(Number.isNaN(special.readDoubleLE(9)));
    assert.ok(Object.is(special.readDoubleLE(17), -0));
    rejects(() => parse('point', '1.5,2'));
  });

  test("bit(n) is Debezium's Bits of length n, bit(1) a boolean", () => {
    assert.deepEqual(columnTypeFor(t('bit', 10)).type, { kind: 'bits', length: 10 });
    assert.equal(parse('bit', '1000000001'), '1000000001');
    assert.deepEqual(columnTypeFor(t('bit', 1)).type, { kind: 'boolean' });
    assert.equal(parserFor(t('bit', 1))('1'), true);
    assert.equal(parserFor(t('bit', 1))('0'), false);
  });

  test('types with no semantic pass as plain strings', () => {
    for (const name of [
      'tsquery',
      'pg_lsn',
      'tid',
      'regclass',
      'jsonpath',
      'int2vector',
      'oidvector',
      'aclitem',
    ]) {
      assert.deepEqual(columnTypeFor(t(name)).type, { kind: 'string' }, name);
    }
    assert.equal(parse('int2vector', '1 2 3'), '1 2 3');
  });
});

describe('enums, domains and composites', () => {
  const mood: PgTypeInfo = {
    oid: 70000,
    name: 'Mood',
    schema: 'app',
    typtype: 'e',
    category: 'E',
    typmod: -1,
    delimiter: ',',
    enumLabels: ['sad', 'ok', 'happy'],
  };
  const price: PgTypeInfo = {
    oid: 70001,
    name: 'price',
    schema: 'public',
    typtype: 'd',
    category: 'N',
    typmod: -1,
    delimiter: ',',
    base: t('numeric', numericMod(12, 3)),
  };

  test('an enum is a string with semantic enum', () => {
    assert.deepEqual(columnTypeFor(mood), {
      type: { kind: 'string', semantic: 'enum', allowed: mood.enumLabels },
      sourceType: 'app."Mood"',
    });
    assert.equal(parseText(mood, 'happy'), 'happy');
  });

  test('a domain maps as its base type with the base typmod', () => {
    assert.deepEqual(columnTypeFor(price), {
      type: { kind: 'decimal', precision: 12, scale: 3 },
      sourceType: 'price',
    });
    assert.equal(parseText(price, '1.500'), '1.500');
    const positive: PgTypeInfo = { ...price, name: 'positive', base: t('int8') };
    assert.equal(parseText(positive, '9223372036854775807'), 9223372036854775807n);
  });

  test('arrays of enums and domains, and domains over arrays', () => {
    assert.deepEqual(parseText(arrayOf(mood), '{sad,NULL,happy}'), ['sad', null, 'happy']);
    assert.deepEqual(parseText(arrayOf(price), '{1.500,NULL}'), ['1.500', null]);
    const list: PgTypeInfo = { ...price, name: 'ints', base: arrayOf(t('int4')) };
    assert.deepEqual(columnTypeFor(list).type, { kind: 'array', items: { kind: 'int32' } });
    assert.deepEqual(parseText(list, '{1,2}'), [1, 2]);
    assert.deepEqual(parseText(arrayOf(list), '{"{1,2}",NULL,"{}"}'), [[1, 2], null, []]);
  });

  test('a composite is its record text', () => {
    const pair: PgTypeInfo = {
      oid: 70002,
      name: 'pair',
      schema: 'public',
      typtype: 'c',
      category: 'C',
      typmod: -1,
      delimiter: ',',
    };
    assert.deepEqual(columnTypeFor(pair).type, { kind: 'string' });
    assert.equal(parseText(pair, '(1,"a b")'), '(1,"a b")');
  });
});

describe('arrays', () => {
  test('elements parse with their own type; NULL elements and empty arrays', () => {
    const ints = arrayOf(t('int8'));
    assert.deepEqual(columnTypeFor(ints), {
      type: { kind: 'array', items: { kind: 'int64' } },
      sourceType: 'bigint[]',
    });
    assert.deepEqual(parseText(ints, '{1,NULL,-9223372036854775808}'), [1n, null, -9223372036854775808n]);
    assert.deepEqual(parseText(ints, '{}'), []);
    assert.deepEqual(parseText(arrayOf(t('bool')), '{t,f,NULL}'), [true, false, null]);
    assert.deepEqual(parseText(arrayOf(t('date')), '{1970-01-02,infinity}'), [1, DATE_INFINITY]);
    assert.deepEqual(parseText(arrayOf(t('bytea')), '{"\\\\x0102",NULL}'), [Buffer.from([1, 2]), null]);
  });

  test('quoted elements: commas, quotes, backslashes, braces, spaces, empty and "NULL"', () => {
    const text = '{"",NULL,"NULL",null,"a,b","q\\"x","b\\\\s"," sp","{x}",🚀,plain}';
    assert.deepEqual(parseText(arrayOf(t('text')), text), [
      '',
      null,
      'NULL',
      null,
      'a,b',
      'q"x',
      'b\\s',
      ' sp',
      '{x}',
      '🚀',
      'plain',
    ]);
  });

  test('unquoted elements keep Unicode spaces: the server quotes only ASCII whitespace', () => {
    // SELECT ARRAY[U&'\\00A0x', U&'\\3000y', U&'\\FEFFz', 'w' || U&'\\2028'] prints them unquoted.
    assert.deepEqual(parseText(arrayOf(t('text')), '{\u00a0x,\u3000y,\ufeffz,w\u2028}'), [
      '\u00a0x',
      '\u3000y',
      '\ufeffz',
      'w\u2028',
    ]);
  });

  test('timestamps with spaces and quotes inside arrays', () => {
    const ts = arrayOf(t('timestamptz'));
    assert.deepEqual(parseText(ts, '{"1970-01-01 00:00:01+00",NULL,-infinity}'), [
      1_000_000n,
      null,
      TIMESTAMP_NEG_INFINITY,
    ]);
  });

  test('box arrays use the ; delimiter', () => {
    assert.deepEqual(parseText(arrayOf(t('box')), '{(1,1),(0,0);(2,2),(1,1)}'), [
      '(1,1),(0,0)',
      '(2,2),(1,1)',
    ]);
  });

  test('explicit lower bounds are dropped', () => {
    assert.deepEqual(parseText(arrayOf(t('int4')), '[0:1]={1,2}'), [1, 2]);
    assert.deepEqual(parseText(arrayOf(t('int4'), -1, 2), '[1:2][3:3]={{1},{2}}'), [[1], [2]]);
  });

  test('multi-dimensional arrays nest as declared', () => {
    const grid = arrayOf(t('int4'), -1, 2);
    assert.deepEqual(columnTypeFor(grid).type, {
      kind: 'array',
      items: { kind: 'array', items: { kind: 'int32' } },
    });
    assert.deepEqual(parseText(grid, '{{1,2},{3,NULL}}'), [
      [1, 2],
      [3, null],
    ]);
    assert.deepEqual(parseText(grid, '{}'), []);
    const cube = arrayOf(t('text'), -1, 3);
    assert.deepEqual(parseText(cube, '{{{a,"b,c"}},{{NULL,""}}}'), [[['a', 'b,c']], [[null, '']]]);
  });

  test('a value deeper or shallower than declared is an error, not a silent reshape', () => {
    rejects(() => parseText(arrayOf(t('int4')), '{{1,2},{3,4}}'), 'UNSUPPORTED');
    rejects(() => parseText(arrayOf(t('int4'), -1, 2), '{1,2}'), 'UNSUPPORTED');
  });

  test('the column typmod applies to the elements', () => {
    const amounts = arrayOf(t('numeric'), numericMod(10, 2));
    assert.deepEqual(columnTypeFor(amounts), {
      type: { kind: 'array', items: { kind: 'decimal', precision: 10, scale: 2 } },
      sourceType: 'numeric(10,2)[]',
    });
    assert.deepEqual(parserFor(amounts, { onLoss: () => {} })('{1.50,NaN,NULL}'), ['1.50', null, null]);
  });

  test('malformed text is refused', () => {
    rejects(() => parseText(arrayOf(t('int4')), '1,2'));
    rejects(() => parseText(arrayOf(t('text')), '{"unterminated}'));
    rejects(() => parseText(arrayOf(t('int4')), '{1,2}x'));
  });
});

describe('formatType', () => {
  test('spells built-in types as format_type does', () => {
    const cases: Array<[PgTypeInfo, string]> = [
      [t('int4'), 'integer'],
      [t('bool'), 'boolean'],
      [t('float8'), 'double precision'],
      [t('char'), '"char"'],
      [t('bpchar', 14), 'character(10)'],
      [t('bpchar'), 'bpchar'],
      [t('varchar', 24), 'character varying(20)'],
      [t('varchar'), 'character varying'],
      [t('numeric', numericMod(38, 9)), 'numeric(38,9)'],
      [t('numeric', numericMod(2, -3)), 'numeric(2,-3)'],
      [t('timestamptz', 3), 'timestamp(3) with time zone'],
      [t('timestamp'), 'timestamp without time zone'],
      [t('timetz'), 'time with time zone'],
      [t('bit', 8), 'bit(8)'],
      [t('varbit'), 'bit varying'],
      [t('interval', (((1 << 2) | (1 << 1)) << 16) | 0xffff), 'interval year to month'],
      [
        t('interval', ((1 << 3) | (1 << 10) | (1 << 11) | (1 << 12)) * 65536 + 3),
        'interval day to second(3)',
      ],
      [t('interval', (0x7fff << 16) | 2), 'interval(2)'],
      [arrayOf(t('varchar'), 14), 'character varying(10)[]'],
      [t('int2vector'), 'int2vector'],
      [t('uuid'), 'uuid'],
    ];
    for (const [type, expected] of cases) assert.equal(formatType(type), expected);
  });
});

describe('built-in table', () => {
  test('array oids line up', () => {
    assert.equal(PG_OID['int4'], 23);
    assert.equal(PG_OID['_int4'], 1007);
    assert.equal(arrayOf(t('jsonb')).oid, 3807);
  });
});

describe('NOT NULL numeric columns', () => {
  test('NaN in a NOT NULL numeric column stops with the column named (its field is not optional)', () => {
    const parse = notNullParser({ schema: 'app', table: 'prices' }, 'amount', parserFor(t('numeric'), {}));
    assert.equal(parse('1.5'), '1.5');
    assert.throws(
      () => parse('NaN'),
      (error: unknown) =>
        error instanceof TributaryError &&
        error.code === 'UNSUPPORTED' &&
        /amount of app\.prices is NOT NULL/.test(error.message) &&
        /DROP NOT NULL/.test(error.fix ?? ''),
    );
  });
});

describe('column defaults', () => {
  test('constant DEFAULT expressions become canonical values; NULL and functions none', () => {
    assert.equal(constantDefault(`'it''s'::text`, parserFor(t('text'))), "it's");
    assert.equal(constantDefault(`'x'::character varying`, parserFor(t('varchar'))), 'x');
    assert.equal(constantDefault('42', parserFor(t('int4'))), 42);
    assert.equal(constantDefault('(-1.5)', parserFor(t('numeric'))), '-1.5');
    assert.equal(constantDefault(`'-7'::integer`, parserFor(t('int4'))), -7);
    assert.equal(constantDefault('true', parserFor(t('bool'))), true);
    assert.equal(constantDefault(`'2024-01-02'::date`, parserFor(t('date'))), 19724);
    for (const none of [null, 'now()', `nextval('s'::regclass)`, 'NULL::text', 'CURRENT_TIMESTAMP']) {
      assert.equal(constantDefault(none, parserFor(t('text'))), undefined, String(none));
    }
    assert.equal(constantDefault(`'nope'::date`, parserFor(t('date'))), undefined, 'unparsable: none');
  });
});
