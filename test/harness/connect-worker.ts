/**
 * A Kafka Connect standalone worker of the test's own (its own REST port,
 * offsets file and logs under a temporary directory), running Debezium's
 * connectors and JDBC sink against the local stack. The jars come from Maven
 * Central through scripts/compat.sh.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stackEnv } from './stack.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMPAT_DIR = process.env.COMPAT_DIR ?? join(ROOT, '.compat');

export type ConnectorConfig = Record<string, string>;

/** Resolves the worker and plugin jars once (scripts/compat.sh prints its progress). */
export function ensureCompatJars(): void {
  execFileSync('bash', [join(ROOT, 'scripts/compat.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The registry's own (Apicurio v2) API, beside the Confluent API the stack's env names. */
export function apicurioApiUrl(): string {
  return stackEnv().registryUrl.replace(/\/apis\/ccompat\/v\d+\/?$/, '/apis/registry/v2');
}

/**
 * Apicurio 2.6's AvroConverter for keys and values, reading and writing
 * Confluent framing with the ids the stack's Confluent API hands out
 * (globalIds, see NOTES.md). Sources register their schemas; sinks only read.
 */
export function avroConverters(options: { register: boolean }): ConnectorConfig {
  const config: ConnectorConfig = {};
  for (const side of ['key', 'value']) {
    const prefix = `${side}.converter`;
    Object.assign(config, {
      [prefix]: 'io.apicurio.registry.utils.converter.AvroConverter',
      [`${prefix}.apicurio.registry.url`]: apicurioApiUrl(),
      [`${prefix}.apicurio.registry.as-confluent`]: 'true',
      [`${prefix}.apicurio.registry.headers.enabled`]: 'false',
      [`${prefix}.apicurio.registry.use-id`]: 'globalId',
      [`${prefix}.apicurio.registry.auto-register`]: String(options.register),
    });
  }
  return config;
}

/** Debezium's source connector settings for the server a stack URL names. */
export function debeziumServer(url: string): ConnectorConfig {
  const server = new URL(url);
  return {
    'database.hostname': server.hostname,
    'database.port': server.port,
    'database.user': server.username,
    'database.password': server.password,
  };
}

/**
 * Debezium's MariaDB connector on one database of the server a stack URL
 * names, with its schema history in a file of the worker's directory. No
 * global read lock (the shared server's other databases keep writing), and
 * DDL of those databases it cannot parse (their binlog is its too) is skipped.
 */
export function debeziumMariaDb(url: string, database: string, workDir: string): ConnectorConfig {
  return {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    ...debeziumServer(url),
    'database.ssl.mode': 'disable',
    'database.server.id': String(2_000_000 + Math.floor(Math.random() * 1_000_000)),
    'database.include.list': database,
    'snapshot.locking.mode': 'none',
    'include.schema.changes': 'false',
    'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
    'schema.history.internal.file.filename': `${workDir}/schema-history.dat`,
    'schema.history.internal.store.only.captured.tables.ddl': 'true',
    'schema.history.internal.skip.unparseable.ddl': 'true',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function properties(config: ConnectorConfig): string {
  return Object.entries(config)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`)
    .join('');
}

interface ConnectorStatus {
  connector: { state: string; trace?: string };
  tasks: Array<{ id: number; state: string; trace?: string }>;
}

export class ConnectWorker implements AsyncDisposable {
  /** Temporary directory of the worker: offsets, logs, connector files. */
  readonly dir: string;
  private readonly url: string;
  /** The connectors' names. */
  readonly connectors: string[];
  /** performance.now() at the spawn. */
  readonly startedAt: number;
  /** The end of the JVM's standard error (startup failures land there, before the log). */
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  private constructor(
    dir: string,
    port: number,
    child: ChildProcess,
    connectors: string[],
    startedAt: number,
  ) {
    this.dir = dir;
    this.url = `http://127.0.0.1:${port}`;
    this.child = child;
    this.connectors = connectors;
    this.startedAt = startedAt;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts a worker with the given connectors (name → config, given the
   * worker's directory for files such as a schema history) and waits until
   * every connector and task runs. One worker per test file: the JVM is the
   * expensive part (about 300 MB and 10-20 s of CPU to start).
   */
  static async start(
    connectorsOf: (workDir: string) => Record<string, ConnectorConfig>,
    timeoutMs = 360_000,
  ): Promise<ConnectWorker> {
    const worker = await ConnectWorker.launch(connectorsOf);
    try {
      for (const name of worker.connectors) await worker.waitRunning(name, timeoutMs);
    } catch (error) {
      await worker.stop();
      throw new Error(`${(error as Error).message}\n${worker.stderr}`, { cause: error });
    }
    return worker;
  }

  /**
   * Spawns a worker without waiting for its connectors (the benchmark samples
   * from the spawn on). `dir` reuses a stopped worker's directory, and with it
   * the connectors' offsets and schema history: a restart resumes where the
   * last run stopped. `jvmOptions` replace the small-footprint defaults of the
   * tests; `workerProperties` add to the worker's settings.
   */
  static async launch(
    connectorsOf: (workDir: string) => Record<string, ConnectorConfig>,
    options: { dir?: string; jvmOptions?: string[]; workerProperties?: ConnectorConfig } = {},
  ): Promise<ConnectWorker> {
    ensureCompatJars();
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tributary-connect-'));
    const connectors = connectorsOf(dir);
    const port = await freePort();
    writeFileSync(
      join(dir, 'worker.properties'),
      properties({
        'bootstrap.servers': stackEnv().kafkaBrokers.join(','),
        listeners: `http://127.0.0.1:${port}`,
        'offset.storage.file.filename': join(dir, 'offsets'),
        'offset.flush.interval.ms': '1000',
        'plugin.path': join(COMPAT_DIR, 'plugins'),
        // Each connector names its converters; these only satisfy the worker.
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        // Tributary writes in Kafka transactions: a sink must not see aborted ones.
        'consumer.isolation.level': 'read_committed',
        'consumer.auto.offset.reset': 'earliest',
        ...options.workerProperties,
      }),
    );
    writeFileSync(
      join(dir, 'log4j2.properties'),
      [
        'rootLogger.level=INFO',
        'rootLogger.appenderRef.file.ref=file',
        'appender.file.type=File',
        'appender.file.name=file',
        `appender.file.fileName=${join(dir, 'connect.log')}`,
        'appender.file.layout.type=PatternLayout',
        'appender.file.layout.pattern=[%d] %p %m (%c)%n',
        // Plugin scanning complains about Debezium's CloudEvents converter, which is unused.
        'logger.isolation.name=org.apache.kafka.connect.runtime.isolation',
        'logger.isolation.level=OFF',
        '',
      ].join('\n'),
    );
    const files = Object.entries(connectors).map(([name, config]) => {
      const file = join(dir, `${name}.properties`);
      writeFileSync(file, properties({ name, 'tasks.max': '1', ...config }));
      return file;
    });
    const jvmOptions = options.jvmOptions ?? [
      '-Xms64m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
    ];
    const startedAt = performance.now();
    const child = spawn(
      'java',
      [
        ...jvmOptions,
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
        '-cp',
        `${join(COMPAT_DIR, 'worker')}/*`,
        'org.apache.kafka.connect.cli.ConnectStandalone',
        join(dir, 'worker.properties'),
        ...files,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // A test process that exits without stopping the worker takes it along.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const worker = new ConnectWorker(dir, port, child, Object.keys(connectors), startedAt);
    child.stderr!.on(
      'data',
      (chunk: Buffer) => (worker.stderr = (worker.stderr + chunk.toString()).slice(-4000)),
    );
    return worker;
  }

  /** The JVM's process id (its memory and CPU are read from /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  /** Whether the JVM has exited. */
  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** The worker's log, for a failure message. */
  logTail(lines = 40): string {
    try {
      return readFileSync(join(this.dir, 'connect.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async status(name: string): Promise<ConnectorStatus | null> {
    const response = await fetch(`${this.url}/connectors/${encodeURIComponent(name)}/status`).catch(
      () => null,
    );
    if (!response?.ok) return null;
    return (await response.json()) as ConnectorStatus;
  }

  /** Fails at once, with Connect's own trace, if the connector or a task failed. */
  async assertHealthy(name: string): Promise<void> {
    const status = await this.status(name);
    const failed = [status?.connector, ...(status?.tasks ?? [])].find((s) => s?.state === 'FAILED');
    if (failed) throw new Error(`connector ${name} failed:\n${failed.trace ?? '(no trace)'}`);
  }

  /** Waits until the connector and all its tasks run; throws with the trace if one failed. */
  async waitRunning(name: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) {
        throw new Error(`the Connect worker exited (${this.child.exitCode}):\n${this.logTail()}`);
      }
      await this.assertHealthy(name);
      const status = await this.status(name);
      if (
        status?.connector.state === 'RUNNING' &&
        status.tasks.length > 0 &&
        status.tasks.every((t) => t.state === 'RUNNING')
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`connector ${name} not running after ${timeoutMs} ms:\n${this.logTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Stops the worker (SIGTERM, then SIGKILL after 30 s) and removes its directory unless `keepDir` (a restart reuses it). */
  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (!options.keepDir && !process.env.KEEP_CONNECT_DIR) rmSync(this.dir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
