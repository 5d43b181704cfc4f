import { SchemaRegistryClient } from '../../src/avro/registry.ts';
import { readTopicToEnd } from '../../src/kafka/offset-store.ts';
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

/** One committed record of a topic as it was written, headers as text. */
export interface RawRecord {
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads every committed record of a one-partition topic, as a read_committed
 * consumer sees it, up to the end the topic has now.
 */
export async function drainRaw(topic: string, timeoutMs = 60_000): Promise<RawRecord[]> {
  const raw: RawRecord[] = [];
  await readTopicToEnd({
    kafka: testKafka(),
    topic,
    timeoutMs,
    onMessage: (message) =>
      raw.push({
        offset: BigInt(message.offset),
        key: message.key,
        value: message.value,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
      }),
  });
  return raw;
}

/**
 * Reads every committed record of a one-partition topic (see drainRaw);
 * decodes each through the registry and keeps the schema ids its framing carries.
 */
export async function drain(topic: string, timeoutMs = 60_000): Promise<DrainedRecord[]> {
  const registry = new SchemaRegistryClient({ url: env.registryUrl });
  const raw = await drainRaw(topic, timeoutMs);
  const records: DrainedRecord[] = [];
  for (const r of raw) {
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
