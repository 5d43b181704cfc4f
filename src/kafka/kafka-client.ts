import './kafkajs-patches.ts';
import { readFileSync } from 'node:fs';
import {
  Kafka,
  logLevel,
  type KafkaConfig as KafkaJsConfig,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaConfig } from '../config/schema.ts';
import { tlsOptions } from '../core/tls.ts';
import { silenceKafkaJsNegativeTimeoutWarning } from './negative-timeout.ts';

silenceKafkaJsNegativeTimeoutWarning();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * How kafkajs retries inside one call (connecting, metadata, the admin
 * client, InitProducerId) before the error reaches the run loop, which then
 * retries with its own capped backoff (`retry.*`).
 */
export const CLIENT_RETRY = { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 } satisfies RetryOptions;

/**
 * The transactional producer's retry, which kafkajs applies to everything
 * around a produce call. Right after a commit the transaction coordinator is
 * still writing the commit markers, and the next transaction's
 * AddPartitionsToTxn gets CONCURRENT_TRANSACTIONS until they are written (a
 * few ms). kafkajs retries that like any other error, and with the client's
 * 300 ms first wait every such retry stalled the stream for 0.3-1 s. The Java
 * client retries this case after 20 ms (KAFKA-5477). More retries keep the
 * producer trying at least as long as with CLIENT_RETRY before it gives up, so
 * an outage reaches the run loop no sooner than before.
 */
export const TRANSACTIONAL_PRODUCER_RETRY = {
  retries: 9,
  initialRetryTime: 20,
  maxRetryTime: 5_000,
} satisfies RetryOptions;

/**
 * How long kafkajs keeps retrying before it gives up, at its nominal waits:
 * doubling from initialRetryTime, capped at maxRetryTime (each wait is drawn
 * within ±20% of that).
 */
export function retryWindowMs(
  retry: Required<Pick<RetryOptions, 'retries' | 'initialRetryTime' | 'maxRetryTime'>>,
): number {
  let total = 0;
  for (let attempt = 0; attempt < retry.retries; attempt++) {
    total += Math.min(retry.initialRetryTime * 2 ** attempt, retry.maxRetryTime);
  }
  return total;
}

function readSecret(value: string | undefined, file: string | undefined): string {
  return value ?? (file ? readFileSync(file, 'utf8').replace(/\r?\n$/, '') : '');
}

/** A kafkajs client from the `kafka` config group, logging through pino (kafkajs' own chatter at debug). */
export function createKafka(config: KafkaConfig, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafka' });
  const options: KafkaJsConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        // kafkajs reports every retry as an error and warns about settings we
        // chose on purpose (bounded retries: recovery is by fencing and resuming
        // from the committed offset); the run loop reports what matters.
        log[level <= logLevel.WARN ? 'debug' : (LEVELS[level] ?? 'debug')](rest, message);
      },
    retry: CLIENT_RETRY,
  };
  const ssl = tlsOptions(config.ssl);
  if (ssl) options.ssl = ssl;
  if (config.sasl) {
    options.sasl = {
      mechanism: config.sasl.mechanism,
      username: config.sasl.username,
      password: readSecret(config.sasl.password, config.sasl.passwordFile),
    } as SASLOptions;
  }
  return new Kafka(options);
}
