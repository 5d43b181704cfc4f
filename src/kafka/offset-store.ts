import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { SourceOffset } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';

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
  const { kafka, topic, connector } = options;
  // The log end, not the last stable offset: another connector's open
  // transaction on this shared topic must not hide offsets committed after it.
  const ends = await logEndOffsets(kafka, topic);
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([partition]) => partition));
  if (pending.size === 0) return null;

  // kafkajs has no manual assignment: a throw-away group that never commits.
  const consumer = kafka.consumer({
    groupId: `tributary-offsets-reader-${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let latest: StoredOffset | null = null;
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new TributaryError(`timed out reading the offsets topic ${topic}`, {
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
            eachMessage: async ({ message }) => {
              if (message.key?.toString() !== connector) return;
              latest = message.value ? (JSON.parse(message.value.toString()) as StoredOffset) : null;
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return latest;
}
