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
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const partitions = await admin.fetchTopicOffsets(topic);
    ends = new Map(partitions.map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
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
