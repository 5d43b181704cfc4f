/**
 * Debezium's transaction topic (`provide.transaction.metadata`): a BEGIN and
 * an END event per source transaction, keyed by the transaction id, with the
 * schemas Debezium registers (io.debezium.connector.common.TransactionMetadata*).
 */
import avro from 'avsc';
import type { Schema } from 'avsc';
import type { OutgoingRecord, TransactionEventEncoder } from '../core/pipeline.ts';
import { avroTypeOptions } from './logical-types.ts';
import type { AvroRecord } from './schema-builder.ts';
import { encodeAvro } from './wire.ts';
import type { TopicEnsurer } from '../kafka/topics.ts';

const NAMESPACE = 'io.debezium.connector.common';

export const TRANSACTION_KEY_SCHEMA: AvroRecord = {
  type: 'record',
  name: 'TransactionMetadataKey',
  namespace: NAMESPACE,
  fields: [{ name: 'id', type: 'string' }],
  'connect.version': 1,
  'connect.name': `${NAMESPACE}.TransactionMetadataKey`,
};

export const TRANSACTION_VALUE_SCHEMA: AvroRecord = {
  type: 'record',
  name: 'TransactionMetadataValue',
  namespace: NAMESPACE,
  fields: [
    { name: 'status', type: 'string' },
    { name: 'id', type: 'string' },
    { name: 'event_count', type: ['null', 'long'], default: null },
    {
      name: 'data_collections',
      type: [
        'null',
        {
          type: 'array',
          items: [
            'null',
            {
              type: 'record',
              name: 'collection',
              namespace: 'event',
              fields: [
                { name: 'data_collection', type: 'string' },
                { name: 'event_count', type: 'long' },
              ],
              'connect.version': 1,
              'connect.name': 'event.collection',
            },
          ],
        },
      ],
      default: null,
    },
    { name: 'ts_ms', type: 'long' },
  ],
  'connect.version': 1,
  'connect.name': `${NAMESPACE}.TransactionMetadataValue`,
};

export interface TransactionTopicOptions {
  topic: string;
  registry: { register(subject: string, schemaJson: string): Promise<number> };
  topics: TopicEnsurer;
}

/** Registers the transaction topic's schemas, creates the topic, and encodes its events. */
export async function createTransactionEventEncoder(
  options: TransactionTopicOptions,
): Promise<TransactionEventEncoder> {
  const { topic } = options;
  const [keyId, valueId] = await Promise.all([
    options.registry.register(`${topic}-key`, JSON.stringify(TRANSACTION_KEY_SCHEMA)),
    options.registry.register(`${topic}-value`, JSON.stringify(TRANSACTION_VALUE_SCHEMA)),
  ]);
  // BEGIN and END share a key: compaction would keep only the END.
  await options.topics.ensure([topic], { configEntries: [{ name: 'cleanup.policy', value: 'delete' }] });
  const keyType = avro.Type.forSchema(TRANSACTION_KEY_SCHEMA as Schema, avroTypeOptions());
  const valueType = avro.Type.forSchema(TRANSACTION_VALUE_SCHEMA as Schema, avroTypeOptions());
  const record = (id: string, value: Record<string, unknown>): OutgoingRecord => ({
    topic,
    key: encodeAvro(keyType, { id }, keyId),
    value: encodeAvro(valueType, value, valueId),
  });
  return {
    topic,
    begin: (id, tsMs) =>
      record(id, { status: 'BEGIN', id, event_count: null, data_collections: null, ts_ms: tsMs }),
    end: (id, tsMs, counts) => {
      let total = 0n;
      const collections = [...counts].map(([name, count]) => {
        total += BigInt(count);
        return { data_collection: name, event_count: BigInt(count) };
      });
      return record(id, {
        status: 'END',
        id,
        event_count: total,
        data_collections: collections,
        ts_ms: tsMs,
      });
    },
  };
}
