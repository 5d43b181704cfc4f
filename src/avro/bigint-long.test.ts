import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import { bigIntLong, decodeLong, encodeLong } from './bigint-long.ts';

const standard = avro.Type.forSchema('long');

// avsc's own long is exact only up to 2^52: beyond, its zig-zag `-2n - 1` rounds.
test('varints match avsc’s own long up to 2^52', () => {
  const values = [
    0,
    1,
    -1,
    63,
    -64,
    64,
    -65,
    127,
    128,
    2 ** 31 - 1,
    -(2 ** 31),
    2 ** 32,
    2 ** 49,
    -(2 ** 49) - 1,
  ];
  for (let p = 0; p <= 52; p += 1) values.push(2 ** p, -(2 ** p), 2 ** p - 1, -(2 ** p) + 1);
  for (let i = 0; i < 2000; i += 1) values.push(Math.round((Math.random() - 0.5) * 2 ** 53));
  for (const n of values) {
    const expected = standard.toBuffer(n);
    assert.deepEqual(Buffer.from(encodeLong(n)), expected, `number ${n}`);
    assert.deepEqual(Buffer.from(encodeLong(BigInt(n))), expected, `bigint ${n}`);
    assert.equal(decodeLong(expected), BigInt(n), `decode ${n}`);
  }
});

test('the whole 64-bit range round-trips, across the number/bigint boundaries', () => {
  const values: bigint[] = [2n ** 63n - 1n, -(2n ** 63n)];
  for (let p = 50n; p <= 62n; p += 1n)
    values.push(2n ** p, -(2n ** p), 2n ** p + 1n, -(2n ** p) - 1n, 2n ** p - 1n);
  for (const n of values) {
    assert.equal(decodeLong(Buffer.from(encodeLong(n))), n, `${n}`);
    assert.equal(bigIntLong.fromBuffer(bigIntLong.toBuffer(n)), n, `${n} through avsc`);
  }
  for (const n of [2 ** 52 + 1, 2 ** 53 - 1, -(2 ** 53) + 1, -(2 ** 52) - 1]) {
    assert.deepEqual(Buffer.from(encodeLong(n)), Buffer.from(encodeLong(BigInt(n))), `number ${n}`);
    assert.equal(decodeLong(Buffer.from(encodeLong(n))), BigInt(n), `number ${n}`);
  }
  assert.equal(encodeLong(2n ** 63n - 1n).toString('hex'), 'feffffffffffffffff01');
  assert.equal(encodeLong(-(2n ** 63n)).toString('hex'), 'ffffffffffffffffff01');
});

test('random 64-bit values round-trip, as times in nanoseconds do', () => {
  for (let i = 0; i < 5000; i += 1) {
    const n = BigInt.asIntN(64, (BigInt(Math.floor(Math.random() * 2 ** 32)) << 32n) | BigInt(i * 7919));
    assert.equal(decodeLong(Buffer.from(encodeLong(n))), n, `${n}`);
  }
  const nanos = 1_796_056_751_623_123_000n;
  assert.equal(decodeLong(Buffer.from(encodeLong(nanos))), nanos);
});
