import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bigIntToLsn, compareLsn, lsnToBigInt } from './lsn.ts';

test('LSN text and numbers convert both ways', () => {
  assert.equal(lsnToBigInt('0/16B3748'), 0x16b3748n);
  assert.equal(lsnToBigInt('1/0'), 1n << 32n);
  assert.equal(lsnToBigInt('FFFFFFFF/FFFFFFFF'), (1n << 64n) - 1n);
  assert.equal(bigIntToLsn(0x1_0000_00a0n), '1/A0');
  assert.equal(bigIntToLsn(lsnToBigInt('00000002/0000ABCD')), '2/ABCD');
});

test('LSNs compare numerically, not as text', () => {
  assert.equal(compareLsn('0/A0', '0/9F'), 1);
  assert.equal(compareLsn('0/FFFFFFFF', '1/0'), -1);
  assert.equal(compareLsn('1/10', '00000001/00000010'), 0);
});
