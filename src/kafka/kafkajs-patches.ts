/**
 * Three replacements of kafkajs 2.2.4 (pinned) internals, made here and only here.
 *
 * - It groups a produce call's messages per partition with
 *   `[...current, message]` for each message: time and garbage quadratic in
 *   the messages per partition (a 500-record chunk copies 125,000 array
 *   slots, ten times the bytes of the records themselves). The replacement
 *   is linear: same partitioner calls in the same order, same result.
 * - Its produce call (sendMessages) can write records twice in a
 *   transaction: see guardSendMessages.
 * - Its protocol Encoder zero-fills a fresh 512-byte buffer for every record
 *   and builds each varint in an array turned into a Buffer: about 5 % of the
 *   CPU of a drain. See fasterEncoder.
 *
 * kafkajs binds these modules when it is first loaded, so this must run
 * before: every module of ours that loads kafkajs imports this one first.
 * When kafkajs was loaded earlier (a test that imports it directly), nothing
 * is patched and kafkajs works as it does unpatched.
 */
import type { Message, PartitionMetadata } from 'kafkajs';
import { createRequire } from 'node:module';
import { TributaryError } from '../core/errors.ts';

type Partitioner = (args: {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  message: Message;
}) => number;

/** Messages per partition, in call order: what kafkajs's groupMessagesPerPartition returns. */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: Partitioner;
}): Record<number, Message[]> {
  const result: Record<number, Message[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

interface Broker {
  nodeId: number;
}

/** What sendMessages uses of kafkajs's EosManager and touches here. */
interface EosManager {
  acquireBrokerLock(broker: Broker): Promise<void>;
  releaseBrokerLock(broker: Broker): void;
  updateSequence(topic: string, partition: number, increment: number): void;
}

type Retrier = <T>(
  fn: (bail: (error?: Error) => void, retryCount: number, retryTime: number) => Promise<T>,
) => Promise<T>;

type SendMessages = (request: {
  topicMessages: ReadonlyArray<{ topic: string; messages: readonly Message[] }>;
  [option: string]: unknown;
}) => Promise<unknown[]>;

export type SendMessagesFactory = (dependencies: {
  eosManager: EosManager;
  retrier: Retrier;
  [dependency: string]: unknown;
}) => SendMessages;

/**
 * kafkajs's sendMessages sends one Produce request per leader broker at once
 * and, when one of them fails (a leader change, or CONCURRENT_TRANSACTIONS on
 * adding a partition to the transaction), retries at once, while the others
 * may still be on their way. A broker whose first request has not answered
 * yet is sent the same records again; its lock makes the second request wait,
 * and when the first succeeds the second goes out with the next sequence
 * numbers, so the broker keeps both: the records are in the transaction
 * twice, and the call reports success. Seen as duplicates after a broker kill
 * on a 3-broker cluster, more often the shorter the retry wait.
 *
 * The guard, around each call:
 * - a retry starts only once every request of the failed attempt has settled
 *   (so a broker that answered is not asked again);
 * - the call returns only once none of its requests is in flight;
 * - each partition's sequence must have advanced by exactly the records the
 *   call gave it (a request that fails rolls its advance back), else the call
 *   fails: the transaction is aborted and replayed, never committed with a
 *   record missing or twice.
 */
export function guardSendMessages(original: SendMessagesFactory): SendMessagesFactory {
  return (dependencies) => async (request) => {
    const { eosManager, retrier } = dependencies;
    let inFlight = 0;
    let settled: (() => void) | null = null;
    let allSettled = Promise.resolve();
    const written = new Map<string, number>();
    const tracked: EosManager = Object.create(eosManager as object) as EosManager;
    tracked.acquireBrokerLock = (broker) => {
      if (inFlight++ === 0) allSettled = new Promise((resolve) => (settled = resolve));
      return eosManager.acquireBrokerLock(broker).catch((error: unknown) => {
        release();
        throw error;
      });
    };
    const release = () => {
      if (--inFlight === 0) settled?.();
    };
    tracked.releaseBrokerLock = (broker) => {
      eosManager.releaseBrokerLock(broker);
      release();
    };
    tracked.updateSequence = (topic, partition, increment) => {
      eosManager.updateSequence(topic, partition, increment);
      const key = `${topic}:${partition}`;
      written.set(key, (written.get(key) ?? 0) + increment);
    };
    const waitingRetrier: Retrier = (fn) =>
      retrier(async (bail, retryCount, retryTime) => {
        await allSettled;
        return fn(bail, retryCount, retryTime);
      });
    const send = original({ ...dependencies, eosManager: tracked, retrier: waitingRetrier });
    let responses: unknown[];
    try {
      responses = await send(request);
    } finally {
      await allSettled;
    }
    assertSequencesAdvanced(request.topicMessages, written);
    return responses;
  };
}

/**
 * Throws unless each partition's records were written exactly once
 * (`written`: the sequence advance per `topic:partition`). Where a message's
 * partition was not pinned on it (a partitioner other than
 * recordingPartitioner), its topic's records are counted as a whole.
 */
export function assertSequencesAdvanced(
  sent: ReadonlyArray<{ topic: string; messages: readonly Message[] }>,
  written: ReadonlyMap<string, number>,
): void {
  const unpinned = new Set(
    sent
      .filter(({ messages }) => !messages.every((message) => typeof message.partition === 'number'))
      .map(({ topic }) => topic),
  );
  const keyOf = (topic: string, partition: unknown) =>
    unpinned.has(topic) ? topic : `${topic}:${partition}`;
  const expected = new Map<string, number>();
  const got = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string, count: number) =>
    counts.set(key, (counts.get(key) ?? 0) + count);
  for (const { topic, messages } of sent) {
    for (const message of messages) add(expected, keyOf(topic, message.partition), 1);
  }
  for (const [key, count] of written) {
    const colon = key.lastIndexOf(':');
    add(got, keyOf(key.slice(0, colon), key.slice(colon + 1)), count);
  }
  for (const key of new Set([...expected.keys(), ...got.keys()])) {
    const want = expected.get(key) ?? 0;
    const have = got.get(key) ?? 0;
    if (have !== want) {
      throw new TributaryError(
        `a Kafka produce call wrote ${have} records to ${key} where it was given ${want} (a retry during a leader change); the transaction is aborted and replayed so no record is lost or written twice`,
        { code: 'KAFKA_FAILED', retriable: true },
      );
    }
  }
}

/** What fasterEncoder touches of kafkajs's protocol Encoder. */
export interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): KafkajsEncoder;
}

export interface KafkajsEncoderClass {
  new (initialSize?: number): KafkajsEncoder;
  nextPowerOfTwo(value: number): number;
}

/**
 * kafkajs's Encoder, with buffers that are not zero-filled (only the bytes
 * written are ever read: `buffer` is the view up to `offset`) and varints
 * written in place. Same bytes out.
 */
export function fasterEncoder(Original: KafkajsEncoderClass): KafkajsEncoderClass {
  return class Encoder extends Original {
    constructor(initialSize = 511) {
      super(0); // a 1-byte buffer, replaced at once
      this.buf = Buffer.allocUnsafe(Original.nextPowerOfTwo(initialSize));
    }

    override ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Original.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }

    // The same unsigned LEB128 as kafkajs's, on the same 32-bit arithmetic.
    override writeUVarInt(value: number): KafkajsEncoder {
      this.ensureAvailable(5);
      let rest = value;
      while ((rest & 0xffffff80) !== 0) {
        this.buf[this.offset++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buf[this.offset++] = rest & 0x7f;
      return this;
    }
  };
}

const require = createRequire(import.meta.url);

function patch(): boolean {
  const grouping = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  const sender = require.resolve('kafkajs/src/producer/sendMessages.js');
  const messageProducer = require.resolve('kafkajs/src/producer/messageProducer.js');
  const encoder = require.resolve('kafkajs/src/protocol/encoder.js');
  if (require.cache[sender] || require.cache[messageProducer] || require.cache[encoder]) return false; // kafkajs already bound the originals
  require(encoder);
  require.cache[encoder]!.exports = fasterEncoder(require.cache[encoder]!.exports as KafkajsEncoderClass);
  require(grouping);
  require.cache[grouping]!.exports = groupMessagesPerPartition;
  require(sender);
  require.cache[sender]!.exports = guardSendMessages(require.cache[sender]!.exports as SendMessagesFactory);
  return true;
}

/** Whether kafkajs uses the linear grouping (false when it was loaded before this module). */
export const kafkajsPatched = patch();
