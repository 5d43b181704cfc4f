import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { EncoderFactory, PipelineOptions } from './core/pipeline.ts';
import { OutboxRouter } from './core/outbox.ts';
import { createOutboxCodecFactory, type OutboxCodecOptions } from './avro/outbox-codec.ts';
import { DeadLetterQueue, rememberRefusals, type DeadLetterQueueOptions } from './kafka/dead-letter-queue.ts';
import { SizeCheckedSink, type TopicLimits } from './kafka/record-limits.ts';
import type { TransactionalSink } from './kafka/transactional-sink.ts';
import type { Metrics } from './observe/metrics.ts';

/**
 * What the pipeline does with records beyond encoding them: refuse records
 * larger than their topic takes before they are sent, route outbox tables
 * (`outbox`), and dead-letter changes that cannot be written
 * (`errors.tolerance: all`).
 */
export function recordHandling(
  config: Config,
  parts: {
    /** Each topic's record limit, read when the encoders make their topics (readingTopicLimits). */
    limits: TopicLimits;
    encoders: EncoderFactory;
    sink: TransactionalSink;
    registry: OutboxCodecOptions['registry'];
    topics: OutboxCodecOptions['topics'] & DeadLetterQueueOptions['topics'];
    logger: Logger;
    metrics: Metrics;
  },
): Pick<PipelineOptions, 'encoders' | 'sink' | 'router' | 'deadLetters'> {
  const { limits, encoders, registry, topics, logger, metrics } = parts;
  const tolerant = config.errors.tolerance === 'all';
  // Chunks of records sent together stay within the smallest limit of their topics.
  parts.sink.topicLimit = (topic) => limits.knownLimit(topic);
  return {
    encoders: tolerant ? rememberRefusals(encoders) : encoders,
    sink: new SizeCheckedSink(parts.sink, limits),
    ...(config.outbox.length > 0
      ? {
          router: new OutboxRouter({
            tables: config.outbox,
            codecs: createOutboxCodecFactory({ registry, topics }),
            logger,
          }),
        }
      : {}),
    ...(tolerant
      ? {
          deadLetters: new DeadLetterQueue({
            topic: config.errors.deadLetterTopic,
            connector: config.name,
            topics,
            limits,
            logger,
            onDeadLetter: (table, code) => metrics.deadLetters.inc({ table, code }),
          }),
        }
      : {}),
  };
}
