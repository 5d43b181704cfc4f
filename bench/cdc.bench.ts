/**
 * `npm run bench`: snapshot rows/s and streaming events/s against the local
 * stack (started if needed).
 *
 *   BENCH_ROWS=1000000 BENCH_DIALECT=postgres|mysql npm run bench
 *
 * 1. Loads BENCH_ROWS rows and runs the connector until the snapshot is in
 *    Kafka: snapshot rows/s.
 * 2. Stops it, commits BENCH_ROWS more inserts as a backlog (transactions of
 *    100 rows), restarts it and waits until all are in Kafka: events/s.
 * Progress is read from the topic's end offsets; figures include the
 * connector's start (a second or so).
 */
import { performance } from 'node:perf_hooks';
import type { ConnectorTestContext } from '../test/harness/connector-context.ts';
import { testKafka } from '../test/harness/kafka-events.ts';
import { MysqlTestContext } from '../test/harness/mysql-context.ts';
import { PgTestContext } from '../test/harness/pg-context.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dialect = process.env.BENCH_DIALECT ?? 'postgres';
const TX_ROWS = 100;

async function recordsIn(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the topic holds `count` records (plus commit markers, a few hundred at most). */
async function waitForRecords(topic: string, count: number, label: string): Promise<void> {
  let last = -1;
  for (;;) {
    const seen = await recordsIn(topic);
    if (seen >= count) return;
    if (seen !== last) process.stderr.write(`  ${label}: ${seen} / ${count}\r`);
    last = seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  await using ctx: ConnectorTestContext =
    dialect === 'mysql' ? await MysqlTestContext.open() : await PgTestContext.open();
  const table = 'bench_rows';
  const topic = ctx.topic(table);
  const timestamp = dialect === 'mysql' ? 'timestamp(6)' : 'timestamptz';
  await ctx.sql(
    `CREATE TABLE ${table} (id bigint PRIMARY KEY, name varchar(40) NOT NULL, amount numeric(12,2), at ${timestamp} NOT NULL, flag boolean)`,
  );
  console.log(`${dialect}: loading ${rows} rows`);
  const at =
    dialect === 'mysql'
      ? `TIMESTAMPADD(SECOND, g, '2024-01-01')`
      : `'2024-01-01'::timestamptz + g * interval '1 second'`;
  for (let first = 1; first <= rows; first += 100_000) {
    await ctx.insertSeries(
      table,
      Math.min(100_000, rows - first + 1),
      `g, CONCAT('name-', g), (g % 100000) / 100.0, ${at}, g % 2 = 0`,
      first,
    );
  }
  const log = { log: { level: 'warn' as const, format: 'json' as const } };

  const snapshotStarted = performance.now();
  let connector = ctx.start(log);
  await waitForRecords(topic, rows, 'snapshot');
  const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;
  await connector.stop();
  console.log(
    `snapshot: ${rows} rows in ${snapshotSeconds.toFixed(1)} s = ${Math.round(rows / snapshotSeconds)} rows/s`,
  );

  console.log(`committing a backlog of ${rows} inserts in transactions of ${TX_ROWS} rows`);
  const before = await recordsIn(topic);
  const session = await ctx.session();
  for (let first = rows + 1; first <= 2 * rows; first += TX_ROWS) {
    await session.sql(
      dialect === 'mysql'
        ? `INSERT INTO ${table} SELECT seq, 'late', 1.25, NOW(6), true FROM seq_${first}_to_${first + TX_ROWS - 1}`
        : `INSERT INTO ${table} SELECT g, 'late', 1.25, now(), true FROM generate_series(${first}, ${first + TX_ROWS - 1}) g`,
    );
  }
  await session.end();

  const streamStarted = performance.now();
  connector = ctx.start(log);
  await waitForRecords(topic, before + rows, 'stream');
  const streamSeconds = (performance.now() - streamStarted) / 1000;
  await connector.stop();
  console.log(
    `stream: ${rows} events in ${streamSeconds.toFixed(1)} s = ${Math.round(rows / streamSeconds)} events/s`,
  );
}

await main();
