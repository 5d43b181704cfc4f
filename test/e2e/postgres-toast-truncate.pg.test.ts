/**
 * Before/after images end to end: TOASTed values under REPLICA IDENTITY FULL
 * (the default) and under `replicaIdentity: keep`, TRUNCATE, deletes with
 * their tombstones, and primary-key changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventCollector, type SeenEvent } from '../harness/kafka-events.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { waitOrFail } from '../harness/waiting.ts';

type Change = SeenEvent & { value: NonNullable<SeenEvent['value']> };

/** SQL for ~12.8 kB of incompressible text (an md5 chain), different per `seed`. */
const bigText = (seed: string): string =>
  `(SELECT string_agg(md5(i::text || '${seed}'), '') FROM generate_series(1, 400) AS i)`;
const bigJson = (seed: string): string => `jsonb_build_object('seed', '${seed}', 'blob', ${bigText(seed)})`;
const bigBytes = (seed: string): string =>
  `(SELECT decode(string_agg(md5(i::text || '${seed}'), ''), 'hex') FROM generate_series(1, 800) AS i)`;

/** Out-of-line, uncompressed storage: any value over ~2 kB goes to the TOAST table. */
async function storeExternally(ctx: PgTestContext, table: string, columns: string[]): Promise<void> {
  const clauses = columns.map((c) => `ALTER COLUMN ${c} SET STORAGE EXTERNAL`).join(', ');
  await ctx.db.query(`ALTER TABLE ${table} ${clauses}`);
}

async function toastChunks(ctx: PgTestContext, table: string): Promise<number> {
  const { rows } = await ctx.db.query<{ toast: string }>(
    `SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  const count = await ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${rows[0]!.toast}`);
  return Number(count.rows[0]!.n);
}

interface LargeValues {
  body: string;
  doc: string;
  bin: string;
}

async function largeValues(ctx: PgTestContext, table: string, id: number): Promise<LargeValues> {
  const { rows } = await ctx.db.query<LargeValues>(
    `SELECT body, doc::text AS doc, encode(bin, 'hex') AS bin FROM ${table} WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

const hexOf = (value: unknown): string => {
  assert.ok(Buffer.isBuffer(value), `expected bytes, got ${typeof value}`);
  return value.toString('hex');
};

test('TOAST with replicaIdentity full: updating another column carries the whole unchanged text, jsonb and bytea values in after, equal to before', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(
    `CREATE TABLE docs (id int PRIMARY KEY, n int NOT NULL, body text NOT NULL, doc jsonb, bin bytea)`,
  );
  await storeExternally(ctx, 'docs', ['body', 'doc', 'bin']);
  await ctx.db.query(`INSERT INTO docs VALUES (1, 0, ${bigText('a')}, ${bigJson('a')}, ${bigBytes('a')})`);
  // The values really live out of line, so the WAL's new tuple marks them "unchanged".
  assert.ok((await toastChunks(ctx, 'docs')) > 0, 'the large values are not in the TOAST table');

  const topic = ctx.topic('docs');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  await ctx.db.query(`INSERT INTO docs VALUES (2, 0, ${bigText('b')}, ${bigJson('b')}, ${bigBytes('b')})`);
  await ctx.db.query(`UPDATE docs SET n = n + 1`);
  await ctx.db.query(`DELETE FROM docs WHERE id = 2`);
  await waitOrFail(connector, events, (seen) => seen.length >= 6, 'the updates and the delete');
  await connector.stop();

  const one = await largeValues(ctx, 'docs', 1);
  assert.ok(one.body.length > 8192 && one.bin.length / 2 > 8192 && one.doc.length > 8192);
  const two = {
    body: (await ctx.db.query<{ v: string }>(`SELECT ${bigText('b')} AS v`)).rows[0]!.v,
    doc: (await ctx.db.query<{ v: string }>(`SELECT (${bigJson('b')})::text AS v`)).rows[0]!.v,
    bin: (await ctx.db.query<{ v: string }>(`SELECT encode(${bigBytes('b')}, 'hex') AS v`)).rows[0]!.v,
  };

  const changes = events.changes(topic);
  assert.deepEqual(
    changes.map((e) => [e.value.op, e.key?.['id']]),
    [
      ['r', 1],
      ['c', 2],
      ['u', 1],
      ['u', 2],
      ['d', 2],
    ],
  );
  const updates = changes.filter((e) => e.value.op === 'u');
  for (const [update, expected] of [
    [updates[0]!, one],
    [updates[1]!, two],
  ] as const) {
    const { before, after } = update.value;
    assert.ok(before && after);
    assert.equal(before['n'], 0);
    assert.equal(after['n'], 1);
    for (const image of [before, after]) {
      assert.equal(image['body'], expected.body, 'text body');
      assert.equal(image['doc'], expected.doc, 'jsonb doc');
      assert.equal(hexOf(image['bin']), expected.bin, 'bytea bin');
    }
  }
  // The delete's before image is whole too, and a tombstone follows it.
  const del = changes.find((e) => e.value.op === 'd')!;
  assert.equal(del.value.before?.['body'], two.body);
  assert.equal(hexOf(del.value.before?.['bin']), two.bin);
  const last = events.events[events.events.length - 1]!;
  assert.equal(last.value, null);
  assert.deepEqual({ ...last.key }, { id: 2 });
});

test('TOAST with replicaIdentity keep: before is null for updates that keep the key and key-only otherwise, unchanged TOASTed values are null in after', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE notes (id int PRIMARY KEY, n int, body text, bin bytea)`);
  await storeExternally(ctx, 'notes', ['body', 'bin']);
  await ctx.db.query(`INSERT INTO notes VALUES (1, 0, ${bigText('a')}, ${bigBytes('a')})`);
  assert.ok((await toastChunks(ctx, 'notes')) > 0, 'the large values are not in the TOAST table');

  const topic = ctx.topic('notes');
  const connector = ctx.start({ source: { ...ctx.configInput().source, replicaIdentity: 'keep' } });
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  const identity = await ctx.db.query<{ r: string }>(
    `SELECT relreplident AS r FROM pg_class WHERE oid = 'notes'::regclass`,
  );
  assert.equal(identity.rows[0]!.r, 'd', 'keep must leave the replica identity alone');

  await ctx.db.query(`UPDATE notes SET n = 1 WHERE id = 1`);
  await ctx.db.query(`UPDATE notes SET body = ${bigText('new')} WHERE id = 1`);
  await ctx.db.query(`UPDATE notes SET id = 10 WHERE id = 1`);
  await ctx.db.query(`DELETE FROM notes WHERE id = 10`);
  await waitOrFail(connector, events, (seen) => seen.length >= 8, 'the updates and the delete');
  await connector.stop();

  const newBody = (await ctx.db.query<{ v: string }>(`SELECT ${bigText('new')} AS v`)).rows[0]!.v;
  const [read, touch, rewrite, oldKeyGone, newKey, del] = events.changes(topic);
  assert.equal(read!.value.op, 'r');
  assert.ok((read!.value.after?.['body'] as string).length > 8192);

  // An update keeping the key: no before image; the unchanged TOASTed values are null.
  assert.equal(touch!.value.op, 'u');
  assert.equal(touch!.value.before, null);
  assert.deepEqual({ ...touch!.value.after }, { id: 1, n: 1, body: null, bin: null });

  // A TOASTed value that did change is sent whole.
  assert.equal(rewrite!.value.before, null);
  assert.equal(rewrite!.value.after?.['body'], newBody);
  assert.equal(rewrite!.value.after?.['bin'], null);

  // A key change: the old key is deleted (its before is the key only), then the new key created.
  assert.equal(oldKeyGone!.value.op, 'd');
  assert.deepEqual({ ...oldKeyGone!.value.before }, { id: 1, n: null, body: null, bin: null });
  assert.deepEqual({ ...oldKeyGone!.key }, { id: 1 });
  assert.equal(newKey!.value.op, 'c');
  assert.equal(newKey!.value.after?.['id'], 10);
  assert.equal(newKey!.value.after?.['n'], 1);
  assert.deepEqual({ ...newKey!.key }, { id: 10 });

  // A delete: the key only, then a tombstone.
  assert.equal(del!.value.op, 'd');
  assert.deepEqual({ ...del!.value.before }, { id: 10, n: null, body: null, bin: null });
  assert.equal(del!.value.after, null);
  const tombstone = events.events[events.events.length - 1]!;
  assert.deepEqual({ ...tombstone.key }, { id: 10 });
  assert.equal(tombstone.value, null);
});

test('replicaIdentity keep with NOT NULL columns: a TOAST-unchanged update and a key-only delete still stream (the missing values arrive as null)', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE strict (id int PRIMARY KEY, label text NOT NULL, body text NOT NULL)`);
  await storeExternally(ctx, 'strict', ['body']);
  await ctx.db.query(`INSERT INTO strict VALUES (1, 'a', ${bigText('a')})`);
  assert.ok((await toastChunks(ctx, 'strict')) > 0, 'the large value is not in the TOAST table');

  const topic = ctx.topic('strict');
  const connector = ctx.start({ source: { ...ctx.configInput().source, replicaIdentity: 'keep' } });
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  await ctx.db.query(`UPDATE strict SET label = 'b' WHERE id = 1`);
  await ctx.db.query(`DELETE FROM strict WHERE id = 1`);
  await waitOrFail(connector, events, (seen) => seen.length >= 4, 'the update, the delete and its tombstone');
  await connector.stop();

  const [, update, del] = events.changes(topic);
  assert.equal(update!.value.op, 'u');
  assert.deepEqual({ ...update!.value.after }, { id: 1, label: 'b', body: null });
  assert.equal(del!.value.op, 'd');
  assert.deepEqual({ ...del!.value.before }, { id: 1, label: null, body: null });
});

test('TRUNCATE yields a t event (null key, no before/after) on each truncated table of a non-compacted topic, in order after earlier changes; later changes still flow', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE items (id int PRIMARY KEY, v text)`);
  await ctx.db.query(`CREATE TABLE other (id int PRIMARY KEY)`);
  await ctx.db.query(`INSERT INTO items VALUES (1, 'one')`);
  await ctx.db.query(`INSERT INTO other VALUES (1)`);

  const items = ctx.topic('items');
  const other = ctx.topic('other');
  const connector = ctx.start({ topics: { prefix: ctx.name, cleanupPolicy: 'delete' } });
  await using events = await EventCollector.open([items, other]);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the snapshot');

  await ctx.db.query(`INSERT INTO items VALUES (2, 'two'), (3, 'three')`);
  await ctx.db.query(`UPDATE items SET v = 'TWO' WHERE id = 2`);
  await ctx.db.query(`DELETE FROM items WHERE id = 3`);
  await ctx.db.query(`TRUNCATE items, other`);
  await ctx.db.query(`INSERT INTO items VALUES (4, 'four')`);
  await ctx.db.query(`INSERT INTO other VALUES (2)`);
  // A truncate between changes of one transaction keeps its place.
  await ctx.db.query(`BEGIN`);
  await ctx.db.query(`INSERT INTO items VALUES (5, 'five')`);
  await ctx.db.query(`TRUNCATE items`);
  await ctx.db.query(`INSERT INTO items VALUES (6, 'six')`);
  await ctx.db.query(`COMMIT`);
  const onItems = (seen: SeenEvent[]) => seen.filter((e) => e.topic === items);
  await waitOrFail(
    connector,
    events,
    (seen) => onItems(seen).length >= 11 && seen.length >= 14,
    'the changes around the truncates',
  );
  await connector.stop();

  const summary = (topic: string) =>
    events.events
      .filter((e) => e.topic === topic)
      .map((e) => [e.value?.op ?? 'tombstone', e.key === null ? null : e.key['id']]);
  assert.deepEqual(summary(items), [
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
  assert.deepEqual(summary(other), [
    ['r', 1],
    ['t', null],
    ['c', 2],
  ]);

  const [sharedItems, inTransaction] = events.changes(items).filter((e) => e.value.op === 't') as [
    Change,
    Change,
  ];
  const sharedOther = events.changes(other).find((e) => e.value.op === 't')!;
  for (const t of [sharedItems, sharedOther, inTransaction]) {
    assert.equal(t.key, null);
    assert.equal(t.value.before, null);
    assert.equal(t.value.after, null);
    assert.equal(t.value.source['snapshot'], 'false');
    assert.equal(typeof t.value.source['lsn'], 'bigint');
    assert.equal(typeof t.value.source['txId'], 'bigint');
  }
  assert.equal(sharedItems.value.source['table'], 'items');
  assert.equal(sharedOther.value.source['table'], 'other');
  // One TRUNCATE of two tables is one source transaction.
  assert.equal(sharedItems.value.source['txId'], sharedOther.value.source['txId']);
  assert.equal(sharedItems.value.transaction?.id, sharedOther.value.transaction?.id);
  // The truncate inside a transaction shares it with the inserts around it, between them in log order.
  const c5 = events.changes(items).find((e) => e.key?.['id'] === 5)!;
  const c6 = events.changes(items).find((e) => e.key?.['id'] === 6)!;
  assert.equal(inTransaction.value.source['txId'], c5.value.source['txId']);
  assert.equal(inTransaction.value.source['txId'], c6.value.source['txId']);
  assert.deepEqual(
    [c5, inTransaction, c6].map((e) => e.value.transaction?.total_order),
    [1n, 2n, 3n],
  );
  const lsn = (e: Change) => e.value.source['lsn'] as bigint;
  assert.ok(lsn(c5) < lsn(inTransaction) && lsn(inTransaction) < lsn(c6), 'log order of c5, t, c6');
});

test('a table without a primary key streams r, c, u and d events with null keys and no tombstone (its topic must accept null keys)', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE log (msg text, n int)`);
  await ctx.db.query(`INSERT INTO log VALUES ('before', 1)`);

  const topic = ctx.topic('log');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await ctx.db.query(`INSERT INTO log VALUES ('after', 2)`);
  await ctx.db.query(`UPDATE log SET n = 3 WHERE msg = 'after'`);
  await ctx.db.query(`DELETE FROM log WHERE msg = 'before'`);
  await waitOrFail(connector, events, (seen) => seen.length >= 4, 'the snapshot and the streamed changes');
  await connector.stop();

  assert.deepEqual(
    events.events.map((e) => [e.value?.op ?? 'tombstone', e.key]),
    [
      ['r', null],
      ['c', null],
      ['u', null],
      ['d', null],
    ],
  );
  const [, , update, del] = events.changes(topic);
  assert.deepEqual({ ...update!.value.before }, { msg: 'after', n: 2 });
  assert.deepEqual({ ...update!.value.after }, { msg: 'after', n: 3 });
  assert.deepEqual({ ...del!.value.before }, { msg: 'before', n: 1 });
});

test('a delete yields d with the whole before image, then a tombstone (same key, same partition, null value)', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(
    `CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(12,2))`,
  );
  await ctx.db.query(`INSERT INTO accounts VALUES (1, 'ann', 10.50), (2, 'bob', NULL)`);

  const topic = ctx.topic('accounts');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the snapshot');
  await ctx.db.query(`DELETE FROM accounts WHERE id = 1`);
  await ctx.db.query(`DELETE FROM accounts WHERE id = 2`);
  await ctx.db.query(`INSERT INTO accounts VALUES (1, 'ann again', 0)`);
  await waitOrFail(connector, events, (seen) => seen.length >= 7, 'the deletes and the re-insert');
  await connector.stop();

  const seen = events.events;
  assert.deepEqual(
    seen.map((e) => [e.value?.op ?? 'tombstone', e.key?.['id']]),
    [
      ['r', 1],
      ['r', 2],
      ['d', 1],
      ['tombstone', 1],
      ['d', 2],
      ['tombstone', 2],
      ['c', 1],
    ],
  );
  const [, , d1, t1, d2, t2] = seen as [SeenEvent, SeenEvent, Change, SeenEvent, Change, SeenEvent];
  assert.deepEqual({ ...d1.value.before }, { id: 1, owner: 'ann', balance: '10.50' });
  assert.equal(d1.value.after, null);
  assert.deepEqual({ ...d2.value.before }, { id: 2, owner: 'bob', balance: null });
  for (const [d, tombstone] of [
    [d1, t1],
    [d2, t2],
  ] as const) {
    assert.deepEqual(tombstone.key, d.key);
    assert.equal(tombstone.partition, d.partition);
    assert.equal(tombstone.offset, d.offset + 1n);
    assert.equal(tombstone.value, null);
  }
});

test('a primary-key change (UPDATE SET id) is, as in Debezium, a delete of the old key with its tombstone and a create of the new one', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL)`);
  await ctx.db.query(`INSERT INTO users VALUES (1, 'ann'), (2, 'bob')`);

  const topic = ctx.topic('users');
  const connector = ctx.start();
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the snapshot');
  await ctx.db.query(`UPDATE users SET id = 100 WHERE id = 1`);
  await ctx.db.query(`UPDATE users SET name = 'bobby' WHERE id = 2`);
  await waitOrFail(connector, events, (seen) => seen.length >= 6, 'the updates');
  await connector.stop();

  assert.deepEqual(
    events.events.map((e) => [e.value?.op ?? 'tombstone', e.key?.['id']]),
    [
      ['r', 1],
      ['r', 2],
      ['d', 1],
      ['tombstone', 1],
      ['c', 100],
      ['u', 2],
    ],
  );
  const [deleted, created] = [events.events[2] as Change, events.events[4] as Change];
  assert.deepEqual({ ...deleted.value.before }, { id: 1, name: 'ann' });
  assert.equal(deleted.value.after, null);
  assert.equal(created.value.before, null);
  assert.deepEqual({ ...created.value.after }, { id: 100, name: 'ann' });
  // Both halves belong to the one source transaction of the UPDATE.
  assert.equal(deleted.value.transaction?.id, created.value.transaction?.id);
});

test('on a compacted topic a TRUNCATE is skipped (records there need a key) and later changes still flow', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.db.query(`CREATE TABLE items (id int PRIMARY KEY, v text)`);
  await ctx.db.query(`INSERT INTO items VALUES (1, 'one')`);
  const connector = ctx.start();
  await using events = await EventCollector.open([ctx.topic('items')]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
  await ctx.db.query(`TRUNCATE items`);
  await ctx.db.query(`INSERT INTO items VALUES (2, 'two')`);
  await waitOrFail(connector, events, (seen) => seen.length >= 2, 'the insert after the truncate');
  await connector.stop();
  assert.deepEqual(
    events.events.map((e) => [e.value?.op, e.key?.['id']]),
    [
      ['r', 1],
      ['c', 2],
    ],
  );
});
