import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventCollector } from '../harness/kafka-events.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { assertItemsMatch, ITEMS_DDL, ItemsWriter, loadItems } from '../harness/row-versions.ts';

test('connections cut by the server mid-stream: the sidecar reconnects and resumes with no loss and no duplicate', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql(ITEMS_DDL);
  await loadItems(ctx, 1_000);
  const writer = new ItemsWriter(ctx, { idRange: 1_000, firstNewId: 10_000, pauseMs: 2 });
  const connector = ctx.start();
  await using events = await EventCollector.open([ctx.topic('items')]);

  for (let cut = 0; cut < 2; cut++) {
    const seen = events.events.length;
    await events.waitFor((all) => all.length > seen + 500, 60_000, 'changes before the cut');
    // Every connection of the sidecar (replication and catalog), as a failover or a network cut would.
    const cuts = await ctx.sql<{ cut: boolean }>(
      `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'tributary' AND pid <> pg_backend_pid()`,
    );
    assert.ok(cuts.length > 0, 'the sidecar had connections to cut');
  }
  const seen = events.events.length;
  await events.waitFor((all) => all.length > seen + 300, 90_000, 'changes after the last cut');
  await writer.stop();
  await ctx.sql(`INSERT INTO items VALUES (-1, 0, 'sentinel')`);
  await events.waitFor((all) => all.some((e) => e.key?.id === -1), 90_000, 'the sentinel row');
  await connector.stop();
  await assertItemsMatch(events.events, ctx.sql);
});
