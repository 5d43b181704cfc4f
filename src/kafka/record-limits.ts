import './kafkajs-patches.ts';
import kafkajs, { type Admin } from 'kafkajs';
import type { SourceOffset } from '../core/change-event.ts';
import { Batcher } from '../core/batcher.ts';
import { TributaryError } from '../core/errors.ts';
import type { TopicEnsurer } from './topics.ts';
import type { EventSink, OutgoingRecord } from '../core/pipeline.ts';

export const TOO_LARGE_FIX =
  'raise max.message.bytes on the topic (and message.max.bytes on the brokers) above the size of the largest row event (before and after images of the row), exclude the table or its large columns, or set errors.tolerance: all to send such records to the dead-letter topic';

/** A v2 record batch's header: base offset, length, epoch, magic, crc, attributes, offsets, timestamps, producer, count. */
export const BATCH_HEADER = 61;
/** Upper bound of a varint-encoded length or delta. */
const VARINT = 5;

/**
 * The bytes a record takes when it travels alone in a record batch (no
 * compression): what the broker compares with the topic's max.message.bytes.
 * An upper bound, so a record that passes is never refused for its size.
 */
export function recordBatchBytes(record: Pick<OutgoingRecord, 'key' | 'value' | 'headers'>): number {
  let bytes = BATCH_HEADER + VARINT + 1 + 2 * VARINT + 10; // length, attributes, offset and timestamp deltas
  bytes += VARINT + (record.key?.length ?? 0) + VARINT + (record.value?.length ?? 0) + VARINT;
  if (record.headers) {
    for (const [name, value] of Object.entries(record.headers)) {
      bytes += VARINT + Buffer.byteLength(name) + VARINT + Buffer.byteLength(value);
    }
  }
  return bytes;
}

/** Each topic's max.message.bytes (its override, else the broker's message.max.bytes), read once per topic. */
export class TopicLimits {
  private readonly limits = new Map<string, Promise<number>>();
  private readonly known = new Map<string, number>();
  /** The limits of topics asked for together (a snapshot's tables) are read in one request. */
  private readonly reads = new Batcher<string, number>((topics) => this.describe(topics));
  private readonly admin: Admin;

  constructor(admin: Admin) {
    this.admin = admin;
  }

  /** The limit of a topic already read, without waiting. */
  knownLimit(topic: string): number | undefined {
    return this.known.get(topic);
  }

  limitFor(topic: string): Promise<number> {
    let limit = this.limits.get(topic);
    if (!limit) {
      limit = this.reads.get(topic);
      limit.catch(() => this.limits.delete(topic)); // a failed read is tried again
      this.limits.set(topic, limit);
    }
    return limit;
  }

  private async describe(topics: string[]): Promise<number[]> {
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      // kafkajs' CommonJS exports hide this enum from ESM named imports.
      resources: topics.map((name) => ({
        type: kafkajs.ConfigResourceTypes.TOPIC,
        name,
        configNames: ['max.message.bytes'],
      })),
    });
    const byTopic = new Map(resources.map((resource) => [resource.resourceName, resource]));
    return topics.map((topic) => {
      const value = byTopic
        .get(topic)
        ?.configEntries.find((entry) => entry.configName === 'max.message.bytes');
      const limit = Number(value?.configValue);
      if (!Number.isFinite(limit) || limit <= 0) {
        throw new TributaryError(`could not read max.message.bytes of topic ${topic}`, {
          code: 'KAFKA_FAILED',
          retriable: true,
        });
      }
      this.known.set(topic, limit);
      return limit;
    });
  }
}

/**
 * Reads each topic's limit as soon as the topic exists, while its table's
 * schemas are still registering: the topics created in one request (a
 * snapshot's tables) have their limits read in one request too, rather than
 * one request at each table's first record or as each registration ends.
 */
export function readingTopicLimits(
  topics: TopicEnsurer,
  limits: Pick<TopicLimits, 'limitFor'>,
): TopicEnsurer {
  return {
    async ensure(names, overrides) {
      const list = [...names];
      await topics.ensure(list, overrides);
      await Promise.all(list.map((topic) => limits.limitFor(topic)));
    },
  };
}

/**
 * Refuses a record larger than its topic takes before it is sent. A produce
 * the broker refuses inside a Kafka transaction leaves the transaction
 * abortable only, taking its other records with it; refused here, the record
 * can instead be dead-lettered in the same transaction, or stop the pipeline
 * with the transactions before it committed.
 */
export class SizeCheckedSink implements EventSink {
  private readonly sink: EventSink;
  private readonly limits: Pick<TopicLimits, 'limitFor' | 'knownLimit'>;

  constructor(sink: EventSink, limits: Pick<TopicLimits, 'limitFor' | 'knownLimit'>) {
    this.sink = sink;
    this.limits = limits;
  }

  add(records: OutgoingRecord[]): Promise<void> | undefined {
    for (const record of records) {
      const limit = this.limits.knownLimit(record.topic);
      // A topic not seen yet: its limit is read once, then the records go on.
      if (limit === undefined) return this.addAfterReading(records);
      const refusal = this.refusal(record, limit);
      if (refusal) return Promise.reject(refusal);
    }
    return this.sink.add(records) ?? undefined;
  }

  private async addAfterReading(records: OutgoingRecord[]): Promise<void> {
    for (const record of records) {
      const refusal = this.refusal(record, await this.limits.limitFor(record.topic));
      if (refusal) throw refusal;
    }
    await this.sink.add(records);
  }

  private refusal(record: OutgoingRecord, limit: number): TributaryError | null {
    const bytes = recordBatchBytes(record);
    if (bytes <= limit) return null;
    return new TributaryError(
      `a record for ${record.topic} takes ${bytes} bytes, more than the topic's max.message.bytes (${limit})`,
      { code: 'RECORD_TOO_LARGE', fix: TOO_LARGE_FIX },
    );
  }

  commit(offset: SourceOffset): Promise<void> {
    return this.sink.commit(offset);
  }
}
