import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { SourceOffset } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';

/** Prefix of the consumer groups that read an offsets topic (ACLs grant it as a prefix). */
export const OFFSETS_READER_GROUP_PREFIX = 'tributary-reader-';

/** What the offsets topic holds for one connector; written in the same transaction as its events. */
export interface StoredOffset {
  offset: SourceOffset;
  /** When the Kafka transaction was committed (ms since the epoch). */
  committedAt: number;
}

export function encodeOffset(offset: SourceOffset): Buffer {
  return Buffer.from(JSON.stringify({ offset, committedAt: Date.now() } satisfies StoredOffset));
}

type ListOffsetsCluster = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }>;
  fetchTopicsOffset(
    topics: Array<{ topic: string; fromBeginning: boolean; partitions: Array<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
};

const READ_UNCOMMITTED = 0;

/**
 * The log end offset of each partition of `topic`. kafkajs's admin lists
 * offsets read_committed, which answers the last stable offset: the start of
 * the oldest open transaction. Reading only that far returns a stale offset
 * whenever any producer (another connector sharing the topic) has a
 * transaction open. kafkajs (2.2.4, pinned) has no public read_uncommitted
 * ListOffsets, so this uses its cluster factory.
 */
async function logEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const createCluster = Object.getOwnPropertySymbols(kafka)
    .filter((symbol) => symbol.description === 'private:Kafka:createCluster')
    .map((symbol) => (kafka as unknown as Record<symbol, unknown>)[symbol])[0] as
    | ((options: { allowAutoTopicCreation: boolean; isolationLevel: number }) => ListOffsetsCluster)
    | undefined;
  if (!createCluster) throw new Error('kafkajs internals changed: no cluster factory for ListOffsets');
  const cluster = createCluster({ allowAutoTopicCreation: false, isolationLevel: READ_UNCOMMITTED });
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
    const [offsets] = await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }]);
    return new Map((offsets?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await cluster.disconnect();
  }
}

/**
 * Reads every record of `topic` a read_committed consumer sees, from the
 * beginning up to the log end at the time of the call, in order. Records
 * written in aborted or still-open transactions are not delivered; the read
 * ends once each partition's end is passed (commit markers included).
 */
export async function readTopicToEnd(options: {
  kafka: Kafka;
  topic: string;
  onMessage: (message: KafkaMessage, partition: number) => void;
  timeoutMs?: number;
}): Promise<void> {
  const { kafka, topic } = options;
  // The log end, not the last stable offset: another producer's open
  // transaction on the topic must not hide records committed after it.
  const ends = await logEndOffsets(kafka, topic);
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([partition]) => partition));
  if (pending.size === 0) return;

  // kafkajs has no manual assignment: a throw-away group that never commits.
  const consumer = kafka.consumer({
    groupId: `${OFFSETS_READER_GROUP_PREFIX}${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    // A crash ends the read (the caller retries from scratch). kafkajs would
    // otherwise restart a crashed consumer on a timer, after our disconnect,
    // and keep the process alive.
    retry: { restartOnFailure: async () => false },
  });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TributaryError(`timed out reading ${topic} to its end`, {
              code: 'KAFKA_FAILED',
              retriable: true,
            }),
          ),
        options.timeoutMs ?? 60_000,
      );
      // Batch events count control records (commit markers) too, so the end of
      // a partition is seen even when its last record is a marker.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) pending.delete(payload.partition);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      void consumer
        .subscribe({ topic, fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ message, partition }) => {
              const end = ends.get(partition);
              if (end !== undefined && BigInt(message.offset) < end) options.onMessage(message, partition);
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    // Cleared on every path: a timer left behind keeps the process alive past a clean stop.
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/**
 * Reads the last committed offset of `connector` from the compacted offsets
 * topic, as a read_committed consumer sees it: an offset written in an aborted
 * or still-open transaction does not count.
 */
export async function readCommittedOffset(options: {
  kafka: Kafka;
  topic: string;
  connector: string;
  timeoutMs?: number;
}): Promise<StoredOffset | null> {
  let latest: StoredOffset | null = null;
  await readTopicToEnd({
    kafka: options.kafka,
    topic: options.topic,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    onMessage: (message) => {
      if (message.key?.toString() !== options.connector) return;
      latest = message.value ? (JSON.parse(message.value.toString()) as StoredOffset) : null;
    },
  });
  return latest;
}
