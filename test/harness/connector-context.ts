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
import kafkajs from 'kafkajs';
import { requiredAcls, type AclResource, type RequiredAcl } from '../../src/kafka/access.ts';
import { testKafka } from './kafka-events.ts';
import { stackEnv, stackTls, type StackEnv } from './stack.ts';

// kafkajs is CommonJS: its enums are properties of the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const ACL_RESOURCE_TYPES: Record<AclResource, kafkajs.AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  'transactional-id': AclResourceTypes.TRANSACTIONAL_ID,
  cluster: AclResourceTypes.CLUSTER,
};

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
  /** The stack the connector's Kafka and registry are on. */
  readonly env: StackEnv;
  private readonly running = new Set<RunningConnector>();
  private readonly children = new Set<ChildProcess>();

  protected constructor(name: string, url: string, env: StackEnv) {
    this.name = name;
    this.url = url;
    this.env = env;
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
    const env = this.env;
    const tls = stackTls(env);
    return {
      name: this.name,
      source: {
        dialect: this.dialect,
        url: this.url,
        tables: { include: [`${this.schema}.*`] },
        heartbeatIntervalMs: 1000,
        ...(tls ? { ssl: tls } : {}),
        ...this.sourceDefaults(),
        ...source,
      },
      kafka: {
        brokers: env.kafkaBrokers,
        ...(env.secure
          ? { ssl: tls, sasl: { mechanism: 'scram-sha-512' as const, ...env.secure.kafkaUser } }
          : {}),
      },
      registry: {
        url: env.registryUrl,
        ...(env.secure ? { username: 'tributary', password: env.secure.registryPassword, ssl: tls } : {}),
      },
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
   * On the secured stack: grants the connector's Kafka user exactly the ACLs
   * the connector needs (src/kafka/access.ts), but those on `except`.
   */
  async grantKafkaAcls(options: { except?: AclResource; overrides?: ConfigOverrides } = {}): Promise<void> {
    const acls = requiredAcls(this.config(options.overrides)).filter(
      (acl) => acl.resource !== options.except,
    );
    await grantKafkaAcls(acls, this.env);
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

/** On the secured stack: grants the connector's Kafka user `acls` (kafka.sasl.username). */
export async function grantKafkaAcls(acls: RequiredAcl[], env: StackEnv = stackEnv()): Promise<void> {
  if (!env.secure) return;
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: acls.flatMap((acl) =>
        acl.operations.map((operation) => ({
          resourceType: ACL_RESOURCE_TYPES[acl.resource],
          resourceName: acl.resource === 'cluster' ? 'kafka-cluster' : acl.name,
          resourcePatternType:
            acl.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
          principal: `User:${env.secure!.kafkaUser.username}`,
          host: '*',
          operation:
            AclOperationTypes[
              operation.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as keyof typeof AclOperationTypes
            ],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Waits for a child process to exit and returns its exit code (or signal name). */
export function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
