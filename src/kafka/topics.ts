import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';
import type { TableId } from '../core/schema.ts';
import { Batcher } from '../core/batcher.ts';
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

/** What makes sure topics exist: TopicManager, or a wrapper of it. */
export interface TopicEnsurer {
  ensure(
    topics: Iterable<string>,
    overrides?: Partial<Pick<ITopicConfig, 'numPartitions' | 'configEntries'>>,
  ): Promise<void>;
}

/**
 * Creates topics on first use, once per process. Requests made together (the
 * tables of a snapshot) go to the broker together: one request creates a
 * batch of topics, and those asked for meanwhile form the next batch.
 */
export class TopicManager implements TopicEnsurer {
  private readonly known = new Set<string>();
  /** Topics asked for and not known yet: settles when they exist. */
  private readonly requested = new Map<string, Promise<void>>();
  private readonly creations = new Batcher<ITopicConfig, void>(async (topics) => {
    await this.create(topics);
    return [];
  });
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
    await Promise.all(
      missing.map((topic) =>
        this.request({
          topic,
          numPartitions: overrides.numPartitions ?? this.settings.partitions,
          replicationFactor: this.settings.replicationFactor,
          configEntries: overrides.configEntries ?? [
            { name: 'cleanup.policy', value: this.settings.cleanupPolicy },
          ],
        }),
      ),
    );
  }

  private request(config: ITopicConfig): Promise<void> {
    const { topic } = config;
    let created = this.requested.get(topic);
    if (!created) {
      created = this.creations.get(config);
      this.requested.set(topic, created);
      created.then(
        () => this.known.add(topic),
        () => this.requested.delete(topic), // asked for again, it is tried again
      );
    }
    return created;
  }

  /**
   * Asks for every topic: existing ones are answered TOPIC_ALREADY_EXISTS,
   * which kafkajs takes as success. Listing the cluster's topics first would
   * cost more, on a cluster with many.
   */
  private async create(topics: ITopicConfig[]): Promise<void> {
    try {
      // kafkajs' own wait gives up when the broker's metadata does not list a
      // new topic yet, which is common when many are created at once.
      await this.admin.createTopics({ waitForLeaders: false, topics });
    } catch (error) {
      // Not allowed to create them (an ACL), or another instance created some in between: fine if they exist.
      const after = new Set(await this.admin.listTopics().catch(() => []));
      const absent = topics.map((t) => t.topic).filter((topic) => !after.has(topic));
      if (absent.length > 0) throw creationError(absent, error);
    }
    await this.waitForLeaders(topics.map((t) => t.topic));
  }

  /** Waits until the broker's metadata lists every topic with a leader for each partition. */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    let problem: unknown = null;
    for (;;) {
      try {
        const { topics: found } = await this.admin.fetchTopicMetadata({ topics });
        const led = found.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        if (led.length === topics.length) return;
      } catch (error) {
        if (!NOT_YET_LED.has((error as { type?: string }).type ?? '')) throw error;
        problem = error;
      }
      if (Date.now() >= deadline) {
        throw creationError(topics, problem ?? new Error(`no leader after ${LEADER_WAIT_MS / 1000} s`));
      }
      await sleep(100);
    }
  }
}

/** How long new topics may take to have leaders. */
const LEADER_WAIT_MS = 30_000;
/** What the broker answers about a topic just created, until its metadata catches up. */
const NOT_YET_LED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

function creationError(topics: string[], error: unknown): TributaryError {
  const names =
    topics.length > 10
      ? `${topics.slice(0, 10).join(', ')} and ${topics.length - 10} more`
      : topics.join(', ');
  return new TributaryError(`could not create Kafka topics ${names}: ${(error as Error).message}`, {
    code: 'KAFKA_FAILED',
    retriable: true,
    fix: 'check that the Kafka user may create topics, or create them beforehand',
    cause: error,
  });
}
