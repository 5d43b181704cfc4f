import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { stringify } from 'yaml';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import { runConnector } from '../../src/run.ts';
import { stackEnv } from './stack.ts';

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

/** Rows of a query; SQL uses `$1, $2` placeholders whatever the dialect. */
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/**
 * A database of its own and a connector name of its own, so tests run in
 * parallel without seeing each other's tables, positions or topics. Dialect
 * contexts fill in the database; this runs the connector against it.
 */
export abstract class ConnectorTestContext implements AsyncDisposable {
  abstract readonly dialect: 'postgres' | 'mysql';
  readonly name: string;
  readonly url: string;
  private readonly running = new Set<RunningConnector>();
  private readonly children = new Set<ChildProcess>();

  protected constructor(name: string, url: string) {
    this.name = name;
    this.url = url;
  }

  /** The schema (Postgres) or database (MySQL) the test's tables live in. */
  abstract get schema(): string;
  /** Runs SQL on the test database. */
  abstract readonly sql: Sql;
  /** A second session, for concurrent writers. */
  abstract session(): Promise<{ sql: Sql; end(): Promise<void> }>;
  /** Inserts rows first..first+count-1 in one statement: `values` is a SQL expression list over the integer `g`. */
  abstract insertSeries(table: string, count: number, values: string, first?: number): Promise<void>;
  protected abstract dropDatabase(): Promise<void>;
  /** Dialect-specific source settings every connector of this context gets. */
  protected sourceDefaults(): Partial<SourceInput> {
    return {};
  }

  topic(table: string): string {
    return `${this.name}.${this.schema}.${table}`;
  }

  configInput(overrides: ConfigOverrides = {}): ConfigInput {
    const { source, ...rest } = overrides;
    return {
      name: this.name,
      source: {
        dialect: this.dialect,
        url: this.url,
        tables: { include: [`${this.schema}.*`] },
        heartbeatIntervalMs: 1000,
        ...this.sourceDefaults(),
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

  /**
   * Runs the connector in this process until stop(). `logger` replaces the
   * stderr logger (to read its warnings); `metrics`, to read its counters.
   */
  start(
    overrides: ConfigOverrides = {},
    options: { logger?: Logger; metrics?: Metrics } = {},
  ): RunningConnector {
    const config = this.config(overrides);
    const controller = new AbortController();
    const logger = options.logger ?? pino({ level: config.log.level }, pino.destination(2));
    const done = runConnector({
      config,
      logger,
      metrics: options.metrics ?? new Metrics(),
      signal: controller.signal,
    });
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
    await this.dropDatabase();
  }
}

/** Waits for a child process to exit and returns its exit code (or signal name). */
export function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
