import type { Admin, ITopicConfig } from 'kafkajs';
import type { TableId } from '../core/schema.ts';
import { TributaryError } from '../core/errors.ts';

export interface TopicSettings {
  /** e.g. `{prefix}.{schema}.{table}` */
  template: string;
  prefix: string;
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  cleanupPolicy: string;
}

/** Kafka topic names allow [a-zA-Z0-9._-]; anything else becomes `_`, as Debezium does. */
export function topicFor(settings: Pick<TopicSettings, 'template' | 'prefix'>, table: TableId): string {
  return settings.template
    .replaceAll('{prefix}', settings.prefix)
    .replaceAll('{schema}', table.schema)
    .replaceAll('{table}', table.table)
    .replace(/[^a-zA-Z0-9._-]/g, '_');
}

/** Creates topics on first use, once per process. */
export class TopicManager {
  private readonly known = new Set<string>();
  private readonly admin: Admin;
  private readonly settings: TopicSettings;

  constructor(options: { admin: Admin; settings: TopicSettings }) {
    this.admin = options.admin;
    this.settings = options.settings;
  }

  async ensure(
    topics: Iterable<string>,
    overrides: Partial<Pick<ITopicConfig, 'numPartitions' | 'configEntries'>> = {},
  ): Promise<void> {
    const missing = [...topics].filter((topic) => !this.known.has(topic));
    if (missing.length === 0) return;
    const existing = new Set(await this.admin.listTopics());
    const toCreate = missing.filter((topic) => !existing.has(topic));
    if (toCreate.length > 0) {
      try {
        await this.admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({
            topic,
            numPartitions: overrides.numPartitions ?? this.settings.partitions,
            replicationFactor: this.settings.replicationFactor,
            configEntries: overrides.configEntries ?? [
              { name: 'cleanup.policy', value: this.settings.cleanupPolicy },
            ],
          })),
        });
      } catch (error) {
        // Another instance may have created it in between: that is fine.
        const after = new Set(await this.admin.listTopics());
        if (!toCreate.every((topic) => after.has(topic))) {
          throw new TributaryError(
            `could not create Kafka topics ${toCreate.join(', ')}: ${(error as Error).message}`,
            {
              code: 'KAFKA_FAILED',
              retriable: true,
              fix: 'check that the Kafka user may create topics, or create them beforehand',
              cause: error,
            },
          );
        }
      }
    }
    for (const topic of missing) this.known.add(topic);
  }
}
