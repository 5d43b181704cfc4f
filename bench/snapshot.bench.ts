/**
 * Snapshot measurements against the local stack: `tributary run` as a child
 * process, timed from its start to /readyz answering ready (the snapshot read
 * and streaming begun), with its peak RSS (VmHWM).
 *
 *   BENCH_SCENARIO=tables BENCH_TABLES=1000 BENCH_DIALECT=postgres|mysql node bench/snapshot.bench.ts
 *   BENCH_SCENARIO=rows BENCH_ROWS=500000 BENCH_DIALECT=postgres|mysql node bench/snapshot.bench.ts
 *
 * `tables`: BENCH_TABLES tables of 5 rows each in one schema. `rows`: one
 * table of BENCH_ROWS narrow rows (bigint id, varchar, numeric(12,2),
 * timestamp, boolean). BENCH_CPU_PROF=<dir> profiles the connector
 * (node --cpu-prof); BENCH_CONFIG='{"source":{...}}' merges into its config;
 * BENCH_VERIFY=0 skips the check that every key arrived exactly once;
 * BENCH_CLI=<path to src/cli.ts> runs another checkout (A/B runs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { randomUUID } from 'node:crypto';
import type { ConfigOverrides, ConnectorTestContext } from '../test/harness/connector-context.ts';
import { testKafka } from '../test/harness/kafka-events.ts';
import { MysqlTestContext } from '../test/harness/mysql-context.ts';
import { PgTestContext } from '../test/harness/pg-context.ts';

const scenario = process.env.BENCH_SCENARIO ?? 'rows';
const dialect = process.env.BENCH_DIALECT ?? 'postgres';
const tableCount = Number(process.env.BENCH_TABLES ?? 1000);
const rowCount = Number(process.env.BENCH_ROWS ?? 500_000);
const httpPort = Number(process.env.BENCH_HTTP_PORT ?? 24401);
const verify = process.env.BENCH_VERIFY !== '0';
const CLI = process.env.BENCH_CLI ?? fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const ROWS_PER_SMALL_TABLE = 5;

function tableName(i: number): string {
  return `t${String(i).padStart(5, '0')}`;
}

async function createSmallTables(ctx: ConnectorTestContext): Promise<string[]> {
  const names = Array.from({ length: tableCount }, (_, i) => tableName(i));
  const values = Array.from({ length: ROWS_PER_SMALL_TABLE }, (_, r) => `(${r + 1}, 'row ${r + 1}', ${r})`);
  for (let i = 0; i < names.length; i += 100) {
    const batch = names.slice(i, i + 100);
    if (ctx.dialect === 'postgres') {
      await ctx.sql(
        batch
          .map(
            (t) =>
              `CREATE TABLE ${t} (id int PRIMARY KEY, name varchar(20), v int); INSERT INTO ${t} VALUES ${values.join(', ')};`,
          )
          .join('\n'),
      );
    } else {
      for (const t of batch) {
        await ctx.sql(`CREATE TABLE ${t} (id int PRIMARY KEY, name varchar(20), v int)`);
        await ctx.sql(`INSERT INTO ${t} VALUES ${values.join(', ')}`);
      }
    }
  }
  return names;
}

async function createNarrowTable(ctx: ConnectorTestContext): Promise<string[]> {
  const table = 'bench_rows';
  const timestamp = ctx.dialect === 'mysql' ? 'timestamp(6)' : 'timestamptz';
  await ctx.sql(
    `CREATE TABLE ${table} (id bigint PRIMARY KEY, name varchar(40) NOT NULL, amount numeric(12,2), at ${timestamp} NOT NULL, flag boolean)`,
  );
  const at =
    ctx.dialect === 'mysql'
      ? `TIMESTAMPADD(SECOND, g, '2024-01-01')`
      : `'2024-01-01'::timestamptz + g * interval '1 second'`;
  for (let first = 1; first <= rowCount; first += 100_000) {
    await ctx.insertSeries(
      table,
      Math.min(100_000, rowCount - first + 1),
      `g, CONCAT('name-', g), (g % 100000) / 100.0, ${at}, g % 2 = 0`,
      first,
    );
  }
  if (ctx.dialect === 'postgres') await ctx.sql(`VACUUM ANALYZE ${table}`);
  return [table];
}

async function ready(): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Every record of the topics, read_committed: counts per topic and keys seen more than once. */
async function checkTopics(topics: string[], expectedPerTopic: number): Promise<void> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const expected = new Map<string, number>();
  for (const topic of topics) expected.set(topic, expectedPerTopic);
  const consumer = kafka.consumer({
    groupId: `bench-${randomUUID()}`,
    readUncommitted: false,
    maxBytes: 64 << 20,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const keys = new Map<string, Set<string>>();
  let records = 0;
  let duplicates = 0;
  const total = expectedPerTopic * topics.length;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        let seen = keys.get(batch.topic);
        if (!seen) keys.set(batch.topic, (seen = new Set()));
        for (const message of batch.messages) {
          const key = message.key?.toString('hex') ?? '';
          if (seen.has(key)) duplicates += 1;
          seen.add(key);
          records += 1;
        }
        if (records >= total) resolve();
      },
    });
  });
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 120_000));
  await Promise.race([done, timeout]);
  await consumer.disconnect();
  await admin.disconnect();
  const short = topics.filter((t) => (keys.get(t)?.size ?? 0) !== expectedPerTopic);
  if (duplicates > 0 || short.length > 0 || records !== total) {
    throw new Error(
      `output check failed: ${records} records of ${total}, ${duplicates} duplicate keys, ${short.length} topics without exactly ${expectedPerTopic} keys`,
    );
  }
  console.log(`check: ${records} records, every key exactly once`);
}

async function main(): Promise<void> {
  await using ctx: ConnectorTestContext =
    dialect === 'mysql' ? await MysqlTestContext.open() : await PgTestContext.open();
  const loadStarted = performance.now();
  const tables = scenario === 'tables' ? await createSmallTables(ctx) : await createNarrowTable(ctx);
  const expectedPerTopic = scenario === 'tables' ? ROWS_PER_SMALL_TABLE : rowCount;
  console.log(
    `${dialect} ${scenario}: loaded ${tables.length} tables in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
  );

  const overrides: ConfigOverrides = {
    log: { level: 'warn', format: 'json' },
    http: { port: httpPort, host: '127.0.0.1' },
    ...(JSON.parse(process.env.BENCH_CONFIG ?? '{}') as ConfigOverrides),
  };
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, stringify(ctx.configInput(overrides)));
  const profile = process.env.BENCH_CPU_PROF;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), CLI, 'run', '--config', file],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const rssSamples: number[] = [];
    let lastSample = 0;
    while (!(await ready())) {
      if (child.exitCode !== null) throw new Error(`the connector exited with ${child.exitCode}`);
      if (performance.now() - lastSample >= 1000) {
        lastSample = performance.now();
        rssSamples.push(rssMiB(child.pid!));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // RSS along the run: growing with the rows read would mean memory bounded by the table, not by backpressure.
    const quarter = (q: number) => rssSamples[Math.min(rssSamples.length - 1, Math.floor(q * rssSamples.length))];
    if (rssSamples.length >= 4)
      console.log(`RSS MiB at 25/50/75/100% of the run: ${[0.25, 0.5, 0.75, 1].map(quarter).join(' / ')}`);
    const seconds = (performance.now() - started) / 1000;
    const rss = peakRssMiB(child.pid!);
    const cpu = cpuSeconds(child.pid!);
    const rows = tables.length * expectedPerTopic;
    console.log(
      `RESULT ${dialect} ${scenario}: ${tables.length} tables, ${rows} rows, ready in ${seconds.toFixed(2)} s` +
        ` = ${Math.round(rows / seconds)} rows/s, peak RSS ${rss} MiB, CPU ${cpu.toFixed(1)} s`,
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  if (verify)
    await checkTopics(
      tables.map((t) => ctx.topic(t)),
      expectedPerTopic,
    );
}

/** User and system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

await main();
