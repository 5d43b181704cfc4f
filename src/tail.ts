import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import { registryFromConfig } from './avro/registry.ts';
import { createKafka } from './kafka/kafka-client.ts';
import { displayValue } from './display-values.ts';

/** JSON with bigints as numbers-in-strings and bytes as hex, for people to read. */
export function toDisplayJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (
        v &&
        typeof v === 'object' &&
        (v as { type?: string }).type === 'Buffer' &&
        Array.isArray((v as { data?: unknown }).data)
      ) {
        return `0x${Buffer.from((v as { data: number[] }).data).toString('hex')}`;
      }
      return v;
    },
    2,
  );
}

/** Prints every event of `topic` as a read_committed consumer sees it, decoded through the registry. */
export async function tailTopic(options: {
  config: Config;
  topic: string;
  fromBeginning: boolean;
  signal: AbortSignal;
  logger: Logger;
}): Promise<void> {
  const { config, topic } = options;
  const kafka = createKafka(config.kafka, options.logger);
  const registry = registryFromConfig(config.registry);
  const consumer = kafka.consumer({
    groupId: `tributary-tail-${randomUUID()}`,
    readUncommitted: false,
    retry: { retries: 5, restartOnFailure: async () => false },
  });
  // A consumer that gives up (a missing ACL, say) fails the command instead of idling.
  const crashed = new Promise<never>((_resolve, reject) =>
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error)),
  );
  crashed.catch(() => {});
  // The writer's schema of each id, so times and decimals print by their types.
  const schemas = new Map<number, Promise<Parameters<typeof displayValue>[0]>>();
  const writerSchema = (id: number) => {
    let schema = schemas.get(id);
    if (!schema) {
      schema = registry.schemaById(id) as Promise<Parameters<typeof displayValue>[0]>;
      schemas.set(id, schema);
    }
    return schema;
  };
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const readable = async (bytes: Buffer | null) =>
          bytes && bytes.length > 0
            ? displayValue(await writerSchema(bytes.readUInt32BE(1)), await registry.decode(bytes))
            : null;
        const key = await readable(message.key);
        const value = await readable(message.value);
        process.stdout.write(`${toDisplayJson({ partition, offset: message.offset, key, value })}\n`);
      },
    });
    await Promise.race([
      crashed,
      new Promise<void>((resolve) =>
        options.signal.addEventListener('abort', () => resolve(), { once: true }),
      ),
    ]);
  } finally {
    await consumer.disconnect();
  }
}
