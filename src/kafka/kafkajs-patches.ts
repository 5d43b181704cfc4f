/**
 * kafkajs 2.2.4 (pinned) groups a produce call's messages per partition with
 * `[...current, message]` for each message: time and garbage quadratic in the
 * messages per partition (a 500-record chunk copies 125,000 array slots, ten
 * times the bytes of the records themselves). This replaces that module with
 * a linear equivalent: same partitioner calls in the same order, same result.
 *
 * kafkajs binds the module when it is first loaded, so this must run before:
 * every module of ours that loads kafkajs imports this one first. When
 * kafkajs was loaded earlier (a test that imports it directly), nothing is
 * patched and kafkajs works as it does unpatched.
 */
import type { Message, PartitionMetadata } from 'kafkajs';
import { createRequire } from 'node:module';

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

const require = createRequire(import.meta.url);

function patch(): boolean {
  const grouping = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  const sender = require.resolve('kafkajs/src/producer/sendMessages.js');
  if (require.cache[sender]) return false; // kafkajs already bound the original
  require(grouping);
  require.cache[grouping]!.exports = groupMessagesPerPartition;
  return true;
}

/** Whether kafkajs uses the linear grouping (false when it was loaded before this module). */
export const kafkajsPatched = patch();
