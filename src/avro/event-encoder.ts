/**
 * The pipeline's EncoderFactory: for each table version, build its schemas,
 * register them, make sure its topic exists, and hand back framed encoders.
 */
import type { SourceField } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
import type { EncoderFactory, TableEncoder } from '../core/pipeline.ts';
import { tableKey, type TableSchema } from '../core/schema.ts';
import { topicFor, type TopicEnsurer, type TopicSettings } from '../kafka/topics.ts';
import { describeAvroChange, describeTableChange } from './schema-diff.ts';
import { buildTableSchemas, type Connector } from './schema-builder.ts';
import { compileTableCodec, type TableCodec } from './table-codec.ts';

export interface EncoderFactoryOptions {
  registry: {
    register(subject: string, schemaJson: string): Promise<number>;
    /** The latest schema registered under a subject: what a refused schema is compared with when this process saw no earlier version. */
    latestSchema?(subject: string): Promise<string | null>;
  };
  topics: TopicEnsurer;
  topicSettings: Pick<TopicSettings, 'template' | 'prefix' | 'cleanupPolicy'>;
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

      /** The change from the subject's latest registered version, best effort (null when unknown). */
      const registeredChange = async (subject: string, schemaJson: string): Promise<string | null> => {
        try {
          const latest = (await options.registry.latestSchema?.(subject)) ?? null;
          return latest === null ? null : describeAvroChange(JSON.parse(latest), JSON.parse(schemaJson));
        } catch {
          return null;
        }
      };
      /** A refusal in words: the table, what changed in it, and the registry's reason and rule. */
      const refused = async (error: unknown, subject: string, schemaJson: string): Promise<unknown> => {
        if (!(error instanceof TributaryError && error.code === 'SCHEMA_REFUSED')) return error;
        let change = previous ? describeTableChange(previous, table) : null;
        if (change === null) {
          const since = await registeredChange(subject, schemaJson);
          if (since !== null) change = `${since} (since the latest version registered for ${subject})`;
        }
        return new TributaryError(
          `table ${name}: ${change ?? describeTableChange(undefined, table)}: ${error.message}`,
          {
            code: error.code,
            retriable: error.retriable,
            ...(error.fix ? { fix: error.fix } : {}),
            cause: error,
          },
        );
      };
      const register = (subject: string, schemaJson: string): Promise<number> =>
        options.registry.register(subject, schemaJson).catch(async (error: unknown) => {
          throw await refused(error, subject, schemaJson);
        });

      // Compacted topics refuse records without a key: a key-less table's topic only expires.
      const keyless = codec.keySchemaJson === null;
      // The topic is made while the schemas register: both must be done before the first record.
      const topicMade = options.topics.ensure(
        [topic],
        keyless ? { configEntries: [{ name: 'cleanup.policy', value: 'delete' }] } : {},
      );
      topicMade.catch(() => {}); // a registration failure is reported first
      const [keyId, valueId] = await Promise.all([
        codec.keySchemaJson === null ? null : register(`${topic}-key`, codec.keySchemaJson),
        register(`${topic}-value`, codec.envelopeSchemaJson),
      ]);
      // Only a registered version is what later changes are described against.
      lastSchema.set(name, table);
      await topicMade;

      const compiled = codec;
      return {
        topic,
        nullKeys: keyless || !options.topicSettings.cleanupPolicy.includes('compact'),
        encodeKey: (row) => (keyId === null ? null : compiled.encodeKeyFramed(keyId, row)),
        encodeValue: (envelope) => compiled.encodeValueFramed(valueId, envelope),
      };
    },
  };
}
