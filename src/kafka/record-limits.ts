import kafkajs, { type Admin } from 'kafkajs';
import type { SourceOffset } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
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
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    bytes += VARINT + Buffer.byteLength(name) + VARINT + Buffer.byteLength(value);
  }
  return bytes;
}

/** Each topic's max.message.bytes (its override, else the broker's message.max.bytes), read once per topic. */
export class TopicLimits {
  private readonly limits = new Map<string, Promise<number>>();
  private readonly known = new Map<string, number>();
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
      limit = this.describe(topic);
      limit.catch(() => this.limits.delete(topic)); // a failed read is tried again
      this.limits.set(topic, limit);
    }
    return limit;
  }

  private async describe(topic: string): Promise<number> {
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      // kafkajs' CommonJS exports hide this enum from ESM named imports.
      resources: [
        { type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] },
      ],
    });
    const value = resources[0]?.configEntries.find((entry) => entry.configName === 'max.message.bytes');
    const limit = Number(value?.configValue);
    if (!Number.isFinite(limit) || limit <= 0) {
      throw new TributaryError(`could not read max.message.bytes of topic ${topic}`, {
        code: 'KAFKA_FAILED',
        retriable: true,
      });
    }
    this.known.set(topic, limit);
    return limit;
  }
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

  async add(records: OutgoingRecord[]): Promise<void> {
    for (const record of records) {
      const bytes = recordBatchBytes(record);
      const limit = this.limits.knownLimit(record.topic) ?? (await this.limits.limitFor(record.topic));
      if (bytes > limit) {
        throw new TributaryError(
          `a record for ${record.topic} takes ${bytes} bytes, more than the topic's max.message.bytes (${limit})`,
          { code: 'RECORD_TOO_LARGE', fix: TOO_LARGE_FIX },
        );
      }
    }
    await this.sink.add(records);
  }

  commit(offset: SourceOffset): Promise<void> {
    return this.sink.commit(offset);
  }
}
