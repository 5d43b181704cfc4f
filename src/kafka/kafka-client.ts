import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type SASLOptions } from 'kafkajs';
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
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
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
