import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { ChangeStream } from './core/dialect.ts';
import type { SourceOffset } from './core/change-event.ts';
import { TributaryError } from './core/errors.ts';
import { runPipeline } from './core/pipeline.ts';
import { streams } from './core/snapshot-mode.ts';
import { withStreamFeatures } from './stream-features.ts';
import type { IncrementalState } from './core/incremental-snapshot.ts';
import { createEncoderFactory } from './avro/event-encoder.ts';
import { registryFromConfig } from './avro/registry.ts';
import { createTransactionEventEncoder } from './avro/transaction-events.ts';
import { createKafka } from './kafka/kafka-client.ts';
import { knownFailure } from './kafka/access.ts';
import { readCommittedOffset } from './kafka/offset-store.ts';
import { backoffDelay } from './core/backoff.ts';
import { readingTopicLimits, TopicLimits } from './kafka/record-limits.ts';
import { TopicManager } from './kafka/topics.ts';
import type { TransactionalSink } from './kafka/transactional-sink.ts';
import type { Metrics } from './observe/metrics.ts';
import { createDialect } from './dialects.ts';
import { VERSION } from './version.ts';
import { connectorSink } from './admin.ts';
import { recordHandling } from './record-handling.ts';

export interface RunState {
  live: boolean;
  streaming: boolean;
  /** When the last Kafka transaction committed (ms since the epoch). */
  lastCommitAt: number;
  /** While retrying: the failure being retried, in one line. */
  problem?: string | null;
  /** The incremental snapshot under way, if any. */
  incremental?: IncrementalState | null;
  /** The last committed offset (the status page). */
  offset?: SourceOffset | null;
  /** The latest failures, oldest first, for the status page. */
  errors?: RecentError[];
}

export interface RecentError {
  at: number;
  code: string;
  message: string;
  fix: string | null;
}

/** How many failures the status page remembers. */
const RECENT_ERRORS = 10;

function remember(state: RunState, failure: TributaryError | null, error: unknown): void {
  const entry: RecentError = {
    at: Date.now(),
    code: failure?.code ?? 'UNEXPECTED',
    message: failure?.message ?? String((error as Error)?.message ?? error),
    fix: failure?.fix ?? null,
  };
  state.errors = [...(state.errors ?? []).slice(1 - RECENT_ERRORS), entry];
}

export interface RunOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  signal: AbortSignal;
  state?: RunState;
}

const LAG_POLL_MS = 10_000;

/**
 * Runs the connector until `signal` aborts or a final error: snapshot if
 * needed, then stream. Crash-only recovery: on a retriable error everything is
 * dropped (the new producer fences the old one and aborts its open
 * transaction) and the loop resumes from the last committed offset.
 */
export async function runConnector(options: RunOptions): Promise<void> {
  const { config, logger, metrics, signal } = options;
  const state = options.state ?? { live: true, streaming: false, lastCommitAt: 0 };
  const dialect = createDialect(config, logger, metrics);
  let failures = 0;
  /** When the current run of failures began (null: the last attempt got to commit). */
  let failingSince: number | null = null;

  while (!signal.aborted) {
    const kafka = createKafka(config.kafka, logger);
    const admin = kafka.admin();
    let sink: TransactionalSink | null = null;
    let stream: ChangeStream | null = null;
    let lagTimer: NodeJS.Timeout | undefined;
    try {
      await admin.connect();
      const topics = new TopicManager({
        admin,
        settings: config.topics,
      });
      await topics.ensure([config.topics.offsets], {
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      });
      // Connect the producer first: its InitProducerId fences any zombie and
      // settles its open transaction, so the offset read next is final.
      sink = connectorSink(config, kafka);
      await sink.connect();
      const stored = await readCommittedOffset({
        kafka,
        topic: config.topics.offsets,
        connector: config.name,
      });
      logger.info(
        { offset: stored?.offset ?? null },
        stored ? 'resuming from the committed offset' : 'no committed offset: first start',
      );

      stream = withStreamFeatures(await dialect.open({ offset: stored?.offset ?? null, signal }), {
        config,
        offset: stored?.offset ?? null,
        logger,
        metrics,
        onIncrementalProgress: (progress) => (state.incremental = progress),
      });
      const openStream = stream;
      lagTimer = setInterval(() => {
        openStream
          .lagBytes?.()
          .then((bytes) => bytes !== null && metrics.lagBytes.set(bytes))
          .catch(() => {});
      }, LAG_POLL_MS);
      const registry = registryFromConfig(config.registry);
      const limits = new TopicLimits(admin);
      const encoders = createEncoderFactory({
        registry,
        topics: readingTopicLimits(topics, limits),
        topicSettings: config.topics,
        connector: dialect.connector,
        sourceFields: dialect.sourceFields,
        keyColumns: config.topics.keyColumns,
      });
      const transactionEvents = config.topics.transactionMetadata
        ? await createTransactionEventEncoder({ topic: config.topics.transactionTopic, registry, topics })
        : undefined;
      await runPipeline({
        name: config.name,
        version: VERSION,
        dialect,
        stream,
        ...recordHandling(config, { limits, encoders, sink, registry, topics, logger, metrics }),
        batch: config.batch,
        tombstones: config.topics.tombstones,
        ...(transactionEvents ? { transactionEvents } : {}),
        logger,
        signal,
        observer: {
          onEvents: (table, op, count) => metrics.events.inc({ table, op }, count),
          onCommit: (info) => {
            failures = 0;
            failingSince = null;
            state.problem = null;
            state.lastCommitAt = Date.now();
            state.offset = info.offset;
            const streaming = !('snapshot' in info.offset);
            state.streaming = streaming;
            metrics.streaming.set(streaming ? 1 : 0);
            metrics.kafkaTransactions.inc();
            metrics.sourceTransactions.inc(info.sourceTransactions);
            metrics.transactionEvents.observe(info.events);
            metrics.transactionBytes.observe(info.bytes);
            if (info.sourceCommitTimeMs > 0)
              metrics.lagSeconds.set((Date.now() - info.sourceCommitTimeMs) / 1000);
          },
        },
      });
      if (signal.aborted) break;
      if (!streams(config.source.snapshot.mode)) {
        logger.info('the snapshot is complete and source.snapshot.mode is initial_only: stopping');
        break;
      }
      throw new TributaryError('the source stream ended unexpectedly', {
        code: 'SOURCE_FAILED',
        retriable: true,
      });
    } catch (error) {
      state.streaming = false;
      metrics.streaming.set(0);
      const failure = knownFailure(error, config) ?? null;
      metrics.errors.inc({ code: failure?.code ?? 'UNEXPECTED' });
      if (!signal.aborted) remember(state, failure, error);
      if (signal.aborted) break;
      if (!failure?.retriable) throw failure ?? error;
      failures += 1;
      failingSince ??= Date.now();
      const failingForMs = Date.now() - failingSince;
      const { giveUpAfterMs } = config.retry;
      if (giveUpAfterMs > 0 && failingForMs >= giveUpAfterMs) {
        throw new TributaryError(
          `gave up after ${Math.round(failingForMs / 1000)} s of failures (retry.giveUpAfterMs): ${failure.message}`,
          {
            code: failure.code,
            fix: `${failure.fix ?? 'fix what the message names'}; retry.giveUpAfterMs sets how long Tributary retries (0: forever)`,
            cause: failure,
          },
        );
      }
      const backoff = backoffDelay(failures, config.retry);
      state.problem = failure.message;
      logger.warn({ code: failure.code, retryInMs: backoff, attempt: failures }, failure.message);
      await sleep(backoff, undefined, { signal }).catch(() => {});
    } finally {
      clearInterval(lagTimer);
      await stream?.close().catch(() => {});
      await sink?.close().catch(() => {});
      await admin.disconnect().catch(() => {});
    }
  }
}
