import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SchemaRegistryClient } from '../../src/avro/registry.ts';
import { testKafka, type SeenEvent } from './kafka-events.ts';
import { stackEnv } from './stack.ts';

const env = stackEnv();

/** One committed record of a topic, decoded, with the schema ids of its framing. */
export interface DrainedRecord {
  offset: bigint;
  keySchemaId: number | null;
  valueSchemaId: number | null;
  key: Record<string, unknown> | null;
  value: NonNullable<SeenEvent['value']> | null;
}

/**
 * Reads every committed record of a one-partition topic, as a read_committed
 * consumer sees it, up to the end the topic has now; decodes each through the
 * registry and keeps the schema ids its framing carries.
 */
export async function drain(topic: string, timeoutMs = 60_000): Promise<DrainedRecord[]> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  let end: bigint;
  try {
    const partitions = await admin.fetchTopicOffsets(topic);
    assert.equal(partitions.length, 1, `${topic} has one partition`);
    end = BigInt(partitions[0]!.high);
  } finally {
    await admin.disconnect();
  }
  if (end === 0n) return [];
  const registry = new SchemaRegistryClient({ url: env.registryUrl });
  const raw: Array<{ offset: bigint; key: Buffer | null; value: Buffer | null }> = [];
  const consumer = kafka.consumer({ groupId: `tests-drain-${randomUUID()}`, readUncommitted: false });
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out draining ${topic} to offset ${end}`)),
        timeoutMs,
      );
      // Batch events count control records (commit markers) too.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (BigInt(payload.lastOffset) >= end - 1n) {
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
              raw.push({ offset: BigInt(message.offset), key: message.key, value: message.value });
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  const records: DrainedRecord[] = [];
  for (const r of raw.filter((r) => r.offset < end)) {
    const hasKey = r.key !== null && r.key.length > 0;
    records.push({
      offset: r.offset,
      keySchemaId: hasKey ? r.key!.readUInt32BE(1) : null,
      valueSchemaId: r.value ? r.value.readUInt32BE(1) : null,
      key: hasKey ? ((await registry.decode(r.key!)) as Record<string, unknown>) : null,
      value: r.value ? ((await registry.decode(r.value)) as DrainedRecord['value']) : null,
    });
  }
  return records;
}

/** Data events (no tombstones) of drained records. */
export function dataEvents(records: DrainedRecord[]) {
  return records.filter(
    (r): r is DrainedRecord & { value: NonNullable<DrainedRecord['value']> } => r.value !== null,
  );
}

/** A plain copy of a decoded row image (avsc decodes to record instances). */
export function plain(row: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  return row ? { ...row } : null;
}
