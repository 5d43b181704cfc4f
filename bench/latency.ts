/**
 * Commit-to-visible latency: how long after a source COMMIT returns its row
 * becomes visible to a read_committed Kafka consumer.
 *
 *   node bench/latency.ts        # both dialects at 50 and 200 transactions/s, 30 s each
 *
 * LATENCY_DIALECTS (postgres,mysql), LATENCY_RATES (50,200) and
 * LATENCY_SECONDS (30) narrow a run; LATENCY_CLI runs another checkout's
 * src/cli.ts (A/B comparisons).
 *
 * The sidecar runs as a child process (`tributary run`), as in production. A
 * writer commits single-row transactions at a fixed rate (Postgres with
 * `synchronous_commit = on`: the stack's default, off, delays logical
 * decoding by up to 200 ms) and notes when each COMMIT returns; a consumer in
 * this process notes when each row's key becomes visible. Every key must be
 * seen exactly once, or the run fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { CLI, configFile, freePort, untilReady } from '../test/harness/cli.ts';
import {
  exitOf,
  type ConfigOverrides,
  type ConnectorTestContext,
} from '../test/harness/connector-context.ts';
import { testKafka, waitForTopics } from '../test/harness/kafka-events.ts';
import { readAvroLong } from './lib/key-check.ts';
import type { LatencyFigures } from './lib/figures.ts';
import { MysqlTestContext } from '../test/harness/mysql-context.ts';
import { PgTestContext } from '../test/harness/pg-context.ts';

export interface LatencyOptions {
  dialect: 'postgres' | 'mysql';
  ratePerSecond: number;
  seconds: number;
  /** The sidecar's entry point (default: this checkout's src/cli.ts). */
  cli?: string;
  /** Config overrides for the sidecar. */
  config?: ConfigOverrides;
}

/** How long rows may take to show up once the writer is done before the run fails. */
const SETTLE_TIMEOUT_MS = 30_000;
const TABLE = 'latency_rows';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function measureLatency(options: LatencyOptions): Promise<LatencyFigures> {
  await using ctx: ConnectorTestContext =
    options.dialect === 'mysql' ? await MysqlTestContext.open() : await PgTestContext.open();
  await ctx.sql(`CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, note varchar(16) NOT NULL)`);

  const port = await freePort();
  const sidecar = startSidecar(options.cli ?? CLI, ctx, {
    log: { level: 'warn', format: 'json' },
    ...options.config,
    http: { port },
  });
  const exited = exitOf(sidecar).then((code) => {
    throw new Error(`the sidecar exited (${code}) during the run`);
  });
  exited.catch(() => {});
  const writer = await ctx.session();
  const seen = new Map<number, number>();
  const visibleAt = new Map<number, number>();
  let consumer: Consumer | null = null;
  try {
    await Promise.race([untilReady(port), exited]);
    if (options.dialect === 'postgres') await writer.sql('SET synchronous_commit = on');

    // A first row creates the topic; once it is visible the pipeline is warm.
    await writer.sql(`INSERT INTO ${TABLE} VALUES (0, 'warm-up')`);
    const topic = ctx.topic(TABLE);
    await Promise.race([waitForTopics(testKafka(), [topic]), exited]);
    consumer = testKafka().consumer({
      groupId: `latency-${randomUUID()}`,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.key || message.value === null) return;
        // A Confluent-framed key of one `long` field: the id follows the 5-byte header.
        const id = readAvroLong(message.key, 5);
        const count = (seen.get(id) ?? 0) + 1;
        seen.set(id, count);
        if (count === 1) visibleAt.set(id, performance.now());
      },
    });
    await Promise.race([until(() => seen.has(0), 60_000, 'the warm-up row'), exited]);

    const committedAt = new Map<number, number>();
    const total = Math.round(options.ratePerSecond * options.seconds);
    const interval = 1000 / options.ratePerSecond;
    const started = performance.now();
    for (let id = 1; id <= total; id++) {
      const due = started + (id - 1) * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await writer.sql(`INSERT INTO ${TABLE} VALUES ($1, 'row')`, [id]);
      committedAt.set(id, performance.now());
    }
    await Promise.race([
      until(() => visibleAt.size >= total + 1, SETTLE_TIMEOUT_MS, `all ${total} rows`),
      exited,
    ]);

    const duplicates = [...seen].filter(([, count]) => count > 1).length;
    if (duplicates > 0) throw new Error(`${duplicates} keys were seen more than once`);
    const latencies = [...committedAt].map(([id, at]) => visibleAt.get(id)! - at).sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1)!,
      samples: latencies.length,
    };
  } finally {
    await consumer?.disconnect().catch(() => {});
    await writer.end().catch(() => {});
    sidecar.kill('SIGTERM');
    await exitOf(sidecar);
  }
}

function startSidecar(cli: string, ctx: ConnectorTestContext, overrides: ConfigOverrides): ChildProcess {
  const file = configFile(ctx.configInput(overrides));
  return spawn(process.execPath, [cli, 'run', '--config', file], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function list(value: string | undefined, fallback: string[]): string[] {
  return value ? value.split(',').map((item) => item.trim()) : fallback;
}

async function main(): Promise<void> {
  const dialects = list(process.env.LATENCY_DIALECTS, ['postgres', 'mysql']) as LatencyOptions['dialect'][];
  const rates = list(process.env.LATENCY_RATES, ['50', '200']).map(Number);
  const seconds = Number(process.env.LATENCY_SECONDS ?? 30);
  const cli = process.env.LATENCY_CLI;
  const config: ConfigOverrides | undefined = process.env.LATENCY_LOG_LEVEL
    ? { log: { level: process.env.LATENCY_LOG_LEVEL as 'debug', format: 'json' } }
    : undefined;
  const ms = (value: number) => value.toFixed(1).padStart(7);
  for (const dialect of dialects) {
    for (const ratePerSecond of rates) {
      const figures = await measureLatency({
        dialect,
        ratePerSecond,
        seconds,
        ...(cli ? { cli } : {}),
        ...(config ? { config } : {}),
      });
      console.log(
        `${dialect.padEnd(8)} ${String(ratePerSecond).padStart(4)}/s  p50 ${ms(figures.p50)}  p95 ${ms(figures.p95)}  p99 ${ms(figures.p99)}  max ${ms(figures.max)} ms  (${figures.samples} samples)`,
      );
    }
  }
}

if (import.meta.main) await main();
