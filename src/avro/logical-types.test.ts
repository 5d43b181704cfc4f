import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import { avroTypeOptions, bigIntLong } from './logical-types.ts';

const typeOf = (schema: unknown): Type =>
  avro.Type.forSchema(schema as Schema, avroTypeOptions({ assertLogicalTypes: true }));

function roundTrip(type: Type, value: unknown): unknown {
  return type.fromBuffer(type.toBuffer(value));
}

const MAX_LONG = 2n ** 63n - 1n;
const MIN_LONG = -(2n ** 63n);

test('long: every 64-bit value round-trips exactly as a bigint', () => {
  const long = typeOf('long');
  for (const n of [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 62n + 1n, MAX_LONG, MIN_LONG]) {
    assert.equal(roundTrip(long, n), n);
  }
  const nullable = typeOf(['null', 'long']);
  assert.equal(roundTrip(nullable, MAX_LONG), MAX_LONG);
  assert.equal(roundTrip(nullable, null), null);
  assert.equal(
    roundTrip(typeOf({ type: 'long' }), MIN_LONG),
    MIN_LONG,
    'a long written as an object is the BigInt long too',
  );
});

test('long: the bytes are standard Avro zig-zag varints', () => {
  const standard = avro.Type.forSchema('long');
  for (const n of [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER - 1]) {
    assert.deepEqual(bigIntLong.toBuffer(BigInt(n)), standard.toBuffer(n), `${n}`);
  }
  assert.equal(bigIntLong.toBuffer(MAX_LONG).toString('hex'), 'feffffffffffffffff01');
  assert.equal(bigIntLong.toBuffer(MIN_LONG).toString('hex'), 'ffffffffffffffffff01');
});

test('long: safe-integer numbers are accepted, anything else refused', () => {
  assert.equal(roundTrip(bigIntLong, 1_700_000_000_000), 1_700_000_000_000n);
  assert.equal(bigIntLong.isValid(MAX_LONG + 1n), false);
  assert.equal(bigIntLong.isValid(MIN_LONG - 1n), false);
  assert.equal(bigIntLong.isValid(1.5), false);
  assert.equal(bigIntLong.isValid(2 ** 53), false);
  assert.equal(bigIntLong.isValid('1'), false);
  assert.throws(() => bigIntLong.toBuffer(MAX_LONG + 1n));
});

const decimal = (precision: number, scale: number): Type =>
  typeOf({ type: 'bytes', logicalType: 'decimal', precision, scale });

test('decimal: 65-digit, negative and padded values round-trip as exact text', () => {
  const digits65 = '12345678901234567890123456789012345678901234567890123456789012345';
  assert.equal(roundTrip(decimal(65, 0), digits65), digits65);
  assert.equal(roundTrip(decimal(65, 0), `-${digits65}`), `-${digits65}`);
  const scaled = `${digits65.slice(0, 35)}.${digits65.slice(35)}`;
  assert.equal(roundTrip(decimal(65, 30), scaled), scaled);
  assert.equal(roundTrip(decimal(65, 30), `-${scaled}`), `-${scaled}`);
  assert.equal(roundTrip(decimal(1000, 500), `-1.${'0'.repeat(499)}1`), `-1.${'0'.repeat(499)}1`);
  assert.equal(roundTrip(decimal(10, 2), '1.5'), '1.50');
  assert.equal(roundTrip(decimal(10, 2), '-12.5'), '-12.50');
  assert.equal(roundTrip(decimal(10, 2), '-0.01'), '-0.01');
  assert.equal(roundTrip(decimal(10, 2), '0'), '0.00');
  assert.equal(roundTrip(decimal(5, 0), '-99999'), '-99999');
});

test('decimal: the body holds the unscaled value as two’s-complement bytes', () => {
  // bytes: zig-zag length 2 (0x04), then 150 = 0x0096; -150 = 0xff6a
  assert.equal(decimal(10, 2).toBuffer('1.5').toString('hex'), '040096');
  assert.equal(decimal(10, 2).toBuffer('-1.5').toString('hex'), '04ff6a');
  assert.equal(decimal(10, 2).toBuffer('0').toString('hex'), '0200');
});

test('decimal: values that would lose digits are refused with a clear error', () => {
  assert.throws(
    () => decimal(10, 2).toBuffer('1.555'),
    /decimal\(10,2\): "1\.555" has more than 2 fraction digits/,
  );
  assert.throws(() => decimal(4, 2).toBuffer('123.4'), /has more than 4 digits/);
  assert.throws(() => decimal(10, 2).toBuffer('NaN'), /is not a decimal number/);
  assert.throws(() => decimal(10, 2).toBuffer(1.5), /expected decimal text, got number/);
  assert.equal(decimal(10, 2).isValid('1.555'), false);
  assert.equal(decimal(10, 2).isValid('1.55'), true);
});

test('decimal: over fixed, values are sign-extended to the size', () => {
  const fixed = typeOf({
    type: 'fixed',
    name: 'Money',
    size: 4,
    logicalType: 'decimal',
    precision: 9,
    scale: 2,
  });
  assert.equal(fixed.toBuffer('-1.5').toString('hex'), 'ffffff6a');
  assert.equal(roundTrip(fixed, '-1.5'), '-1.50');
  assert.equal(roundTrip(fixed, '9999999.99'), '9999999.99');
});

test('decimal: an invalid definition is refused', () => {
  assert.throws(() => decimal(0, 0), /invalid precision/);
  assert.throws(() => decimal(2, 3), /invalid scale/);
  assert.throws(
    () => typeOf({ type: 'string', logicalType: 'decimal', precision: 2, scale: 0 }),
    /bytes or fixed/,
  );
});

test('date: days before and after 1970', () => {
  const date = typeOf({ type: 'int', logicalType: 'date' });
  for (const days of [0, -1, -719162 /* 0001-01-01 */, 2932896 /* 9999-12-31 */, 24855 /* 2038-01-19 */]) {
    assert.equal(roundTrip(date, days), days);
  }
  assert.throws(() => date.toBuffer(1.5), /invalid/);
});

test('time-micros, timestamp-micros and local-timestamp-micros: bigint microseconds', () => {
  const time = typeOf({ type: 'long', logicalType: 'time-micros' });
  for (const micros of [0n, 1n, 86_399_999_999n, 86_400_000_000n])
    assert.equal(roundTrip(time, micros), micros);

  const y2100 = BigInt(Date.UTC(2100, 0, 1)) * 1000n + 123_456n;
  const y1900 = BigInt(Date.UTC(1900, 0, 1)) * 1000n - 1n;
  for (const logicalType of ['timestamp-micros', 'local-timestamp-micros']) {
    const type = typeOf({ type: 'long', logicalType });
    for (const micros of [0n, 1n, -1n, y2100, y1900, 253_402_300_799_999_999n, MAX_LONG, MIN_LONG]) {
      assert.equal(roundTrip(type, micros), micros, `${logicalType} ${micros}`);
    }
    assert.equal(roundTrip(typeOf(['null', { type: 'long', logicalType }]), y2100), y2100);
    assert.equal(type.typeName, `logical:${logicalType}`);
  }
});

test('uuid: UUID text round-trips, anything else is refused', () => {
  const uuid = typeOf({ type: 'string', logicalType: 'uuid' });
  assert.equal(
    roundTrip(uuid, '123e4567-e89b-12d3-a456-426614174000'),
    '123e4567-e89b-12d3-a456-426614174000',
  );
  assert.throws(() => uuid.toBuffer('not-a-uuid'), /uuid: "not-a-uuid" is not a UUID/);
});

test('a reader schema resolves data written with the same logical types', () => {
  const writer = typeOf({
    type: 'record',
    name: 'R',
    fields: [
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'd', type: 'bytes' },
    ],
  });
  const reader = typeOf({
    type: 'record',
    name: 'R',
    fields: [
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 } },
    ],
  });
  const body = writer.toBuffer({ at: MAX_LONG, d: Buffer.from('0096', 'hex') });
  assert.deepEqual(
    { ...reader.fromBuffer(body, reader.createResolver(writer)) },
    { at: MAX_LONG, d: '1.50' },
  );
});

test('options: fresh per forSchema call, and one object serves parses that copy it (as the registry client does)', () => {
  const schema = {
    type: 'record',
    name: 'Twice',
    namespace: 'x',
    fields: [{ name: 'n', type: 'long' }],
  } as Schema;
  avro.Type.forSchema(schema, avroTypeOptions());
  avro.Type.forSchema(schema, avroTypeOptions());
  const shared = avroTypeOptions();
  // The client spreads its options for every parse.
  const first = avro.Type.forSchema(schema, { ...shared });
  const second = avro.Type.forSchema(schema, { ...shared });
  assert.equal(second.fromBuffer(first.toBuffer({ n: MAX_LONG })).n, MAX_LONG);
});
