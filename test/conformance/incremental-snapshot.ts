import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { exitOf, type ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector, type SeenEvent } from '../harness/kafka-events.ts';
import { CLI, contextConfigFile, freePort, untilReady } from '../harness/cli.ts';

const run = promisify(execFile);

const incremental = (events: EventCollector) =>
  events.changes().filter((e) => e.value.op === 'r' && e.value.source.snapshot === 'incremental');

/** The last version of every key in topic order: deleted keys are absent. */
function finalState(events: SeenEvent[]): Map<number, number> {
  const state = new Map<number, number>();
  for (const e of events) {
    const id = Number(e.key!.id);
    if (!e.value || e.value.op === 'd') state.delete(id);
    else state.set(id, Number(e.value.after!.v));
  }
  return state;
}

export function incrementalSnapshotSuite(open: () => Promise<ConnectorTestContext>): void {
  test('tributary snapshot re-reads a table while a concurrent writer changes it: no update is lost behind a stale r', async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)');
    await ctx.insertSeries('items', 2000, 'g, 0');
    const port = await freePort();
    const overrides = {
      http: { port, host: '127.0.0.1' },
      source: { snapshot: { incrementalChunkSize: 100 } },
    };
    const file = contextConfigFile(ctx, overrides);
    const child = ctx.spawn(overrides);
    await untilReady(port);

    // The writer only ever raises v, so a stale r would show as v going down for its key.
    const writer = await ctx.session();
    let writing = true;
    let nextId = 2001;
    let writes = 0;
    const writes$ = (async () => {
      while (writing) {
        const id = 1 + Math.floor(Math.random() * 1999);
        const roll = Math.random();
        if (roll < 0.8) await writer.sql('UPDATE items SET v = v + 1 WHERE id = $1', [id]);
        else if (roll < 0.9) await writer.sql('DELETE FROM items WHERE id = $1', [id]);
        else await writer.sql('INSERT INTO items VALUES ($1, 1)', [nextId++]);
        writes += 1;
      }
    })();

    const { stdout } = await run(process.execPath, [
      CLI,
      'snapshot',
      `${ctx.schema}.items`,
      '--config',
      file,
    ]);
    assert.match(stdout, /incremental snapshot requested/);
    await using events = await EventCollector.open([ctx.topic('items')]);
    // Key 2000 is never deleted: its incremental read ends the table.
    await events.waitFor(
      () => incremental(events).some((e) => Number(e.key!.id) === 2000),
      180_000,
      'the incremental snapshot to reach the last key',
    );
    writing = false;
    await writes$;
    await writer.sql('INSERT INTO items VALUES (0, 0)');
    await events.waitFor((seen) => seen.some((e) => Number(e.key?.id) === 0), 60_000, 'the final marker');
    await writer.end();
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);

    assert.ok(writes > 50, `the writer kept writing during the snapshot (${writes} writes)`);
    const reads = incremental(events);
    const readIds = new Set(reads.map((e) => Number(e.key!.id)));
    assert.equal(readIds.size, reads.length, 'each key is read once');
    const rows = await ctx.sql<{ id: number; v: number }>('SELECT id, v FROM items ORDER BY id');
    const table = new Map(rows.map((r) => [Number(r.id), Number(r.v)]));
    // A row that changed while its chunk was open is left to the stream (its
    // newer version wins), so how many are read again depends on the writer's
    // pace; every row still in the table is either read again or streamed.
    const streamed = new Set(
      events
        .changes()
        .filter((e) => e.value.op !== 'r')
        .map((e) => Number(e.key!.id)),
    );
    assert.ok(reads.length > 100, `rows were read again (${reads.length})`);
    for (const id of table.keys()) {
      assert.ok(
        readIds.has(id) || streamed.has(id) || id === 0,
        `key ${id} was neither read again nor streamed`,
      );
    }
    assert.deepEqual(finalState(events.events), table, 'the final state per key equals the table');
    const latest = new Map<number, number>();
    for (const e of events.changes()) {
      const id = Number(e.key!.id);
      if (!e.value.after) continue;
      const v = Number(e.value.after.v);
      assert.ok(v >= (latest.get(id) ?? 0), `key ${id}: v went back from ${latest.get(id)} to ${v}`);
      latest.set(id, v);
    }
  });

  test("an execute-snapshot row in Debezium's shape, with a filter, re-reads the matching rows once, across a crash", async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)');
    await ctx.insertSeries('items', 300, 'g, g');
    const port = await freePort();
    const overrides = {
      http: { port, host: '127.0.0.1' },
      source: { snapshot: { mode: 'never' as const, incrementalChunkSize: 10 } },
    };
    let child = ctx.spawn(overrides);
    await untilReady(port);
    await ctx.sql('INSERT INTO items VALUES (1000, 0)');
    await using events = await EventCollector.open([ctx.topic('items')]);
    const data = JSON.stringify({
      'data-collections': [`${ctx.schema}.items`],
      type: 'incremental',
      'additional-conditions': [
        { 'data-collection': `${ctx.schema}.items`, filter: 'id > 100 AND id <= 250' },
      ],
    });
    await ctx.sql(
      `INSERT INTO tributary_signals (id, type, data) VALUES ('ad-hoc-1', 'execute-snapshot', $1)`,
      [data],
    );
    await events.waitFor(() => incremental(events).length >= 40, 120_000, 'some chunks');
    child.kill('SIGKILL');
    await exitOf(child);
    child = ctx.spawn(overrides);
    // Ready before it is stopped: a SIGTERM while it still starts would end it before its handler exists.
    await untilReady(port);
    await events.waitFor(
      () => incremental(events).some((e) => Number(e.key!.id) === 250),
      120_000,
      'the snapshot to finish after the restart',
    );
    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
    const ids = incremental(events).map((e) => Number(e.key!.id));
    assert.deepEqual(
      ids,
      Array.from({ length: 150 }, (_, i) => 101 + i),
      'every matching row once, in key order, none outside the filter',
    );
    const [read] = incremental(events);
    assert.equal(read!.value.source.table, 'items');
  });
}
