/**
 * `npm run bench`: snapshot rows/s and streaming events/s of the Postgres
 * dialect against the local stack (started if needed by `npm run stack:up`).
 *
 *   BENCH_ROWS=1000000 npm run bench
 *
 * 1. Loads BENCH_ROWS rows, runs the connector until the snapshot is in Kafka:
 *    snapshot rows/s.
 * 2. Stops it, commits BENCH_ROWS more changes as a backlog (inserts in
 *    transactions of 100 rows), restarts it and waits until all are in Kafka:
 *    streaming events/s.
 * Progress is read from the topic's end offsets, so the figures count
 * committed records only.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PgTestContext } from '../test/harness/pg-context.ts';
import { testKafka } from '../test/harness/kafka-events.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function committedRecords(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function waitForRecords(topic: string, count: number, label: string): Promise<number> {
  const started = performance.now();
  let last = 0;
  for (;;) {
    // Records include commit markers, one per Kafka transaction: count at least `count`.
    const seen = await committedRecords(topic);
    if (seen >= count) return (performance.now() - started) / 1000;
    if (seen !== last) {
      process.stderr.write(`  ${label}: ${seen} / ${count}\r`);
      last = seen;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  await using ctx = await PgTestContext.open();
  const table = 'bench_rows';
  const topic = ctx.topic(table);
  await ctx.db.query(
    `CREATE TABLE ${table} (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), at timestamptz NOT NULL, flag boolean)`,
  );
  console.log(`loading ${rows} rows`);
  await ctx.db.query(
    `INSERT INTO ${table} SELECT g, 'name-' || g, (g % 100000) / 100.0, '2024-01-01'::timestamptz + g * interval '1 second', g % 2 = 0 FROM generate_series(1, $1) g`,
    [rows],
  );
  await ctx.db.query(`VACUUM ANALYZE ${table}`);

  const snapshotStarted = performance.now();
  let connector = ctx.start({ log: { level: 'warn', format: 'json' } });
  await waitForRecords(topic, rows, 'snapshot');
  const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;
  await connector.stop();
  console.log(
    `snapshot: ${rows} rows in ${snapshotSeconds.toFixed(1)} s = ${Math.round(rows / snapshotSeconds)} rows/s (connector start included)`,
  );

  console.log(`committing a backlog of ${rows} inserts in transactions of 100 rows`);
  const writer = new pg.Client({ connectionString: ctx.url });
  await writer.connect();
  const before = await committedRecords(topic);
  await writer.query(`
    DO $$ BEGIN
      FOR batch IN 0 .. ${rows / 100 - 1} LOOP
        INSERT INTO ${table} SELECT ${rows} + batch * 100 + g, 'late-' || g, 1.25, now(), true FROM generate_series(1, 100) g;
        COMMIT;
      END LOOP;
    END $$`);
  await writer.end();

  const streamStarted = performance.now();
  connector = ctx.start({ log: { level: 'warn', format: 'json' } });
  await waitForRecords(topic, before + rows, 'stream');
  const streamSeconds = (performance.now() - streamStarted) / 1000;
  await connector.stop();
  console.log(
    `stream: ${rows} events in ${streamSeconds.toFixed(1)} s = ${Math.round(rows / streamSeconds)} events/s (connector start included)`,
  );
}

await main();
