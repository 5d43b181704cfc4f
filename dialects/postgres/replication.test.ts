/** The pgoutput parsing we rely on, on hand-built protocol messages. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textKeepingPlugin } from './replication.ts';

const cstring = (text: string) => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};

/** A Relation message: one text column `c` of table public.t. */
const relation = Buffer.concat([
  Buffer.from('R'),
  int32(16384),
  cstring('public'),
  cstring('t'),
  Buffer.from('f'), // replica identity full
  int16(1),
  Buffer.from([0]),
  cstring('c'),
  int32(25), // text
  int32(-1),
]);

function insert(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([
    Buffer.from('I'),
    int32(16384),
    Buffer.from('N'),
    int16(1),
    Buffer.from('t'),
    int32(bytes.length),
    bytes,
  ]);
}

test('column text stays exactly as the server sent it: a leading U+FEFF is data, not a byte-order mark', () => {
  const plugin = textKeepingPlugin('p');
  plugin.parse(relation);
  for (const value of ['\ufeff', '\ufeffx', 'x\ufeff', '2024-01-01 00:00:00.123456+00', '']) {
    const message = plugin.parse(insert(value)) as { new: Record<string, unknown> };
    assert.equal(message.new['c'], value);
  }
});
