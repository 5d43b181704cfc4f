import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitOf, type ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { assertItemsMatch, ITEMS_DDL, ItemsWriter, loadItems } from '../harness/row-versions.ts';

/** A last transaction whose event, once seen, means everything before it was consumed (one partition). */
async function sentinel(ctx: ConnectorTestContext, events: EventCollector): Promise<void> {
  await ctx.sql(`INSERT INTO items VALUES (-1, 0, 'sentinel')`);
  await events.waitFor((seen) => seen.some((e) => e.key?.id === -1), 120_000, 'the sentinel row');
}

export function exactlyOnceSuite(open: () => Promise<ConnectorTestContext>): void {
  test('a 100k-row snapshot with concurrent writes: every later change once, in order, final state equals the table', async () => {
    await using ctx = await open();
    await ctx.sql(ITEMS_DDL);
    await loadItems(ctx, 100_000);

    const connector = ctx.start({ source: { snapshot: { chunkSize: 2_000 } } });
    const writer = new ItemsWriter(ctx, { idRange: 100_000, firstNewId: 200_000 });
    await using events = await EventCollector.open([ctx.topic('items')]);
    await events.waitFor(
      (seen) => seen.some((e) => e.value?.source.snapshot === 'last'),
      420_000,
      'the end of the snapshot',
    );
    const duringSnapshot = writer.transactions;
    await events.waitFor(
      () => writer.transactions > duringSnapshot + 50,
      60_000,
      'more writes while streaming',
    );
    await writer.stop();
    await sentinel(ctx, events);
    await connector.stop();

    assert.ok(duringSnapshot > 0, 'the writer committed transactions while the snapshot ran');
    const reads = events.changes().filter((e) => e.value.op === 'r');
    // Rows the writer touched before the snapshot point are part of the snapshot too.
    assert.ok(reads.length >= 99_000, `${reads.length} snapshot reads`);
    assert.equal(new Set(reads.map((e) => e.key?.id)).size, reads.length, 'no row is read twice');
    await assertItemsMatch(events.events, ctx.sql);
  });

  test('SIGTERM mid-stream exits 0, and a restart continues with no loss and no duplicate', async () => {
    await using ctx = await open();
    await ctx.sql(ITEMS_DDL);
    await loadItems(ctx, 500);
    const writer = new ItemsWriter(ctx, { idRange: 500, firstNewId: 10_000, pauseMs: 2 });

    let child = ctx.spawn();
    let spawnedAt = Date.now();
    await using events = await EventCollector.open([ctx.topic('items')]);
    for (let round = 0; round < 2; round++) {
      // Count only what this child wrote (ts_ms: when the connector processed
      // it): the previous child's backlog may still be arriving, and a child
      // signalled before it has started is killed, not stopped.
      await events.waitFor(
        (all) => all.filter((e) => Number(e.value?.ts_ms ?? 0) > spawnedAt).length > 300,
        60_000,
        'streamed changes',
      );
      child.kill('SIGTERM');
      assert.equal(await exitOf(child), 0, 'a graceful stop exits 0');
      child = ctx.spawn();
      spawnedAt = Date.now();
    }
    const seen = events.events.length;
    await events.waitFor((all) => all.length > seen + 100, 60_000, 'changes after the restart');
    await writer.stop();
    await sentinel(ctx, events);
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    await assertItemsMatch(events.events, ctx.sql);
  });

  test('SIGKILL at any point: a restart resumes after the last committed transaction, no loss, no duplicate', async () => {
    await using ctx = await open();
    await ctx.sql(ITEMS_DDL);
    await loadItems(ctx, 30_000);
    const writer = new ItemsWriter(ctx, { idRange: 30_000, firstNewId: 100_000, pauseMs: 1 });
    const overrides = { source: { snapshot: { chunkSize: 500 } }, batch: { maxDelayMs: 5 } };

    let child = ctx.spawn(overrides);
    await using events = await EventCollector.open([ctx.topic('items')]);
    // First kill mid-snapshot, then twice while streaming.
    await events.waitFor((all) => all.length > 2_000, 60_000, 'part of the snapshot');
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        const seen = events.events.length;
        await events.waitFor(
          (all) => all.length > seen + 500 + Math.floor(Math.random() * 500),
          120_000,
          'more changes',
        );
      }
      child.kill('SIGKILL');
      await exitOf(child);
      child = ctx.spawn(overrides);
    }
    await events.waitFor(
      (all) => all.some((e) => e.value?.source.snapshot === 'last'),
      120_000,
      'the end of the snapshot',
    );
    await writer.stop();
    await sentinel(ctx, events);
    child.kill('SIGTERM');
    await exitOf(child);
    await assertItemsMatch(events.events, ctx.sql, { resumedSnapshot: true });
  });
}
