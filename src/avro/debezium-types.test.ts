import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import type { Schema } from 'avsc';
import { avroTypeOptions } from './logical-types.ts';
import { formatZonedTimestamp, parseZonedTimestamp } from './debezium-types.ts';
import { avroTypeOf } from './schema-builder.ts';
import type { ColumnType } from '../core/schema.ts';

/** Encodes a canonical value with our type, then reads the bytes as a plain Avro reader (no Connect names) would. */
function wire(type: ColumnType, value: unknown): { plain: unknown; back: unknown } {
  const schema = avroTypeOf(type);
  const ours = avro.Type.forSchema(schema as Schema, avroTypeOptions({ assertLogicalTypes: true }));
  const plain = avro.Type.forSchema(JSON.parse(JSON.stringify(schema)) as Schema);
  const bytes = ours.toBuffer(value);
  return { plain: plain.fromBuffer(bytes), back: ours.fromBuffer(bytes) };
}

test('ZonedTimestamp text round-trips on both sides of the exact-number range and at day boundaries', () => {
  const day = 86_400_000_000n;
  const values = [
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    -(2n ** 53n) + 1n,
    -(2n ** 53n),
    -(2n ** 53n) - 1n,
  ];
  for (let d = -3n; d <= 3n; d++) values.push(d * day - 1n, d * day, d * day + 1n);
  for (let i = 0; i < 2000; i++) {
    const days = BigInt(Math.floor((Math.random() - 0.5) * 200_000));
    values.push(days * day + BigInt(i % 3 === 0 ? 0 : Math.floor(Math.random() * 86_400_000_000)));
  }
  for (const value of values) {
    assert.equal(parseZonedTimestamp(formatZonedTimestamp(value, 6)), value, `${value}`);
  }
});

test('ZonedTimestamp is ISO-8601 text in UTC with the column’s fraction digits', () => {
  const micros = BigInt(Date.UTC(2024, 5, 1, 12, 0, 0)) * 1000n + 120n;
  assert.deepEqual(wire({ kind: 'timestamp-micros', precision: 6 }, micros), {
    plain: '2024-06-01T12:00:00.000120Z',
    back: micros,
  });
  assert.equal(formatZonedTimestamp(0n, 0), '1970-01-01T00:00:00Z');
  assert.equal(formatZonedTimestamp(0n, 3), '1970-01-01T00:00:00.000Z');
  assert.equal(
    formatZonedTimestamp(1n, 3),
    '1970-01-01T00:00:00.000001Z',
    'never fewer digits than the value has',
  );
  assert.equal(formatZonedTimestamp(-1n, 6), '1969-12-31T23:59:59.999999Z');
  // Java's ISO years: 4 digits at least, a sign before year 0 and after 9999.
  assert.equal(formatZonedTimestamp(-62135596800000000n, 0), '0001-01-01T00:00:00Z');
  assert.equal(formatZonedTimestamp(-62167219200000000n - 86_400_000_000n, 0), '-0001-12-31T00:00:00Z');
  assert.equal(formatZonedTimestamp(253402300800000000n, 0), '+10000-01-01T00:00:00Z');
  assert.equal(formatZonedTimestamp(9223372036854775807n, 6), 'infinity');
  assert.equal(formatZonedTimestamp(-9223372036854775808n, 6), '-infinity');
  for (const value of [
    0n,
    -1n,
    123456789n,
    -62167219200000000n - 1n,
    253402300800000000n,
    9223372036854775807n,
  ]) {
    assert.equal(parseZonedTimestamp(formatZonedTimestamp(value, 6)), value);
  }
  assert.equal(parseZonedTimestamp('2024-06-01T17:30:00+05:30'), BigInt(Date.UTC(2024, 5, 1, 12)) * 1000n);
});

test('Time and Timestamp carry milliseconds; MicroTime, MicroTimestamp and Date their plain numbers', () => {
  assert.deepEqual(wire({ kind: 'time-micros', precision: 3 }, 86_399_999_000n), {
    plain: 86_399_999,
    back: 86_399_999_000n,
  });
  assert.deepEqual(wire({ kind: 'local-timestamp-micros', precision: 0 }, -1_000_000n), {
    plain: -1000,
    back: -1_000_000n,
  });
  const infinity = 9223372036854775807n;
  const millis = avro.Type.forSchema(
    avroTypeOf({ kind: 'local-timestamp-micros', precision: 3 }) as Schema,
    avroTypeOptions(),
  );
  assert.equal(millis.fromBuffer(millis.toBuffer(infinity)), infinity, 'the infinity sentinel is kept');
  assert.deepEqual(wire({ kind: 'time-micros' }, 1n), { plain: 1, back: 1n });
  assert.deepEqual(wire({ kind: 'local-timestamp-micros', precision: 6 }, 5n), { plain: 5, back: 5n });
  assert.deepEqual(wire({ kind: 'date' }, -719162), { plain: -719162, back: -719162 });
  assert.deepEqual(wire({ kind: 'year' }, 1), { plain: 1, back: 1 });
});

test('Bits are little-endian bytes, bit 0 the last character, in ⌈length/8⌉ bytes', () => {
  assert.deepEqual(wire({ kind: 'bits', length: 10 }, '1000000001'), {
    plain: Buffer.from([0x01, 0x02]),
    back: '1000000001',
  });
  assert.deepEqual(wire({ kind: 'bits', length: 3 }, '000'), { plain: Buffer.from([0]), back: '000' });
  assert.deepEqual(wire({ kind: 'bits', length: 64 }, `1${'0'.repeat(63)}`), {
    plain: Buffer.from('0000000000000080', 'hex'),
    back: `1${'0'.repeat(63)}`,
  });
});

test('VariableScaleDecimal holds any scale exactly', () => {
  const text = '-12345678901234567890.000000000000000000001';
  const { plain, back } = wire({ kind: 'variable-decimal' }, text);
  assert.equal(back, text);
  assert.equal((plain as { scale: number }).scale, 21);
  const zero = wire({ kind: 'variable-decimal' }, '0');
  assert.deepEqual({ ...(zero.plain as object) }, { scale: 0, value: Buffer.from([0]) });
  assert.equal(zero.back, '0');
  assert.equal(wire({ kind: 'variable-decimal' }, '0.50').back, '0.50');
});

test('Geometry carries the WKB and the SRID; an SRID past 2^31 - 1 travels as its two’s complement, as Debezium reads it', () => {
  const wkb = Buffer.from('0101000000000000000000f03f0000000000000040', 'hex');
  const stored = (srid: number) => Buffer.concat([Buffer.from(new Uint32Array([srid]).buffer), wkb]);
  for (const srid of [0, 4326, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]) {
    const { plain, back } = wire({ kind: 'geometry' }, stored(srid));
    const record = plain as { wkb: Buffer; srid: number | null };
    assert.deepEqual(record.wkb, wkb);
    assert.equal(record.srid === null ? 0 : record.srid >>> 0, srid);
    assert.deepEqual(back, stored(srid));
  }
});
