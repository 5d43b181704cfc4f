import './kafkajs-patches.ts';
import { createRequire } from 'node:module';
import { Partitioners, type ICustomPartitioner, type Message, type RecordMetadata } from 'kafkajs';
import { TributaryError } from '../core/errors.ts';

/** kafkajs's murmur2 (the Java client's), which its default partitioner hashes keys with. */
const murmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer | string,
) => number;

/**
 * kafkajs 2.2.4 retries a produce call per broker, not per partition: after a
 * leader change it skips a partition that moved to a broker which had already
 * answered (its records are lost), and sends again a partition that moved
 * away from one (its records are duplicated), then reports success. Inside a
 * transaction that commits, either breaks exactly once. So every send is
 * checked: each partition its records went to must be answered exactly once,
 * or the call fails and the transaction is aborted and replayed.
 */

/**
 * Kafka's default partitioner (murmur2 of the key, as the Java client), which
 * also writes the partition it picks onto the message: a retry then keeps
 * each record in its partition, and the caller knows where records went.
 */
export const recordingPartitioner: ICustomPartitioner = () => {
  const pick = Partitioners.DefaultPartitioner();
  return (args) => {
    const message = args.message as Message;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const partitions = args.partitionMetadata.length;
    // A keyed message: what kafkajs's default partitioner computes, without
    // the per-message list of available partitions it builds first.
    const partition =
      message.key === null || message.key === undefined
        ? pick(args)
        : partitions === 1
          ? 0
          : (murmur2(message.key) & 0x7fffffff) % partitions;
    message.partition = partition;
    return partition;
  };
};

/** Throws unless `responses` answer each partition of `sent` exactly once. */
export function assertCompleteSend(
  sent: ReadonlyArray<{ topic: string; messages: readonly Message[] }>,
  responses: readonly RecordMetadata[],
): void {
  const answered = new Map<string, number>();
  for (const response of responses) {
    const key = `${response.topicName}:${response.partition}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
  }
  for (const { topic, messages } of sent) {
    const partitions = new Set(messages.map((message) => message.partition));
    for (const partition of partitions) {
      const key = `${topic}:${partition}`;
      const count = answered.get(key) ?? 0;
      if (partition === undefined || count !== 1) {
        throw new TributaryError(
          `a Kafka produce call was answered ${count} times for ${key} during a leader change; the transaction is aborted and replayed so no record is lost or written twice`,
          { code: 'KAFKA_FAILED', retriable: true },
        );
      }
    }
  }
}
