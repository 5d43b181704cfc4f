import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { EventCollector, testKafka, waitForTopics } from '../harness/kafka-events.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { stackEnv } from '../harness/stack.ts';
import { waitOrFail } from '../harness/waiting.ts';

test('a Postgres table created while streaming that matches source.tables is captured from its first row', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql('CREATE TABLE keep_old (id int PRIMARY KEY)');
  await ctx.sql('INSERT INTO keep_old VALUES (1)');
  const connector = ctx.start({ source: { tables: { include: ['public.keep*'] } } });
  await using old = await EventCollector.open([ctx.topic('keep_old')]);
  await waitOrFail(connector, old, (seen) => seen.length >= 1, 'the snapshot');

  // Created and written in one transaction: its first rows precede any chance to notice the table.
  await ctx.sql(`BEGIN;
    CREATE TABLE keep_new (id int PRIMARY KEY, v text);
    INSERT INTO keep_new SELECT g, 'row ' || g FROM generate_series(1, 50) g;
    COMMIT`);
  await ctx.sql('CREATE TABLE skip_new (id int PRIMARY KEY)');
  await ctx.sql('INSERT INTO skip_new VALUES (1)');
  await ctx.sql(`UPDATE keep_new SET v = 'changed' WHERE id = 7`);
  await ctx.sql('INSERT INTO keep_old VALUES (2)');
  await waitOrFail(connector, old, (seen) => seen.length >= 2, 'the change after the CREATE TABLE');
  await waitForTopics(testKafka(), [ctx.topic('keep_new')], 5_000);
  await using fresh = await EventCollector.open([ctx.topic('keep_new')]);
  await waitOrFail(connector, fresh, (seen) => seen.length >= 51, 'every row of the new table');
  await connector.stop();

  const ops = fresh.changes().map((e) => [e.value.op, e.value.after?.id]);
  assert.deepEqual(
    ops.slice(0, 50),
    Array.from({ length: 50 }, (_, i) => ['c', i + 1]),
  );
  assert.deepEqual(ops[50], ['u', 7]);
  const admin = testKafka().admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  assert.ok(!topics.includes(ctx.topic('skip_new')), 'a table the globs leave out gets no topic');
  const [publication] = await ctx.sql<{ schemas: string[] }>(
    `SELECT array_agg(n.nspname::text) AS schemas FROM pg_publication_namespace pn
       JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid
      WHERE p.pubname = $1`,
    [`tributary_${ctx.name}`],
  );
  assert.deepEqual(publication!.schemas, ['public'], 'the publication covers the schema the globs name');
});

test('without the privilege to publish a whole schema, Postgres falls back to a table list and still streams', async () => {
  const role = `r_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: stackEnv().pgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN REPLICATION PASSWORD 'secret'`);
    {
      await using ctx = await PgTestContext.open();
      await ctx.sql('CREATE TABLE items (id int PRIMARY KEY)');
      await ctx.sql(`GRANT CREATE ON DATABASE ${ctx.name} TO ${role}`);
      await ctx.sql(`ALTER TABLE items OWNER TO ${role}`);
      await ctx.sql('INSERT INTO items VALUES (1)');
      const url = new URL(ctx.url);
      url.username = role;
      url.password = 'secret';
      const connector = ctx.start({ source: { url: url.toString() } });
      await using events = await EventCollector.open([ctx.topic('items')]);
      await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
      await ctx.sql('INSERT INTO items VALUES (2)');
      await waitOrFail(connector, events, (seen) => seen.length >= 2, 'a streamed row');
      await connector.stop();
      const tables = await ctx.sql<{ tablename: string }>(
        'SELECT tablename FROM pg_publication_tables WHERE pubname = $1',
        [`tributary_${ctx.name}`],
      );
      assert.deepEqual(tables, [{ tablename: 'items' }]);
      const [scope] = await ctx.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_publication_namespace pn JOIN pg_publication p ON p.oid = pn.pnpubid WHERE p.pubname = $1',
        [`tributary_${ctx.name}`],
      );
      assert.equal(scope!.n, 0, 'the publication lists tables, not schemas');
    }
  } finally {
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin.end();
  }
});
