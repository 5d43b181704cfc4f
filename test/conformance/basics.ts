import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector } from '../harness/kafka-events.ts';

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
    assert.equal(create!.value.source.table, 'orders');
    assert.equal(create!.value.source.db, ctx.dialect === 'postgres' ? ctx.name : ctx.schema);
    if (ctx.dialect === 'postgres') {
      assert.equal(typeof create!.value.source.lsn, 'bigint');
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
}
