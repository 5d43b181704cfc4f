/**
 * Schema evolution end to end (SPEC §1 "Schema evolution", §2): DDL while
 * streaming, DDL between a change and its streaming, and a change the
 * registry's compatibility rule refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lsnToBigInt } from '../../dialects/postgres/lsn.ts';
import { readCommittedOffset } from '../../src/kafka/offset-store.ts';
import { dataEvents, drain, plain } from '../harness/drain.ts';
import { EventCollector, testKafka } from '../harness/kafka-events.ts';
import { PgTestContext, type ConfigOverrides, type RunningConnector } from '../harness/pg-context.ts';
import { schemaById, setCompatibility, subjectVersions } from '../harness/registry.ts';
import { expectRefusal } from '../harness/schema-refusal.ts';
import { outcome } from '../harness/waiting.ts';

interface SlotState {
  activePid: number | null;
  confirmedFlushLsn: string;
}

async function slotState(ctx: PgTestContext): Promise<SlotState> {
  const { rows } = await ctx.db.query<{ active_pid: number | null; confirmed_flush_lsn: string }>(
    'SELECT active_pid, confirmed_flush_lsn::text FROM pg_replication_slots WHERE database = current_database()',
  );
  assert.equal(rows.length, 1, 'the connector has one replication slot');
  return { activePid: rows[0]!.active_pid, confirmedFlushLsn: rows[0]!.confirmed_flush_lsn };
}

/** The pid of the walsender streaming from the connector's slot, once it streams. */
async function activeWalsender(ctx: PgTestContext): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { activePid } = await slotState(ctx);
    if (activePid) return activePid;
    assert.ok(Date.now() < deadline, 'the connector streams from its slot within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function currentLsn(ctx: PgTestContext): Promise<bigint> {
  const { rows } = await ctx.db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return lsnToBigInt(rows[0]!.lsn);
}

/**
 * Runs the connector with an offsets topic of its own: the shared default one
 * makes every restart wait for (or, see the report, misread past) other
 * connectors' open transactions.
 */
function start(ctx: PgTestContext, overrides: ConfigOverrides = {}): RunningConnector {
  return ctx.start({ ...overrides, topics: { prefix: ctx.name, offsets: offsetsTopic(ctx) } });
}

function offsetsTopic(ctx: PgTestContext): string {
  return `${ctx.name}.offsets`;
}

async function committedLsn(ctx: PgTestContext): Promise<bigint> {
  const stored = await readCommittedOffset({
    kafka: testKafka(),
    topic: offsetsTopic(ctx),
    connector: ctx.name,
  });
  assert.ok(stored, 'an offset was committed');
  assert.equal(stored.offset.snapshot, undefined, 'the committed offset is a streaming position');
  return lsnToBigInt(stored.offset.lsn as string);
}

test('add, drop, rename and retype columns while streaming: each event carries the schema of its log position, with no restart', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(
    `CREATE TABLE items (id int PRIMARY KEY, name varchar(20) NOT NULL, qty int, legacy text)`,
  );
  await ctx.db.query(`INSERT INTO items VALUES (1, 'a', 1, 'l1')`);
  const topic = ctx.topic('items');
  const connector = start(ctx);
  const run = outcome(connector);
  await using events = await EventCollector.open([topic]);
  await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');
  // The snapshot's events are in Kafka a moment before streaming starts.
  const walsender = await activeWalsender(ctx);

  // Each DDL is followed at once by a change that needs it; the connector keeps running.
  await ctx.db.query(`ALTER TABLE items ADD COLUMN note text`);
  await ctx.db.query(`INSERT INTO items VALUES (2, 'b', 2, 'l2', 'n2')`);
  await ctx.db.query(`ALTER TABLE items DROP COLUMN legacy`);
  await ctx.db.query(`INSERT INTO items VALUES (3, 'c', 3, 'n3')`);
  await ctx.db.query(`ALTER TABLE items RENAME COLUMN qty TO quantity`);
  await ctx.db.query(`INSERT INTO items VALUES (4, 'd', 4, 'n4')`);
  await ctx.db.query(`ALTER TABLE items ALTER COLUMN quantity TYPE bigint`);
  await ctx.db.query(`INSERT INTO items VALUES (5, 'e', 9007199254740993, 'n5')`);
  // An old row's before image, read with the newest schema.
  await ctx.db.query(`UPDATE items SET quantity = 10 WHERE id = 1`);

  await events.waitFor((seen) => seen.length >= 6, 60_000, 'the changes around four DDL statements');
  assert.equal(run.settled(), false, 'the connector is still running');
  assert.equal(
    (await slotState(ctx)).activePid,
    walsender,
    'the same replication connection streamed it all',
  );

  const changes = events.changes(topic);
  assert.deepEqual(
    changes.map((e) => [e.key?.id, e.value.op]),
    [
      [1, 'r'],
      [2, 'c'],
      [3, 'c'],
      [4, 'c'],
      [5, 'c'],
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
      { id: 1, name: 'a', quantity: 10n, note: null },
    ],
  );
  assert.deepEqual(plain(changes[5]!.value.before), { id: 1, name: 'a', quantity: 1n, note: null });

  await connector.stop();

  // A new value schema version at each DDL, registered before its first event.
  const drained = dataEvents(await drain(topic));
  assert.equal(drained.length, 6);
  const ids = drained.map((r) => r.valueSchemaId!);
  assert.equal(new Set(ids.slice(0, 5)).size, 5, `five value schemas for five table versions: ${ids}`);
  assert.equal(ids[5], ids[4], 'the update uses the schema of the last version');
  assert.equal(new Set(drained.map((r) => r.keySchemaId)).size, 1, 'the key did not change');
  const versions = await subjectVersions(`${topic}-value`);
  assert.deepEqual(versions, [1, 2, 3, 4, 5], `five versions of ${topic}-value`);
});

test('a change committed before a DDL but streamed after it is encoded with the schema of its own position', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE parts (id int PRIMARY KEY, name text NOT NULL, code text)`);
  await ctx.db.query(`INSERT INTO parts VALUES (1, 'a', 'x1')`);
  const topic = ctx.topic('parts');
  let connector = start(ctx);
  await using events = await EventCollector.open([topic]);
  await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');
  await connector.stop();

  // While the connector is down, each change precedes a DDL in the log.
  await ctx.db.query(`INSERT INTO parts VALUES (2, 'b', 'x2')`);
  await ctx.db.query(`ALTER TABLE parts ADD COLUMN note text`);
  await ctx.db.query(`INSERT INTO parts VALUES (3, 'c', 'x3', 'n3')`);
  await ctx.db.query(`ALTER TABLE parts RENAME COLUMN name TO title`);
  await ctx.db.query(`INSERT INTO parts VALUES (4, 'd', 'x4', 'n4')`);
  await ctx.db.query(`ALTER TABLE parts DROP COLUMN code`);
  await ctx.db.query(`INSERT INTO parts VALUES (5, 'e', 'n5')`);
  await ctx.db.query(`ALTER TABLE parts RENAME COLUMN id TO part_id`);
  await ctx.db.query(`INSERT INTO parts VALUES (6, 'f', 'n6')`);

  connector = start(ctx);
  await events.waitFor((seen) => seen.length >= 6, 60_000, 'the changes made while the connector was down');
  await connector.stop();
  const drained = dataEvents(await drain(topic));
  assert.deepEqual(
    drained.map((e) => plain(e.value.after)),
    [
      { id: 1, name: 'a', code: 'x1' },
      { id: 2, name: 'b', code: 'x2' },
      { id: 3, name: 'c', code: 'x3', note: 'n3' },
      { id: 4, title: 'd', code: 'x4', note: 'n4' },
      { id: 5, title: 'e', note: 'n5' },
      { part_id: 6, title: 'f', note: 'n6' },
    ],
  );
  // The keys follow the primary key as of each change.
  assert.deepEqual(
    drained.map((e) => plain(e.key)),
    [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }, { part_id: 6 }],
  );

  // A table version has one schema, whether it was streamed live or late: the
  // change committed before ADD COLUMN uses the very schema the live one did,
  // and a NOT NULL column stays NOT NULL in the versions before its rename.
  const ids = drained.map((r) => r.valueSchemaId);
  assert.equal(ids[1], ids[0], 'row 2 was written by the same table version as row 1');
  assert.equal(new Set(ids.slice(1)).size, 5, `one value schema per table version: ${ids}`);
  const schemas = await Promise.all(
    ids.map(
      async (id) =>
        (await schemaById(id!)) as {
          fields: Array<{ name: string; type: unknown }>;
        },
    ),
  );
  const valueFields = (envelope: (typeof schemas)[number]) =>
    (
      (envelope.fields.find((f) => f.name === 'before')!.type as unknown[])[1] as {
        fields: Array<{ name: string; type: unknown }>;
      }
    ).fields;
  const nullable = (fields: Array<{ name: string; type: unknown }>) =>
    fields.filter((f) => Array.isArray(f.type) && f.type.includes('null')).map((f) => f.name);
  assert.deepEqual(
    schemas.map((s) => nullable(valueFields(s))),
    [['code'], ['code'], ['code', 'note'], ['code', 'note'], ['note'], ['note']],
    'NOT NULL columns stay NOT NULL in every version',
  );
});

test('a change the compatibility rule refuses stops the connector, naming the table, the change and the rule; nothing past it is acknowledged, and it flows once the rule is relaxed', async (t) => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL)`);
  const topic = ctx.topic('accounts');
  const subject = `${topic}-value`;
  await ctx.db.query(`INSERT INTO accounts VALUES (1, 'ann')`);
  const first = outcome(start(ctx));
  await using events = await EventCollector.open([topic]);
  await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');
  await setCompatibility(subject, 'FULL');

  // A NOT NULL column without a default (so no Avro default): old readers
  // could not read new events nor new readers old ones, so FULL refuses it.
  await ctx.db.query(
    `ALTER TABLE accounts ADD COLUMN tier text NOT NULL DEFAULT 'basic'; ALTER TABLE accounts ALTER COLUMN tier DROP DEFAULT`,
  );
  const beforeRefused = await currentLsn(ctx);
  await ctx.db.query(`INSERT INTO accounts VALUES (2, 'bob', 'gold')`);
  await ctx.db.query(`INSERT INTO accounts VALUES (3, 'cyd', 'silver')`);

  const mentions = [/public\.accounts/, /\btier\b/, /\bFULL\b/];
  t.diagnostic((await expectRefusal(first.failure, mentions)).message);

  // Nothing past the refused change: not in Kafka, not in the offsets, not acknowledged to the slot.
  assert.deepEqual(
    dataEvents(await drain(topic)).map((r) => plain(r.value.after)),
    [{ id: 1, owner: 'ann' }],
  );
  assert.ok((await committedLsn(ctx)) <= beforeRefused, 'the committed offset is before the refused change');
  const slot = await slotState(ctx);
  assert.ok(
    lsnToBigInt(slot.confirmedFlushLsn) <= beforeRefused,
    `the slot was not acknowledged past the refused change (${slot.confirmedFlushLsn})`,
  );

  // A restart under the same rule stops again, and still says what the change is.
  const second = outcome(start(ctx));
  t.diagnostic((await expectRefusal(second.failure, mentions)).message);
  assert.ok((await committedLsn(ctx)) <= beforeRefused, 'still nothing committed past the refused change');

  // With the rule relaxed, the refused change and everything after it arrive, once.
  await setCompatibility(subject, 'NONE');
  const third = start(ctx);
  const thirdRun = outcome(third);
  await ctx.db.query(`INSERT INTO accounts VALUES (4, 'dee', 'basic')`);
  await events.waitFor(
    (seen) => seen.some((e) => e.key?.id === 4),
    60_000,
    'the changes after relaxing the rule',
  );
  assert.equal(thirdRun.settled(), false, 'the connector runs');
  await third.stop();
  const after = dataEvents(await drain(topic)).map((r) => [r.value.op, plain(r.value.after)]);
  assert.deepEqual(after, [
    ['r', { id: 1, owner: 'ann' }],
    ['c', { id: 2, owner: 'bob', tier: 'gold' }],
    ['c', { id: 3, owner: 'cyd', tier: 'silver' }],
    ['c', { id: 4, owner: 'dee', tier: 'basic' }],
  ]);
});

test('transactions committed before a refused change in the same batch are delivered before the connector stops', async (t) => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL)`);
  const topic = ctx.topic('accounts');
  await ctx.db.query(`INSERT INTO accounts VALUES (1, 'ann')`);
  // A long batch delay: the transaction before the refused one is still
  // waiting in the open Kafka transaction when the refusal comes.
  const run = outcome(start(ctx, { batch: { maxDelayMs: 1000 } }));
  await using events = await EventCollector.open([topic]);
  await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');
  await setCompatibility(`${topic}-value`, 'FULL');

  await ctx.db.query(
    `BEGIN; INSERT INTO accounts VALUES (2, 'bob'); COMMIT;
     BEGIN; ALTER TABLE accounts ADD COLUMN tier text NOT NULL DEFAULT 'basic';
            ALTER TABLE accounts ALTER COLUMN tier DROP DEFAULT; COMMIT;`,
  );
  const beforeRefused = await currentLsn(ctx);
  await ctx.db.query(`INSERT INTO accounts VALUES (3, 'cyd', 'gold')`);

  t.diagnostic((await expectRefusal(run.failure, [/public\.accounts/, /\btier\b/, /\bFULL\b/])).message);
  assert.deepEqual(
    dataEvents(await drain(topic)).map((r) => plain(r.value.after)),
    [
      { id: 1, owner: 'ann' },
      { id: 2, owner: 'bob' },
    ],
    'the transaction committed before the refused one is in Kafka',
  );
  const committed = await committedLsn(ctx);
  assert.ok(committed <= beforeRefused, 'the committed offset is before the refused change');
});
