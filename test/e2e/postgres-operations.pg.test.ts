import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCollector } from '../harness/kafka-events.ts';
import { exitOf, PgTestContext } from '../harness/pg-context.ts';
import { freePort } from '../harness/cli.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const run = promisify(execFile);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('heartbeats move the slot past WAL written to tables that are not captured', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql('CREATE TABLE captured (id int PRIMARY KEY)');
  await ctx.sql('CREATE TABLE noise (id serial PRIMARY KEY, payload text)');
  const connector = ctx.start({
    source: { tables: { include: ['public.captured'] }, heartbeatIntervalMs: 500 },
  });
  await ctx.sql('INSERT INTO captured VALUES (1)');
  await using events = await EventCollector.open([ctx.topic('captured')]);
  await events.waitFor((seen) => seen.length >= 1, 60_000, 'the captured insert');

  for (let i = 0; i < 20; i++)
    await ctx.sql(`INSERT INTO noise (payload) SELECT repeat('x', 1000) FROM generate_series(1, 100)`);
  const written = (await ctx.sql<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]!.lsn;
  const slot = `tributary_${ctx.name}`;
  await until('the slot to confirm the noise', async () => {
    const [row] = await ctx.sql<{ caught_up: boolean }>(
      'SELECT confirmed_flush_lsn >= $1::pg_lsn AS caught_up FROM pg_replication_slots WHERE slot_name = $2',
      [written, slot],
    );
    return row?.caught_up ? true : undefined;
  });
  assert.equal(events.events.length, 1, 'nothing is emitted for tables that are not captured');
  await connector.stop();
});

test('the CLI serves /healthz, /readyz and /metrics, and status and reset report and clear the committed position', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql('CREATE TABLE orders (id int PRIMARY KEY, note text)');
  await ctx.sql(`INSERT INTO orders VALUES (1, 'one')`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tributary-ops-'));
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, stringify(ctx.configInput({ http: { port, host: '127.0.0.1' } })));

  const child = ctx.spawn({ http: { port, host: '127.0.0.1' } });
  const base = `http://127.0.0.1:${port}`;
  assert.equal(await until('/healthz', () => fetch(`${base}/healthz`).then((r) => r.status)), 200);
  await until('/readyz', () =>
    fetch(`${base}/readyz`).then((r) => (r.status === 200 ? r.status : undefined)),
  );
  await ctx.sql(`INSERT INTO orders VALUES (2, 'two')`);
  await using events = await EventCollector.open([ctx.topic('orders')]);
  await events.waitFor((seen) => seen.length >= 2, 60_000, 'two events');
  const metrics = await until('the events metric', async () => {
    const text = await fetch(`${base}/metrics`).then((r) => r.text());
    return /tributary_events_total\{table="public\.orders",op="c"\} 1/.test(text) ? text : undefined;
  });
  assert.match(metrics, /tributary_snapshot_rows_total\{table="public\.orders"\} 1/);
  assert.match(metrics, /tributary_streaming 1/);
  assert.match(metrics, /tributary_kafka_transactions_total \d+/);

  const status = JSON.parse(
    (await run(process.execPath, [CLI, 'status', '--config', configFile])).stdout,
  ) as {
    state: string;
    offset: { lsn: string } | null;
    source: { slot: { exists: boolean }; lagBytes: number | null };
  };
  assert.equal(status.state, 'streaming');
  assert.match(status.offset!.lsn, /^[0-9A-F]+\/[0-9A-F]+$/);
  assert.equal(status.source.slot.exists, true);
  assert.equal(typeof status.source.lagBytes, 'number');

  child.kill('SIGTERM');
  assert.equal(await exitOf(child), 0);
  await run(process.execPath, [CLI, 'reset', '--config', configFile]);
  const after = JSON.parse((await run(process.execPath, [CLI, 'status', '--config', configFile])).stdout) as {
    offset: unknown;
  };
  assert.equal(after.offset, null, 'reset forgets the committed position');

  // The next run takes a new snapshot of both rows.
  const again = ctx.spawn({ http: { port: 0 } });
  await events.waitFor(
    (seen) => seen.filter((e) => e.value?.op === 'r').length >= 3,
    60_000,
    'a new snapshot',
  );
  again.kill('SIGTERM');
  assert.equal(await exitOf(again), 0);
});

test('a bad configuration exits 2 with one message naming the key and the file, no stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bad-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(
    file,
    'name: shop\nsource:\n  dialect: postgres\n  url: postgres://x@127.0.0.1/db\nkafka:\n  broker: [a]\nregistry:\n  url: http://r\n',
  );
  const failure = await run(process.execPath, [CLI, 'check', '--config', file]).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  assert.ok(failure, 'the command fails');
  assert.equal(failure.code, 2);
  assert.match(failure.stderr, /unknown key `kafka\.broker` \(did you mean `kafka\.brokers`\?\)/);
  assert.match(failure.stderr, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.doesNotMatch(failure.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test('unreachable servers are reported by check, one line per connection with the host, not a stack trace', async () => {
  const port = await freePort();
  const env = {
    ...process.env,
    TRIBUTARY_NAME: 'unreachable',
    TRIBUTARY_SOURCE__DIALECT: 'postgres',
    TRIBUTARY_SOURCE__URL: `postgres://tributary:secret@127.0.0.1:${port}/tributary`,
    TRIBUTARY_KAFKA__BROKERS: '127.0.0.1:1',
    TRIBUTARY_REGISTRY__URL: 'http://127.0.0.1:1',
  };
  const failure = await run(process.execPath, [CLI, 'check'], { env }).then(
    () => null,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  assert.ok(failure);
  assert.equal(failure.code, 1);
  const output = failure.stdout + failure.stderr;
  assert.match(
    output,
    new RegExp(
      `✗ source: PostgreSQL is unreachable while connecting to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(user tributary\\)`,
    ),
  );
  assert.match(output, /✗ kafka: Kafka is unreachable/, 'every connection is checked');
  assert.match(output, /✗ registry: schema registry at http:\/\/127\.0\.0\.1:1 is unreachable/);
  assert.doesNotMatch(output, /secret/, 'the password is not printed');
  assert.doesNotMatch(output, /at .*\.(ts|js):\d+/, 'no stack trace');
});
