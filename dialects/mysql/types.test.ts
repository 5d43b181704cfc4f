/**
 * Both converters on fixtures: the value zongji 0.9.0 delivers from a row event
 * (with BINLOG_CONNECTION_OPTIONS and the columns.ts patches) and the value
 * mysql2 returns for the snapshot query (SNAPSHOT_CONNECTION_OPTIONS), for every
 * type and its edge values. types.mysql.test.ts checks the same against the server.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TypeCastField } from 'mysql2';
import { TributaryError } from '../../src/core/errors.ts';
import type { MysqlColumn } from './column.ts';
import {
  binlogValueParser,
  columnTypeFor,
  SNAPSHOT_CONNECTION_OPTIONS,
  snapshotSelectExpression,
  snapshotSelectList,
  snapshotValueParser,
  valueParsers,
} from './types.ts';

/** A column as columns.ts builds it; `precision`/`scale` as MysqlColumn documents them. */
function column(dataType: string, columnType: string, more: Partial<MysqlColumn> = {}): MysqlColumn {
  return {
    name: 'c',
    dataType,
    columnType,
    unsigned: / unsigned/.test(columnType),
    nullable: true,
    precision: null,
    scale: null,
    charset: null,
    ...more,
  };
}

const binlog = (c: MysqlColumn, value: unknown) => binlogValueParser(c)(value);
const snapshot = (c: MysqlColumn, value: unknown) => snapshotValueParser(c)(value);
/** The same canonical value from both sides. */
function both(c: MysqlColumn, fromBinlog: unknown, fromSnapshot: unknown, expected: unknown) {
  assert.deepEqual(binlog(c, fromBinlog), expected, `binlog ${String(fromBinlog)}`);
  assert.deepEqual(snapshot(c, fromSnapshot), expected, `snapshot ${String(fromSnapshot)}`);
}
function rejects(fn: () => unknown, code = 'SOURCE_SETTING', pattern?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TributaryError, String(e));
    assert.equal(e.code, code);
    if (pattern) assert.match(`${e.message} ${e.fix ?? ''}`, pattern);
    return true;
  });
}
const micros = (iso: string, fraction = 0) => BigInt(Date.parse(`${iso}Z`)) * 1000n + BigInt(fraction);
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('integers', () => {
  test('widths follow Debezium; unsigned types widen so no value overflows', () => {
    const kinds = [
      ['tinyint', 'tinyint', 'int16'],
      ['tinyint', 'tinyint unsigned', 'int16'],
      ['smallint', 'smallint', 'int16'],
      ['smallint', 'smallint unsigned', 'int32'],
      ['mediumint', 'mediumint', 'int32'],
      ['mediumint', 'mediumint unsigned', 'int32'],
      ['int', 'int', 'int32'],
      ['int', 'int unsigned', 'int64'],
      ['bigint', 'bigint', 'int64'],
    ];
    for (const [dataType, columnType, kind] of kinds) {
      assert.deepEqual(
        columnTypeFor(column(dataType!, columnType!)),
        { type: { kind }, sourceType: columnType },
        columnType,
      );
    }
    assert.deepEqual(columnTypeFor(column('bigint', 'bigint unsigned')).type, {
      kind: 'decimal',
      precision: 20,
      scale: 0,
    });
  });

  test('values at the limits of every width', () => {
    both(column('tinyint', 'tinyint'), -128, -128, -128);
    both(column('tinyint', 'tinyint unsigned'), 255, 255, 255);
    both(column('smallint', 'smallint unsigned'), 65535, 65535, 65535);
    both(column('mediumint', 'mediumint'), -8388608, -8388608, -8388608);
    both(column('mediumint', 'mediumint unsigned'), 16777215, 16777215, 16777215);
    both(column('int', 'int'), -2147483648, -2147483648, -2147483648);
    both(column('int', 'int unsigned'), 4294967295, 4294967295, 4294967295n);
  });

  test('bigint is a BigInt: zongji sends a number within 2^53, an exact string beyond; mysql2 a string', () => {
    const c = column('bigint', 'bigint');
    both(c, 42, '42', 42n);
    both(c, '-9223372036854775808', '-9223372036854775808', -9223372036854775808n);
    both(c, '9223372036854775807', '9223372036854775807', 9223372036854775807n);
    both(c, '9007199254740993', '9007199254740993', 9007199254740993n);
  });

  test('bigint unsigned is decimal(20,0) text, so 18446744073709551615 survives', () => {
    const c = column('bigint', 'bigint unsigned');
    both(c, 9007199254740991, '9007199254740991', '9007199254740991');
    both(c, 0, '0', '0');
    both(c, '18446744073709551615', '18446744073709551615', '18446744073709551615');
  });

  test('tinyint(1) stays an integer: the binlog cannot tell it from tinyint, and it holds -128..127', () => {
    both(column('tinyint', 'tinyint'), 2, 2, 2);
  });
});

describe('decimal', () => {
  test('decimal(p,s) is an Avro decimal of the exact text, up to 65 digits', () => {
    const c = column('decimal', 'decimal(65,30)', { precision: 65, scale: 30 });
    assert.deepEqual(columnTypeFor(c), {
      type: { kind: 'decimal', precision: 65, scale: 30 },
      sourceType: 'decimal(65,30)',
    });
    const max = `${'9'.repeat(35)}.${'9'.repeat(30)}`;
    both(c, `-${max}`, `-${max}`, `-${max}`);
    both(c, `0.${'0'.repeat(30)}`, `0.${'0'.repeat(30)}`, `0.${'0'.repeat(30)}`);
    const unsigned = column('decimal', 'decimal(5,2) unsigned', { precision: 5, scale: 2 });
    assert.deepEqual(columnTypeFor(unsigned).type, { kind: 'decimal', precision: 5, scale: 2 });
    both(
      column('decimal', 'decimal(10,0)', { precision: 10, scale: 0 }),
      '-9999999999',
      '-9999999999',
      '-9999999999',
    );
  });

  test('a number means decimalNumbers was on: refused rather than rounded', () => {
    const c = column('decimal', 'decimal(10,2)', { precision: 10, scale: 2 });
    rejects(() => snapshot(c, 1.5), 'SOURCE_SETTING', /decimalNumbers/);
    rejects(() => binlog(c, 1.5));
  });
});

describe('floating point', () => {
  test('float is the exact float32; the snapshot reads it through CAST(... AS DOUBLE)', () => {
    const c = column('float', 'float');
    assert.deepEqual(columnTypeFor(c).type, { kind: 'float32' });
    assert.equal(snapshotSelectExpression(c), 'CAST(`c` AS DOUBLE) AS `c`');
    // MariaDB prints FLOAT 1.2345678 as `1.23457`; CAST(... AS DOUBLE) prints 1.2345677614212036.
    both(c, 1.2345677614212036, 1.2345677614212036, Math.fround(1.2345678));
    both(c, 3.4028234663852886e38, 3.4028234663852886e38, 3.4028234663852886e38);
    both(c, 1.401298464324817e-45, '1.401298464324817e-45', 1.401298464324817e-45);
    both(c, 0, 0, 0);
    // float(7,3) is a float32 too (the server rounds on storage).
    both(column('float', 'float'), 1234.5670166015625, 1234.567, 1234.5670166015625);
  });

  test('double is exact (selected as DOUBLE, whose text is the shortest round trip, even for DOUBLE(m,d))', () => {
    const c = column('double', 'double');
    assert.deepEqual(columnTypeFor(c).type, { kind: 'float64' });
    assert.equal(snapshotSelectExpression(c), 'CAST(`c` AS DOUBLE) AS `c`');
    both(c, 5e-324, 5e-324, 5e-324);
    both(c, -1.7976931348623157e308, -1.7976931348623157e308, -1.7976931348623157e308);
    both(c, 0.1, 0.1, 0.1);
  });
});

describe('bit', () => {
  test('bit(1) is a boolean, like Debezium', () => {
    const c = column('bit', 'bit(1)', { precision: 1 });
    assert.deepEqual(columnTypeFor(c).type, { kind: 'boolean' });
    both(c, Buffer.from([1]), Buffer.from([1]), true);
    both(c, Buffer.from([0]), Buffer.from([0]), false);
  });

  test("bit(n) is n characters 0/1, most significant first, sent as Debezium's Bits of length n", () => {
    const b10 = column('bit', 'bit(10)', { precision: 10 });
    assert.deepEqual(columnTypeFor(b10).type, { kind: 'bits', length: 10 });
    both(b10, Buffer.from([0x02, 0xaa]), Buffer.from([0x02, 0xaa]), '1010101010');
    both(b10, Buffer.from([0x00, 0x00]), Buffer.from([0x00, 0x00]), '0000000000');
    const b64 = column('bit', 'bit(64)', { precision: 64 });
    both(b64, Buffer.alloc(8, 0xff), Buffer.alloc(8, 0xff), '1'.repeat(64));
    both(
      b64,
      Buffer.from('8000000000000000', 'hex'),
      Buffer.from('8000000000000000', 'hex'),
      `1${'0'.repeat(63)}`,
    );
    both(column('bit', 'bit(3)', { precision: 3 }), Buffer.from([5]), Buffer.from([5]), '101');
  });
});

describe('strings', () => {
  test('text types are strings as decoded in the column charset', () => {
    for (const [dataType, columnType] of [
      ['char', 'char(5)'],
      ['varchar', 'varchar(300)'],
      ['tinytext', 'tinytext'],
      ['text', 'text'],
      ['mediumtext', 'mediumtext'],
      ['longtext', 'longtext'],
    ]) {
      const c = column(dataType!, columnType!, { charset: 'utf8mb4' });
      assert.deepEqual(columnTypeFor(c), { type: { kind: 'string' }, sourceType: columnType });
      both(c, 'héllo 😀', 'héllo 😀', 'héllo 😀');
      both(c, '', '', '');
    }
    both(column('varchar', 'varchar(10)', { charset: 'latin1' }), 'é€', 'é€', 'é€');
  });

  test('a Buffer for a text column (a charset zongji cannot decode) is an error, never bytes in a string field', () => {
    rejects(
      () => binlog(column('varchar', 'varchar(10)', { charset: 'dec8' }), Buffer.from([0xe9])),
      'SOURCE_SETTING',
      /dec8/,
    );
  });

  test('enum: the label (semantic enum); zongji sends the index, 0 being the empty-string error value', () => {
    const c = column('enum', "enum('a','b''c','é')", { enumValues: ['a', "b'c", 'é'], charset: 'latin1' });
    assert.deepEqual(columnTypeFor(c).type, { kind: 'string', semantic: 'enum', allowed: ['a', "b'c", 'é'] });
    both(c, 2, "b'c", "b'c");
    both(c, 3, 'é', 'é');
    both(c, 0, '', '');
    assert.equal(binlog(c, 'a'), 'a', 'an unpatched zongji sends the label');
    assert.equal(binlog(c, undefined), '', 'and undefined for index 0');
    rejects(() => binlog(c, 4));
  });

  test('enum and set labels are spelled as information_schema spells them: 4-byte characters are ?', () => {
    const c = column('enum', "enum('a','🚀x')", { enumValues: ['a', '🚀x'] });
    assert.deepEqual(columnTypeFor(c).type, { kind: 'string', semantic: 'enum', allowed: ['a', '?x'] });
    both(c, 2, '🚀x', '🚀x');
  });

  test('set: comma-separated labels in definition order (semantic set)', () => {
    const c = column('set', "set('x','y','z')", { setValues: ['x', 'y', 'z'] });
    assert.deepEqual(columnTypeFor(c).type, { kind: 'string', semantic: 'set', allowed: ['x', 'y', 'z'] });
    both(c, 'x,z', 'x,z', 'x,z');
    both(c, '', '', '');
  });

  test('json: the JSON text (semantic json); a parsed object means jsonStrings was off', () => {
    const c = column('json', 'json');
    assert.deepEqual(columnTypeFor(c).type, { kind: 'string', semantic: 'json' });
    both(c, '{"a": 1}', '{"a": 1}', '{"a": 1}');
    rejects(() => snapshot(c, { a: 1 }), 'SOURCE_SETTING', /jsonStrings/);
  });

  test("MariaDB's JSON is a LONGTEXT: a plain string (neither the binlog nor information_schema marks it)", () => {
    assert.deepEqual(columnTypeFor(column('longtext', 'longtext', { charset: 'utf8mb4' })).type, {
      kind: 'string',
    });
  });
});

describe('binary', () => {
  test('binary, varbinary and the blobs are bytes', () => {
    for (const [dataType, columnType] of [
      ['binary', 'binary(4)'],
      ['varbinary', 'varbinary(16)'],
      ['tinyblob', 'tinyblob'],
      ['blob', 'blob'],
      ['mediumblob', 'mediumblob'],
      ['longblob', 'longblob'],
    ]) {
      const c = column(dataType!, columnType!);
      assert.deepEqual(columnTypeFor(c), { type: { kind: 'bytes' }, sourceType: columnType });
      both(c, Buffer.from('00ff00', 'hex'), Buffer.from('00ff00', 'hex'), Buffer.from('00ff00', 'hex'));
      both(c, Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0));
    }
    rejects(() => snapshot(column('blob', 'blob'), 'text'));
  });

  test('MariaDB uuid/inet4/inet6 are the binary(n) the binlog sees, selected as their binary form', () => {
    const uuid = column('uuid', 'binary(16)', { precision: 16 });
    assert.deepEqual(columnTypeFor(uuid), { type: { kind: 'bytes' }, sourceType: 'binary(16)' });
    assert.equal(snapshotSelectExpression(uuid), 'CAST(`c` AS BINARY(16)) AS `c`');
    assert.equal(snapshotSelectExpression(column('inet4', 'binary(4)')), 'CAST(`c` AS BINARY(4)) AS `c`');
    const bytes = Buffer.from('6ccd780cbaba102695645b8c656024db', 'hex');
    both(uuid, bytes, bytes, bytes);
    rejects(
      () => snapshot(uuid, '6ccd780c-baba-1026-9564-5b8c656024db'),
      'SOURCE_SETTING',
      /snapshotSelectExpression/,
    );
  });

  test('geometry types are bytes: the SRID (4 bytes little-endian), then WKB', () => {
    const point = Buffer.from('e6100000' + '0101000000' + '000000000000f03f' + '0000000000000040', 'hex');
    for (const type of [
      'geometry',
      'point',
      'linestring',
      'polygon',
      'multipoint',
      'multilinestring',
      'multipolygon',
      'geometrycollection',
    ]) {
      const c = column(type, type);
      assert.deepEqual(columnTypeFor(c), {
        type: { kind: 'geometry', point: type === 'point' },
        sourceType: type,
      });
      both(c, point, point, point);
    }
    rejects(() => binlog(column('point', 'point'), { x: 1, y: 2 }), 'SOURCE_SETTING', /columns\.ts/);
  });
});

describe('dates and times', () => {
  test('date: days since 1970-01-01 (proleptic Gregorian)', () => {
    const c = column('date', 'date');
    assert.deepEqual(columnTypeFor(c), { type: { kind: 'date' }, sourceType: 'date', forceNullable: true });
    both(c, '1970-01-01', '1970-01-01', 0);
    both(c, '1969-12-31', '1969-12-31', -1);
    both(c, '1000-01-01', '1000-01-01', days('1000-01-01'));
    both(c, '9999-12-31', '9999-12-31', 2932896);
    both(c, '0001-01-01', '0001-01-01', -719162);
    both(c, '2024-02-29', '2024-02-29', days('2024-02-29'));
    both(c, '1582-10-10', '1582-10-10', days('1582-10-10'));
  });

  test('zero dates, partly zero dates and days the month lacks become null, reported as a loss', () => {
    const c = column('date', 'date');
    const losses: string[] = [];
    const { binlog: fromBinlog, snapshot: fromSnapshot } = valueParsers(c, { onLoss: (m) => losses.push(m) });
    for (const text of ['0000-00-00', '2024-00-15', '2024-05-00', '2023-02-29', '2024-04-31']) {
      assert.equal(fromBinlog(text), null, text);
      assert.equal(fromSnapshot(text), null, text);
    }
    assert.equal(losses.length, 10);
    assert.match(losses[0]!, /0000-00-00.*null/);
  });

  test('malformed text and JS Dates are refused (dateStrings was off)', () => {
    const c = column('date', 'date');
    rejects(() => snapshot(c, '2024-1-1'));
    rejects(() => snapshot(c, '2024-13-01'));
    rejects(() => snapshot(c, new Date(0)), 'SOURCE_SETTING', /dateStrings/);
  });

  test('datetime(p): wall-clock microseconds, every fraction length', () => {
    const c = column('datetime', 'datetime(6)', { scale: 6 });
    assert.deepEqual(columnTypeFor(c), {
      type: { kind: 'local-timestamp-micros', precision: 6 },
      sourceType: 'datetime(6)',
      forceNullable: true,
    });
    both(
      c,
      '2024-06-15 12:34:56.789012',
      '2024-06-15 12:34:56.789012',
      micros('2024-06-15T12:34:56', 789012),
    );
    both(
      c,
      '9999-12-31 23:59:59.999999',
      '9999-12-31 23:59:59.999999',
      micros('9999-12-31T23:59:59', 999999),
    );
    both(c, '0001-01-01 00:00:00.000001', '0001-01-01 00:00:00.000001', -62135596799999999n);
    both(c, '1969-12-31 23:59:59.5', '1969-12-31 23:59:59.5', -500000n);
    both(
      column('datetime', 'datetime'),
      '2024-06-15 12:34:56',
      '2024-06-15 12:34:56',
      micros('2024-06-15T12:34:56'),
    );
    both(
      column('datetime', 'datetime(3)'),
      '2024-06-15 12:34:56.789',
      '2024-06-15 12:34:56.789',
      micros('2024-06-15T12:34:56', 789000),
    );
    both(
      column('datetime', 'datetime(1)'),
      '2024-06-15 12:34:56.1',
      '2024-06-15 12:34:56.1',
      micros('2024-06-15T12:34:56', 100000),
    );
  });

  test('datetime zero values become null', () => {
    const c = column('datetime', 'datetime(3)', { scale: 3 });
    const { binlog: fromBinlog } = valueParsers(c, { onLoss: () => {} });
    assert.equal(fromBinlog('0000-00-00 00:00:00.000'), null);
    assert.equal(fromBinlog('2024-00-15 10:00:00.000'), null);
    rejects(() => fromBinlog('2024-06-15T12:34:56'));
    rejects(() => fromBinlog('2024-06-15 12:34:56.1234567'));
  });

  test('timestamp(p): UTC microseconds (zongji renders it with timezone Z, the session prints it in UTC)', () => {
    const c = column('timestamp', 'timestamp(6)', { scale: 6 });
    assert.deepEqual(columnTypeFor(c), {
      type: { kind: 'timestamp-micros', precision: 6 },
      sourceType: 'timestamp(6)',
      forceNullable: true,
    });
    both(c, '1970-01-01 00:00:01.000001', '1970-01-01 00:00:01.000001', 1_000_001n);
    both(c, '2038-01-19 03:14:07.999999', '2038-01-19 03:14:07.999999', 2147483647999999n);
    const { snapshot: fromSnapshot } = valueParsers(c, { onLoss: () => {} });
    assert.equal(fromSnapshot('0000-00-00 00:00:00.000000'), null);
  });

  test('time(p): signed microseconds (MicroTime whatever p), negative and beyond 24 hours', () => {
    const c = column('time', 'time(6)', { scale: 6 });
    assert.deepEqual(columnTypeFor(c), { type: { kind: 'time-micros' }, sourceType: 'time(6)' });
    both(c, '-838:59:59.999999', '-838:59:59.999999', -3020399999999n);
    both(c, '838:59:59.999999', '838:59:59.999999', 3020399999999n);
    both(c, '00:00:00.000000', '00:00:00.000000', 0n);
    both(c, '-00:00:00.000001', '-00:00:00.000001', -1n);
    both(c, '24:00:00.000000', '24:00:00.000000', 86_400_000_000n);
    both(column('time', 'time(1)'), '-00:00:00.5', '-00:00:00.5', -500000n);
    // zongji sends -100:00:00 of a TIME2 column as -99:63:64 (see the repair below).
    both(column('time', 'time'), '-99:63:64', '-100:00:00', -360_000_000_000n);
  });

  test("time: zongji's lost carry on negative TIME with :00 seconds is repaired on the binlog side only", () => {
    const c = column('time', 'time(3)', { scale: 3 });
    // TIME2 bit fields: -01:00:00 arrives as -00:63:64, -00:05:00 as -00:04:64, -838:00:00 as -837:63:64.
    assert.equal(binlog(c, '-00:63:64.000'), -3_600_000_000n);
    assert.equal(binlog(c, '-00:04:64'), -300_000_000n);
    assert.equal(binlog(c, '-837:63:64'), -838n * 3_600_000_000n);
    assert.equal(binlog(c, '-00:00:64'), -60_000_000n);
    // Classic TIME (decimal HHMMSS, seconds 100 printed as 00): -01:00:00 arrives as -00:99:00,
    // -01:01:00 as -01:00:00, -00:01:00 as -00:00:00.
    const classic = column('time', 'time');
    assert.equal(binlog(classic, '-00:99:00'), -3_600_000_000n);
    assert.equal(binlog(classic, '-01:00:00'), -3_660_000_000n);
    assert.equal(binlog(classic, '-00:00:00'), -60_000_000n);
    assert.equal(binlog(classic, '-837:99:00'), -838n * 3_600_000_000n);
    assert.equal(snapshot(classic, '-01:00:00'), -3_600_000_000n, 'the snapshot text is right as it is');
    // Fractional digits mean TIME2 or MariaDB 5.3 hires decoding, both right for :00 seconds.
    assert.equal(binlog(c, '-01:00:00.500'), -3_600_500_000n);
    assert.equal(binlog(c, '-01:00:00.000'), -3_600_000_000n);
    rejects(() => snapshot(c, '-00:63:64'));
    rejects(() => binlog(c, '00:63:64'));
    rejects(() => binlog(c, '-00:63:64.500'));
    rejects(() => binlog(c, '12:3:45'));
  });

  test('year: a Year; zongji sends the zero year 0000 as 1900', () => {
    const c = column('year', 'year');
    assert.deepEqual(columnTypeFor(c), { type: { kind: 'year' }, sourceType: 'year' });
    both(c, 1900, 0, 0);
    both(c, 1901, 1901, 1901);
    both(c, 2155, 2155, 2155);
  });
});

describe('connection options and select list', () => {
  test('the snapshot connection keeps values exact', () => {
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.dateStrings, true);
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.supportBigNumbers, true);
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.bigNumberStrings, true);
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.decimalNumbers, false);
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.jsonStrings, true);
    assert.equal(SNAPSHOT_CONNECTION_OPTIONS.timezone, 'Z');
  });

  test('typeCast hands GEOMETRY over as bytes and leaves every other type to mysql2', () => {
    const bytes = Buffer.from('00000000', 'hex');
    const field = (type: string) =>
      ({
        type,
        buffer: () => bytes,
        string: () => 'text',
        geometry: () => ({ x: 1, y: 2 }),
      }) as unknown as TypeCastField;
    assert.equal(
      SNAPSHOT_CONNECTION_OPTIONS.typeCast(field('GEOMETRY'), () => 'parsed'),
      bytes,
    );
    assert.equal(
      SNAPSHOT_CONNECTION_OPTIONS.typeCast(field('LONGLONG'), () => 'parsed'),
      'parsed',
    );
  });

  test('typeCast hands DOUBLE and FLOAT over as their text, which Number() converts exactly', () => {
    const field = (type: string) =>
      ({
        type,
        string: () => '958721.3352067961',
        buffer: () => Buffer.alloc(0),
      }) as unknown as TypeCastField;
    for (const type of ['DOUBLE', 'FLOAT']) {
      const value = SNAPSHOT_CONNECTION_OPTIONS.typeCast(field(type), () => 958721.335206796);
      assert.equal(value, '958721.3352067961', type);
    }
    assert.equal(snapshot(column('double', 'double'), '958721.3352067961'), 958721.3352067961);
  });

  test('select list quotes names and casts where the plain text would lose', () => {
    const columns = [
      column('int', 'int', { name: 'id' }),
      column('float', 'float', { name: 'we`ird' }),
      column('inet6', 'binary(16)', { name: 'ip' }),
      column('double', 'double', { name: 'd' }),
    ];
    assert.equal(
      snapshotSelectList(columns),
      '`id`, CAST(`we``ird` AS DOUBLE) AS `we``ird`, CAST(`ip` AS BINARY(16)) AS `ip`, CAST(`d` AS DOUBLE) AS `d`',
    );
  });

  test('an unknown type is refused with the way out', () => {
    rejects(() => columnTypeFor(column('vector', 'vector(3)')), 'UNSUPPORTED', /exclude the table/);
  });

  test('a loss is reported once per column as a process warning by default', async () => {
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    try {
      const parse = binlogValueParser(column('date', 'date', { name: 'born' }));
      assert.equal(parse('0000-00-00'), null);
      assert.equal(parse('0000-00-00'), null);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /born/);
  });
});
