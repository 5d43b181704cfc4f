import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { latestValueSchema, subjectVersions } from '../harness/registry.ts';

export function basicsSuite(open: () => Promise<ConnectorTestContext>): void {
  test('snapshot rows arrive as r events, then inserts, updates and deletes stream with before and after images', async () => {
    await using ctx = await open();
    await ctx.sql(
      `CREATE TABLE orders (id bigint PRIMARY KEY, item varchar(50) NOT NULL, qty int, price numeric(10,2))`,
    );
    await ctx.sql(`INSERT INTO orders VALUES (1, 'apple', 3, 1.50), (2, 'pear', NULL, 2.25)`);

    const connector = ctx.start();
    await using events = await EventCollector.open([ctx.topic('orders')]);
    await events.waitFor((seen) => seen.length >= 2, 60_000, 'the snapshot');

    await ctx.sql(`INSERT INTO orders VALUES (3, 'plum', 7, 0.99)`);
    await ctx.sql(`UPDATE orders SET qty = 4 WHERE id = 1`);
    await ctx.sql(`DELETE FROM orders WHERE id = 2`);
    await events.waitFor((seen) => seen.length >= 6, 60_000, 'the streamed changes');

    const summary = events.events.map((e) => [e.key?.id, e.value?.op ?? 'tombstone']);
    assert.deepEqual(summary, [
      [1n, 'r'],
      [2n, 'r'],
      [3n, 'c'],
      [1n, 'u'],
      [2n, 'd'],
      [2n, 'tombstone'],
    ]);
    const [read1, read2, create, update, del] = events.changes();
    assert.equal(read1!.value.source.snapshot, 'first');
    assert.equal(read2!.value.source.snapshot, 'last');
    assert.deepEqual({ ...read1!.value.after }, { id: 1n, item: 'apple', qty: 3, price: '1.50' });
    assert.equal(create!.value.source.snapshot, 'false');
    // The stack's MariaDB is captured as Debezium's MariaDB connector names itself.
    assert.equal(create!.value.source.connector, ctx.dialect === 'postgres' ? 'postgresql' : 'mariadb');
    assert.equal(create!.value.source.name, ctx.name);
    const {
      ts_ms: sourceMs,
      ts_us: sourceUs,
      ts_ns: sourceNs,
    } = create!.value.source as Record<string, bigint>;
    assert.equal(sourceUs! / 1000n, sourceMs, 'source.ts_us is the commit time, as ts_ms');
    assert.equal(sourceNs, sourceUs! * 1000n);
    assert.equal(create!.value.source.table, 'orders');
    assert.equal(create!.value.source.db, ctx.dialect === 'postgres' ? ctx.name : ctx.schema);
    if (ctx.dialect === 'postgres') {
      assert.equal(typeof create!.value.source.lsn, 'bigint');
      // Debezium's sequence: [last commit LSN, this event's LSN].
      const sequence = JSON.parse(String(create!.value.source.sequence)) as unknown[];
      assert.equal(sequence[1], String(create!.value.source.lsn));
      assert.equal(JSON.parse(String(read1!.value.source.sequence))[0], null);
    } else {
      assert.match(String(create!.value.source.file), /^binlog\.\d+$/);
      assert.equal(typeof create!.value.source.pos, 'bigint');
    }
    assert.deepEqual({ ...update!.value.before }, { id: 1n, item: 'apple', qty: 3, price: '1.50' });
    assert.deepEqual({ ...update!.value.after }, { id: 1n, item: 'apple', qty: 4, price: '1.50' });
    assert.deepEqual({ ...del!.value.before }, { id: 2n, item: 'pear', qty: null, price: '2.25' });
    assert.equal(del!.value.after, null);
    assert.equal(update!.value.transaction?.total_order, 1n);
    await connector.stop();
  });

  test('with transactionMetadata on, each source transaction has a BEGIN and an END (events per table) on the transaction topic', async () => {
    await using ctx = await open();
    await ctx.sql(`CREATE TABLE a (id int PRIMARY KEY, v int)`);
    await ctx.sql(`CREATE TABLE b (id int PRIMARY KEY)`);
    await ctx.sql(`INSERT INTO a VALUES (1, 0)`);
    await ctx.sql(`INSERT INTO b VALUES (0)`);
    const connector = ctx.start({ topics: { prefix: ctx.name, transactionMetadata: true } });
    const txTopic = `${ctx.name}.transaction`;
    await using events = await EventCollector.open([ctx.topic('a'), ctx.topic('b'), txTopic]);
    await events.waitFor((seen) => seen.length >= 2, 60_000, 'the snapshot');

    const writer = await ctx.session();
    try {
      await writer.sql('BEGIN');
      await writer.sql(`INSERT INTO b VALUES (1)`);
      await writer.sql(`INSERT INTO a VALUES (2, 0)`);
      await writer.sql(`UPDATE a SET v = 1 WHERE id = 1`);
      await writer.sql('COMMIT');
    } finally {
      await writer.end();
    }
    await ctx.sql(`DELETE FROM b WHERE id = 1`);

    const markers = () => events.changes(txTopic);
    await events.waitFor(() => markers().length >= 4, 60_000, 'two BEGIN and END pairs');
    const [begin, end, begin2, end2] = markers().map((e) => e.value as unknown as Record<string, unknown>);
    const id = begin!['id'] as string;
    assert.deepEqual(
      { ...begin },
      { status: 'BEGIN', id, event_count: null, data_collections: null, ts_ms: begin!['ts_ms'] },
    );
    assert.equal(end!['status'], 'END');
    assert.equal(end!['id'], id);
    assert.equal(end!['event_count'], 3n);
    assert.deepEqual(
      (end!['data_collections'] as Array<Record<string, unknown>>).map((c) => ({ ...c })),
      [
        { data_collection: `${ctx.schema}.b`, event_count: 1n },
        { data_collection: `${ctx.schema}.a`, event_count: 2n },
      ],
    );
    assert.equal(typeof end!['ts_ms'], 'bigint');
    assert.equal(markers()[0]!.key?.['id'], id);
    // The change events name their transactions (topics interleave in any order); the snapshot none.
    const changes = () => events.changes().filter((e) => e.topic !== txTopic && e.value.op !== 'r');
    await events.waitFor(() => changes().length >= 4, 60_000, 'the four streamed changes');
    const streamed = changes();
    const ids = streamed.map((e) => e.value.transaction?.id);
    assert.equal(ids.filter((x) => x === id).length, 3);
    assert.deepEqual(
      streamed.filter((e) => e.value.op === 'd').map((e) => e.value.transaction?.id),
      [begin2!['id']],
    );
    assert.equal(begin2!['status'], 'BEGIN');
    assert.notEqual(begin2!['id'], id);
    assert.equal(end2!['event_count'], 1n);
    assert.equal(
      events.changes().filter((e) => e.topic === txTopic).length,
      4,
      'a snapshot writes no transaction events',
    );
    await connector.stop();
  });

  test('constant column defaults are connect.default in the registered schema, from the snapshot and the stream alike', async () => {
    await using ctx = await open();
    await ctx.sql(
      `CREATE TABLE prices (id int PRIMARY KEY, label varchar(20) NOT NULL DEFAULT 'it''s', qty int DEFAULT 5, note varchar(5))`,
    );
    await ctx.sql(`INSERT INTO prices (id) VALUES (1)`);
    const connector = ctx.start();
    const topic = ctx.topic('prices');
    await using events = await EventCollector.open([topic]);
    await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');
    await ctx.sql(`INSERT INTO prices (id, note) VALUES (2, 'n')`);
    await events.waitFor((seen) => seen.length >= 2, 60_000, 'the streamed insert');

    const fields = await latestValueSchema(topic);
    assert.deepEqual(fields.get('label'), { type: 'string', 'connect.default': "it's" });
    assert.deepEqual(fields.get('qty'), [{ type: 'int', 'connect.default': 5 }, 'null']);
    assert.deepEqual(fields.get('note'), ['null', 'string']);
    assert.deepEqual({ ...events.changes()[1]!.value.after }, { id: 2, label: "it's", qty: 5, note: 'n' });
    assert.deepEqual(
      await subjectVersions(`${topic}-value`),
      [1],
      'one schema for the snapshot and the stream',
    );
    await connector.stop();
  });
}
