import type { Logger } from 'pino';
import { registryFromConfig } from './avro/registry.ts';
import type { Config } from './config/schema.ts';
import type { CheckProblem } from './core/dialect.ts';
import { createDialect } from './dialects.ts';
import { knownFailure } from './kafka/access.ts';
import { createKafka } from './kafka/kafka-client.ts';

export interface ConnectionCheck {
  /** source, kafka or registry. */
  connection: string;
  problems: CheckProblem[];
}

/**
 * `tributary check`: every connection the connector opens, each reached with
 * its own credentials and TLS settings, then the source's prerequisites. A
 * connection that fails is one problem naming it (host, port, user) and the fix.
 */
export async function checkConnections(config: Config, logger: Logger): Promise<ConnectionCheck[]> {
  return Promise.all([
    checked('source', () => createDialect(config, logger).check(), config),
    checked('kafka', () => checkKafka(config, logger), config),
    checked('registry', () => checkRegistry(config), config),
  ]);
}

async function checked(
  connection: string,
  run: () => Promise<CheckProblem[]>,
  config: Config,
): Promise<ConnectionCheck> {
  try {
    return { connection, problems: await run() };
  } catch (error) {
    const failure = knownFailure(error, config);
    if (!failure) throw error;
    return {
      connection,
      problems: [{ subject: connection, message: failure.message, fix: failure.fix ?? '' }],
    };
  }
}

/** Logs in, then reads the metadata of the offsets topic, which needs Describe on it. */
async function checkKafka(config: Config, logger: Logger): Promise<CheckProblem[]> {
  const admin = createKafka(config.kafka, logger).admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (topics.includes(config.topics.offsets)) {
      await admin.fetchTopicMetadata({ topics: [config.topics.offsets] });
    }
    return [];
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function checkRegistry(config: Config): Promise<CheckProblem[]> {
  await registryFromConfig(config.registry).ping();
  return [];
}
