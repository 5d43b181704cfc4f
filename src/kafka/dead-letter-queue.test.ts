import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../core/errors.ts';
import { DEAD_LETTER_HEADERS, deadLetterRecord, recordFailureCode } from './dead-letter-queue.ts';
import { recordBatchBytes } from './record-limits.ts';

const failed = {
  table: 'public.docs',
  op: 'u',
  before: { id: 9007199254740993n, body: 'é'.repeat(50_000), blob: Buffer.from([1, 2, 3]), score: NaN },
  after: { id: 9007199254740993n, body: 'ü'.repeat(60_000), blob: Buffer.from([1, 2, 3]), score: 1.5 },
  source: { lsn: 123456789n, txId: 42n },
};
const tooLarge = new TributaryError('a record for shop.public.docs takes 300000 bytes', {
  code: 'RECORD_TOO_LARGE',
  fix: 'raise max.message.bytes',
});

test('only failures of one record are dead-lettered: never configuration, authentication, connections or fencing', () => {
  for (const code of ['SCHEMA_REFUSED', 'ENCODING_FAILED', 'RECORD_TOO_LARGE', 'OUTBOX_INVALID'] as const) {
    assert.equal(recordFailureCode(new TributaryError('x', { code })), code);
  }
  for (const code of [
    'CONFIG_INVALID',
    'KAFKA_FENCED',
    'KAFKA_FAILED',
    'KAFKA_UNREACHABLE',
    'REGISTRY_UNREACHABLE',
  ] as const) {
    assert.equal(recordFailureCode(new TributaryError('x', { code })), null, code);
  }
  assert.equal(recordFailureCode(new TributaryError('x', { code: 'SCHEMA_REFUSED', retriable: true })), null);
  assert.equal(recordFailureCode(new Error('a bug')), null);
});

test('a dead letter carries the row as JSON with exact values, and the failure, table, op and position in headers', () => {
  const small = { ...failed, before: { id: 1n, blob: Buffer.from([1, 2, 3]), score: NaN }, after: null };
  const record = deadLetterRecord(small, tooLarge, {
    topic: 'shop.dlq',
    connector: 'shop',
    limit: 1_000_000,
  });
  assert.equal(record.topic, 'shop.dlq');
  assert.equal(record.key, null);
  assert.deepEqual(JSON.parse(record.value!.toString()), {
    table: 'public.docs',
    op: 'u',
    before: { id: '1', blob: 'AQID', score: 'NaN' },
    after: null,
    source: { lsn: '123456789', txId: '42' },
  });
  assert.deepEqual(record.headers, {
    [DEAD_LETTER_HEADERS.code]: 'RECORD_TOO_LARGE',
    [DEAD_LETTER_HEADERS.message]: tooLarge.message,
    [DEAD_LETTER_HEADERS.fix]: 'raise max.message.bytes',
    [DEAD_LETTER_HEADERS.connector]: 'shop',
    [DEAD_LETTER_HEADERS.table]: 'public.docs',
    [DEAD_LETTER_HEADERS.op]: 'u',
    [DEAD_LETTER_HEADERS.position]: '{"lsn":"123456789","txId":"42"}',
  });
});

test('a large value is cut to fit the dead-letter topic, longest strings first, and the cut is recorded', () => {
  const limit = 100_000;
  const record = deadLetterRecord(failed, tooLarge, { topic: 'shop.dlq', connector: 'shop', limit });
  assert.ok(recordBatchBytes(record) <= limit, `${recordBatchBytes(record)} bytes fit ${limit}`);
  // é and ü take two bytes each: the uncut value held 220,000 bytes of them.
  assert.ok(Number(record.headers![DEAD_LETTER_HEADERS.cut]) > 220_000, 'the header holds the uncut size');
  const doc = JSON.parse(record.value!.toString()) as {
    before: Record<string, string>;
    after: Record<string, string>;
  };
  assert.equal(doc.after.id, '9007199254740993', 'short values stay whole');
  assert.match(doc.after.body!, /^ü+…$/);
  assert.match(doc.before.body!, /^é+…$/);
  assert.ok(recordBatchBytes(record) > limit * 0.9, 'no more is cut than needed');
});

test('when cutting strings is not enough, the row images are dropped', () => {
  const wide = {
    ...failed,
    before: null,
    after: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, i])),
  };
  const record = deadLetterRecord(wide, tooLarge, { topic: 'shop.dlq', connector: 'shop', limit: 4_000 });
  assert.ok(recordBatchBytes(record) <= 4_000);
  const doc = JSON.parse(record.value!.toString()) as { after: unknown; imagesDropped: boolean };
  assert.equal(doc.after, null);
  assert.equal(doc.imagesDropped, true);
  assert.ok(record.headers![DEAD_LETTER_HEADERS.cut]);
});
