import { randomUUID } from 'node:crypto';
import { SchemaRegistryClient } from '../../src/avro/registry.ts';
import { testKafka } from '../../test/harness/kafka-events.ts';
import { stackEnv, stackRegistryOptions } from '../../test/harness/stack.ts';
import { progress } from './progress.ts';
import { forEachLimit } from './concurrently.ts';
import type { EndOffsets } from './offsets.ts';

/** What one topic must hold: the check a fast but wrong run fails. */
export interface KeyExpectation {
  topic: string;
  /** Change events (records with a value) must carry each id of firstId..lastId exactly once. */
  firstId: number;
  lastId: number;
  /** Tombstones (records without a value) expected, each for a distinct id of the range. */
  tombstones?: number;
}

export interface TopicCheck {
  topic: string;
  events: number;
  tombstones: number;
  /** Key plus value bytes of every record. */
  bytes: number;
  /** Offset of the topic's last record, -1 when it has none. */
  lastOffset: number;
  problems: string[];
}

export interface KeyCheckResult {
  ok: boolean;
  topics: TopicCheck[];
  events: number;
  tombstones: number;
  records: number;
  bytes: number;
  problems: string[];
}

/** Counts the ids of one topic's records against its expectation. */
export class KeyTally {
  private readonly seen: Uint8Array;
  private readonly tombstoned: Uint8Array;
  private events = 0;
  private tombstones = 0;
  private bytes = 0;
  private lastOffset = -1;
  private outside = 0;
  private readonly outsideSample: number[] = [];
  private unreadable = 0;

  private readonly expectation: KeyExpectation;

  constructor(expectation: KeyExpectation) {
    this.expectation = expectation;
    const size = expectation.lastId - expectation.firstId + 1;
    this.seen = new Uint8Array(size);
    this.tombstoned = new Uint8Array(size);
  }

  /** One record: its key's id (null when the key could not be read), whether it is a tombstone. */
  add(id: number | null, tombstone: boolean, offset: number, bytes: number): void {
    this.bytes += bytes;
    this.lastOffset = Math.max(this.lastOffset, offset);
    if (tombstone) this.tombstones++;
    else this.events++;
    if (id === null) {
      this.unreadable++;
      return;
    }
    const index = id - this.expectation.firstId;
    if (!Number.isInteger(index) || index < 0 || index >= this.seen.length) {
      if (this.outside++ < 5) this.outsideSample.push(id);
      return;
    }
    const counts = tombstone ? this.tombstoned : this.seen;
    if (counts[index]! < 255) counts[index]!++;
  }

  result(): TopicCheck {
    const { firstId } = this.expectation;
    const problems: string[] = [];
    const missing = ids(this.seen, firstId, (n) => n === 0);
    const repeated = ids(this.seen, firstId, (n) => n > 1);
    const repeatedTombstones = ids(this.tombstoned, firstId, (n) => n > 1);
    if (missing.count > 0) problems.push(`${missing.count} ids missing (e.g. ${missing.sample.join(', ')})`);
    if (repeated.count > 0)
      problems.push(`${repeated.count} ids more than once (e.g. ${repeated.sample.join(', ')})`);
    if (this.outside > 0)
      problems.push(`${this.outside} keys outside the ids (e.g. ${this.outsideSample.join(', ')})`);
    if (this.unreadable > 0) problems.push(`${this.unreadable} keys not readable as an id`);
    const wantTombstones = this.expectation.tombstones ?? 0;
    if (this.tombstones !== wantTombstones)
      problems.push(`${this.tombstones} tombstones, want ${wantTombstones}`);
    if (repeatedTombstones.count > 0)
      problems.push(`${repeatedTombstones.count} ids with more than one tombstone`);
    return {
      topic: this.expectation.topic,
      events: this.events,
      tombstones: this.tombstones,
      bytes: this.bytes,
      lastOffset: this.lastOffset,
      problems: problems.map((p) => `${this.expectation.topic}: ${p}`),
    };
  }
}

/** How many counts match, and the first few ids that do. */
function ids(
  counts: Uint8Array,
  firstId: number,
  match: (n: number) => boolean,
): { count: number; sample: number[] } {
  let count = 0;
  const sample: number[] = [];
  counts.forEach((n, index) => {
    if (!match(n)) return;
    count++;
    if (sample.length < 5) sample.push(firstId + index);
  });
  return { count, sample };
}

/** An Avro long (zig-zag varint) at `offset`, as a number (ids stay far below 2^53). */
export function readAvroLong(buffer: Buffer, offset: number): number {
  let value = 0;
  let scale = 1;
  for (let position = offset; ; position++) {
    const byte = buffer[position];
    if (byte === undefined) throw new Error('truncated Avro long');
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/**
 * Reads the id of a Confluent-framed key whose schema is a record of one
 * integer field (the benchmark tables' `id`): checked once per schema id,
 * then decoded from the bytes without the Avro library.
 */
class KeyIds {
  private readonly registry = new SchemaRegistryClient(stackRegistryOptions(stackEnv()));
  private readonly checked = new Map<number, boolean>();

  async id(key: Buffer | null): Promise<number | null> {
    if (!key || key.length < 6 || key[0] !== 0) return null;
    const schemaId = key.readUInt32BE(1);
    let simple = this.checked.get(schemaId);
    if (simple === undefined) {
      simple = isOneIntegerField(await this.registry.schemaById(schemaId));
      this.checked.set(schemaId, simple);
    }
    return simple ? readAvroLong(key, 5) : null;
  }
}

export function isOneIntegerField(schema: unknown): boolean {
  const record = schema as { type?: unknown; fields?: Array<{ type?: unknown }> };
  if (record?.type !== 'record' || record.fields?.length !== 1) return false;
  const type = record.fields[0]!.type;
  const name = typeof type === 'object' && type !== null ? (type as { type?: unknown }).type : type;
  return name === 'long' || name === 'int';
}

/**
 * Reads every committed record of the topics to their current ends with one
 * read_committed consumer, decoding only the keys, and checks each topic
 * against its expectation.
 */
export async function checkKeys(
  expectations: KeyExpectation[],
  offsets: EndOffsets,
  options: { label: string; timeoutMs?: number },
): Promise<KeyCheckResult> {
  const tallies = new Map(expectations.map((e) => [e.topic, new KeyTally(e)]));
  const pending = new Map<string, number>();
  await forEachLimit(expectations, 50, async ({ topic }) => {
    for (const { partition, end } of await offsets.partitionEnds(topic)) {
      if (end > 0) pending.set(`${topic}:${partition}`, end);
    }
  });
  if (pending.size > 0) await readToEnds(pending, tallies, options);
  const topics = [...tallies.values()].map((t) => t.result());
  const problems = topics.flatMap((t) => t.problems);
  const sum = (f: (t: TopicCheck) => number) => topics.reduce((total, t) => total + f(t), 0);
  return {
    ok: problems.length === 0,
    topics,
    events: sum((t) => t.events),
    tombstones: sum((t) => t.tombstones),
    records: sum((t) => t.events + t.tombstones),
    bytes: sum((t) => t.bytes),
    problems,
  };
}

async function readToEnds(
  pending: Map<string, number>,
  tallies: Map<string, KeyTally>,
  options: { label: string; timeoutMs?: number },
): Promise<void> {
  const keys = new KeyIds();
  const total = [...pending.values()].reduce((a, b) => a + b, 0);
  let read = 0;
  const consumer = testKafka().consumer({
    groupId: `bench-keys-${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxBytes: 64 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
    retry: { restartOnFailure: async () => false },
  });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`key check: timed out with ${pending.size} partitions not read to their end`)),
        options.timeoutMs ?? 600_000,
      );
      // Batch ends count commit markers too, so a partition ending in a marker is seen to end.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const id = `${payload.topic}:${payload.partition}`;
        const end = pending.get(id);
        if (end !== undefined && Number(payload.lastOffset) >= end - 1) pending.delete(id);
        if (pending.size === 0) resolve();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      const topics = [...new Set([...pending.keys()].map((id) => id.slice(0, id.lastIndexOf(':'))))];
      void consumer
        .subscribe({ topics, fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const tally = tallies.get(batch.topic)!;
              const end = pending.get(`${batch.topic}:${batch.partition}`) ?? Infinity;
              for (const message of batch.messages) {
                const offset = Number(message.offset);
                if (offset >= end) continue;
                const bytes = (message.key?.length ?? 0) + (message.value?.length ?? 0);
                tally.add(await keys.id(message.key), message.value === null, offset, bytes);
              }
              read += batch.messages.length;
              progress(options.label, `checking keys ${read} / ~${total}`);
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
  }
}
