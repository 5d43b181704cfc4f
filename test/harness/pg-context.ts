import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { stringify } from 'yaml';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { runConnector } from '../../src/run.ts';
import { stackEnv, uniqueName } from './stack.ts';

const env = stackEnv();
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

type SourceInput = NonNullable<ConfigInput['source']>;

/** Config overrides; `source` keys merge into the test's source settings. */
export type ConfigOverrides = Omit<Partial<ConfigInput>, 'source'> & { source?: Partial<SourceInput> };

export interface RunningConnector {
  stop(): Promise<void>;
  /** Settles when the connector returns or fails. */
  done: Promise<void>;
}

/**
 * A fresh Postgres database and a connector name of its own, so tests run in
 * parallel without seeing each other's tables, slots, publications or topics.
 */
export class PgTestContext implements AsyncDisposable {
  readonly name: string;
  readonly url: string;
  readonly db: pg.Client;
  private readonly database: string;
  private readonly running = new Set<RunningConnector>();
  private readonly children = new Set<ChildProcess>();

  private constructor(name: string, database: string, url: string, db: pg.Client) {
    this.name = name;
    this.database = database;
    this.url = url;
    this.db = db;
  }

  static async open(): Promise<PgTestContext> {
    const name = uniqueName('t');
    const admin = new pg.Client({ connectionString: env.pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(env.pgUrl);
    url.pathname = `/${name}`;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    return new PgTestContext(name, name, url.toString(), db);
  }

  topic(table: string, schema = 'public'): string {
    return `${this.name}.${schema}.${table}`;
  }

  configInput(overrides: ConfigOverrides = {}): ConfigInput {
    const { source, ...rest } = overrides;
    return {
      name: this.name,
      source: {
        dialect: 'postgres',
        url: this.url,
        tables: { include: ['public.*'] },
        heartbeatIntervalMs: 1000,
        ...source,
      },
      kafka: { brokers: env.kafkaBrokers },
      registry: { url: env.registryUrl },
      topics: { prefix: this.name },
      http: { port: 0 },
      log: { level: (process.env.TEST_LOG_LEVEL as 'warn' | undefined) ?? 'warn', format: 'json' },
      ...rest,
    };
  }

  config(overrides: ConfigOverrides = {}): Config {
    return configSchema.parse(this.configInput(overrides));
  }

  /** Runs the connector in this process until stop(). */
  start(overrides: ConfigOverrides = {}): RunningConnector {
    const config = this.config(overrides);
    const controller = new AbortController();
    const logger = pino({ level: config.log.level }, pino.destination(2));
    const done = runConnector({ config, logger, metrics: new Metrics(), signal: controller.signal });
    const handle: RunningConnector = {
      done,
      stop: async () => {
        controller.abort();
        await done;
        this.running.delete(handle);
      },
    };
    this.running.add(handle);
    return handle;
  }

  /** Runs `tributary run` as a child process, for signal and crash tests. */
  spawn(overrides: ConfigOverrides = {}): ChildProcess {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify(this.configInput(overrides)));
    const child = spawn(process.execPath, [CLI, 'run', '--config', file], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const connector of [...this.running]) await connector.stop().catch(() => {});
    await this.db.end().catch(() => {});
    const admin = new pg.Client({ connectionString: env.pgUrl });
    await admin.connect();
    try {
      await admin.query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active',
        [this.database],
      );
      await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}

/** Waits for a child process to exit and returns its exit code (or signal name). */
export function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
