import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOneIntegerField, KeyTally, readAvroLong } from './key-check.ts';

test('decodes Avro longs (zig-zag varints)', () => {
  assert.equal(readAvroLong(Buffer.from([0x02]), 0), 1);
  assert.equal(readAvroLong(Buffer.from([0x01]), 0), -1);
  assert.equal(readAvroLong(Buffer.from([0, 0, 0, 0, 0, 0x80, 0x01]), 5), 64);
  // 1,000,000 = zig-zag 2,000,000 = 0x80 0x89 0x7a
  assert.equal(readAvroLong(Buffer.from([0x80, 0x89, 0x7a]), 0), 1_000_000);
  assert.throws(() => readAvroLong(Buffer.from([0x80]), 0), /truncated/);
});

test('accepts key schemas of one integer field only', () => {
  assert.equal(isOneIntegerField({ type: 'record', fields: [{ name: 'id', type: 'long' }] }), true);
  assert.equal(
    isOneIntegerField({
      type: 'record',
      fields: [{ name: 'id', type: { type: 'int', 'connect.type': 'int16' } }],
    }),
    true,
  );
  assert.equal(isOneIntegerField({ type: 'record', fields: [{ name: 'id', type: 'string' }] }), false);
  assert.equal(isOneIntegerField({ type: 'record', fields: [{ type: 'long' }, { type: 'long' }] }), false);
});

test('a key tally passes when every id comes exactly once, with the tombstones expected', () => {
  const tally = new KeyTally({ topic: 't', firstId: 1, lastId: 3, tombstones: 1 });
  tally.add(1, false, 0, 10);
  tally.add(2, false, 1, 10);
  tally.add(2, true, 2, 5);
  tally.add(3, false, 4, 10);
  const result = tally.result();
  assert.deepEqual(result.problems, []);
  assert.equal(result.events, 3);
  assert.equal(result.tombstones, 1);
  assert.equal(result.bytes, 35);
  assert.equal(result.lastOffset, 4);
});

test('a key tally names missing, repeated, stray and unreadable keys', () => {
  const tally = new KeyTally({ topic: 't', firstId: 10, lastId: 13 });
  tally.add(10, false, 0, 1);
  tally.add(10, false, 1, 1);
  tally.add(12, false, 2, 1);
  tally.add(99, false, 3, 1);
  tally.add(null, false, 4, 1);
  tally.add(12, true, 5, 1);
  assert.deepEqual(tally.result().problems, [
    't: 2 ids missing (e.g. 11, 13)',
    't: 1 ids more than once (e.g. 10)',
    't: 1 keys outside the ids (e.g. 99)',
    't: 1 keys not readable as an id',
    't: 1 tombstones, want 0',
  ]);
});
