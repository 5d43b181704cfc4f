/**
 * Avro for routed outbox events: the key is the key column's value and the
 * value the payload column's value, each with its column's own Avro type
 * (json/jsonb/text as an Avro string, bytea/blob as bytes), as Debezium's
 * EventRouter writes them through the Avro converter.
 */
import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import type { OutboxCodec, OutboxCodecFactory } from '../core/outbox.ts';
import type { ColumnSchema } from '../core/schema.ts';
import { avroTypeOptions } from './logical-types.ts';
import { avroField } from './schema-builder.ts';
import { encodeAvro } from './wire.ts';
import type { TopicEnsurer } from '../kafka/topics.ts';

export interface OutboxCodecOptions {
  registry: { register(subject: string, schemaJson: string): Promise<number> };
  topics: TopicEnsurer;
}

export function createOutboxCodecFactory(options: OutboxCodecOptions): OutboxCodecFactory {
  const codecs = new Map<string, Promise<OutboxCodec>>();

  /** A framed encoder of one column's values under `subject`; a null value is a null key or value. */
  const columnEncoder = async (subject: string, column: ColumnSchema) => {
    const schemaJson = JSON.stringify(avroField(column.name, column.type, column.nullable).type);
    const type: Type = avro.Type.forSchema(JSON.parse(schemaJson) as Schema, avroTypeOptions());
    const id = await options.registry.register(subject, schemaJson);
    return (value: unknown): Buffer | null =>
      value === null || value === undefined ? null : encodeAvro(type, value, id);
  };

  const build = async (topic: string, key: ColumnSchema, payload: ColumnSchema): Promise<OutboxCodec> => {
    const [encodeKey, encodeValue] = await Promise.all([
      columnEncoder(`${topic}-key`, key),
      columnEncoder(`${topic}-value`, payload),
    ]);
    // Events, not state: the topic expires records and never compacts (a null key is allowed).
    await options.topics.ensure([topic], { configEntries: [{ name: 'cleanup.policy', value: 'delete' }] });
    return { encodeKey, encodeValue };
  };

  return {
    forTopic(topic, key, payload) {
      const cacheKey = JSON.stringify([
        topic,
        key.name,
        key.type,
        key.nullable,
        payload.name,
        payload.type,
        payload.nullable,
      ]);
      let codec = codecs.get(cacheKey);
      if (!codec) {
        codec = build(topic, key, payload);
        codec.catch(() => codecs.delete(cacheKey)); // a refused or failed registration is tried again
        codecs.set(cacheKey, codec);
      }
      return codec;
    },
  };
}
