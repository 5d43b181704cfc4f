import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeOffset, readCommittedOffset } from '../../src/kafka/offset-store.ts';
import { until } from '../harness/cli.ts';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector, testKafka, waitForTopics } from '../harness/kafka-events.ts';
import { stackEnv } from '../harness/stack.ts';
import { outcome, waitOrFail } from '../harness/waiting.ts';

const ops = (events: EventCollector) => events.changes().map((e) => [e.value.op, e.key?.id]);

/** Makes the stopped connector's committed position unreadable: the slot dropped, or a purged binlog. */
async function losePosition(ctx: ConnectorTestContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    const slot = `tributary_${ctx.name}`;
    // The walsender ends a moment after the stopped connector closed its connection.
    await until(
      `replication slot ${slot} to be released`,
      async () => {
        const rows = await ctx.sql<{ active: boolean }>(
          'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
          [slot],
        );
        return rows[0]?.active === true ? undefined : true;
      },
      30_000,
    );
    await ctx.sql('SELECT pg_drop_replication_slot($1)', [slot]);
    return;
  }
  const producer = testKafka().producer();
  await producer.connect();
  await producer.send({
    topic: `tributary-offsets-${ctx.name}`,
    messages: [{ key: ctx.name, value: encodeOffset({ file: 'binlog.999999', pos: 4, gtid: null }) }],
  });
  await producer.disconnect();
}

/** Waits until the connector `name` committed a position (it streams from there). */
async function untilCommitted(name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stored = await readCommittedOffset({
      kafka: testKafka(),
      topic: `tributary-offsets-${name}`,
      connector: name,
    }).catch(() => null);
    if (stored) return;
    if (Date.now() > deadline) throw new Error(`${name} never committed a position`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function snapshotModesSuite(open: () => Promise<ConnectorTestContext>): void {
  test('snapshot.mode never streams changes only, and no_data registers the schemas first', async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE a (id int PRIMARY KEY, v varchar(10))');
    await ctx.sql(`INSERT INTO a VALUES (1, 'old')`);
    for (const mode of ['never', 'no_data'] as const) {
      const name = `${ctx.name}_${mode}`;
      const overrides = { name, topics: { prefix: name }, source: { snapshot: { mode } } };
      const connector = ctx.start(overrides);
      const topic = `${name}.${ctx.schema}.a`;
      await untilCommitted(name);
      if (mode === 'no_data') {
        // The schema is registered and the topic created before any change.
        await waitForTopics(testKafka(), [topic], 5_000);
        const subject = await fetch(`${stackEnv().registryUrl}/subjects/${topic}-value/versions`);
        assert.deepEqual(await subject.json(), [1]);
      }
      await ctx.sql(`INSERT INTO a VALUES ($1, 'new')`, [mode === 'never' ? 2 : 3]);
      await using events = await EventCollector.open([topic]);
      await waitOrFail(connector, events, (seen) => seen.length >= 1, `the insert (${mode})`);
      await connector.stop();
      assert.deepEqual(ops(events), [['c', mode === 'never' ? 2 : 3]], `${mode}: no r events`);
    }
  });

  test('snapshot.mode initial_only reads the tables, then stops by itself', async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE a (id int PRIMARY KEY)');
    await ctx.sql('INSERT INTO a VALUES (1), (2)');
    const connector = ctx.start({ source: { snapshot: { mode: 'initial_only' } } });
    await connector.done;
    await using events = await EventCollector.open([ctx.topic('a')]);
    await events.waitFor((seen) => seen.length >= 2, 30_000, 'the snapshot');
    assert.deepEqual(ops(events), [
      ['r', 1],
      ['r', 2],
    ]);
    // A second start finds the snapshot done and stops at once.
    await ctx.start({ source: { snapshot: { mode: 'initial_only' } } }).done;
  });

  test('snapshot.mode when_needed snapshots again when the committed position is gone; initial stops with the fix', async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE a (id int PRIMARY KEY)');
    await ctx.sql('INSERT INTO a VALUES (1)');
    let connector = ctx.start({ source: { snapshot: { mode: 'when_needed' } } });
    await using events = await EventCollector.open([ctx.topic('a')]);
    await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the first snapshot');
    await ctx.sql('INSERT INTO a VALUES (2)');
    await waitOrFail(connector, events, (seen) => seen.length >= 2, 'a streamed insert');
    await connector.stop();
    await losePosition(ctx);

    const refused = outcome(ctx.start());
    const failure = (await refused.failure) as { code?: string } | null;
    assert.equal(failure?.code, 'SOURCE_POSITION_LOST', 'snapshot.mode initial stops');

    connector = ctx.start({ source: { snapshot: { mode: 'when_needed' } } });
    await waitOrFail(connector, events, (seen) => seen.length >= 4, 'the second snapshot');
    await ctx.sql('INSERT INTO a VALUES (3)');
    await waitOrFail(connector, events, (seen) => seen.length >= 5, 'streaming after it');
    await connector.stop();
    assert.deepEqual(ops(events), [
      ['r', 1],
      ['c', 2],
      ['r', 1],
      ['r', 2],
      ['c', 3],
    ]);
  });
}
