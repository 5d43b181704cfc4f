/**
 * Every column type of dialects/postgres/TYPES.md, with random values across
 * its whole domain (edge values first) for the parity suite.
 * `PG_PREPARE` creates the enum, domain and composite types they use.
 */
import { pgExpected as expect } from './pg-expected.ts';
import { edgesThen, orNull, type Expectation, type ParityColumn } from './parity.ts';
import { numberText, type Random } from './random.ts';
import {
  daysInMonth,
  pad,
  randomClock,
  randomDate,
  randomDecimal,
  randomDouble,
  randomFraction,
  randomJson,
} from './values.ts';

/** A string literal (standard_conforming_strings: only quotes are doubled). */
const lit = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const text = (random: Random, max: number): string => random.text(random.int(0, max), { noNul: true });

const ENUM_LABELS = ['sad', 'ok', "it's", 'é 🚀', 'a,b', ''];
export const PG_PREPARE = [
  "SET TimeZone = 'UTC'",
  'SET extra_float_digits = 1',
  `CREATE TYPE mood AS ENUM (${ENUM_LABELS.map(lit).join(', ')})`,
  'CREATE DOMAIN price AS numeric(12,3)',
  'CREATE TYPE pair AS (n int, t text)',
];

const NUMERIC_LOSS = /has no Avro decimal form; sent as null/;
const TIMESTAMP_LOSS = /is beyond the int64 microsecond range; sent as the infinity sentinel/;

function integer(name: string, definition: string, min: bigint, max: bigint, long = false): ParityColumn {
  return {
    name,
    definition,
    generate: edgesThen(
      [lit(String(min)), lit(String(max)), lit('0')],
      orNull((r) => lit(String(r.bigint(min, max)))),
    ),
    expected: long ? expect.long : expect.int,
  };
}

/**
 * numeric(p,s) values from the largest magnitude down to the smallest step;
 * a negative scale rounds to 10^-s, a scale above the precision leaves s - p
 * leading fraction zeros.
 */
function numeric(name: string, p: number, s: number, nan = false): ParityColumn {
  const draw = (r: Random): string => {
    const sign = r.chance(0.5) ? '-' : '';
    if (s < 0) return `${sign}${r.int(0, 10 ** p - 1)}${'0'.repeat(-s)}`;
    if (s > p) return `${sign}0.${'0'.repeat(s - p)}${r.digits(p)}`;
    return randomDecimal(r, p, s);
  };
  const max =
    s < 0
      ? `${'9'.repeat(p)}${'0'.repeat(-s)}`
      : s > p
        ? `0.${'0'.repeat(s - p)}${'9'.repeat(p)}`
        : `${'9'.repeat(p - s) || '0'}${s > 0 ? `.${'9'.repeat(s)}` : ''}`;
  return {
    name,
    definition: `numeric(${p},${s})`,
    // NaN → null needs a nullable column: in a NOT NULL one it stops the stream (test/e2e/postgres-numeric-nan.pg.test.ts).
    generate: edgesThen(
      [max, `-${max}`, '0', ...(nan ? [`'NaN'`] : [])],
      orNull(nan ? (r) => (r.chance(0.05) ? `'NaN'` : draw(r)) : draw),
    ),
    expected: expect.boundedNumeric,
    ...(nan ? { lossWarning: NUMERIC_LOSS } : {}),
  };
}

/** A year of Postgres' range: mostly 1..9999, sometimes up to `maxYear`, sometimes BC. */
function pgDate(random: Random, maxYear: number): string {
  const roll = random.next();
  if (roll < 0.1) {
    // Year N BC is the astronomical year 1 - N, which decides the leap years.
    const year = random.int(1, 4713);
    const month = random.int(1, 12);
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(random.int(1, daysInMonth(1 - year, month)), 2)} BC`;
  }
  if (roll < 0.2) return randomDate(random, 10_000, maxYear);
  return randomDate(random, 1, 9999);
}

function offset(random: Random): string {
  const sign = random.chance(0.5) ? '-' : '+';
  const seconds = random.chance(0.1) ? `:${pad(random.int(0, 59), 2)}` : '';
  return `${sign}${pad(random.int(0, 15), 2)}:${pad(random.int(0, 59), 2)}${seconds}`;
}

function time(p: number): ParityColumn {
  return {
    name: `time${p}`,
    definition: `time(${p})`,
    generate: edgesThen(
      [`'00:00:00'`, `'24:00:00'`, `'23:59:59${p === 0 ? '' : `.${'9'.repeat(p)}`}'`],
      orNull((r) => lit(`${randomClock(r)}${randomFraction(r, p)}`)),
    ),
    expected: expect.time,
  };
}

function timetz(p: number): ParityColumn {
  return {
    name: `timetz${p}`,
    definition: `time(${p}) with time zone`,
    generate: edgesThen(
      [`'00:00:00+15:59'`, `'24:00:00-15:59'`],
      orNull((r) => lit(`${randomClock(r)}${randomFraction(r, p)}${offset(r)}`)),
    ),
    expected: expect.timetz,
  };
}

function timestamp(p: number, zone: boolean): ParityColumn {
  const nines = p === 0 ? '' : `.${'9'.repeat(p)}`;
  const z = zone ? '+00' : '';
  return {
    name: `${zone ? 'timestamptz' : 'timestamp'}${p}`,
    definition: `timestamp(${p}) ${zone ? 'with' : 'without'} time zone`,
    generate: edgesThen(
      [
        `'4713-01-01 00:00:00${z} BC'`,
        `'294247-01-10 04:00:54${p === 6 ? '.775807' : ''}${z}'`,
        `'294276-12-31 23:59:59${nines}${z}'`,
        `'1969-12-31 23:59:59${nines}${z}'`,
        `'infinity'`,
        `'-infinity'`,
      ],
      orNull((r) => {
        const date = pgDate(r, 294_000);
        const clock = `${randomClock(r)}${randomFraction(r, p)}`;
        const bc = date.endsWith(' BC');
        return lit(`${bc ? date.slice(0, -3) : date} ${clock}${zone ? offset(r) : ''}${bc ? ' BC' : ''}`);
      }),
    ),
    expected: zone ? expect.timestamptz : expect.timestamp,
    lossWarning: TIMESTAMP_LOSS,
  };
}

function interval(random: Random): string {
  const part = (max: number) => (random.chance(0.5) ? -1 : 1) * random.int(0, max);
  const sign = random.chance(0.5) ? '-' : '';
  return lit(
    `${part(100_000)} years ${part(11)} mons ${part(100_000)} days ${sign}${pad(random.int(0, 100_000), 2)}:${pad(random.int(0, 59), 2)}:${pad(random.int(0, 59), 2)}${randomFraction(random, random.int(0, 6))}`,
  );
}

const coordinate = (random: Random) =>
  numberText(random.chance(0.5) ? random.plainDouble() : random.finiteDouble() / 2 ** 960);
const point = (random: Random) => `(${coordinate(random)},${coordinate(random)})`;
const points = (random: Random, n: number) => Array.from({ length: n }, () => point(random)).join(',');

/** A range of integers, or `empty`, with random bounds and inclusivity (unbounded at times). */
function range(
  random: Random,
  bound: (random: Random) => string,
  compare: (a: string, b: string) => number,
): string {
  if (random.chance(0.05)) return 'empty';
  let [a, b] = [bound(random), bound(random)];
  if (compare(a, b) > 0) [a, b] = [b, a];
  const lower = random.chance(0.1) ? '' : JSON.stringify(a);
  const upper = random.chance(0.1) ? '' : JSON.stringify(b);
  return `${random.pick(['[', '('])}${lower},${upper}${random.pick([']', ')'])}`;
}
const byNumber = (a: string, b: string) => Number(a) - Number(b);
const byBigInt = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const plainTimestamp = (random: Random) =>
  `${randomDate(random, 1000, 9999)} ${randomClock(random)}${randomFraction(random, 6)}`;

/** XML character data: no control characters but tab and newlines, no U+FFFE/U+FFFF; markup escaped. */
function xmlText(random: Random): string {
  return [...text(random, 20)]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if ((code < 0x20 && code !== 9 && code !== 10) || code === 0xfffe || code === 0xffff) return 'x';
      return ch;
    })
    .join('')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

const word = (random: Random) =>
  Array.from({ length: random.int(1, 8) }, () => random.pick([...'abcdefghijklmnopqrstuvwxyzéßøж'])).join('');

const arrayText = (random: Random) =>
  random.chance(0.1) ? 'NULL' : lit(random.pick([text(random, 8), 'NULL', '', '{a,b}', '"', '\\']));

export const PG_COLUMNS: readonly ParityColumn[] = [
  integer('i2', 'smallint', -32768n, 32767n),
  integer('i4', 'integer', -2147483648n, 2147483647n),
  integer('i8', 'bigint', -(2n ** 63n), 2n ** 63n - 1n, true),
  integer('oid_', 'oid', 0n, 4294967295n, true),
  { ...integer('xid8_', 'xid8', 0n, 2n ** 64n - 1n), expected: expect.text },
  integer('xid_', 'xid', 0n, 4294967295n, true),
  integer('cid_', 'cid', 0n, 4294967295n, true),
  numeric('num1000', 1000, 500),
  numeric('num38', 38, 9),
  numeric('num_nan', 5, 2, true),
  numeric('num_negscale', 2, -3),
  numeric('num_bigscale', 3, 5),
  {
    name: 'num_any',
    definition: 'numeric',
    generate: edgesThen(
      [`'NaN'`, `'Infinity'`, `'-Infinity'`, '0.00000000000000000001', '-0'],
      orNull((r) =>
        lit(`${r.chance(0.5) ? '-' : ''}${r.int(1, 9)}.${r.digits(r.int(0, 60))}e${r.int(-1000, 1000)}`),
      ),
    ),
    expected: expect.variableNumeric,
    lossWarning: NUMERIC_LOSS,
  },
  {
    name: 'price_',
    definition: 'price',
    generate: orNull((r) => randomDecimal(r, 12, 3)),
    expected: expect.boundedNumeric,
  },
  {
    name: 'f4',
    definition: 'real',
    generate: edgesThen(
      [`'NaN'`, `'Infinity'`, `'-Infinity'`, `'-0'`, `'1.4e-45'`, `'3.4028235e38'`, `'-3.4028235e38'`],
      orNull((r) => lit(numberText(r.chance(0.5) ? r.finiteFloat32() : Math.fround(r.plainDouble())))),
    ),
    expected: expect.float4,
  },
  {
    name: 'f8',
    definition: 'double precision',
    generate: edgesThen(
      [
        `'NaN'`,
        `'Infinity'`,
        `'-Infinity'`,
        `'-0'`,
        `'5e-324'`,
        `'1.7976931348623157e308'`,
        `'958721.3352067961'`,
      ],
      orNull((r) => lit(randomDouble(r))),
    ),
    expected: expect.float8,
  },
  {
    name: 'cash',
    definition: 'money',
    generate: edgesThen(
      [`'-92233720368547758.08'`, `'92233720368547758.07'`, `'0'`],
      orNull((r) => lit(`${r.chance(0.5) ? '-' : ''}${r.int(0, 10 ** 12)}.${r.digits(2)}`)),
    ),
    expected: expect.money,
  },
  {
    name: 'b',
    definition: 'boolean',
    generate: orNull((r) => r.pick(['true', 'false'])),
    expected: expect.boolean,
  },
  {
    name: 'ch',
    definition: 'char(20)',
    generate: orNull((r) => lit(text(r, 20))),
    expected: expect.text,
  },
  {
    name: 'vc',
    definition: 'varchar(100)',
    generate: orNull((r) => lit(text(r, 100))),
    expected: expect.text,
  },
  {
    name: 'tx',
    definition: 'text',
    // A leading U+FEFF is data, not a byte-order mark.
    generate: edgesThen(
      [`''`, `'\ufeff'`, `'\ufeffx'`],
      orNull((r) => lit(r.text(r.chance(0.005) ? 20_000 : r.int(0, 200), { noNul: true }))),
    ),
    expected: expect.text,
  },
  // NOT NULL with a constant DEFAULT: a required field carrying connect.default.
  {
    name: 'tx_nn',
    definition: `text NOT NULL DEFAULT 'é'`,
    generate: (r) => lit(text(r, 50)),
    expected: expect.text,
  },
  {
    name: 'i4_nn',
    definition: 'integer NOT NULL DEFAULT -1',
    generate: (r) => lit(String(r.int(-(2 ** 31), 2 ** 31 - 1))),
    expected: expect.int,
  },
  { name: 'nm', definition: 'name', generate: orNull((r) => lit(text(r, 15))), expected: expect.text },
  {
    name: 'ch1',
    definition: '"char"',
    generate: orNull((r) => lit(r.text(1, { noNul: true }))),
    expected: expect.text,
  },
  {
    name: 'by',
    definition: 'bytea',
    generate: edgesThen(
      [`'\\x'`],
      orNull((r) => lit(`\\x${r.bytes(r.chance(0.005) ? 70_000 : r.int(0, 64)).toString('hex')}`)),
    ),
    expected: expect.bytea,
  },
  {
    name: 'd',
    definition: 'date',
    generate: edgesThen(
      [`'4713-01-01 BC'`, `'5874897-12-31'`, `'0001-12-31 BC'`, `'1970-01-01'`, `'infinity'`, `'-infinity'`],
      orNull((r) => lit(pgDate(r, 5_874_897))),
    ),
    expected: expect.date,
  },
  ...[0, 1, 2, 3, 4, 5, 6].map(time),
  ...[0, 1, 2, 3, 4, 5, 6].map(timetz),
  ...[0, 1, 2, 3, 4, 5, 6].map((p) => timestamp(p, false)),
  ...[0, 1, 2, 3, 4, 5, 6].map((p) => timestamp(p, true)),
  {
    name: 'iv',
    definition: 'interval',
    generate: edgesThen(
      [
        `'178956970 years 7 mons'`,
        `'-178956970 years -8 mons'`,
        `'2147483647 days'`,
        `'-2147483648 days'`,
        `'2562047788:00:54.775807'`,
        `'-2562047788:00:54.775807'`,
        `'0'`,
      ],
      orNull(interval),
    ),
    expected: expect.text,
  },
  {
    name: 'u',
    definition: 'uuid',
    generate: orNull((r) => lit(r.bytes(16).toString('hex'))),
    expected: expect.text,
  },
  { name: 'js', definition: 'json', generate: orNull((r) => lit(randomJson(r))), expected: expect.text },
  { name: 'jb', definition: 'jsonb', generate: orNull((r) => lit(randomJson(r))), expected: expect.text },
  {
    name: 'x',
    definition: 'xml',
    generate: orNull((r) => lit(`<a n="${r.int(0, 9)}">${xmlText(r)}<b/>${xmlText(r)}</a>`)),
    expected: expect.text,
  },
  {
    name: 'ip',
    definition: 'inet',
    generate: orNull((r) =>
      r.chance(0.5)
        ? lit(`${[...r.bytes(4)].join('.')}/${r.int(0, 32)}`)
        : lit(`${(r.bytes(16).toString('hex').match(/.{4}/g) ?? []).join(':')}/${r.int(0, 128)}`),
    ),
    expected: expect.text,
  },
  {
    name: 'net',
    definition: 'cidr',
    generate: orNull((r) =>
      r.chance(0.5)
        ? `network(${lit(`${[...r.bytes(4)].join('.')}/${r.int(0, 32)}`)}::inet)`
        : `network(${lit(`${(r.bytes(16).toString('hex').match(/.{4}/g) ?? []).join(':')}/${r.int(0, 128)}`)}::inet)`,
    ),
    expected: expect.text,
  },
  {
    name: 'mac',
    definition: 'macaddr',
    generate: orNull((r) => lit([...r.bytes(6)].map((b) => pad(b.toString(16), 2)).join(':'))),
    expected: expect.text,
  },
  {
    name: 'mac8',
    definition: 'macaddr8',
    generate: orNull((r) => lit([...r.bytes(8)].map((b) => pad(b.toString(16), 2)).join(':'))),
    expected: expect.text,
  },
  ...[1, 10, 64].map((n): ParityColumn => ({
    name: `bit${n}`,
    definition: `bit(${n})`,
    generate: orNull((r) => `B'${Array.from({ length: n }, () => (r.chance(0.5) ? '1' : '0')).join('')}'`),
    expected: n === 1 ? expect.bit1 : expect.text,
  })),
  {
    name: 'vbit',
    definition: 'bit varying(100)',
    generate: orNull(
      (r) => `B'${Array.from({ length: r.int(0, 100) }, () => (r.chance(0.5) ? '1' : '0')).join('')}'`,
    ),
    expected: expect.text,
  },
  {
    name: 'tsv',
    definition: 'tsvector',
    generate: orNull(
      (r) => `to_tsvector('simple', ${lit(Array.from({ length: r.int(0, 6) }, () => word(r)).join(' '))})`,
    ),
    expected: expect.text,
  },
  {
    name: 'tsq',
    definition: 'tsquery',
    generate: orNull((r) => lit(`${word(r)} ${r.pick(['&', '|', '<->'])} !${word(r)}`)),
    expected: expect.text,
  },
  {
    name: 'lsn',
    definition: 'pg_lsn',
    generate: orNull((r) =>
      lit(`${r.uint32().toString(16).toUpperCase()}/${r.uint32().toString(16).toUpperCase()}`),
    ),
    expected: expect.text,
  },
  {
    name: 'jp',
    definition: 'jsonpath',
    generate: orNull((r) =>
      lit(
        `$.${word(r)}[${r.int(0, 9)}] ? (@ ${r.pick(['>', '==', '<'])} ${randomDouble(r)} || @ like_regex "${word(r)}")`,
      ),
    ),
    expected: expect.text,
  },
  { name: 'pt', definition: 'point', generate: orNull((r) => lit(point(r))), expected: expect.point },
  {
    name: 'ln',
    definition: 'line',
    generate: orNull((r) => lit(`{${r.int(1, 1000)},${coordinate(r)},${coordinate(r)}}`)),
    expected: expect.text,
  },
  {
    name: 'seg',
    definition: 'lseg',
    generate: orNull((r) => lit(`[${points(r, 2)}]`)),
    expected: expect.text,
  },
  { name: 'bx', definition: 'box', generate: orNull((r) => lit(points(r, 2))), expected: expect.text },
  {
    name: 'pth',
    definition: 'path',
    generate: orNull((r) =>
      lit(r.chance(0.5) ? `[${points(r, r.int(1, 5))}]` : `(${points(r, r.int(1, 5))})`),
    ),
    expected: expect.text,
  },
  {
    name: 'pg',
    definition: 'polygon',
    generate: orNull((r) => lit(`(${points(r, r.int(1, 5))})`)),
    expected: expect.text,
  },
  {
    name: 'crc',
    definition: 'circle',
    generate: orNull((r) => lit(`<${point(r)},${Math.abs(Number(coordinate(r)))}>`)),
    expected: expect.text,
  },
  {
    name: 'r4',
    definition: 'int4range',
    generate: orNull((r) => lit(range(r, (x) => String(x.int(-(2 ** 31), 2 ** 31 - 2)), byNumber))),
    expected: expect.text,
  },
  {
    name: 'r8',
    definition: 'int8range',
    generate: orNull((r) => lit(range(r, (x) => String(x.bigint(-(2n ** 63n), 2n ** 63n - 2n)), byBigInt))),
    expected: expect.text,
  },
  {
    name: 'rn',
    definition: 'numrange',
    generate: orNull((r) => lit(range(r, (x) => randomDecimal(x, 30, 10), byNumber))),
    expected: expect.text,
  },
  {
    name: 'rd',
    definition: 'daterange',
    generate: orNull((r) => lit(range(r, (x) => randomDate(x, 1, 9999), byText))),
    expected: expect.text,
  },
  {
    name: 'rts',
    definition: 'tsrange',
    generate: orNull((r) => lit(range(r, plainTimestamp, byText))),
    expected: expect.text,
  },
  {
    name: 'rtz',
    definition: 'tstzrange',
    generate: orNull((r) => lit(range(r, (x) => `${plainTimestamp(x)}+00`, byText))),
    expected: expect.text,
  },
  {
    name: 'mr',
    definition: 'int4multirange',
    generate: orNull((r) =>
      lit(
        `{${Array.from({ length: r.int(0, 3) }, () => range(r, (x) => String(x.int(-1000, 1000)), byNumber)).join(',')}}`,
      ),
    ),
    expected: expect.text,
  },
  {
    name: 'mood_',
    definition: 'mood',
    generate: orNull((r) => lit(r.pick(ENUM_LABELS))),
    expected: expect.text,
  },
  {
    name: 'pair_',
    definition: 'pair',
    generate: orNull(
      (r) =>
        `ROW(${r.chance(0.1) ? 'NULL' : r.int(-1000, 1000)}, ${r.chance(0.1) ? 'NULL' : lit(text(r, 10))})`,
    ),
    expected: expect.text,
  },
  {
    name: 'ai4',
    definition: 'integer[]',
    generate: edgesThen(
      [`'{}'`, `'[0:1]={1,2}'`, `ARRAY[NULL]::integer[]`],
      orNull(
        (r) =>
          `ARRAY[${Array.from({ length: r.int(1, 6) }, () => (r.chance(0.2) ? 'NULL' : String(r.int(-(2 ** 31), 2 ** 31 - 1)))).join(',')}]::integer[]`,
      ),
    ),
    expected: expect.jsonArray,
  },
  {
    name: 'ai4x2',
    definition: 'integer[][]',
    generate: orNull((r) => {
      const [rows, columns] = [r.int(1, 3), r.int(1, 3)];
      const row = () =>
        `ARRAY[${Array.from({ length: columns }, () => (r.chance(0.2) ? 'NULL' : String(r.int(-99, 99)))).join(',')}]`;
      return `ARRAY[${Array.from({ length: rows }, row).join(',')}]::integer[][]`;
    }),
    expected: expect.jsonArray,
  },
  {
    name: 'atx',
    definition: 'text[]',
    generate: edgesThen(
      [`'{}'`, `ARRAY['NULL', NULL, '', '"', '\\', '{a,b}', ' x ', '\ufeffx', '\u00a0x']`],
      orNull((r) => `ARRAY[${Array.from({ length: r.int(1, 5) }, () => arrayText(r)).join(',')}]::text[]`),
    ),
    expected: expect.jsonArray,
  },
  ...arrayColumns(),
  {
    name: 'af8',
    definition: 'double precision[]',
    generate: orNull(
      (r) =>
        `ARRAY[${Array.from({ length: r.int(1, 4) }, () => (r.chance(0.2) ? 'NULL' : lit(randomDouble(r)))).join(',')}]::double precision[]`,
    ),
    expected: expect.jsonArray,
  },
];

/** Arrays of the types whose elements need more than their text: each element as its own type expects it. */
function arrayColumns(): ParityColumn[] {
  const of = (
    name: string,
    definition: string,
    element: (random: Random) => string,
    expected: Expectation,
  ): ParityColumn => ({
    name,
    definition: `${definition}[]`,
    generate: orNull(
      (r) =>
        `ARRAY[${Array.from({ length: r.int(0, 4) }, () => (r.chance(0.2) ? 'NULL' : element(r))).join(',')}]::${definition}[]`,
    ),
    expected: expect.arrayOf(expected),
  });
  return [
    of('a_bool', 'boolean', (r) => r.pick(['true', 'false']), expect.boolean),
    of('a_i8', 'bigint', (r) => lit(String(r.bigint(-(2n ** 63n), 2n ** 63n - 1n))), expect.long),
    of(
      'a_f4',
      'real',
      (r) => lit(r.chance(0.1) ? r.pick(['NaN', 'Infinity', '-0']) : numberText(r.finiteFloat32())),
      expect.float4,
    ),
    of(
      'a_num',
      'numeric(20,5)',
      (r) => (r.chance(0.1) ? `'NaN'` : randomDecimal(r, 20, 5)),
      expect.boundedNumeric,
    ),
    of('a_money', 'money', (r) => lit(`${r.int(-(10 ** 9), 10 ** 9)}.${r.digits(2)}`), expect.money),
    of('a_by', 'bytea', (r) => lit(`\\x${r.bytes(r.int(0, 8)).toString('hex')}`), expect.bytea),
    of(
      'a_d',
      'date',
      (r) => lit(r.chance(0.1) ? r.pick(['infinity', '-infinity']) : pgDate(r, 5_874_897)),
      expect.date,
    ),
    of('a_t', 'time', (r) => lit(`${randomClock(r)}${randomFraction(r, 6)}`), expect.time),
    of(
      'a_ts',
      'timestamp',
      (r) =>
        lit(
          `${pgDate(r, 294_000)} ${randomClock(r)}${randomFraction(r, 6)}`.replace(
            /^(.*) BC (.*)$/,
            '$1 $2 BC',
          ),
        ),
      expect.timestamp,
    ),
    of(
      'a_tz',
      'timestamptz',
      (r) => lit(`${randomDate(r, 1, 9999)} ${randomClock(r)}${randomFraction(r, 6)}${offset(r)}`),
      expect.timestamptz,
    ),
    of('a_iv', 'interval', interval, expect.text),
    of('a_u', 'uuid', (r) => lit(r.bytes(16).toString('hex')), expect.text),
    of('a_box', 'box', (r) => lit(points(r, 2)), expect.text),
  ];
}
