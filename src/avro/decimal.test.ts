import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigIntToBytes, bytesToBigInt, decimalToUnscaled, unscaledToDecimal } from './decimal.ts';

test('two’s-complement bytes match Java BigInteger.toByteArray', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '00'],
    [1n, '01'],
    [127n, '7f'],
    [128n, '0080'],
    [150n, '0096'],
    [255n, '00ff'],
    [256n, '0100'],
    [-1n, 'ff'],
    [-128n, '80'],
    [-129n, 'ff7f'],
    [-150n, 'ff6a'],
    [-256n, 'ff00'],
    [-32768n, '8000'],
    [-32769n, 'ff7fff'],
  ];
  for (const [n, hex] of cases) {
    assert.equal(bigIntToBytes(n).toString('hex'), hex, `${n}`);
    assert.equal(bytesToBigInt(Buffer.from(hex, 'hex')), n, hex);
  }
  assert.equal(bytesToBigInt(Buffer.alloc(0)), 0n);
});

test('bytes round-trip around every power of two up to 2^300', () => {
  for (let bits = 0n; bits <= 300n; bits += 1n) {
    for (const n of [2n ** bits, 2n ** bits - 1n, -(2n ** bits), -(2n ** bits) + 1n, -(2n ** bits) - 1n]) {
      assert.equal(bytesToBigInt(bigIntToBytes(n)), n, `${n}`);
    }
  }
});

test('decimal text to unscaled value at the type’s scale', () => {
  assert.equal(decimalToUnscaled('1.5', 10, 2), 150n);
  assert.equal(decimalToUnscaled('1.50', 10, 2), 150n);
  assert.equal(decimalToUnscaled('1.500', 10, 2), 150n, 'trailing zeros beyond the scale lose nothing');
  assert.equal(decimalToUnscaled('-12.5', 10, 2), -1250n);
  assert.equal(decimalToUnscaled('-0.01', 10, 2), -1n);
  assert.equal(decimalToUnscaled('-0', 10, 2), 0n);
  assert.equal(decimalToUnscaled('0.00', 10, 2), 0n);
  assert.equal(decimalToUnscaled('+7', 10, 0), 7n);
  assert.equal(decimalToUnscaled('.5', 10, 1), 5n);
  assert.equal(decimalToUnscaled('5.', 10, 1), 50n);
  assert.equal(decimalToUnscaled('000123.4500', 10, 2), 12345n);
  assert.equal(decimalToUnscaled('1.5e3', 10, 2), 150000n);
  assert.equal(decimalToUnscaled('15E-3', 10, 3), 15n);
  assert.equal(decimalToUnscaled('1000e-3', 10, 0), 1n);
  assert.throws(() => decimalToUnscaled('1500e-3', 10, 0), /more than 0 fraction digits/);
  const digits65 = '12345678901234567890123456789012345678901234567890123456789012345';
  assert.equal(decimalToUnscaled(digits65, 65, 0), BigInt(digits65));
  assert.equal(
    decimalToUnscaled(`-${digits65.slice(0, 35)}.${digits65.slice(35)}`, 65, 30),
    -BigInt(digits65),
  );
});

test('decimal text that would lose digits or overflow the precision is refused', () => {
  assert.throws(() => decimalToUnscaled('1.555', 10, 2), /"1\.555" has more than 2 fraction digits/);
  assert.throws(() => decimalToUnscaled('0.001', 10, 2), /more than 2 fraction digits/);
  assert.throws(() => decimalToUnscaled('1e-5', 10, 2), /more than 2 fraction digits/);
  assert.throws(() => decimalToUnscaled('123456789.5', 10, 2), /more than 10 digits/);
  assert.throws(() => decimalToUnscaled('1e999999999', 10, 2), /more than 10 digits/);
  for (const bad of ['', '-', '.', 'abc', '1.2.3', 'NaN', 'Infinity', '1,5', ' 1', '0x10']) {
    assert.throws(() => decimalToUnscaled(bad, 10, 2), /is not a decimal number/, JSON.stringify(bad));
  }
});

test('unscaled value to decimal text with exactly the scale’s digits', () => {
  assert.equal(unscaledToDecimal(150n, 2), '1.50');
  assert.equal(unscaledToDecimal(-1n, 2), '-0.01');
  assert.equal(unscaledToDecimal(0n, 2), '0.00');
  assert.equal(unscaledToDecimal(0n, 0), '0');
  assert.equal(unscaledToDecimal(-42n, 0), '-42');
  assert.equal(unscaledToDecimal(5n, 5), '0.00005');
});
