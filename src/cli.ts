import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { CONFIG_FILE_ENV, loadConfig, redactConfig, type Config } from './config/load.ts';
import { TributaryError } from './core/errors.ts';
import { checkConnections } from './check.ts';
import { knownFailure } from './kafka/access.ts';
import { createDialect } from './dialects.ts';
import { createKafka } from './kafka/kafka-client.ts';
import { connectorStatus, resetConnector } from './admin.ts';
import { createLogger } from './observe/logger.ts';
import { Metrics } from './observe/metrics.ts';
import { startHttpServer } from './observe/http.ts';
import { runConnector, type RunState } from './run.ts';
import { tailTopic } from './tail.ts';
import { formatStatus, type StatusReport } from './status-format.ts';
import { requestSnapshot, snapshotRoute, statusRoutes } from './control.ts';
import { StatusBoard } from './observe/status-page.ts';
import { VERSION } from './version.ts';

const USAGE = `tributary ${VERSION}: change data capture from PostgreSQL and MySQL/MariaDB into Kafka

Usage:
  tributary run    [--config FILE]   snapshot if needed, then stream changes into Kafka
  tributary check  [--config FILE]   validate the config and the database prerequisites
  tributary status [--config FILE] [--json] [--watch]
                                     committed position, snapshot progress, lag behind the source
                                     (JSON with --json or when piped; --watch follows it)
  tributary reset  [--config FILE]   forget the committed position: the next run snapshots again
                                     (stops a running instance of the same connector)
  tributary snapshot [--config FILE] TABLE... [--where SQL]
                                     read tables again while streaming continues (incremental
                                     snapshot, asked of the running instance over HTTP)
  tributary tail   [--config FILE] TOPIC [--from-beginning]
                                     decode and print the events of a topic
  tributary version

Without --config, the file named by ${CONFIG_FILE_ENV} is read, if set; every key
can be set or overridden by TRIBUTARY_<KEY_PATH> environment variables.`;

/** How long a stopped process may take to release its last handles before it exits anyway. */
const EXIT_DRAIN_MS = 2_000;

/** Seconds SIGTERM gives the open Kafka transaction to finish before the process exits. */
const SHUTDOWN_GRACE_MS = 20_000;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      'from-beginning': { type: 'boolean' },
      where: { type: 'string' },
      json: { type: 'boolean' },
      watch: { type: 'boolean', short: 'w' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'version') {
    console.log(VERSION);
    return 0;
  }
  const config = loadConfig({ file: values.config ?? process.env[CONFIG_FILE_ENV], env: process.env });
  const logger = createLogger(config.log);
  try {
    return await runCommand(command, rest, values, config, logger);
  } catch (error) {
    // Kafka logins, TLS and ACLs fail the same way in every command.
    throw knownFailure(error, config) ?? error;
  }
}

async function runCommand(
  command: string,
  rest: string[],
  values: { 'from-beginning'?: boolean; where?: string; json?: boolean; watch?: boolean },
  config: Config,
  logger: Logger,
): Promise<number> {
  switch (command) {
    case 'run':
      return run(config, logger);
    case 'check':
      return check(config, logger);
    case 'status':
      return status(config, logger, { json: values.json ?? false, watch: values.watch ?? false });
    case 'snapshot': {
      if (rest.length === 0)
        throw new TributaryError('snapshot needs at least one table', {
          code: 'CONFIG_INVALID',
          fix: 'tributary snapshot public.orders [public.items ...] [--where "id > 100"]',
        });
      const id = await requestSnapshot(config, rest, values.where ?? null);
      console.log(`incremental snapshot requested (signal ${id}): ${rest.join(', ')}`);
      return 0;
    }
    case 'reset':
      await resetConnector(config, logger);
      console.log(`reset ${config.name}: the next run takes a new snapshot`);
      return 0;
    case 'tail': {
      const topic = rest[0];
      if (!topic)
        throw new TributaryError('tail needs a topic name', {
          code: 'CONFIG_INVALID',
          fix: 'tributary tail <topic>',
        });
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      await tailTopic({
        config,
        topic,
        fromBeginning: values['from-beginning'] ?? false,
        signal: controller.signal,
        logger,
      });
      return 0;
    }
    default:
      console.error(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

async function run(config: Config, logger: Logger): Promise<number> {
  logger.info({ version: VERSION, config: redactConfig(config) }, 'starting tributary');
  const metrics = new Metrics();
  const state: RunState = { live: true, streaming: false, lastCommitAt: 0 };
  const board = new StatusBoard(config, metrics, state).start();
  const server =
    config.http.port === 0
      ? null
      : await startHttpServer({
          host: config.http.host,
          port: config.http.port,
          metrics,
          routes: {
            'POST /snapshots': snapshotRoute(config, createDialect(config, logger)),
            ...statusRoutes(board),
          },
          health: {
            live: () => state.live,
            ready: () => state.streaming,
            notReadyReason: () => state.problem ?? 'taking the snapshot or connecting',
          },
        });
  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) return;
    logger.info({ signal }, 'shutting down: finishing the open transaction');
    controller.abort();
    // Bounded shutdown: a stuck broker must not keep the process alive.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting (the open Kafka transaction is aborted by the broker)');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  try {
    await runConnector({ config, logger, metrics, signal: controller.signal, state });
    logger.info('stopped cleanly');
    // Everything is committed and closed. A handle a library left open (a
    // reconnect timer of a client to a lost broker) must not turn a clean
    // stop into a timed-out one: exit anyway once the loop had time to drain.
    setTimeout(() => {
      logger.warn('handles left open after a clean stop; exiting');
      logger.flush();
      process.exit(0);
    }, EXIT_DRAIN_MS).unref();
    return 0;
  } finally {
    state.live = false;
    board.stop();
    server?.close();
    logger.flush();
  }
}

/** Seconds between two `status --watch` refreshes. */
const WATCH_INTERVAL_MS = 1_000;

async function status(
  config: Config,
  logger: Logger,
  options: { json: boolean; watch: boolean },
): Promise<number> {
  const json = options.json || !process.stdout.isTTY;
  const clients = { kafka: createKafka(config.kafka, logger), dialect: createDialect(config, logger) };
  const print = async () => {
    const report = await connectorStatus(config, logger, clients);
    if (json) {
      const text = JSON.stringify(
        report,
        (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
        options.watch ? 0 : 2,
      );
      process.stdout.write(`${text}\n`);
    } else {
      // On a terminal, --watch redraws in place.
      if (options.watch) process.stdout.write('\x1b[H\x1b[2J');
      process.stdout.write(`${formatStatus(report as unknown as StatusReport)}\n`);
    }
  };
  if (!options.watch) {
    await print();
    return 0;
  }
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  process.once('SIGTERM', () => (stopped = true));
  while (!stopped) {
    await print();
    await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
  }
  return 0;
}

async function check(config: Config, logger: Logger): Promise<number> {
  const checks = await checkConnections(config, logger);
  for (const { connection, problems } of checks) {
    if (problems.length === 0) console.log(`ok: ${connection}`);
    for (const problem of problems) {
      console.log(
        `✗ ${connection}: ${problem.subject === connection ? '' : `${problem.subject}: `}${problem.message}`,
      );
      if (problem.fix) console.log(`  fix: ${problem.fix}`);
    }
  }
  if (checks.every((check) => check.problems.length === 0)) {
    console.log(`ok: ${config.source.dialect} source, Kafka and the registry are ready for tributary`);
    return 0;
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TributaryError) {
      // A user-caused failure: one clear message, no stack trace.
      console.error(`tributary: ${error.describe()}`);
      process.exitCode = error.code === 'CONFIG_INVALID' ? 2 : 1;
      return;
    }
    console.error('tributary: unexpected failure (please report it):', error);
    process.exitCode = 70;
  },
);
