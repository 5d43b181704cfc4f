import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import { snapshotProgressOf } from './core/snapshot.ts';
import { incrementalStateOf } from './core/incremental-snapshot.ts';
import { createDialect } from './dialects.ts';
import { transactionalIdOf } from './kafka/access.ts';
import type { Dialect } from './core/dialect.ts';
import { createKafka } from './kafka/kafka-client.ts';
import { readCommittedOffset } from './kafka/offset-store.ts';
import { TransactionalSink } from './kafka/transactional-sink.ts';

/**
 * The connector's transactional producer: a stable transactional.id per
 * connector name, so a second instance (or `reset`) fences the first.
 */
export function connectorSink(config: Config, kafka: Kafka): TransactionalSink {
  return new TransactionalSink({
    kafka,
    transactionalId: transactionalIdOf(config.name),
    offsetsTopic: config.topics.offsets,
    offsetKey: config.name,
    transactionTimeoutMs: config.kafka.transactionTimeoutMs,
  });
}

/** `tributary status`: the committed position, snapshot progress and how far the source is ahead. */
export async function connectorStatus(
  config: Config,
  logger: Logger,
  // `status --watch` keeps one of each across refreshes.
  clients: { kafka: Kafka; dialect: Dialect } = {
    kafka: createKafka(config.kafka, logger),
    dialect: createDialect(config, logger),
  },
): Promise<Record<string, unknown>> {
  const { kafka } = clients;
  const stored = await readCommittedOffset({
    kafka,
    topic: config.topics.offsets,
    connector: config.name,
  }).catch((error: unknown) => {
    // No offsets topic yet: the connector never ran.
    if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return null;
    throw error;
  });
  const progress = snapshotProgressOf(stored?.offset ?? null);
  const source = await clients.dialect.describe(stored?.offset ?? null);
  return {
    connector: config.name,
    dialect: config.source.dialect,
    state: !stored
      ? 'never committed (the next run snapshots first)'
      : progress
        ? 'snapshot in progress'
        : 'streaming',
    committedAt: stored ? new Date(stored.committedAt).toISOString() : null,
    offset: stored?.offset ?? null,
    snapshot: progress ? { tablesCompleted: progress.completed.length, table: progress.table ?? null } : null,
    incremental: incrementalStateOf(stored?.offset ?? null),
    source,
  };
}

/**
 * `tributary reset`: deletes the committed offset so the next run takes a new
 * snapshot. Its producer fences a running instance of the same connector,
 * which then stops.
 */
export async function resetConnector(config: Config, logger: Logger): Promise<void> {
  const sink = connectorSink(config, createKafka(config.kafka, logger));
  await sink.connect();
  try {
    await sink.clearOffset();
  } finally {
    await sink.close();
  }
}
