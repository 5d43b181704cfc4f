import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitOf, type ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector, watchUncommitted } from '../harness/kafka-events.ts';

const ROWS = 20_000;
const TABLES = ['a', 'b', 'c'];

export function atomicitySuite(open: () => Promise<ConnectorTestContext>): void {
  test('a source transaction across three tables is one Kafka transaction: all or nothing, even when the sidecar dies mid-send', async () => {
    await using ctx = await open();
    for (const table of TABLES) await ctx.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, tx int NOT NULL)`);
    let child = ctx.spawn();

    // A first small transaction creates the topics and registers the schemas.
    await ctx.sql('BEGIN');
    for (const table of TABLES) await ctx.sql(`INSERT INTO ${table} VALUES (0, 1)`);
    await ctx.sql('COMMIT');
    const topics = TABLES.map((t) => ctx.topic(t));
    await using events = await EventCollector.open(topics);
    await events.waitFor((seen) => seen.length === 3, 60_000, 'the first transaction');

    // Watch topic a without read_committed: records appear there before the commit.
    const peek = await watchUncommitted(topics[0]!, 1n);

    await ctx.sql('BEGIN');
    for (const table of TABLES) await ctx.insertSeries(table, ROWS, 'g, 2');
    await ctx.sql('COMMIT');
    await peek.arrived;
    child.kill('SIGKILL');
    await exitOf(child);
    await peek[Symbol.asyncDispose]();

    // The killed sidecar's transaction is open or committed: a read_committed
    // consumer sees none of it or all of it, on every topic alike.
    const countsOf = () =>
      TABLES.map((_, i) => events.changes(topics[i]).filter((e) => e.value.after?.tx === 2).length);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterKill = countsOf();
    assert.ok(
      afterKill.every((n) => n === 0) || afterKill.every((n) => n === ROWS),
      `after the kill a read_committed consumer saw ${afterKill.join('/')} of ${ROWS} rows per table`,
    );

    child = ctx.spawn();
    await events.waitFor(
      () => countsOf().every((n) => n >= ROWS),
      120_000,
      'the transaction after the restart',
    );
    await ctx.sql('INSERT INTO a VALUES (-1, 3)');
    await events.waitFor((seen) => seen.some((e) => e.value?.after?.tx === 3), 60_000, 'a later transaction');
    child.kill('SIGTERM');
    await exitOf(child);

    assert.deepEqual(countsOf(), [ROWS, ROWS, ROWS], 'exactly once per row');
    const txEvents = TABLES.flatMap((_, i) =>
      events.changes(topics[i]).filter((e) => e.value.after?.tx === 2),
    );
    const ids = new Set(txEvents.map((e) => e.value.transaction?.id));
    assert.equal(ids.size, 1, 'one source transaction id on every event');
    const orders = txEvents
      .map((e) => e.value.transaction!.total_order)
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.equal(orders[0], 1n);
    assert.equal(orders.at(-1), BigInt(3 * ROWS), 'total_order counts the whole source transaction');
  });
}
