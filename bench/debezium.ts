/**
 * Debezium as the benchmark's baseline (`npm run bench -- --with-debezium`):
 * its own connector on Kafka Connect standalone, with Avro through Apicurio's
 * converter, the jars scripts/compat.sh resolves for the compatibility tests.
 *
 * One run per dialect on a narrow table of its own: the snapshot of its rows,
 * then, with the worker stopped, a backlog committed and drained by a second
 * start that resumes from the first one's offsets. Each phase is timed from
 * the JVM's spawn, so its startup (JVM, plugin scan, connector start) is
 * counted separately from its rate, as it is for Tributary. Every key must be
 * in the topic exactly once, or the run counts as failed.
 *
 * Tuned as a competent user would: Connect's own launcher heap and GC,
 * bigger Debezium batches and queue, a producer that batches (Connect's
 * default linger is 0). The knobs go into the report.
 */
import { performance } from 'node:perf_hooks';
import type { ConnectorTestContext } from '../test/harness/connector-context.ts';
import {
  avroConverters,
  ConnectWorker,
  debeziumMariaDb,
  debeziumServer,
  type ConnectorConfig,
} from '../test/harness/connect-worker.ts';
import { stackEnv } from '../test/harness/stack.ts';
import { MIB, type Dialect, type PhaseFigures } from './lib/figures.ts';
import { checkKeys } from './lib/key-check.ts';
import type { EndOffsets } from './lib/offsets.ts';
import { processUsage } from './lib/proc-stats.ts';
import { progress } from './lib/progress.ts';
import { sleep } from './lib/sidecar.ts';

export interface DebeziumOptions {
  dialect: Dialect;
  /** Unqualified table name. */
  table: string;
  /** The harness context the table lives in: its URL, connector name and SQL sessions. */
  context: ConnectorTestContext;
  offsets: EndOffsets;
  snapshotRows: number;
  /** Commits the backlog while Debezium is stopped; returns its event count. */
  makeBacklog: () => Promise<number>;
}

export interface DebeziumResult {
  snapshot: PhaseFigures;
  drain: PhaseFigures;
  knobs: Record<string, string>;
}

/** What Kafka's connect-standalone.sh gives the JVM (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS). */
const JVM_OPTIONS = [
  '-Xms256m',
  '-Xmx2g',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
];

/** Debezium's own throughput settings (defaults 2048, 8192 and 500 ms). */
const CONNECTOR_TUNING: ConnectorConfig = {
  'max.batch.size': '8192',
  'max.queue.size': '32768',
  'poll.interval.ms': '100',
};

/** The worker's producer: Connect's defaults send every record at once (linger 0) in 16 KiB batches. */
const WORKER_TUNING: ConnectorConfig = {
  'producer.linger.ms': '10',
  'producer.batch.size': '262144',
  'offset.flush.interval.ms': '1000',
};

/** A phase that sees no new record for this long has stalled. */
const STALL_MS = 300_000;
/** Time for the worker to flush its offsets (every second) before it is stopped between phases. */
const OFFSET_FLUSH_WAIT_MS = 3_000;

function connectorConfig(options: DebeziumOptions, prefix: string, workDir: string): ConnectorConfig {
  const { context: ctx, table } = options;
  const env = stackEnv();
  const common = {
    'topic.prefix': prefix,
    // The stack's broker creates no topics by itself; Connect creates them, as Tributary does.
    'topic.creation.default.replication.factor': '-1',
    'topic.creation.default.partitions': '1',
    ...avroConverters({ register: true }),
    ...CONNECTOR_TUNING,
  };
  if (options.dialect === 'postgres') {
    return {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'plugin.name': 'pgoutput',
      ...debeziumServer(env.pgUrl),
      'database.dbname': ctx.name,
      'slot.name': prefix,
      'publication.name': prefix,
      'publication.autocreate.mode': 'filtered',
      'table.include.list': `${ctx.schema}.${table}`,
      ...common,
    };
  }
  return {
    ...debeziumMariaDb(env.mysqlUrl, ctx.name, workDir),
    'table.include.list': `${ctx.name}.${table}`,
    ...common,
  };
}

interface PhaseReading {
  seconds: number;
  startupSeconds: number;
  cpuSeconds: number;
  peakRssKiB: number;
}

/**
 * Samples the topic's end from the worker's spawn until it reaches `target`
 * (Debezium writes no transaction markers: one offset per record).
 */
async function samplePhase(
  worker: ConnectWorker,
  offsets: EndOffsets,
  topic: string,
  from: number,
  target: number,
  label: string,
): Promise<PhaseReading> {
  let first: number | null = null;
  let lastEnd = -1;
  let lastGrowth = performance.now();
  let lastHealthCheck = 0;
  for (;;) {
    if (worker.exitCode !== null) {
      throw new Error(`the Connect worker exited (${worker.exitCode}):\n${worker.logTail(20)}`);
    }
    const now = performance.now();
    if (now - lastHealthCheck > 2_000) {
      lastHealthCheck = now;
      for (const name of worker.connectors) await worker.assertHealthy(name);
    }
    const end = await offsets.end(topic);
    const t = (performance.now() - worker.startedAt) / 1000;
    if (end > from && first === null) first = t;
    if (end !== lastEnd) {
      lastEnd = end;
      lastGrowth = performance.now();
    }
    progress(label, `${Math.max(0, end - from)} / ${target - from} records`);
    if (end >= target) {
      const usage = processUsage(worker.pid);
      return {
        seconds: t,
        startupSeconds: first ?? t,
        cpuSeconds: usage?.cpuSeconds ?? NaN,
        peakRssKiB: usage?.peakRssKiB ?? 0,
      };
    }
    if (performance.now() - lastGrowth > STALL_MS) {
      throw new Error(`stalled at ${end} of ${target} records:\n${worker.logTail(20)}`);
    }
    await sleep(100);
  }
}

function figures(reading: PhaseReading, events: number, keysChecked: boolean): PhaseFigures {
  return {
    events,
    seconds: reading.seconds,
    startupSeconds: reading.startupSeconds,
    rate: events / reading.seconds,
    peakRssMiB: (reading.peakRssKiB * 1024) / MIB,
    cpuSecondsPer1k: reading.cpuSeconds / (events / 1000),
    keysChecked,
  };
}

export async function runDebezium(options: DebeziumOptions): Promise<DebeziumResult> {
  const { context: ctx, offsets, table, snapshotRows } = options;
  // A valid slot, publication and topic prefix; the harness drops topics naming the context.
  const prefix = `${ctx.name}_dbz`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const topic = `${prefix}.${ctx.schema}.${table}`;
  const label = `${options.dialect} debezium`;
  let workDir: string | undefined;
  const launch = () =>
    ConnectWorker.launch(
      (dir) => {
        workDir = dir;
        return { [prefix]: connectorConfig(options, prefix, dir) };
      },
      { jvmOptions: JVM_OPTIONS, workerProperties: WORKER_TUNING, ...(workDir ? { dir: workDir } : {}) },
    );

  let worker = await launch();
  let snapshot: PhaseReading;
  try {
    snapshot = await samplePhase(worker, offsets, topic, 0, snapshotRows, `${label} snapshot`);
    // Its offsets must say the snapshot is done, or the restart takes it again.
    await sleep(OFFSET_FLUSH_WAIT_MS);
  } finally {
    await worker.stop({ keepDir: true });
  }

  const backlog = await options.makeBacklog();
  worker = await launch();
  let drain: PhaseReading;
  try {
    drain = await samplePhase(worker, offsets, topic, snapshotRows, snapshotRows + backlog, `${label} drain`);
  } finally {
    await worker.stop();
  }

  const keys = await checkKeys([{ topic, firstId: 1, lastId: snapshotRows + backlog }], offsets, { label });
  if (!keys.ok) process.stderr.write(`  ${label}: ${keys.problems.slice(0, 5).join('; ')}\n`);
  return {
    snapshot: figures(snapshot, snapshotRows, keys.ok),
    drain: figures(drain, backlog, keys.ok),
    knobs: {
      version: options.dialect === 'postgres' ? 'postgres 3.6.1.Final' : 'mariadb 3.5.0.Final',
      jvm: JVM_OPTIONS.join(' '),
      ...CONNECTOR_TUNING,
      ...WORKER_TUNING,
    },
  };
}
