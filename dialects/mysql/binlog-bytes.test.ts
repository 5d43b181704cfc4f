/**
 * Binlog paths verified on protocol bytes rather than a live server:
 *
 * - MySQL 8.4.8 (which Debian cannot run here): a GTID event with a server
 *   UUID, a TABLE_MAP with binlog_row_metadata=FULL and WRITE_ROWS v2 events
 *   carrying binary JSON, taken from zongji's own test fixtures
 *   (vlasky/zongji test/fixtures/binlog-mysql84-fullmeta.json, MIT; captured
 *   from the statements of its scripts/capture-fixtures.js);
 * - MariaDB 10.11.19: a TABLE_MAP and a WRITE_ROWS v1 event captured from the
 *   local stack, so the MariaDB-only charset rule and the zongji patches are
 *   checked without a server;
 * - MySQL binary JSON values built to the documented format
 *   (sql/json_binary.h), decoded by zongji's lib/json_decode.js and our
 *   binlog value parser; where zongji's text differs from what MySQL prints,
 *   the test pins zongji's output and names MySQL's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ZongJi, { type AnyBinlogEvent, type TableMapEvent, type WriteRowsEvent } from '@vlasky/zongji';
import type { MysqlColumn } from './column.ts';
import { columnsFromTableMap, tableMapNullBitmap } from './columns.ts';
import { BINLOG_CONNECTION_OPTIONS, columnTypeFor, valueParsers } from './types.ts';

const zongjiIndex = import.meta.resolve('@vlasky/zongji');
const lib = async <T>(path: string): Promise<T> => (await import(new URL(path, zongjiIndex).href)) as T;
type PacketClass = new () => { parse(parser: unknown): void; getEvent(): AnyBinlogEvent };
const { default: initBinlogPacketClass } = await lib<{ default: (zongji: unknown) => PacketClass }>(
  './lib/packet/binlog.js',
);
const { Parser } = await lib<{ Parser: new (packet: unknown) => unknown }>('./lib/reader.js');
const jsonDecode = await lib<{ default: (input: Buffer) => unknown; jsonToText: (value: unknown) => string }>(
  './lib/json_decode.js',
);

/**
 * Decodes packets as zongji's binlog handler does, with our connection options:
 * from the event's own FULL metadata, or (`fetched`) from the information_schema
 * rows zongji queries for tables with MariaDB 5.3-format temporal columns.
 */
function replay(
  packets: readonly string[],
  server: { mariadb: boolean; fetched?: Array<Record<string, unknown>> },
): AnyBinlogEvent[] {
  const zongji = new ZongJi({}) as unknown as Record<string, unknown> & { tableMap: Record<number, unknown> };
  zongji.useChecksum = true;
  zongji.isMariaDb = server.mariadb;
  zongji.connection = { config: { ...BINLOG_CONNECTION_OPTIONS } };
  const BinlogPacket = initBinlogPacketClass(zongji);
  return packets.map((hex) => {
    const buffer = Buffer.from(hex, 'hex');
    const packet = new BinlogPacket();
    packet.parse(new Parser({ buffer, offset: 0, end: buffer.length }));
    const event = packet.getEvent();
    if (event.getEventName() === 'tablemap') {
      const tableMap = event as TableMapEvent;
      assert.ok(tableMap.hasSelfDescribingMetadata());
      assert.equal(tableMap.hasAmbiguousTemporalColumns(), server.fetched !== undefined);
      zongji.tableMap[tableMap.tableId] = {
        columnSchemas: server.fetched ?? tableMap.buildColumnSchemas(),
        parentSchema: tableMap.schemaName,
        tableName: tableMap.tableName,
      };
      tableMap.updateColumnInfo();
    }
    return event;
  });
}

function canonicalRows(events: AnyBinlogEvent[]): {
  columns: MysqlColumn[];
  rows: Record<string, unknown>[];
} {
  const tableMap = events.find((e) => e.getEventName() === 'tablemap') as TableMapEvent;
  const { columns } = columnsFromTableMap(tableMap);
  const parsers = columns.map((c) => valueParsers(c).binlog);
  const rows = events
    .filter((e) => e.getEventName() === 'writerows')
    .flatMap((e) => (e as WriteRowsEvent).rows)
    .map((row) =>
      Object.fromEntries(
        columns.map((c, i) => [c.name, row[c.name] === null ? null : parsers[i]!(row[c.name])] as const),
      ),
    );
  return { columns, rows };
}

// vlasky/zongji test/fixtures/binlog-mysql84-fullmeta.json: packets 3 (GTID),
// 6 (TABLE_MAP), 7 (WRITE_ROWS v2, every column set) and 23 (WRITE_ROWS v2, all NULL but id).
const MYSQL84 = [
  '00f4cf4a6a21010000004f0000001f07000000000075029619787e11f188ef6acb2cd49b0e6a0000000000000002040000000000000005000000000000007c53a00be45506fc3303183a0100d4b054c0',
  '00f4cf4a6a130100000040010000c40800000000330f000000000100167a6f6e676a695f666978747572655f63617074757265000d636170747572655f7479706573001a030808f60ffefe0ffcfc040512110a130dfefefe10f5fffc0f0f201e0a5000fe14fe04080002020408030003f701f701f801020104040214001400feffff03010122030ffcff00fcff003f3ffcff003f080823070100047202696405695f62696705755f626967076465635f636f6c0276630263680762696e5f636f6c0276620374787403626c6203666c740364626c02647402747301640174017901650265320173026274026a730367656f0a7478745f6c6174696e310976635f6c6174696e310776635f756373320a03fcff0005070301780179017a0616030161016201630303612c620363276405706c61696e0801000c04ffffffc0e3ed52c3',
  '00f4cf4a6a1e0100000020010000e40900000000330f00000000010002001affffffff0000000001000000ffffffffffffff7fffffffffffffffff7fff439eb1ca484078ff439eb1f60d68c3a96c6c6f2077c3b6726c640361626304deadbeef0201020a00746578742076616c75650200cafe0000a03f00000000000004c099b39ec8b81ed2666d8a70cfd00f7fef7cec787c0202050201480000000004004700200001002100010022000300250003000501000b28000230000a3f006164617272626967000000000000f83f03000f000c0d000401000400000178ffffffffffffff7f19000000000000000101000000000000000000f03f00000000000000400600636166e920f1089f80207365f16f720a006800e9006c006c006fc115b571',
  '00f4cf4a6a1e010000002d000000631300000000330f00000000010002001afffc7f03feff7f0300000090a57f03',
];

// Captured from MariaDB 10.11.19 (the local stack) for
//   CREATE TABLE capture_mariadb (id int NOT NULL PRIMARY KEY, g geometry,
//     a varchar(10) CHARACTER SET latin1 NOT NULL, b text, e enum('x','y') NOT NULL, t time, y year)
//   INSERT ... VALUES (1, ST_GeomFromText('POINT(1 2)', 4326), 'é€', 'é😀', 'nope', '-01:00:00', 0)  -- sql_mode=''
// TABLE_MAP, then WRITE_ROWS v1 (MariaDB writes v1 row events).
const MARIADB1011 = [
  '007810076b130100000075000000628918000000200000000000010009747269627574617279000f636170747572655f6d617269616462000703ff0ffcfe130d07040a0002f701006a01014003033f08e0070100040f0269640167016101620165017401790a01e006050201780179080100703ed476',
  '007810076b170100000053000000b589180000002000000000000100077f800100000019000000e61000000101000000000000000000f03f000000000000004002e9800600c3a9f09f9880007ff00000a0f14c22',
];

// Captured from MariaDB 10.11.19 for a table created under mysql56_temporal_format=OFF
// (as tables from MariaDB 5.3 to 10.0 are): its temporal columns carry the
// classic type codes, with no fractional digits in the binlog metadata.
//   CREATE TABLE capture_hires (id int NOT NULL PRIMARY KEY, d6 datetime(6), d0 datetime NOT NULL,
//     t3 time(3), t0 time, ts2 timestamp(2) NULL)
//   INSERT ... VALUES (1, '2024-06-15 12:34:56.789012', '0000-00-00 00:00:00', '-01:00:00.5', '-01:00:00',
//     '2024-06-15 12:34:56.78'), (2, '1000-01-01 00:00:00.000001', '9999-12-31 23:59:59', '-00:00:00.001',
//     '-01:01:00', '1970-01-01 00:00:01.01')
const MARIADB53_TEMPORALS = [
  '006f11076b13010000005d000000e3a22a000000250000000000010009747269627574617279000d636170747572655f68697265730006030c0c0b0b07003a0101000413026964026436026430027433027430037473320801000a7c0e05',
  '006f11076b17010000006500000048a32a0000002500000000000100063fc001000000010283b2bd6cc614000000000000000000b3d0b50cf0d8ff666d8a704ec002000000007fb403f92360017787d105f15a000000b407a57f8cd8ff0000000101be31d100',
];
/** What zongji's information_schema query returned for that table. */
const MARIADB53_FETCHED = [
  ['id', 'int(11)'],
  ['d6', 'datetime(6) /* mariadb-5.3 */'],
  ['d0', 'datetime /* mariadb-5.3 */'],
  ['t3', 'time(3) /* mariadb-5.3 */'],
  ['t0', 'time /* mariadb-5.3 */'],
  ['ts2', 'timestamp(2) /* mariadb-5.3 */'],
].map(([name, type]) => ({
  COLUMN_NAME: name,
  COLLATION_NAME: null,
  CHARACTER_SET_NAME: null,
  COLUMN_COMMENT: '',
  COLUMN_TYPE: type,
}));

describe('MySQL 8.4 binlog bytes (FULL row metadata, v2 row events)', () => {
  const events = replay(MYSQL84, { mariadb: false });

  test('a GTID event names its transaction by server UUID and sequence number', () => {
    assert.equal(events[0]!.getEventName(), 'gtid');
    assert.equal((events[0] as { gtid?: string }).gtid, '75029619-787e-11f1-88ef-6acb2cd49b0e:106');
    assert.deepEqual(
      events.map((e) => e.getEventName()),
      ['gtid', 'tablemap', 'writerows', 'writerows'],
    );
  });

  test('the TABLE_MAP describes every column, with nullability from its null bitmap', () => {
    const tableMap = events[1] as TableMapEvent;
    assert.equal(tableMapNullBitmap(tableMap)?.toString('hex'), 'feffff03');
    const { columns, primaryKey } = columnsFromTableMap(tableMap);
    assert.deepEqual(primaryKey, ['id']);
    const spelled = columns.map(
      (c) => `${c.name} ${c.columnType}${c.nullable ? '' : ' NOT NULL'}${c.charset ? ` ${c.charset}` : ''}`,
    );
    assert.deepEqual(spelled, [
      'id int NOT NULL',
      'i_big bigint',
      'u_big bigint unsigned',
      'dec_col decimal(30,10)',
      'vc varchar(20) utf8mb4',
      'ch char(5) utf8mb4',
      'bin_col binary(4)',
      'vb varbinary(8)',
      'txt text utf8mb4',
      'blb blob',
      'flt float',
      'dbl double',
      'dt datetime(3)',
      'ts timestamp',
      'd date',
      't time(3)',
      'y year',
      "e enum('a','b','c') utf8mb4",
      "e2 enum('a,b','c''d','plain') utf8mb4",
      "s set('x','y','z') utf8mb4",
      'bt bit(10)',
      'js json',
      'geo geometry',
      'txt_latin1 text latin1',
      'vc_latin1 varchar(20) latin1',
      'vc_ucs2 varchar(10) ucs2',
    ]);
    const byName = new Map(columns.map((c) => [c.name, c]));
    assert.deepEqual(byName.get('e2')!.enumValues, ['a,b', "c'd", 'plain']);
    assert.deepEqual(byName.get('u_big'), {
      name: 'u_big',
      dataType: 'bigint',
      columnType: 'bigint unsigned',
      unsigned: true,
      nullable: true,
      precision: null,
      scale: null,
      charset: null,
    });
    assert.deepEqual(columnTypeFor(byName.get('js')!).type, { kind: 'string', semantic: 'json' });
    assert.deepEqual(columnTypeFor(byName.get('u_big')!).type, { kind: 'decimal', precision: 20, scale: 0 });
    assert.deepEqual(columnTypeFor(byName.get('t')!).type, { kind: 'time-micros' });
  });

  test('row values become canonical values', () => {
    const { rows } = canonicalRows(events);
    assert.deepEqual(rows[0], {
      id: 1,
      i_big: 9223372036854775807n,
      u_big: '18446744073709551615',
      dec_col: '-12345678901234567.0123456789',
      vc: 'héllo wörld',
      ch: 'abc',
      bin_col: Buffer.from('deadbeef', 'hex'),
      vb: Buffer.from('0102', 'hex'),
      txt: 'text value',
      blb: Buffer.from('cafe', 'hex'),
      flt: 1.25,
      dbl: -2.5,
      dt: BigInt(Date.UTC(2024, 5, 15, 12, 34, 56, 789)) * 1000n,
      ts: BigInt(Date.UTC(2024, 5, 15, 12, 34, 56)) * 1000n,
      d: Date.UTC(2024, 5, 15) / 86_400_000,
      t: -3_723_500_000n, // -01:02:03.500
      y: 2024,
      e: 'b',
      e2: "c'd",
      s: 'x,z',
      bt: '1000000001',
      // MySQL stores object keys sorted by length, then bytes, and prints them in that order.
      js: '{"a": 1, "d": 1.5, "arr": ["x", true, null], "big": 9223372036854775807}',
      // SRID 0 (4 bytes LE), then WKB POINT(1 2)
      geo: Buffer.from('00000000' + '0101000000' + '000000000000f03f' + '0000000000000040', 'hex'),
      txt_latin1: 'café ñ',
      vc_latin1: 'Ÿ€ señor', // MySQL's latin1 is cp1252: 0x9f 0x80
      vc_ucs2: 'héllo',
    });
    assert.deepEqual(
      Object.entries(rows[1]!).filter(([, v]) => v !== null),
      [['id', 3]],
    );
  });
});

describe('MariaDB 10.11 binlog bytes', () => {
  const events = replay(MARIADB1011, { mariadb: true });

  test("text columns after a geometry column keep their own charsets (MariaDB's charset metadata rule)", () => {
    const { columns, primaryKey } = columnsFromTableMap(events[0] as TableMapEvent);
    assert.deepEqual(primaryKey, ['id']);
    assert.deepEqual(
      columns.map((c) => [c.name, c.columnType, c.nullable, c.charset]),
      [
        ['id', 'int', false, null],
        ['g', 'geometry', true, null],
        ['a', 'varchar(10)', false, 'latin1'],
        ['b', 'text', true, 'utf8mb4'],
        ['e', "enum('x','y')", false, 'utf8mb4'],
        ['t', 'time', true, null],
        ['y', 'year', true, null],
      ],
    );
  });

  test('values: raw geometry with its SRID, the empty enum value, negative TIME, the zero YEAR', () => {
    const raw = (events[1] as WriteRowsEvent).rows[0]!;
    assert.equal(raw.e, 0, 'zongji decodes ENUM as its index (patched)');
    assert.equal(raw.t, '-00:63:64', "zongji 0.9.0's decoding of TIME2 -01:00:00");
    assert.equal(raw.y, 1900, "zongji 0.9.0's decoding of YEAR 0000");
    const { rows } = canonicalRows(events);
    assert.deepEqual(rows[0], {
      id: 1,
      g: Buffer.from('e6100000' + '0101000000' + '000000000000f03f' + '0000000000000040', 'hex'),
      a: 'é€',
      b: 'é😀',
      e: '',
      t: -3_600_000_000n,
      y: 0,
    });
  });
});

describe('MariaDB 5.3-format temporal columns (classic type codes, read through information_schema)', () => {
  const events = replay(MARIADB53_TEMPORALS, { mariadb: true, fetched: MARIADB53_FETCHED });

  test('fractional digits come from the definition zongji fetched', () => {
    const { columns } = columnsFromTableMap(events[0] as TableMapEvent);
    assert.deepEqual(
      columns.map((c) => [c.name, c.columnType, c.scale, c.nullable]),
      [
        ['id', 'int', null, false],
        ['d6', 'datetime(6)', 6, true],
        ['d0', 'datetime', 0, false],
        ['t3', 'time(3)', 3, true],
        ['t0', 'time', 0, true],
        ['ts2', 'timestamp(2)', 2, true],
      ],
    );
  });

  test("values, with zongji's classic TIME decoding of negative :00 seconds repaired", () => {
    const raw = (events[1] as WriteRowsEvent).rows;
    assert.deepEqual(
      raw.map((r) => r.t0),
      ['-00:99:00', '-01:00:00'],
      "zongji 0.9.0's classic TIME decoding of -01:00:00 and -01:01:00",
    );
    const { rows } = canonicalRows(events);
    assert.deepEqual(rows, [
      {
        id: 1,
        d6: 1718454896789012n,
        d0: null, // 0000-00-00 00:00:00
        t3: -3_600_500_000n,
        t0: -3_600_000_000n,
        ts2: 1718454896780000n,
      },
      {
        id: 2,
        d6: -30610223999999999n,
        d0: 253402300799000000n,
        t3: -1000n,
        t0: -3_660_000_000n,
        ts2: 1_010_000n,
      },
    ]);
  });
});

// ---------------------------------------------------------------------------
// Binary JSON, as MySQL 5.7+ stores it (sql/json_binary.h):
//   doc   ::= type value
//   object/array ::= count size key-entry* value-entry* key* value*   (uint16 fields, uint32 when large)
//   key-entry   ::= key-offset key-length(uint16)
//   value-entry ::= type offset-or-inlined-value
// Offsets count from the start of the enclosing object/array; literals and
// (u)int16 (and (u)int32 in large containers) are inlined; strings carry a
// 7-bits-per-byte length; opaque values are (field type, length, bytes).

type JsonNode =
  | null
  | boolean
  | string
  | { int16: number }
  | { uint16: number }
  | { int32: number }
  | { uint32: number }
  | { int64: bigint }
  | { uint64: bigint }
  | { double: number }
  | { opaque: number; data: Buffer }
  | { array: JsonNode[]; large?: boolean }
  | { object: Array<[string, JsonNode]>; large?: boolean };

const T = {
  SMALL_OBJECT: 0,
  LARGE_OBJECT: 1,
  SMALL_ARRAY: 2,
  LARGE_ARRAY: 3,
  LITERAL: 4,
  INT16: 5,
  UINT16: 6,
  INT32: 7,
  UINT32: 8,
  INT64: 9,
  UINT64: 10,
  DOUBLE: 11,
  STRING: 12,
  OPAQUE: 15,
};

function varLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.from(bytes);
}

function le(bytes: number, value: number | bigint, signed = false): Buffer {
  const b = Buffer.alloc(bytes);
  if (bytes === 8) {
    if (signed) b.writeBigInt64LE(BigInt(value));
    else b.writeBigUInt64LE(BigInt(value));
  } else if (signed) b.writeIntLE(Number(value), 0, bytes);
  else b.writeUIntLE(Number(value), 0, bytes);
  return b;
}

/** [type, value bytes] of a node; `inline` when the value fits in a value entry of that width. */
function encode(node: JsonNode, inlineWidth = 0): { type: number; bytes: Buffer; inline?: Buffer } {
  if (node === null || typeof node === 'boolean') {
    const literal = node === null ? 0 : node ? 1 : 2;
    return { type: T.LITERAL, bytes: Buffer.from([literal]), inline: le(inlineWidth || 1, literal) };
  }
  if (typeof node === 'string') {
    const data = Buffer.from(node, 'utf8');
    return { type: T.STRING, bytes: Buffer.concat([varLength(data.length), data]) };
  }
  if ('int16' in node)
    return {
      type: T.INT16,
      bytes: le(2, node.int16, true),
      inline: le(inlineWidth || 2, node.int16 & 0xffff),
    };
  if ('uint16' in node)
    return { type: T.UINT16, bytes: le(2, node.uint16), inline: le(inlineWidth || 2, node.uint16) };
  if ('int32' in node) {
    const bytes = le(4, node.int32, true);
    return inlineWidth === 4 ? { type: T.INT32, bytes, inline: bytes } : { type: T.INT32, bytes };
  }
  if ('uint32' in node) {
    const bytes = le(4, node.uint32);
    return inlineWidth === 4 ? { type: T.UINT32, bytes, inline: bytes } : { type: T.UINT32, bytes };
  }
  if ('int64' in node) return { type: T.INT64, bytes: le(8, node.int64, true) };
  if ('uint64' in node) return { type: T.UINT64, bytes: le(8, node.uint64) };
  if ('double' in node) {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(node.double);
    return { type: T.DOUBLE, bytes };
  }
  if ('opaque' in node) {
    return {
      type: T.OPAQUE,
      bytes: Buffer.concat([Buffer.from([node.opaque]), varLength(node.data.length), node.data]),
    };
  }
  const large = node.large === true;
  const w = large ? 4 : 2;
  const isObject = 'object' in node;
  const members = isObject ? node.object : node.array.map((v) => ['', v] as [string, JsonNode]);
  const header = 2 * w;
  const keyEntries = isObject ? members.length * (w + 2) : 0;
  const valueEntries = members.length * (1 + w);
  const keys = isObject ? members.map(([k]) => Buffer.from(k, 'utf8')) : [];
  let offset = header + keyEntries + valueEntries;
  const keyEntryBytes: Buffer[] = [];
  for (const key of keys) {
    keyEntryBytes.push(Buffer.concat([le(w, offset), le(2, key.length)]));
    offset += key.length;
  }
  const valueEntryBytes: Buffer[] = [];
  const values: Buffer[] = [];
  for (const [, value] of members) {
    const encoded = encode(value, w);
    if (encoded.inline) {
      valueEntryBytes.push(Buffer.concat([Buffer.from([encoded.type]), encoded.inline]));
    } else {
      valueEntryBytes.push(Buffer.concat([Buffer.from([encoded.type]), le(w, offset)]));
      values.push(encoded.bytes);
      offset += encoded.bytes.length;
    }
  }
  const body = Buffer.concat([...keyEntryBytes, ...valueEntryBytes, ...keys, ...values]);
  const type = isObject ? (large ? T.LARGE_OBJECT : T.SMALL_OBJECT) : large ? T.LARGE_ARRAY : T.SMALL_ARRAY;
  return { type, bytes: Buffer.concat([le(w, members.length), le(w, header + body.length), body]) };
}

function document(node: JsonNode): Buffer {
  const { type, bytes } = encode(node);
  return Buffer.concat([Buffer.from([type]), bytes]);
}

const jsonColumn: MysqlColumn = {
  name: 'js',
  dataType: 'json',
  columnType: 'json',
  unsigned: false,
  nullable: true,
  precision: null,
  scale: null,
  charset: null,
};

/** What zongji delivers for a JSON column with `jsonStrings`, through our binlog value parser. */
function fromBinlog(bytes: Buffer): unknown {
  const text = jsonDecode.jsonToText(jsonDecode.default(bytes));
  return valueParsers(jsonColumn).binlog(text);
}

/** MySQL's packed temporal (my_time_packed / my_datetime_packed), 8 bytes little-endian. */
function packedDatetime(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  us: number,
): Buffer {
  const ymd = BigInt((((y * 13 + mo) << 5) | d) >>> 0);
  const hms = BigInt((h << 12) | (mi << 6) | s);
  return le(8, (((ymd << 17n) | hms) << 24n) + BigInt(us), true);
}

function packedTime(negative: boolean, h: number, mi: number, s: number, us: number): Buffer {
  const packed = (BigInt((h << 12) | (mi << 6) | s) << 24n) + BigInt(us);
  return le(8, negative ? -packed : packed, true);
}

describe('MySQL binary JSON through zongji and the binlog value parser', () => {
  test('the fixture value MySQL 8.4 wrote decodes to the text MySQL prints', () => {
    // The js column of MYSQL84's first row, as stored (length prefix stripped).
    const raw = Buffer.from(
      '0004004700200001002100010022000300250003000501000b28000230000a3f006164617272626967000000000000f83f03000f000c0d000401000400000178ffffffffffffff7f',
      'hex',
    );
    assert.equal(fromBinlog(raw), '{"a": 1, "d": 1.5, "arr": ["x", true, null], "big": 9223372036854775807}');
  });

  test('scalars at the root', () => {
    assert.equal(fromBinlog(document(null)), 'null');
    assert.equal(fromBinlog(document(true)), 'true');
    assert.equal(fromBinlog(document(false)), 'false');
    assert.equal(fromBinlog(document({ int16: -32768 })), '-32768');
    assert.equal(fromBinlog(document({ int32: -2147483648 })), '-2147483648');
    assert.equal(fromBinlog(document({ uint32: 4294967295 })), '4294967295');
    assert.equal(fromBinlog(document({ int64: -9223372036854775808n })), '-9223372036854775808');
    assert.equal(fromBinlog(document({ uint64: 18446744073709551615n })), '18446744073709551615');
    assert.equal(fromBinlog(document({ double: -0.5 })), '-0.5');
    assert.equal(fromBinlog(document('')), '""');
  });

  test('strings: escapes, 4-byte UTF-8, lengths over 127 bytes (two length bytes)', () => {
    assert.equal(fromBinlog(document('a"b\\c\n\t\u0001é😀')), '"a\\"b\\\\c\\n\\t\\u0001é😀"');
    const long = 'x'.repeat(200) + '😀'.repeat(100);
    assert.equal(fromBinlog(document(long)), JSON.stringify(long));
  });

  test('nested small and large objects and arrays, inlined and offset values', () => {
    const node: JsonNode = {
      object: [
        ['a', { int16: 1 }],
        ['n', null],
        [
          'big',
          {
            object: [
              ['k', { int32: 70000 }],
              ['l', { array: [{ uint16: 65535 }, 'v', { double: 2.5 }] }],
            ],
            large: true,
          },
        ],
        ['arr', { array: [{ int32: -5 }, { object: [] }, { array: [] }, false], large: true }],
      ],
    };
    assert.equal(
      fromBinlog(document(node)),
      '{"a": 1, "n": null, "big": {"k": 70000, "l": [65535, "v", 2.5]}, "arr": [-5, {}, [], false]}',
    );
  });

  test('opaque DATE, TIME and DATETIME values print as quoted strings, as MySQL prints them', () => {
    assert.equal(
      fromBinlog(document({ opaque: 10, data: packedDatetime(2024, 6, 15, 0, 0, 0, 0) })),
      '"2024-06-15"',
    );
    assert.equal(
      fromBinlog(document({ opaque: 12, data: packedDatetime(2024, 6, 15, 12, 34, 56, 789000) })),
      '"2024-06-15 12:34:56.789000"',
    );
    assert.equal(
      fromBinlog(document({ opaque: 11, data: packedTime(false, 12, 34, 56, 500000) })),
      '"12:34:56.500000"',
    );
    assert.equal(
      fromBinlog(document({ opaque: 11, data: packedTime(true, 1, 2, 3, 500000) })),
      '"-01:02:03.500000"',
    );
  });

  test('known differences from the text MySQL prints (zongji 0.9.0 jsonToText)', () => {
    // MySQL prints a JSON double without a fraction as `2.0`, and 1e300 as `1e300`.
    assert.equal(fromBinlog(document({ array: [{ double: 2 }, { double: 1e300 }] })), '[2, 1e+300]');
    // A DECIMAL inside JSON (e.g. JSON_ARRAY(1.50)): MySQL prints the number 1.50; zongji a string.
    const decimal = Buffer.from([4, 2, 0x81, 0x32]); // precision 4, scale 2, +1.50 in MySQL's decimal binary
    assert.equal(fromBinlog(document({ array: [{ opaque: 246, data: decimal }] })), '["1.50"]');
    // MySQL keeps key order (sorted by length, then bytes: "b" before "10"); a JS object puts integer-like keys first.
    assert.equal(
      fromBinlog(
        document({
          object: [
            ['b', { int16: 1 }],
            ['10', { int16: 2 }],
          ],
        }),
      ),
      '{"10": 2, "b": 1}',
    );
  });
});
