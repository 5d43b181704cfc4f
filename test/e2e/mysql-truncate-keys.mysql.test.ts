/**
 * Keys, truncates and transaction boundaries end to end on MariaDB: TRUNCATE
 * (`t` events on non-compacted topics, skipped on compacted ones), primary-key
 * changes (d + tombstone + c), tables without a primary key (null keys), and
 * source transactions that touch tables the connector does not capture.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCommittedOffset } from '../../src/kafka/offset-store.ts';
import { atOrBefore, serverPosition, type Position } from '../harness/binlog-position.ts';
import { EventCollector, testKafka, waitForTopics, type SeenEvent } from '../harness/kafka-events.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';
import type { RunningConnector } from '../harness/connector-context.ts';
import { stackEnv } from '../harness/stack.ts';
import { waitOrFail } from '../harness/waiting.ts';

type Change = SeenEvent & { value: NonNullable<SeenEvent['value']> };

/** [op or 'tombstone', key id or null] of a topic's records, in topic order. */
function summary(events: EventCollector, topic: string): Array<[string, unknown]> {
  return events.events
    .filter((e) => e.topic === topic)
    .map((e) => [e.value?.op ?? 'tombstone', e.key === null ? null : e.key['id']]);
}

async function committedPosition(ctx: MysqlTestContext): Promise<Position | null> {
  const stored = await readCommittedOffset({
    kafka: testKafka(),
    topic: ctx.config().topics.offsets,
    connector: ctx.name,
  });
  if (!stored || stored.offset.snapshot !== undefined) return null;
  return { file: String(stored.offset.file), pos: Number(stored.offset.pos) };
}

/** Waits until the committed offset reaches `target` (the connector commits positions on its own). */
async function waitForCommitted(ctx: MysqlTestContext, target: Position, connector: RunningConnector) {
  const deadline = Date.now() + 20_000;
  let settled = false;
  void connector.done.finally(() => (settled = true)).catch(() => {});
  for (;;) {
    const committed = await committedPosition(ctx);
    if (committed && atOrBefore(target, committed)) return committed;
    assert.ok(!settled, 'the connector stopped before committing the position');
    assert.ok(
      Date.now() < deadline,
      `the committed offset ${JSON.stringify(committed)} never reached ${JSON.stringify(target)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('MariaDB TRUNCATE yields a t event (null key, no before/after) on a non-compacted topic, in binlog order between the other changes; later changes still flow', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE items (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`CREATE TABLE other (id int PRIMARY KEY)`);
  await ctx.sql(`INSERT INTO items VALUES (1, 'one')`);
  await ctx.sql(`INSERT INTO other VALUES (1)`);

  const items = ctx.topic('items');
  const other = ctx.topic('other');
  const connector = ctx.start({ topics: { prefix: ctx.name, cleanupPolicy: 'delete' } });
  await using events = await EventCollector.open([items, other]);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the snapshot');

  await ctx.sql(`INSERT INTO items VALUES (2, 'two'), (3, 'three')`);
  await ctx.sql(`UPDATE items SET v = 'TWO' WHERE id = 2`);
  await ctx.sql(`DELETE FROM items WHERE id = 3`);
  await ctx.sql(`TRUNCATE items`);
  await ctx.sql(`INSERT INTO items VALUES (4, 'four')`);
  // Qualified and quoted, and before any row event of `other` in this stream.
  await ctx.sql(`TRUNCATE TABLE \`${ctx.schema}\`.\`other\``);
  await ctx.sql(`INSERT INTO other VALUES (2)`);
  await ctx.sql(`INSERT INTO items VALUES (5, 'five')`);
  await ctx.sql(`truncate table items`);
  await ctx.sql(`INSERT INTO items VALUES (6, 'six')`);
  const onItems = (seen: SeenEvent[]) => seen.filter((e) => e.topic === items);
  await waitOrFail(
    connector,
    events,
    (seen) => onItems(seen).length >= 11 && seen.length >= 14,
    'the changes around the truncates',
  );
  await connector.stop();

  assert.deepEqual(summary(events, items), [
    ['r', 1],
    ['c', 2],
    ['c', 3],
    ['u', 2],
    ['d', 3],
    ['tombstone', 3],
    ['t', null],
    ['c', 4],
    ['c', 5],
    ['t', null],
    ['c', 6],
  ]);
  assert.deepEqual(summary(events, other), [
    ['r', 1],
    ['t', null],
    ['c', 2],
  ]);

  const truncates = events.changes().filter((e) => e.value.op === 't');
  assert.equal(truncates.length, 3);
  for (const t of truncates) {
    assert.equal(t.key, null);
    assert.equal(t.value.before, null);
    assert.equal(t.value.after, null);
    assert.equal(t.value.source['snapshot'], 'false');
    assert.equal(t.value.source['connector'], 'mariadb');
    assert.equal(t.value.source['db'], ctx.schema);
    assert.match(String(t.value.source['file']), /^binlog\.\d+$/);
    assert.equal(typeof t.value.source['pos'], 'bigint');
  }
  assert.deepEqual(truncates.map((t) => [t.topic, t.value.source['table']]).sort(), [
    [items, 'items'],
    [items, 'items'],
    [other, 'other'],
  ]);
  // Binlog order: c4 < t(items) < c5 < t(items) < c6, by position in one file or across files.
  const at = (e: Change): Position => ({
    file: String(e.value.source['file']),
    pos: Number(e.value.source['pos']),
  });
  const itemChanges = events.changes(items).filter((e) => e.value.op !== 'r');
  for (let i = 1; i < itemChanges.length; i++) {
    const [a, b] = [itemChanges[i - 1]!, itemChanges[i]!];
    assert.ok(
      atOrBefore(at(a), at(b)),
      `${a.value.op} at ${JSON.stringify(at(a))} comes before ${b.value.op} at ${JSON.stringify(at(b))}`,
    );
  }
  // A TRUNCATE is a transaction of its own (an implicit commit in MySQL).
  const first = events.changes(items).find((e) => e.value.op === 't')!;
  const c2 = events.changes(items).find((e) => e.key?.['id'] === 2)!;
  assert.ok(first.value.source['gtid'], 'MariaDB GTIDs are on');
  assert.notEqual(first.value.source['gtid'], c2.value.source['gtid']);
});

test('MariaDB on a compacted topic: a TRUNCATE is skipped (records there need a key) and later changes still flow', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE items (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`INSERT INTO items VALUES (1, 'one')`);
  const connector = ctx.start();
  await using events = await EventCollector.open([ctx.topic('items')]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  await ctx.sql(`TRUNCATE items`);
  await ctx.sql(`INSERT INTO items VALUES (2, 'two')`);
  await ctx.sql(`TRUNCATE TABLE items`);
  await ctx.sql(`INSERT INTO items VALUES (3, 'three')`);
  await waitOrFail(connector, events, (seen) => seen.length >= 3, 'the inserts after the truncates');
  await connector.stop();
  assert.deepEqual(summary(events, ctx.topic('items')), [
    ['r', 1],
    ['c', 2],
    ['c', 3],
  ]);
});

test('MariaDB primary-key change (UPDATE SET id) is a delete of the old key with its tombstone and a create of the new one, in one source transaction', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE users (id int PRIMARY KEY, name varchar(20) NOT NULL)`);
  await ctx.sql(`INSERT INTO users VALUES (1, 'ann'), (2, 'bob'), (3, 'cyd')`);

  const topic = ctx.topic('users');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 3, 'the snapshot');
  await ctx.sql(`UPDATE users SET id = 100 WHERE id = 1`);
  await ctx.sql(`UPDATE users SET name = 'bobby' WHERE id = 2`);
  // One statement changing the key and another column of a row.
  await ctx.sql(`UPDATE users SET id = 300, name = 'cy' WHERE id = 3`);
  await waitOrFail(connector, events, (seen) => seen.length >= 10, 'the updates');
  await connector.stop();

  assert.deepEqual(summary(events, topic), [
    ['r', 1],
    ['r', 2],
    ['r', 3],
    ['d', 1],
    ['tombstone', 1],
    ['c', 100],
    ['u', 2],
    ['d', 3],
    ['tombstone', 3],
    ['c', 300],
  ]);
  const [deleted, tombstone, created] = events.events.slice(3, 6) as [Change, SeenEvent, Change];
  assert.deepEqual({ ...deleted.value.before }, { id: 1, name: 'ann' });
  assert.equal(deleted.value.after, null);
  assert.equal(tombstone.partition, deleted.partition);
  assert.equal(tombstone.offset, deleted.offset + 1n);
  assert.equal(created.value.before, null);
  assert.deepEqual({ ...created.value.after }, { id: 100, name: 'ann' });
  // Both halves belong to the one source transaction of the UPDATE.
  assert.ok(deleted.value.transaction?.id, 'the events carry their source transaction');
  assert.equal(deleted.value.transaction?.id, created.value.transaction?.id);
  assert.equal(deleted.value.source['gtid'], created.value.source['gtid']);
  const update = events.events[6] as Change;
  assert.deepEqual({ ...update.value.before }, { id: 2, name: 'bob' });
  assert.deepEqual({ ...update.value.after }, { id: 2, name: 'bobby' });
  const [deleted3, , created3] = events.events.slice(7, 10) as [Change, SeenEvent, Change];
  assert.deepEqual({ ...deleted3.value.before }, { id: 3, name: 'cyd' });
  assert.deepEqual({ ...created3.value.after }, { id: 300, name: 'cy' });
});

test('MariaDB table without a primary key streams r, c, u and d events with null keys and no tombstone, duplicate rows included', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE log (msg varchar(20), n int)`);
  await ctx.sql(`INSERT INTO log VALUES ('before', 1), ('twin', 7), ('twin', 7)`);

  const topic = ctx.topic('log');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 3, 'the snapshot');
  await ctx.sql(`INSERT INTO log VALUES ('after', 2)`);
  await ctx.sql(`UPDATE log SET n = 3 WHERE msg = 'after'`);
  await ctx.sql(`DELETE FROM log WHERE msg = 'before'`);
  await ctx.sql(`DELETE FROM log WHERE msg = 'twin' LIMIT 1`);
  await waitOrFail(connector, events, (seen) => seen.length >= 7, 'the streamed changes');
  await connector.stop();

  assert.deepEqual(
    events.events.map((e) => [e.value?.op ?? 'tombstone', e.key]),
    [
      ['r', null],
      ['r', null],
      ['r', null],
      ['c', null],
      ['u', null],
      ['d', null],
      ['d', null],
    ],
  );
  const changes = events.changes(topic);
  assert.deepEqual(
    changes.slice(0, 3).map((e) => ({ ...e.value.after })),
    [
      { msg: 'before', n: 1 },
      { msg: 'twin', n: 7 },
      { msg: 'twin', n: 7 },
    ],
  );
  const [, , , create, update, del, twin] = changes;
  assert.deepEqual({ ...create!.value.after }, { msg: 'after', n: 2 });
  assert.deepEqual({ ...update!.value.before }, { msg: 'after', n: 2 });
  assert.deepEqual({ ...update!.value.after }, { msg: 'after', n: 3 });
  assert.deepEqual({ ...del!.value.before }, { msg: 'before', n: 1 });
  assert.deepEqual({ ...twin!.value.before }, { msg: 'twin', n: 7 });
  const [left] = await ctx.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM log WHERE msg = 'twin'`);
  assert.equal(Number(left!.n), 1, 'one twin is left');
});

test('MariaDB transaction touching a captured and a non-captured table emits only the captured changes; the offset advances past it and a restart delivers nothing twice', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE keep_a (id int PRIMARY KEY, v int NOT NULL)`);
  await ctx.sql(`CREATE TABLE skip_b (id int PRIMARY KEY, v int NOT NULL)`);
  await ctx.sql(`INSERT INTO keep_a VALUES (1, 0)`);
  await ctx.sql(`INSERT INTO skip_b VALUES (1, 0)`);
  const overrides = { source: { tables: { include: [`${ctx.schema}.keep*`] } } };
  const keep = ctx.topic('keep_a');
  let connector = ctx.start(overrides);
  await using events = await EventCollector.open([keep]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

  const session = await ctx.session();
  try {
    await session.sql('BEGIN');
    await session.sql(`INSERT INTO skip_b VALUES (2, 0)`);
    await session.sql(`INSERT INTO keep_a VALUES (2, 0)`);
    await session.sql(`UPDATE skip_b SET v = v + 1`);
    await session.sql(`UPDATE keep_a SET v = v + 1 WHERE id = 1`);
    await session.sql('COMMIT');
    // Then transactions of the non-captured table only.
    await session.sql(`INSERT INTO skip_b VALUES (3, 0)`);
    await session.sql(`UPDATE skip_b SET v = v + 1`);
  } finally {
    await session.end();
  }
  const afterSkipped = await serverPosition(ctx);
  await waitOrFail(connector, events, (seen) => seen.length >= 3, 'the captured changes');
  // The offset moves past the transactions that had nothing to capture.
  await waitForCommitted(ctx, afterSkipped, connector);
  await connector.stop();

  const mixed = events.changes(keep).slice(1);
  assert.deepEqual(
    mixed.map((e) => [e.value.op, { ...e.value.after }]),
    [
      ['c', { id: 2, v: 0 }],
      ['u', { id: 1, v: 1 }],
    ],
  );
  assert.deepEqual(
    mixed.map((e) => e.value.source['table']),
    ['keep_a', 'keep_a'],
  );
  // The two captured changes of the one source transaction, in its order (the
  // non-captured changes between them are not counted).
  assert.equal(mixed[0]!.value.transaction?.id, mixed[1]!.value.transaction?.id);
  assert.deepEqual(
    mixed.map((e) => e.value.transaction?.total_order),
    [1n, 2n],
  );
  assert.equal(
    events.events.filter((e) => e.topic !== keep).length,
    0,
    'nothing on other topics in this collector',
  );

  // A restart resumes after the committed offset: nothing is delivered again.
  connector = ctx.start(overrides);
  await ctx.sql(`INSERT INTO keep_a VALUES (3, 0)`);
  await waitOrFail(
    connector,
    events,
    (seen) => seen.some((e) => e.key?.['id'] === 3),
    'the change after the restart',
  );
  await connector.stop();
  assert.deepEqual(summary(events, keep), [
    ['r', 1],
    ['c', 2],
    ['u', 1],
    ['c', 3],
  ]);
});

test('MariaDB transaction with a SAVEPOINT is delivered whole, as one source transaction, and once across a restart', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE items (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`INSERT INTO items VALUES (1, 'one')`);
  const topic = ctx.topic('items');
  let connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

  const session = await ctx.session();
  try {
    await session.sql('BEGIN');
    await session.sql(`INSERT INTO items VALUES (2, 'two')`);
    await session.sql('SAVEPOINT s1');
    await session.sql(`INSERT INTO items VALUES (3, 'gone')`);
    await session.sql('ROLLBACK TO SAVEPOINT s1');
    await session.sql('SAVEPOINT s2');
    await session.sql(`INSERT INTO items VALUES (4, 'four')`);
    await session.sql('RELEASE SAVEPOINT s2');
    await session.sql(`UPDATE items SET v = 'ONE' WHERE id = 1`);
    await session.sql('COMMIT');
  } finally {
    await session.end();
  }
  const afterTransaction = await serverPosition(ctx);
  await waitOrFail(connector, events, (seen) => seen.length >= 4, 'the transaction with savepoints');
  await waitForCommitted(ctx, afterTransaction, connector);
  await connector.stop();

  connector = ctx.start();
  await ctx.sql(`INSERT INTO items VALUES (5, 'five')`);
  await waitOrFail(
    connector,
    events,
    (seen) => seen.some((e) => e.key?.['id'] === 5),
    'the change after the restart',
  );
  await connector.stop();

  assert.deepEqual(summary(events, topic), [
    ['r', 1],
    ['c', 2],
    ['c', 4],
    ['u', 1],
    ['c', 5],
  ]);
  const tx = events.changes(topic).slice(1, 4);
  assert.ok(tx[0]!.value.transaction?.id, 'the events carry their source transaction');
  assert.deepEqual(
    tx.map((e) => [e.value.transaction?.id, e.value.transaction?.total_order]),
    [
      [tx[0]!.value.transaction?.id, 1n],
      [tx[0]!.value.transaction?.id, 2n],
      [tx[0]!.value.transaction?.id, 3n],
    ],
  );
});

test('MariaDB table created while streaming that matches source.tables is captured from its first row', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE keep_old (id int PRIMARY KEY)`);
  await ctx.sql(`INSERT INTO keep_old VALUES (1)`);
  const overrides = { source: { tables: { include: [`${ctx.schema}.keep*`] } } };
  const connector = ctx.start(overrides);
  await using old = await EventCollector.open([ctx.topic('keep_old')]);
  await waitOrFail(connector, old, (seen) => seen.length >= 1, 'the snapshot');

  await ctx.sql(`CREATE TABLE keep_new (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`CREATE TABLE skip_new (id int PRIMARY KEY)`);
  await ctx.sql(`INSERT INTO keep_new VALUES (1, 'first')`);
  await ctx.sql(`INSERT INTO skip_new VALUES (1)`);
  await ctx.sql(`INSERT INTO keep_old VALUES (2)`);
  await waitOrFail(connector, old, (seen) => seen.length >= 2, 'the change after the CREATE TABLE');
  // Its first row (committed before keep_old's) created its topic.
  await waitForTopics(testKafka(), [ctx.topic('keep_new')], 5_000);
  await using fresh = await EventCollector.open([ctx.topic('keep_new')]);
  await waitOrFail(connector, fresh, (seen) => seen.length >= 1, 'the first row of the new table');
  await connector.stop();
  assert.deepEqual(
    fresh.changes().map((e) => [e.value.op, { ...e.value.after }]),
    [['c', { id: 1, v: 'first' }]],
  );
});

for (const cleanupPolicy of ['compact', 'delete'] as const) {
  test(`MariaDB TRUNCATE of a table dropped before the binlog is read (${cleanupPolicy} topics) does not stop the connector`, async () => {
    await using ctx = await MysqlTestContext.open();
    await ctx.sql(`CREATE TABLE items (id int PRIMARY KEY, v varchar(10))`);
    await ctx.sql(`CREATE TABLE other (id int PRIMARY KEY)`);
    await ctx.sql(`INSERT INTO items VALUES (1, 'one')`);
    const overrides = { topics: { prefix: ctx.name, cleanupPolicy } };
    let connector = ctx.start(overrides);
    await using events = await EventCollector.open([ctx.topic('items')]);
    await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
    await connector.stop();

    // The TRUNCATE is the table's first event after the restart, and the table is gone by then.
    await ctx.sql(`TRUNCATE items`);
    await ctx.sql(`DROP TABLE items`);
    await ctx.sql(`INSERT INTO other VALUES (1)`);
    connector = ctx.start(overrides);
    await waitForTopics(testKafka(), [ctx.topic('other')], 20_000);
    await using others = await EventCollector.open([ctx.topic('other')]);
    await waitOrFail(connector, others, (seen) => seen.length >= 1, 'the change after the TRUNCATE and DROP');
    await connector.stop();
    assert.deepEqual(summary(others, ctx.topic('other')), [['c', 1]]);
    // No version of the table without columns was registered.
    const versions = await fetch(
      `${stackEnv().registryUrl}/subjects/${encodeURIComponent(`${ctx.topic('items')}-value`)}/versions`,
    );
    assert.deepEqual(await versions.json(), [1]);
  });
}

test('MariaDB CREATE TABLE ... SELECT and CREATE OR REPLACE TABLE ... SELECT stream their rows as one source transaction', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.sql(`CREATE TABLE source_rows (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`INSERT INTO source_rows VALUES (1, 'a'), (2, 'b')`);
  await ctx.sql(`CREATE TABLE copy (id int PRIMARY KEY, v varchar(10))`);
  await ctx.sql(`INSERT INTO copy VALUES (9, 'old')`);
  const connector = ctx.start();
  await using events = await EventCollector.open([ctx.topic('copy')]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

  // One statement: DDL and rows in one binlog group, ended by its XID.
  await ctx.sql(`CREATE OR REPLACE TABLE copy (PRIMARY KEY (id)) SELECT id, v FROM source_rows`);
  await ctx.sql(`CREATE TABLE fresh (PRIMARY KEY (id)) SELECT id, v FROM source_rows`);
  await ctx.sql(`INSERT INTO copy VALUES (3, 'c')`);
  await waitOrFail(connector, events, (seen) => seen.length >= 4, 'the rows of CREATE OR REPLACE ... SELECT');
  await waitForTopics(testKafka(), [ctx.topic('fresh')], 5_000);
  await using fresh = await EventCollector.open([ctx.topic('fresh')]);
  await waitOrFail(connector, fresh, (seen) => seen.length >= 2, 'the rows of CREATE TABLE ... SELECT');
  await connector.stop();

  assert.deepEqual(summary(events, ctx.topic('copy')), [
    ['r', 9],
    ['c', 1],
    ['c', 2],
    ['c', 3],
  ]);
  const [, one, two] = events.changes();
  assert.equal(one!.value.transaction?.id, two!.value.transaction?.id);
  assert.deepEqual(
    fresh.changes().map((e) => [e.value.op, { ...e.value.after }]),
    [
      ['c', { id: 1, v: 'a' }],
      ['c', { id: 2, v: 'b' }],
    ],
  );
});
