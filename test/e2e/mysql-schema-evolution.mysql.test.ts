/**
 * Schema evolution end to end on MariaDB (SPEC §1 "Schema evolution", §2):
 * ADD / DROP / RENAME COLUMN and type changes while streaming, DDL between a
 * change and its streaming (the TABLE_MAP of each row event, written with
 * binlog_row_metadata=FULL, describes the table as of that event), and a
 * change the registry's compatibility rule refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCommittedOffset } from '../../src/kafka/offset-store.ts';
import { gtidBefore } from '../harness/binlog-position.ts';
import { dataEvents, drain, plain } from '../harness/drain.ts';
import { EventCollector, testKafka } from '../harness/kafka-events.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';
import { schemaById, setCompatibility, subjectVersions } from '../harness/registry.ts';
import { expectRefusal } from '../harness/schema-refusal.ts';
import { outcome, waitOrFail } from '../harness/waiting.ts';

/** How long `drain` may take on MariaDB. */
const DRAIN_TIMEOUT_MS = 30_000;
/** How long a stopped connector may take to report a refused schema. */
const REFUSAL_TIMEOUT_MS = 20_000;

/** The value fields of a registered envelope schema: name → whether nullable. */
async function valueFields(schemaId: number): Promise<Record<string, string>> {
  const envelope = (await schemaById(schemaId)) as { fields: Array<{ name: string; type: unknown }> };
  const value = (envelope.fields.find((f) => f.name === 'before')!.type as unknown[])[1] as {
    fields: Array<{ name: string; type: unknown }>;
  };
  const summary = (type: unknown): string => {
    if (typeof type === 'string') return type;
    if (Array.isArray(type)) return `?${summary(type[1])}`;
    return summary((type as { type: unknown }).type);
  };
  return Object.fromEntries(value.fields.map((f) => [f.name, summary(f.type)]));
}

/** The executed GTIDs of the committed offset. */
async function committedGtids(ctx: MysqlTestContext): Promise<string> {
  const stored = await readCommittedOffset({
    kafka: testKafka(),
    topic: ctx.config().topics.offsets,
    connector: ctx.name,
  });
  assert.ok(stored, 'an offset was committed');
  assert.equal(stored.offset.snapshot, undefined, 'the committed offset is a streaming position');
  const gtids = String(stored.offset.gtid);
  assert.match(gtids, /^\d+-\d+-\d+/, 'the committed offset carries executed GTIDs');
  return gtids;
}

test('MariaDB: add, drop, rename and retype columns while streaming: each event carries the schema of its binlog position, with no restart', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE items (id int PRIMARY KEY, name varchar(10) NOT NULL, qty int, legacy text)`);
  await ctx.sql(`INSERT INTO items VALUES (1, 'a', 1, 'l1')`);
  const topic = ctx.topic('items');
  const connector = ctx.start();
  const run = outcome(connector);
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

  const sixty = 'f'.repeat(60);
  const long = 'é🚀'.repeat(150);
  // Each DDL is followed at once by a change that needs it; the connector keeps running.
  await ctx.sql(`ALTER TABLE items ADD COLUMN note text`);
  await ctx.sql(`INSERT INTO items VALUES (2, 'b', 2, 'l2', 'n2')`);
  await ctx.sql(`ALTER TABLE items DROP COLUMN legacy`);
  await ctx.sql(`INSERT INTO items VALUES (3, 'c', 3, 'n3')`);
  await ctx.sql(`ALTER TABLE items RENAME COLUMN qty TO quantity`);
  await ctx.sql(`INSERT INTO items VALUES (4, 'd', 4, 'n4')`);
  await ctx.sql(`ALTER TABLE items MODIFY quantity bigint`);
  await ctx.sql(`INSERT INTO items VALUES (5, 'e', 9007199254740993, 'n5')`);
  await ctx.sql(`ALTER TABLE items MODIFY name varchar(100) NOT NULL`);
  await ctx.sql(`INSERT INTO items VALUES (6, $1, 6, 'n6')`, [sixty]);
  await ctx.sql(`ALTER TABLE items CHANGE name name text NOT NULL`);
  await ctx.sql(`INSERT INTO items VALUES (7, $1, 7, 'n7')`, [long]);
  // An old row's before image, read with the newest schema.
  await ctx.sql(`UPDATE items SET quantity = 10 WHERE id = 1`);

  await waitOrFail(connector, events, (seen) => seen.length >= 8, 'the changes around six DDL statements');
  assert.equal(run.settled(), false, 'the connector is still running');

  const changes = events.changes(topic);
  assert.deepEqual(
    changes.map((e) => [e.key?.id, e.value.op]),
    [
      [1, 'r'],
      [2, 'c'],
      [3, 'c'],
      [4, 'c'],
      [5, 'c'],
      [6, 'c'],
      [7, 'c'],
      [1, 'u'],
    ],
  );
  assert.deepEqual(
    changes.map((e) => plain(e.value.after)),
    [
      { id: 1, name: 'a', qty: 1, legacy: 'l1' },
      { id: 2, name: 'b', qty: 2, legacy: 'l2', note: 'n2' },
      { id: 3, name: 'c', qty: 3, note: 'n3' },
      { id: 4, name: 'd', quantity: 4, note: 'n4' },
      { id: 5, name: 'e', quantity: 9007199254740993n, note: 'n5' },
      { id: 6, name: sixty, quantity: 6n, note: 'n6' },
      { id: 7, name: long, quantity: 7n, note: 'n7' },
      { id: 1, name: 'a', quantity: 10n, note: null },
    ],
  );
  assert.deepEqual(plain(changes[7]!.value.before), { id: 1, name: 'a', quantity: 1n, note: null });

  await connector.stop();

  // A new value schema version at each DDL that changes the Avro shape.
  const drained = dataEvents(await drain(topic, DRAIN_TIMEOUT_MS));
  assert.equal(drained.length, 8);
  const ids = drained.map((r) => r.valueSchemaId!);
  assert.equal(new Set(ids.slice(0, 5)).size, 5, `five value schemas for five table versions: ${ids}`);
  // varchar(10) → varchar(100) → text is a string all along: the same Avro schema, the same id.
  assert.deepEqual(ids.slice(4), [ids[4], ids[4], ids[4], ids[4]], `widened strings keep the schema: ${ids}`);
  assert.equal(new Set(drained.map((r) => r.keySchemaId)).size, 1, 'the key did not change');
  assert.deepEqual(await valueFields(ids[0]!), { id: 'int', name: 'string', qty: '?int', legacy: '?string' });
  assert.deepEqual(await valueFields(ids[4]!), {
    id: 'int',
    name: 'string',
    quantity: '?long',
    note: '?string',
  });
  const versions = await subjectVersions(`${topic}-value`);
  assert.deepEqual(versions, [1, 2, 3, 4, 5], `five versions of ${topic}-value`);
});

test('MariaDB: a change committed before a DDL but streamed after it is encoded with the schema of its own position', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE parts (id int PRIMARY KEY, name varchar(20) NOT NULL, code text, n int)`);
  await ctx.sql(`INSERT INTO parts VALUES (1, 'a', 'x1', 1)`);
  const topic = ctx.topic('parts');
  let connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  // A change streamed by the same table version as the snapshot.
  await ctx.sql(`INSERT INTO parts VALUES (2, 'b', 'x2', 2)`);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the first streamed change');
  await connector.stop();

  // While the connector is down, each change precedes a DDL in the binlog.
  await ctx.sql(`INSERT INTO parts VALUES (3, 'c', 'x3', 3)`);
  await ctx.sql(`ALTER TABLE parts ADD COLUMN note text`);
  await ctx.sql(`INSERT INTO parts VALUES (4, 'd', 'x4', 4, 'n4')`);
  await ctx.sql(`ALTER TABLE parts RENAME COLUMN name TO title`);
  await ctx.sql(`INSERT INTO parts VALUES (5, 'e', 'x5', 5, 'n5')`);
  await ctx.sql(`ALTER TABLE parts DROP COLUMN code`);
  await ctx.sql(`INSERT INTO parts VALUES (6, 'f', 6, 'n6')`);
  await ctx.sql(`ALTER TABLE parts MODIFY n bigint`);
  await ctx.sql(`INSERT INTO parts VALUES (7, 'g', 9223372036854775807, 'n7')`);
  await ctx.sql(`ALTER TABLE parts RENAME COLUMN id TO part_id`);
  await ctx.sql(`INSERT INTO parts VALUES (8, 'h', 8, 'n8')`);

  connector = ctx.start();
  await waitOrFail(
    connector,
    events,
    (seen) => seen.length >= 8,
    'the changes made while the connector was down',
  );
  await connector.stop();
  const drained = dataEvents(await drain(topic, DRAIN_TIMEOUT_MS));
  assert.deepEqual(
    drained.map((e) => [e.value.op, plain(e.value.after)]),
    [
      ['r', { id: 1, name: 'a', code: 'x1', n: 1 }],
      ['c', { id: 2, name: 'b', code: 'x2', n: 2 }],
      ['c', { id: 3, name: 'c', code: 'x3', n: 3 }],
      ['c', { id: 4, name: 'd', code: 'x4', n: 4, note: 'n4' }],
      ['c', { id: 5, title: 'e', code: 'x5', n: 5, note: 'n5' }],
      ['c', { id: 6, title: 'f', n: 6, note: 'n6' }],
      ['c', { id: 7, title: 'g', n: 9223372036854775807n, note: 'n7' }],
      ['c', { part_id: 8, title: 'h', n: 8n, note: 'n8' }],
    ],
  );
  // The keys follow the primary key as of each change.
  assert.deepEqual(
    drained.map((e) => plain(e.key)),
    [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }, { id: 6 }, { id: 7 }, { part_id: 8 }],
  );

  // A table version has one schema, whether it was read by the snapshot,
  // streamed live or streamed late: rows 1-3 share one.
  const ids = drained.map((r) => r.valueSchemaId!);
  assert.deepEqual(ids.slice(0, 3), [ids[0], ids[0], ids[0]], `rows 1-3 are one table version: ${ids}`);
  assert.equal(new Set(ids.slice(2)).size, 6, `one value schema per table version: ${ids}`);
  assert.deepEqual(await valueFields(ids[2]!), { id: 'int', name: 'string', code: '?string', n: '?int' });
  assert.deepEqual(await valueFields(ids[4]!), {
    id: 'int',
    title: 'string',
    code: '?string',
    n: '?int',
    note: '?string',
  });
  assert.deepEqual(await valueFields(ids[7]!), {
    part_id: 'int',
    title: 'string',
    n: '?long',
    note: '?string',
  });
});

test('MariaDB: a change the compatibility rule refuses stops the connector, naming the table, the change and the rule; nothing past it is committed, and it flows exactly once after the rule is relaxed', async (t) => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE accounts (id int PRIMARY KEY, owner varchar(20) NOT NULL)`);
  const topic = ctx.topic('accounts');
  const subject = `${topic}-value`;
  await ctx.sql(`INSERT INTO accounts VALUES (1, 'ann')`);
  // A long batch delay: bob's transaction, committed before the refused one,
  // still waits in the open Kafka transaction when the refusal comes.
  const first = ctx.start({ batch: { maxDelayMs: 1000 } });
  const firstRun = outcome(first);
  await using events = await EventCollector.open([topic]);
  await waitOrFail(first, events, (seen) => seen.length >= 1, 'the snapshot');
  await setCompatibility(subject, 'FULL');
  await ctx.sql(`INSERT INTO accounts VALUES (2, 'bob')`);

  // A NOT NULL column without a default (so no Avro default): old readers
  // could not read new events nor new readers old ones, so FULL refuses it.
  await ctx.sql(`ALTER TABLE accounts ADD COLUMN tier varchar(10) NOT NULL DEFAULT 'basic'`);
  await ctx.sql(`ALTER TABLE accounts ALTER COLUMN tier DROP DEFAULT`);
  await ctx.sql(`INSERT INTO accounts VALUES (3, 'cyd', 'gold')`);
  // The first transaction with the new schema. Transactions of other databases
  // (other tests) before it may be committed past; it and what follows may not.
  const [{ gtid: refused } = { gtid: '' }] = await ctx.sql<{ gtid: string }>('SELECT @@last_gtid AS gtid');
  assert.match(refused, /^\d+-\d+-\d+$/);
  await ctx.sql(`INSERT INTO accounts VALUES (4, 'dee', 'silver')`);

  const mentions = [new RegExp(`${ctx.schema}\\.accounts`), /\btier\b/, /\bFULL\b/];
  t.diagnostic((await expectRefusal(firstRun.failure, mentions, REFUSAL_TIMEOUT_MS)).message);

  // What came before the refused change is in Kafka; nothing past it, not in the offsets either.
  assert.deepEqual(
    dataEvents(await drain(topic, DRAIN_TIMEOUT_MS)).map((r) => plain(r.value.after)),
    [
      { id: 1, owner: 'ann' },
      { id: 2, owner: 'bob' },
    ],
  );
  const committed = await committedGtids(ctx);
  assert.ok(
    gtidBefore(committed, refused),
    `the committed offset ${committed} is before the refused transaction ${refused}`,
  );

  // A restart under the same rule stops again, and still says what the change is.
  const second = outcome(ctx.start());
  t.diagnostic((await expectRefusal(second.failure, mentions, REFUSAL_TIMEOUT_MS)).message);
  assert.ok(gtidBefore(await committedGtids(ctx), refused), 'still nothing committed past it');

  // With the rule relaxed, the refused change and everything after it arrive, once.
  await setCompatibility(subject, 'NONE');
  const third = ctx.start();
  const thirdRun = outcome(third);
  await ctx.sql(`INSERT INTO accounts VALUES (5, 'eve', 'basic')`);
  await waitOrFail(
    third,
    events,
    (seen) => seen.some((e) => e.key?.id === 5),
    'the changes after relaxing the rule',
  );
  assert.equal(thirdRun.settled(), false, 'the connector runs');
  await third.stop();
  const after = dataEvents(await drain(topic, DRAIN_TIMEOUT_MS)).map((r) => [
    r.value.op,
    plain(r.value.after),
  ]);
  assert.deepEqual(after, [
    ['r', { id: 1, owner: 'ann' }],
    ['c', { id: 2, owner: 'bob' }],
    ['c', { id: 3, owner: 'cyd', tier: 'gold' }],
    ['c', { id: 4, owner: 'dee', tier: 'silver' }],
    ['c', { id: 5, owner: 'eve', tier: 'basic' }],
  ]);
});
