import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import { decodeFramed, encodeAvro, frame, unframe } from './wire.ts';

test('Confluent framing: magic byte 0, big-endian schema id, body', () => {
  const framed = frame(258, Buffer.from([9, 8]));
  assert.equal(framed.toString('hex'), '00000001020908');
  assert.deepEqual(unframe(framed), { schemaId: 258, body: Buffer.from([9, 8]) });
  assert.equal(frame(0x7fffffff, Buffer.alloc(0)).toString('hex'), '007fffffff');
});

test('framing refuses ids that do not fit, unframing refuses what is not framed', () => {
  assert.throws(() => frame(-1, Buffer.alloc(0)), /schema id -1/);
  assert.throws(() => frame(2 ** 31, Buffer.alloc(0)), /does not fit/);
  assert.throws(() => unframe(Buffer.from([1, 0, 0, 0, 1])), /not a Confluent-framed/);
  assert.throws(() => unframe(Buffer.from([0, 0, 0])), /not a Confluent-framed/);
});

test('encodeAvro writes the same bytes as avsc, framed or not', () => {
  const type = avro.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 's', type: 'string' }] });
  for (const s of ['', 'short', 'x'.repeat(200_000)]) {
    assert.deepEqual(encodeAvro(type, { s }), type.toBuffer({ s }));
    assert.deepEqual(encodeAvro(type, { s }, 5), frame(5, type.toBuffer({ s })));
  }
});

test('decodeFramed picks the writer type by schema id, from a map or a function', () => {
  const type = avro.Type.forSchema('string');
  const framed = frame(3, type.toBuffer('hi'));
  assert.deepEqual(decodeFramed(framed, new Map([[3, type]])), { schemaId: 3, value: 'hi' });
  assert.deepEqual(
    decodeFramed(framed, (id) => (id === 3 ? type : undefined)),
    { schemaId: 3, value: 'hi' },
  );
  assert.throws(() => decodeFramed(framed, new Map()), /no Avro type known for schema id 3/);
});
