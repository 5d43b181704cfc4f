import { groupMessagesPerPartition, kafkajsPatched } from './kafkajs-patches.ts';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Message, PartitionMetadata } from 'kafkajs';

const metadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0 }) as PartitionMetadata);

test('messages are grouped per partition in call order, the partitioner asked once per message in order', () => {
  const messages: Message[] = Array.from({ length: 50 }, (_, i) => ({ key: String(i), value: null }));
  const asked: Message[] = [];
  const grouped = groupMessagesPerPartition({
    topic: 't',
    partitionMetadata: metadata,
    messages,
    partitioner: ({ message }) => {
      asked.push(message);
      return Number(message.key) % 3;
    },
  });
  assert.deepEqual(asked, messages);
  assert.deepEqual(Object.keys(grouped), ['0', '1', '2']);
  for (const partition of [0, 1, 2]) {
    assert.deepEqual(
      grouped[partition],
      messages.filter((m) => Number(m.key) % 3 === partition),
    );
  }
});

test('a topic without partition metadata groups nothing, as kafkajs does', () => {
  const grouped = groupMessagesPerPartition({
    topic: 't',
    partitionMetadata: [],
    messages: [{ key: 'a', value: null }],
    partitioner: () => 0,
  });
  assert.deepEqual(grouped, {});
});

test('imported before kafkajs, the linear grouping is the one kafkajs loads', () => {
  assert.equal(kafkajsPatched, true);
  const require = createRequire(import.meta.url);
  require('kafkajs');
  assert.equal(require('kafkajs/src/producer/groupMessagesPerPartition.js'), groupMessagesPerPartition);
});
