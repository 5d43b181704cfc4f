import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Partitioners, type Message, type PartitionMetadata, type RecordMetadata } from 'kafkajs';
import { assertCompleteSend, recordingPartitioner } from './complete-sends.ts';

const metadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: partitionId }) as PartitionMetadata);

function answer(topicName: string, partition: number): RecordMetadata {
  return { topicName, partition, errorCode: 0 };
}

test('the partitioner picks the Java client partition and pins it on the message, so a retry keeps it', () => {
  const partitioner = recordingPartitioner();
  const message: Message = { key: Buffer.from('order-42'), value: Buffer.from('x') };
  const first = partitioner({ topic: 't', partitionMetadata: metadata, message });
  assert.equal(message.partition, first);
  const fewer = partitioner({ topic: 't', partitionMetadata: metadata.slice(0, 1), message });
  assert.equal(fewer, first, 'a retry with other metadata keeps the pinned partition');
  const keyless: Message = { key: null, value: Buffer.from('y') };
  assert.equal(keyless.partition, undefined);
  assert.equal(partitioner({ topic: 't', partitionMetadata: metadata, message: keyless }), keyless.partition);
});

test("keyed messages land where kafkajs's default partitioner (the Java client's murmur2) puts them", () => {
  const ours = recordingPartitioner();
  const theirs = Partitioners.DefaultPartitioner();
  for (const partitions of [1, 2, 3, 7, 12]) {
    const all = Array.from(
      { length: partitions },
      (_, partitionId) => ({ partitionId, leader: 0 }) as PartitionMetadata,
    );
    for (let i = 0; i < 200; i++) {
      const key = i % 2 === 0 ? Buffer.from(`key-${i * 7919}`) : `text-${i}`;
      const expected = theirs({ topic: 't', partitionMetadata: all, message: { key, value: null } });
      assert.equal(ours({ topic: 't', partitionMetadata: all, message: { key, value: null } }), expected);
    }
  }
});

test('a send answered once for each partition it wrote passes', () => {
  const sent = [
    {
      topic: 'a',
      messages: [
        { value: null, partition: 0 },
        { value: null, partition: 2 },
        { value: null, partition: 0 },
      ],
    },
    { topic: 'b', messages: [{ value: null, partition: 1 }] },
  ];
  assertCompleteSend(sent, [answer('a', 0), answer('a', 2), answer('b', 1)]);
});

test('a partition skipped or answered twice (a kafkajs retry across a leader change) fails the send', () => {
  const sent = [
    {
      topic: 'a',
      messages: [
        { value: null, partition: 0 },
        { value: null, partition: 1 },
      ],
    },
  ];
  assert.throws(
    () => assertCompleteSend(sent, [answer('a', 0)]),
    (error: { code?: string; retriable?: boolean; message: string }) =>
      error.code === 'KAFKA_FAILED' &&
      error.retriable === true &&
      /answered 0 times for a:1/.test(error.message),
  );
  assert.throws(
    () => assertCompleteSend(sent, [answer('a', 0), answer('a', 1), answer('a', 1)]),
    /answered 2 times for a:1/,
  );
});
