import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaConfig } from 'kafkajs';
import { SchemaRegistryClient } from '../../src/avro/registry.ts';
import { tlsOptions } from '../../src/core/tls.ts';
import { stackEnv, stackRegistryOptions, stackTls } from './stack.ts';

/** One decoded Kafka record, as a read_committed consumer sees it. */
export interface SeenEvent {
  topic: string;
  partition: number;
  offset: bigint;
  key: Record<string, unknown> | null;
  /** null for a tombstone. */
  value: {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    source: Record<string, unknown>;
    op: string;
    ts_ms: bigint | null;
    transaction: { id: string; total_order: bigint; data_collection_order: bigint } | null;
  } | null;
}

/** A client of the stack's Kafka; on the secured stack, as its super user. `logging`: to read kafkajs's own log. */
export function testKafka(logging: Pick<KafkaConfig, 'logLevel' | 'logCreator'> = {}): Kafka {
  const env = stackEnv();
  return new Kafka({
    clientId: 'tributary-tests',
    brokers: env.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    ...logging,
    ...(env.secure
      ? { ssl: tlsOptions(stackTls(env))!, sasl: { mechanism: 'scram-sha-512', ...env.secure.kafkaAdmin } }
      : {}),
  });
}

/**
 * An independent read_committed consumer of some topics that decodes every
 * record through the schema registry and keeps them in arrival order.
 */
export class EventCollector implements AsyncDisposable {
  readonly events: SeenEvent[] = [];
  private readonly consumer: Consumer;
  private readonly registry = new SchemaRegistryClient(stackRegistryOptions(stackEnv()));
  private failure: unknown = null;

  private constructor(kafka: Kafka) {
    this.consumer = kafka.consumer({
      groupId: `tests-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
  }

  static async open(topics: string[], kafka: Kafka = testKafka()): Promise<EventCollector> {
    await waitForTopics(kafka, topics);
    const collector = new EventCollector(kafka);
    await collector.consumer.connect();
    await collector.consumer.subscribe({ topics, fromBeginning: true });
    void collector.consumer
      .run({
        eachMessage: async ({ topic, partition, message }) => {
          try {
            collector.events.push({
              topic,
              partition,
              offset: BigInt(message.offset),
              key:
                message.key && message.key.length > 0
                  ? ((await collector.registry.decode(message.key)) as SeenEvent['key'])
                  : null,
              value: message.value
                ? ((await collector.registry.decode(message.value)) as SeenEvent['value'])
                : null,
            });
          } catch (error) {
            collector.failure = error;
          }
        },
      })
      .catch((error: unknown) => (collector.failure = error));
    return collector;
  }

  /** Waits until `done(events)` holds; fails with what was seen when it does not within `timeoutMs`. */
  async waitFor(
    done: (events: SeenEvent[]) => boolean,
    timeoutMs = 60_000,
    what = 'the expected events',
  ): Promise<SeenEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      if (done(this.events)) return this.events;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.events.length} events`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Data events (tombstones left out). */
  changes(topic?: string): Array<SeenEvent & { value: NonNullable<SeenEvent['value']> }> {
    return this.events.filter(
      (e): e is SeenEvent & { value: NonNullable<SeenEvent['value']> } =>
        e.value !== null && (!topic || e.topic === topic),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.consumer.disconnect().catch(() => {});
  }
}

/**
 * Watches a topic without read_committed: `arrived` settles at the first
 * record past `pastOffset`, while its transaction may still be open.
 */
export async function watchUncommitted(
  topic: string,
  pastOffset: bigint,
): Promise<{ arrived: Promise<void>; [Symbol.asyncDispose](): Promise<void> }> {
  const peek = testKafka().consumer({
    groupId: `peek-${randomUUID()}`,
    readUncommitted: true,
    maxWaitTimeInMs: 50,
  });
  await peek.connect();
  await peek.subscribe({ topic, fromBeginning: true });
  const arrived = new Promise<void>((resolve) => {
    void peek.run({
      eachMessage: async ({ message }) => {
        if (BigInt(message.offset) > pastOffset) resolve();
      },
    });
  });
  return { arrived, [Symbol.asyncDispose]: () => peek.disconnect() };
}

export async function waitForTopics(kafka: Kafka, topics: string[], timeoutMs = 60_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`topics never appeared: ${missing.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
