import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { SchemaRegistryClient } from '../../../src/avro/registry.ts';
import { readTopicToEnd } from '../../../src/kafka/offset-store.ts';
import type { StackEnv } from '../../harness/stack.ts';

/** What the checker needs of one event: its key's table and id, the op, and the row version. */
export interface ObservedChange {
  topic: string;
  offset: bigint;
  id: number;
  op: string;
  /** after.v, or before.v for a delete. */
  v: number;
  seenAt: number;
}

async function decodeChange(
  registry: SchemaRegistryClient,
  topic: string,
  offset: bigint,
  buffer: Buffer,
): Promise<ObservedChange> {
  const value = (await registry.decode(buffer)) as {
    op: string;
    before: { id: unknown; v: unknown } | null;
    after: { id: unknown; v: unknown } | null;
  };
  const row = (value.op === 'd' ? value.before : value.after)!;
  return { topic, offset, id: Number(row.id), op: value.op, v: Number(row.v), seenAt: Date.now() };
}

/**
 * Every committed change of the topics, read again from the beginning by a
 * new read_committed consumer: the final check does not depend on the
 * consumer that watched through the faults.
 */
export async function rereadTopics(env: StackEnv, topics: string[]): Promise<ObservedChange[][]> {
  const registry = new SchemaRegistryClient({ url: env.registryUrl });
  return Promise.all(
    topics.map(async (topic) => {
      const raw: Array<{ offset: bigint; value: Buffer }> = [];
      await readTopicToEnd({
        kafka: kafkaOf(env),
        topic,
        timeoutMs: 300_000,
        onMessage: (message) => {
          if (message.value) raw.push({ offset: BigInt(message.offset), value: message.value });
        },
      });
      const changes: ObservedChange[] = [];
      for (const r of raw) changes.push(await decodeChange(registry, topic, r.offset, r.value));
      return changes;
    }),
  );
}

export function kafkaOf(env: StackEnv, clientId = 'tributary-faults'): Kafka {
  return new Kafka({
    clientId,
    brokers: env.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 1_000_000, initialRetryTime: 300, maxRetryTime: 2_000 },
  });
}

/**
 * A read_committed consumer of the captured topics that rides out the
 * faults the suite injects: a record is kept once per (topic, offset), so a
 * consumer restart that reads again from an older offset adds nothing.
 */
export class Observer implements AsyncDisposable {
  /** topic → offset → change (tombstones left out). */
  private readonly seen = new Map<string, Map<bigint, ObservedChange>>();
  private readonly registry: SchemaRegistryClient;
  private consumer: Consumer | null = null;
  private closed = false;
  restarts = 0;
  /** Snapshot reads (op `r`) seen, all topics. */
  reads = 0;
  private readonly env: StackEnv;
  private readonly topics: string[];

  private constructor(env: StackEnv, topics: string[]) {
    this.env = env;
    this.topics = topics;
    this.registry = new SchemaRegistryClient({ url: env.registryUrl });
    for (const topic of topics) this.seen.set(topic, new Map());
  }

  static async open(env: StackEnv, topics: string[]): Promise<Observer> {
    const observer = new Observer(env, topics);
    await observer.connect();
    return observer;
  }

  private async connect(): Promise<void> {
    const consumer = kafkaOf(this.env).consumer({
      groupId: `faults-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 200,
      retry: { retries: 1_000_000, initialRetryTime: 300, maxRetryTime: 2_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts itself after a retriable crash; start over otherwise.
      if (!event.payload.restart && !this.closed) void this.reconnect(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (!message.value) return;
        const offset = BigInt(message.offset);
        const byOffset = this.seen.get(topic)!;
        if (byOffset.has(offset)) return;
        const change = await decodeChange(this.registry, topic, offset, message.value);
        if (change.op === 'r') this.reads += 1;
        byOffset.set(offset, change);
      },
    });
  }

  private async reconnect(old: Consumer): Promise<void> {
    this.restarts += 1;
    await old.disconnect().catch(() => {});
    if (this.closed || this.consumer !== old) return;
    for (;;) {
      try {
        await this.connect();
        return;
      } catch {
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** The changes of a topic, in offset order. */
  changes(topic: string): ObservedChange[] {
    return [...this.seen.get(topic)!.values()].sort((a, b) => (a.offset < b.offset ? -1 : 1));
  }

  count(): number {
    let n = 0;
    for (const byOffset of this.seen.values()) n += byOffset.size;
    return n;
  }

  /** Whether a change (topic, id, op, v) was seen. */
  has(topic: string, id: number, op: string, v: number): boolean {
    for (const change of this.seen.get(topic)!.values()) {
      if (change.id === id && change.op === op && change.v === v) return true;
    }
    return false;
  }

  async waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${this.count()} events`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true;
    await this.consumer?.disconnect().catch(() => {});
  }
}
