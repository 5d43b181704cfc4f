/**
 * Every column type of dialects/mysql/TYPES.md, with random values across its
 * whole domain (edge values first) for the parity suite. Text is written as
 * hex with a character set introducer, so no value depends on SQL escaping.
 */
import { mysqlExpected as expect } from './mysql-expected.ts';
import { edgesThen, orNull, type ParityColumn } from './parity.ts';
import { numberText, type Random } from './random.ts';
import {
  pad,
  randomClock,
  randomDate,
  randomDecimal,
  randomDouble,
  randomFraction,
  randomJson,
} from './values.ts';

const utf8 = (text: string): string => `_utf8mb4 X'${Buffer.from(text, 'utf8').toString('hex')}'`;
const bytes = (buffer: Buffer): string => `X'${buffer.toString('hex')}'`;
const quoted = (text: string): string => `'${text}'`;
/** A string literal for a definition (enum and set labels), where hex is not allowed. */
const sqlString = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** Characters latin1 (cp1252) columns hold: ASCII, the Latin-1 letters and signs, and cp1252's extras. */
const LATIN1 = [
  ...Array.from({ length: 0x7f }, (_, i) => String.fromCharCode(i + 1)),
  ...Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i)),
  ...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ',
];
const latin1Text = (random: Random, max: number): string =>
  Array.from({ length: random.int(0, max) }, () => random.pick(LATIN1)).join('');

/** utf8mb3 and ucs2 hold the Basic Multilingual Plane only. */
const bmp = (text: string): string => text.replace(/[\u{10000}-\u{10ffff}]/gu, '\ufffd');

/** Occasionally long, usually short. */
const length = (random: Random, usual: number, long: number): number =>
  random.chance(0.005) ? long : random.int(0, usual);

const LOSS = /is not a calendar date; sent as null/;

/** Zero dates and dates the month lacks (ALLOW_INVALID_DATES): no calendar day, sent as null. */
function invalidDate(random: Random): string {
  const year = pad(random.int(1, 9999), 4);
  return random.pick([
    '0000-00-00',
    `${year}-00-${pad(random.int(1, 31), 2)}`,
    `${year}-${pad(random.int(1, 12), 2)}-00`,
    `${year}-02-30`,
    `${year}-04-31`,
  ]);
}

const validOrInvalidDate = (random: Random): string =>
  random.chance(0.03) ? invalidDate(random) : randomDate(random, 1, 9999);

function integer(name: string, definition: string, min: bigint, max: bigint, long = false): ParityColumn {
  return {
    name,
    definition,
    generate: edgesThen(
      [String(min), String(max), '0'],
      orNull((r) => String(r.bigint(min, max))),
    ),
    expected: long ? expect.long : expect.int,
  };
}

function decimal(name: string, p: number, s: number, unsigned = false): ParityColumn {
  const max = `${'9'.repeat(p - s) || '0'}${s > 0 ? `.${'9'.repeat(s)}` : ''}`;
  const tiny = s > 0 ? `0.${'0'.repeat(s - 1)}1` : '1';
  return {
    name,
    definition: `decimal(${p},${s})${unsigned ? ' unsigned' : ''}`,
    generate: edgesThen(
      unsigned ? [max, '0', tiny] : [max, `-${max}`, '0', tiny, `-${tiny}`],
      orNull((r) => randomDecimal(r, p, s, unsigned)),
    ),
    expected: expect.decimal,
  };
}

function bits(n: number): ParityColumn {
  return {
    name: `bit${n}`,
    definition: `bit(${n})`,
    generate: edgesThen(
      [`b'${'1'.repeat(n)}'`, `b'${'0'.repeat(n)}'`, `b'1${'0'.repeat(n - 1)}'`],
      orNull((r) => `b'${Array.from({ length: n }, () => (r.chance(0.5) ? '1' : '0')).join('')}'`),
    ),
    expected: n === 1 ? expect.bit1 : expect.bits(n),
  };
}

function datetime(p: number): ParityColumn {
  const nines = p === 0 ? '' : `.${'9'.repeat(p)}`;
  return {
    name: `datetime${p}`,
    definition: p === 0 ? 'datetime' : `datetime(${p})`,
    generate: edgesThen(
      [`'0001-01-01 00:00:00'`, `'9999-12-31 23:59:59${nines}'`, `'1969-12-31 23:59:59${nines}'`],
      orNull((r) => quoted(`${validOrInvalidDate(r)} ${randomClock(r)}${randomFraction(r, p)}`)),
    ),
    expected: expect.micros,
    lossWarning: LOSS,
  };
}

/** TIMESTAMP values are written in a UTC session: 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999. */
function timestamp(p: number): ParityColumn {
  const utc = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    name: `timestamp${p}`,
    definition: `${p === 0 ? 'timestamp' : `timestamp(${p})`} NULL`,
    generate: edgesThen(
      [
        `'1970-01-01 00:00:01'`,
        `'2038-01-19 03:14:07${p === 0 ? '' : `.${'9'.repeat(p)}`}'`,
        `'0000-00-00 00:00:00'`,
      ],
      orNull((r) => quoted(`${utc(r.int(1, 2 ** 31 - 2))}${randomFraction(r, p)}`)),
    ),
    expected: expect.micros,
    lossWarning: LOSS,
  };
}

function time(p: number): ParityColumn {
  const nines = p === 0 ? '' : `.${'9'.repeat(p)}`;
  return {
    name: `time${p}`,
    definition: p === 0 ? 'time' : `time(${p})`,
    generate: edgesThen(
      [`'-838:59:59${nines}'`, `'838:59:59${nines}'`, `'-00:00:01'`, `'-01:00:00'`, `'00:00:00'`],
      orNull((r) => quoted(`${r.chance(0.5) ? '-' : ''}${randomClock(r, 838)}${randomFraction(r, p)}`)),
    ),
    expected: expect.time,
  };
}

function geometryText(random: Random, kind: string): string {
  const coordinate = () =>
    numberText(random.chance(0.5) ? random.plainDouble() : random.finiteDouble() / 2 ** 900);
  const point = () => `${coordinate()} ${coordinate()}`;
  const points = (n: number) => Array.from({ length: n }, point).join(',');
  const ring = () => {
    const first = point();
    return `(${first},${points(random.int(2, 5))},${first})`;
  };
  switch (kind) {
    case 'POINT':
      return `POINT(${point()})`;
    case 'LINESTRING':
      return `LINESTRING(${points(random.int(2, 6))})`;
    case 'POLYGON':
      return `POLYGON(${ring()})`;
    case 'MULTIPOINT':
      return `MULTIPOINT(${points(random.int(1, 4))})`;
    case 'MULTILINESTRING':
      return `MULTILINESTRING((${points(2)}),(${points(random.int(2, 4))}))`;
    case 'MULTIPOLYGON':
      return `MULTIPOLYGON((${ring()}),(${ring()}))`;
    default:
      return `GEOMETRYCOLLECTION(POINT(${point()}),LINESTRING(${points(2)}))`;
  }
}

const geometry = (kinds: readonly string[]) =>
  orNull(
    (r) => `ST_GeomFromText('${geometryText(r, r.pick(kinds))}', ${r.pick([0, 4326, 3857, 2 ** 32 - 1])})`,
  );

/** MariaDB 10.11 refuses UUID versions above 5 (the 13th digit). */
function uuidText(random: Random): string {
  const h = random
    .bytes(16)
    .toString('hex')
    .replace(/^(.{12})./, `$1${random.int(1, 5)}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Text columns: the empty string and a leading U+FEFF (data, not a byte-order
 * mark) first, then random text (SQL NULL at times).
 */
function textColumns(list: Array<[string, string, (random: Random) => string]>): ParityColumn[] {
  return list.map(([name, definition, draw]) => ({
    name,
    definition,
    generate: edgesThen(
      [utf8(''), utf8('\ufeff'), utf8('\ufeffx')],
      orNull((r) => utf8(draw(r))),
    ),
    expected: expect.text,
  }));
}

/** Binary columns of random bytes, `size` of them: the empty value first. */
function bytesColumns(list: Array<[string, string, (random: Random) => number]>): ParityColumn[] {
  return list.map(([name, definition, size]) => ({
    name,
    definition,
    generate: edgesThen(
      [`X''`],
      orNull((r) => bytes(r.bytes(size(r)))),
    ),
    expected: expect.bytes,
  }));
}

const GEOMETRY_KINDS = [
  'POINT',
  'LINESTRING',
  'POLYGON',
  'MULTIPOINT',
  'MULTILINESTRING',
  'MULTIPOLYGON',
  'GEOMETRYCOLLECTION',
];

const ENUM_LABELS = ['a', "b'c", 'é', '🚀', 'd\\e', 'x y'];
const SET_LABELS = ['x', 'y', 'z', 'w', '🚀', 'é'];

export const MYSQL_COLUMNS: readonly ParityColumn[] = [
  // Geometry first: every text column after one must still decode in its own character set.
  {
    name: 'geom',
    definition: 'geometry',
    generate: geometry(GEOMETRY_KINDS),
    expected: expect.bytes,
  },
  ...GEOMETRY_KINDS.map((kind): ParityColumn => ({
    name: kind.toLowerCase(),
    definition: kind.toLowerCase(),
    generate: geometry([kind]),
    expected: expect.bytes,
  })),
  integer('ti', 'tinyint', -128n, 127n),
  integer('tiu', 'tinyint unsigned', 0n, 255n),
  integer('si', 'smallint', -32768n, 32767n),
  integer('siu', 'smallint unsigned', 0n, 65535n),
  integer('mi', 'mediumint', -8388608n, 8388607n),
  integer('miu', 'mediumint unsigned', 0n, 16777215n),
  integer('i', 'int', -2147483648n, 2147483647n),
  integer('iu', 'int unsigned', 0n, 4294967295n, true),
  integer('bi', 'bigint', -(2n ** 63n), 2n ** 63n - 1n, true),
  { ...integer('biu', 'bigint unsigned', 0n, 2n ** 64n - 1n), expected: expect.decimal },
  integer('bo', 'boolean', -128n, 127n),
  decimal('dec65', 65, 30),
  decimal('dec65i', 65, 0),
  decimal('dec38', 38, 38),
  decimal('dec10u', 10, 2, true),
  {
    name: 'f',
    definition: 'float',
    generate: edgesThen(
      [
        '3.4028234663852886e38',
        '-3.4028234663852886e38',
        '1.401298464324817e-45',
        '1.1754943508222875e-38',
        '0',
        '-0',
      ],
      orNull((r) => numberText(r.chance(0.5) ? r.finiteFloat32() : Math.fround(r.plainDouble()))),
    ),
    expected: expect.float,
  },
  {
    name: 'f2',
    definition: 'float(12,4)',
    generate: orNull((r) => randomDecimal(r, 12, 4)),
    expected: expect.float,
  },
  {
    name: 'dbl',
    definition: 'double',
    generate: edgesThen(
      [
        '1.7976931348623157e308',
        '-1.7976931348623157e308',
        '5e-324',
        '-5e-324',
        '2.2250738585072014e-308',
        '0',
        '-0',
        '958721.3352067961',
      ],
      orNull(randomDouble),
    ),
    expected: expect.double,
  },
  {
    name: 'dbl2',
    definition: 'double(30,8)',
    generate: orNull((r) => randomDecimal(r, 30, 8)),
    expected: expect.double,
  },
  bits(1),
  bits(2),
  bits(8),
  bits(9),
  bits(63),
  bits(64),
  ...textColumns([
    ['ch', 'char(20)', (r) => r.text(r.int(0, 20))],
    ['vc', 'varchar(100)', (r) => r.text(r.int(0, 100))],
    ['lc', 'varchar(50) CHARACTER SET latin1', (r) => latin1Text(r, 50)],
    ['u3', 'varchar(50) CHARACTER SET utf8mb3', (r) => bmp(r.text(r.int(0, 50)))],
    ['u2', 'varchar(30) CHARACTER SET ucs2', (r) => bmp(r.text(r.int(0, 30)))],
    ['tt', 'tinytext', (r) => r.text(r.int(0, 60))],
    ['tx', 'text', (r) => r.text(length(r, 200, 5000))],
    ['mt', 'mediumtext', (r) => r.text(length(r, 100, 20_000))],
    ['lt', 'longtext', (r) => r.text(length(r, 100, 20_000))],
    ['l1', 'text CHARACTER SET latin1', (r) => latin1Text(r, 200)],
    // 2%: a label the enum lacks, stored as the error value '' (non-strict session).
    [
      'en',
      `enum(${ENUM_LABELS.map(sqlString).join(',')})`,
      (r) => (r.chance(0.02) ? 'nope' : r.pick(ENUM_LABELS)),
    ],
    [
      'st',
      `set(${SET_LABELS.map(sqlString).join(',')})`,
      (r) =>
        SET_LABELS.filter(() => r.chance(0.4))
          .sort(() => r.next() - 0.5)
          .join(','),
    ],
  ]),
  // NOT NULL with a constant DEFAULT: a required field carrying connect.default.
  {
    name: 'vc_nn',
    definition: `varchar(40) NOT NULL DEFAULT 'é'`,
    generate: (r) => utf8(r.text(r.int(0, 40))),
    expected: expect.text,
  },
  {
    name: 'i_nn',
    definition: 'int NOT NULL DEFAULT -1',
    generate: (r) => String(r.int(-(2 ** 31), 2 ** 31 - 1)),
    expected: expect.int,
  },
  { name: 'js', definition: 'json', generate: orNull((r) => utf8(randomJson(r))), expected: expect.text },
  ...bytesColumns([
    ['bn', 'binary(16)', (r) => r.int(0, 16)],
    ['vb', 'varbinary(64)', (r) => r.int(0, 64)],
    ['tb', 'tinyblob', (r) => r.int(0, 255)],
    ['bl', 'blob', (r) => length(r, 300, 65_535)],
    ['mb', 'mediumblob', (r) => length(r, 100, 70_000)],
    ['lb', 'longblob', (r) => r.int(0, 100)],
  ]),
  {
    name: 'dt',
    definition: 'date',
    generate: edgesThen(
      [`'0001-01-01'`, `'9999-12-31'`, `'1969-12-31'`, `'1970-01-01'`, `'0000-00-00'`],
      orNull((r) => quoted(validOrInvalidDate(r))),
    ),
    expected: expect.date,
    lossWarning: LOSS,
  },
  {
    name: 'dtn',
    definition: "date NOT NULL DEFAULT '2000-01-01'",
    generate: (r) => quoted(validOrInvalidDate(r)),
    expected: expect.date,
    lossWarning: LOSS,
  },
  ...[0, 1, 2, 3, 4, 5, 6].map(datetime),
  ...[0, 1, 2, 3, 4, 5, 6].map(timestamp),
  ...[0, 1, 2, 3, 4, 5, 6].map(time),
  {
    name: 'yr',
    definition: 'year',
    generate: edgesThen(
      ['1901', '2155', '0'],
      orNull((r) => String(r.int(1901, 2155))),
    ),
    expected: expect.year,
  },
  {
    name: 'uu',
    definition: 'uuid',
    generate: edgesThen(
      [`'00000000-0000-0000-0000-000000000000'`, `'ffffffff-ffff-ffff-ffff-ffffffffffff'`],
      orNull((r) => quoted(uuidText(r))),
    ),
    expected: expect.bytes,
  },
  {
    name: 'ip4',
    definition: 'inet4',
    generate: orNull((r) => quoted([...r.bytes(4)].join('.'))),
    expected: expect.bytes,
  },
  {
    name: 'ip6',
    definition: 'inet6',
    generate: orNull((r) => quoted((r.bytes(16).toString('hex').match(/.{4}/g) ?? []).join(':'))),
    expected: expect.bytes,
  },
];
