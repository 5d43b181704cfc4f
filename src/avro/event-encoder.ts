/**
 * The pipeline's EncoderFactory: for each table version, build its schemas,
 * register them, make sure its topic exists, and hand back framed encoders.
 */
import type { SourceField } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
import type { EncoderFactory, TableEncoder } from '../core/pipeline.ts';
import { tableKey, type TableSchema } from '../core/schema.ts';
import { topicFor, type TopicSettings } from '../kafka/topics.ts';
import { describeTableChange } from './schema-diff.ts';
import { buildTableSchemas, type Connector } from './schema-builder.ts';
import { compileTableCodec, type TableCodec } from './table-codec.ts';

export interface EncoderFactoryOptions {
  registry: { register(subject: string, schemaJson: string): Promise<number> };
  topics: { ensure(topics: Iterable<string>): Promise<void> };
  topicSettings: Pick<TopicSettings, 'template' | 'prefix'>;
  connector: Connector;
  sourceFields: readonly SourceField[];
  /** `schema.table` → key columns replacing the primary key. */
  keyColumns?: Readonly<Record<string, readonly string[]>>;
}

export function createEncoderFactory(options: EncoderFactoryOptions): EncoderFactory {
  // Compiled codecs by schema text: a table announced again unchanged is not recompiled.
  const codecs = new Map<string, TableCodec>();
  const lastSchema = new Map<string, TableSchema>();

  return {
    async forTable(table: TableSchema): Promise<TableEncoder> {
      const name = tableKey(table.id);
      const topic = topicFor(options.topicSettings, table.id);
      const schemas = buildTableSchemas(table, {
        topic,
        connector: options.connector,
        sourceFields: options.sourceFields,
        keyColumns: options.keyColumns?.[name],
      });
      const cacheKey = `${topic}\n${JSON.stringify(schemas.key)}\n${JSON.stringify(schemas.envelope)}`;
      let codec = codecs.get(cacheKey);
      if (!codec) {
        codec = compileTableCodec(schemas);
        codecs.set(cacheKey, codec);
      }
      const previous = lastSchema.get(name);
      lastSchema.set(name, table);

      let keyId: number | null;
      let valueId: number;
      try {
        [keyId, valueId] = await Promise.all([
          codec.keySchemaJson === null
            ? null
            : options.registry.register(`${topic}-key`, codec.keySchemaJson),
          options.registry.register(`${topic}-value`, codec.envelopeSchemaJson),
        ]);
      } catch (error) {
        if (error instanceof TributaryError && error.code === 'SCHEMA_REFUSED') {
          throw new TributaryError(
            `table ${name}: ${describeTableChange(previous, table)}: ${error.message}`,
            {
              code: error.code,
              retriable: error.retriable,
              ...(error.fix ? { fix: error.fix } : {}),
              cause: error,
            },
          );
        }
        throw error;
      }
      await options.topics.ensure([topic]);

      const compiled = codec;
      return {
        topic,
        encodeKey: (row) => (keyId === null ? null : compiled.encodeKeyFramed(keyId, row)),
        encodeValue: (envelope) => compiled.encodeValueFramed(valueId, envelope),
      };
    },
  };
}
