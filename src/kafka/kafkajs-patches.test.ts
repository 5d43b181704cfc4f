import {
  assertSequencesAdvanced,
  fasterEncoder,
  groupMessagesPerPartition,
  guardSendMessages,
  kafkajsPatched,
  type KafkajsEncoder,
  type KafkajsEncoderClass,
  type SendMessagesFactory,
} from './kafkajs-patches.ts';
import { recordingPartitioner } from './complete-sends.ts';
import { setTimeout as sleep } from 'node:timers/promises';
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
  require('kafkajs');
  assert.equal(require('kafkajs/src/producer/groupMessagesPerPartition.js'), groupMessagesPerPartition);
});

/**
 * kafkajs's own sendMessages, unpatched and patched, against two fake
 * brokers that keep what they are sent as an idempotent broker does (a
 * request whose first sequence was seen already is acknowledged, not kept
 * again). Broker 1 refuses the first request at once with a retriable
 * error; broker 2 answers its first request 50 ms later.
 */
async function produceDuringLeaderTrouble(factory: SendMessagesFactory) {
  const kept = new Map<number, number>();
  const seenSequences = new Set<string>();
  let broker1Refused = false;
  const broker = (nodeId: number) => ({
    nodeId,
    produce: async ({ topicData }: { topicData: ProduceTopicData[] }) => {
      if (nodeId === 1 && !broker1Refused) {
        broker1Refused = true;
        throw Object.assign(new Error('This server is not the leader for that topic-partition'), {
          name: 'KafkaJSProtocolError',
          type: 'NOT_LEADER_FOR_PARTITION',
          retriable: true,
        });
      }
      if (nodeId === 2) await sleep(50);
      for (const { partitions } of topicData) {
        for (const { partition, firstSequence, messages } of partitions) {
          const sequence = `${partition}:${firstSequence}`;
          if (seenSequences.has(sequence)) continue;
          seenSequences.add(sequence);
          kept.set(partition, (kept.get(partition) ?? 0) + messages.length);
        }
      }
      return {
        topics: topicData.map(({ topic, partitions }) => ({
          topicName: topic,
          partitions: partitions.map(({ partition }) => ({ partition, errorCode: 0, baseOffset: '0' })),
        })),
      };
    },
  });
  const brokers = new Map([1, 2].map((nodeId) => [nodeId, broker(nodeId)]));
  const partitionMetadata = [0, 1].map((partitionId) => ({ partitionId, leader: partitionId + 1 }));
  const cluster = {
    refreshMetadataIfNecessary: async () => {},
    refreshMetadata: async () => {},
    addMultipleTargetTopics: async () => {},
    isConnected: () => true,
    removeBroker: () => {},
    findTopicPartitionMetadata: () => partitionMetadata,
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const perLeader: Record<number, number[]> = {};
      for (const partition of partitions.map(Number)) (perLeader[partition + 1] ??= []).push(partition);
      return perLeader;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers.get(Number(nodeId))!,
  };
  const sequences = new Map<string, number>();
  const locks = new Map<number, Promise<void>>();
  const unlocks = new Map<number, () => void>();
  const eosManager = {
    isTransactional: () => false,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getSequence: (topic: string, partition: number) => sequences.get(`${topic}:${partition}`) ?? 0,
    updateSequence: (topic: string, partition: number, increment: number) =>
      sequences.set(`${topic}:${partition}`, (sequences.get(`${topic}:${partition}`) ?? 0) + increment),
    acquireBrokerLock: async ({ nodeId }: { nodeId: number }) => {
      while (locks.has(nodeId)) await locks.get(nodeId);
      locks.set(nodeId, new Promise((resolve) => unlocks.set(nodeId, resolve)));
    },
    releaseBrokerLock: ({ nodeId }: { nodeId: number }) => {
      locks.delete(nodeId);
      unlocks.get(nodeId)!();
    },
  };
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const send = factory({
    logger: silent,
    cluster,
    partitioner: recordingPartitioner(),
    eosManager,
    retrier: createRetry({ retries: 5, initialRetryTime: 1, maxRetryTime: 10 }),
  });
  const messages: Message[] = Array.from({ length: 10 }, (_, i) => ({
    key: null,
    value: Buffer.from(String(i)),
    partition: i % 2,
  }));
  const outcome = await send({ acks: -1, topicMessages: [{ topic: 't', messages }] }).then(
    () => 'sent',
    (error: unknown) => (error as Error).message,
  );
  return { outcome, kept: Object.fromEntries(kept) };
}

interface ProduceTopicData {
  topic: string;
  partitions: Array<{ partition: number; firstSequence: number; messages: Message[] }>;
}

const require = createRequire(import.meta.url);
const createRetry = require('kafkajs/src/retry') as (options: object) => never;

/** kafkajs's sendMessages as it ships, loaded apart from the patched one. */
function unpatchedSendMessages(): SendMessagesFactory {
  const path = require.resolve('kafkajs/src/producer/sendMessages.js');
  const patched = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as SendMessagesFactory;
  } finally {
    require.cache[path] = patched;
  }
}

test('kafkajs 2.2.4 writes the records of a broker still answering twice when another broker fails (pinned)', async () => {
  const { outcome, kept } = await produceDuringLeaderTrouble(unpatchedSendMessages());
  assert.equal(outcome, 'sent');
  assert.deepEqual(kept, { 0: 5, 1: 10 });
});

test('patched, a retry waits for the requests still on their way: every record is written once', async () => {
  const { outcome, kept } = await produceDuringLeaderTrouble(guardSendMessages(unpatchedSendMessages()));
  assert.equal(outcome, 'sent');
  assert.deepEqual(kept, { 0: 5, 1: 5 });
});

test('a produce call whose sequences advanced by more or fewer records than it was given fails, to be replayed', () => {
  const sent = [
    {
      topic: 'a',
      messages: [
        { value: null, partition: 0 },
        { value: null, partition: 1 },
      ] as Message[],
    },
    { topic: 'b', messages: [{ value: null }, { value: null }] as Message[] },
  ];
  const exact = new Map([
    ['a:0', 1],
    ['a:1', 1],
    ['b:0', 1],
    ['b:2', 1],
  ]);
  assert.doesNotThrow(() => assertSequencesAdvanced(sent, exact));
  assert.throws(
    () => assertSequencesAdvanced(sent, new Map([...exact, ['a:1', 2]])),
    /wrote 2 records to a:1 where it was given 1/,
  );
  assert.throws(
    () => assertSequencesAdvanced(sent, new Map([...exact, ['b:2', 0]])),
    /wrote 1 records to b where it was given 2/,
  );
  assert.throws(
    () => assertSequencesAdvanced(sent, new Map([...exact, ['c:0', 3]])),
    /wrote 3 records to c:0 where it was given 0/,
  );
});

/** kafkajs's protocol Encoder as it ships: the class the patched one extends. */
function originalEncoder(): KafkajsEncoderClass {
  const loaded = require('kafkajs/src/protocol/encoder.js') as KafkajsEncoderClass;
  return kafkajsPatched ? (Object.getPrototypeOf(loaded) as KafkajsEncoderClass) : loaded;
}

test('kafkajs loads the faster Encoder', () => {
  assert.equal(kafkajsPatched, true);
  const loaded = require('kafkajs/src/protocol/encoder.js') as KafkajsEncoderClass;
  assert.notEqual(loaded, originalEncoder());
  assert.ok(new loaded() instanceof originalEncoder());
});

test("the faster Encoder writes the same bytes as kafkajs's: varints of every length, growth past its first buffer", () => {
  /** The kafkajs Encoder methods a record batch uses. */
  type Encoder = KafkajsEncoder & {
    writeVarInt(value: number): void;
    writeInt8(value: number): void;
    writeInt32(value: number): void;
    writeBytes(value: Buffer): void;
    writeVarIntBytes(value: Buffer): void;
    writeVarIntString(value: string): void;
  };
  type Writes = (encoder: Encoder) => void;
  const Original = originalEncoder();
  const Faster = fasterEncoder(Original);
  const same = (what: string, writes: Writes, initialSize?: number) => {
    const original = new Original(initialSize);
    const faster = new Faster(initialSize);
    writes(original as never);
    writes(faster as never);
    // Compared as bytes: assert's diff of two long buffers would take minutes.
    assert.equal(faster.buffer.length, original.buffer.length, what);
    assert.ok(faster.buffer.equals(original.buffer), what);
  };
  const edges = [
    0,
    1,
    127,
    128,
    255,
    16_383,
    16_384,
    2 ** 21 - 1,
    2 ** 21,
    2 ** 28 - 1,
    2 ** 28,
    2 ** 31 - 1,
    2 ** 32 - 1,
  ];
  for (const value of edges) same(`uvarint ${value}`, (e) => e.writeUVarInt(value), 1);
  for (const value of [...edges.map((v) => -v), -(2 ** 31)])
    same(`varint ${value}`, (e) => e.writeVarInt(value), 1);
  same(
    'a record-like mix growing from 2 bytes past 64 KiB',
    (e) => {
      let seed = 7; // the same values for both encoders
      const random = () => (seed = (seed * 48_271) % 2_147_483_647);
      for (let i = 0; i < 3_000; i++) {
        e.writeInt8(0);
        e.writeVarInt(random() - 2 ** 30);
        e.writeUVarInt(random());
        e.writeVarIntBytes(Buffer.alloc(random() % 40, i % 256));
        e.writeInt32(random());
        e.writeVarIntString(`key-${i}`);
      }
    },
    1,
  );
  same('the default size', (e) => e.writeBytes(Buffer.from('value')));
});
