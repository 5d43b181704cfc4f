import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchemaRegistryClient } from '../../src/avro/registry.ts';
import { exitOf, type ConnectorTestContext } from '../harness/connector-context.ts';
import { drainRaw } from '../harness/drain.ts';
import { EventCollector, testKafka, watchUncommitted } from '../harness/kafka-events.ts';
import { stackEnv, stackRegistryOptions } from '../harness/stack.ts';

const ROWS = 30_000;

async function createOutbox(ctx: ConnectorTestContext): Promise<void> {
  await ctx.sql(
    `CREATE TABLE outbox (id varchar(36) PRIMARY KEY, aggregatetype varchar(255) NOT NULL,
       aggregateid varchar(255) NOT NULL, type varchar(255) NOT NULL,
       payload ${ctx.dialect === 'postgres' ? 'jsonb' : 'json'})`,
  );
}

function outboxSettings(ctx: ConnectorTestContext) {
  return [{ table: `${ctx.schema}.outbox`, topicPrefix: `${ctx.name}.outbox`, headers: ['type'] }];
}

/** A routed event as a consumer reads it: key and payload decoded through the registry, headers as text. */
async function routedEvents(topic: string) {
  const registry = new SchemaRegistryClient(stackRegistryOptions(stackEnv()));
  const events = [];
  for (const record of await drainRaw(topic)) {
    events.push({
      key: record.key ? await registry.decode(record.key) : null,
      payload: record.value ? JSON.parse((await registry.decode(record.value)) as string) : null,
      headers: record.headers,
    });
  }
  return events;
}

export function outboxSuite(open: () => Promise<ConnectorTestContext>): void {
  outboxRoutingTest(open);
  outboxAtomicityTest(open);
}

export function outboxRoutingTest(open: () => Promise<ConnectorTestContext>): void {
  test("outbox inserts reach the topics their route column names, with key, id and extra headers and payload; deletes and updates are ignored, and the table's own topic is not written", async () => {
    await using ctx = await open();
    await createOutbox(ctx);
    await ctx.sql(`CREATE TABLE orders (id int PRIMARY KEY)`);
    await ctx.sql(`INSERT INTO orders VALUES (0)`);
    const connector = ctx.start({ outbox: outboxSettings(ctx) });
    await using orders = await EventCollector.open([ctx.topic('orders')]);
    await orders.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');

    const insert = `INSERT INTO outbox VALUES ($1, $2, $3, $4, $5)`;
    await ctx.sql(insert, ['e1', 'order', '42', 'OrderCreated', '{"id": 42, "lines": 2}']);
    await ctx.sql(insert, ['e2', 'customer', '7', 'CustomerRenamed', '{"name": "Ann"}']);
    // Housekeeping and a stray update: neither becomes an event.
    await ctx.sql(`DELETE FROM outbox WHERE id = 'e1'`);
    await ctx.sql(`UPDATE outbox SET type = 'Changed' WHERE id = 'e2'`);
    await ctx.sql(insert, ['e3', 'order', '42', 'OrderShipped', null]);
    await ctx.sql(`INSERT INTO orders VALUES (1)`);
    await orders.waitFor((seen) => seen.length >= 2, 60_000, 'a change after the outbox rows');

    assert.deepEqual(await routedEvents(`${ctx.name}.outbox.order`), [
      { key: '42', payload: { id: 42, lines: 2 }, headers: { id: 'e1', type: 'OrderCreated' } },
      { key: '42', payload: null, headers: { id: 'e3', type: 'OrderShipped' } },
    ]);
    assert.deepEqual(await routedEvents(`${ctx.name}.outbox.customer`), [
      { key: '7', payload: { name: 'Ann' }, headers: { id: 'e2', type: 'CustomerRenamed' } },
    ]);
    const admin = testKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    assert.ok(!topics.includes(ctx.topic('outbox')), "the outbox table's own change topic is not created");
    await connector.stop();
  });
}

export function outboxAtomicityTest(open: () => Promise<ConnectorTestContext>): void {
  test('an outbox insert and a business-table update in one source transaction commit atomically, even when the sidecar dies mid-send', async (t) => {
    await using ctx = await open();
    await createOutbox(ctx);
    await ctx.sql(`CREATE TABLE orders (id int PRIMARY KEY, status int NOT NULL)`);
    await ctx.insertSeries('orders', ROWS, 'g, 1');
    const outbox = outboxSettings(ctx);
    let child = ctx.spawn({ outbox });

    // A first event creates the routed topic and registers its schemas.
    await ctx.sql(`INSERT INTO outbox VALUES ('e0', 'order', '0', 'Warmup', '{}')`);
    const ordersTopic = ctx.topic('orders');
    const eventsTopic = `${ctx.name}.outbox.order`;
    await using events = await EventCollector.open([ordersTopic, eventsTopic]);
    await events.waitFor((seen) => seen.length >= ROWS + 1, 120_000, 'the snapshot and the first event');

    const peek = await watchUncommitted(ordersTopic, BigInt(ROWS));
    await ctx.sql('BEGIN');
    await ctx.sql('UPDATE orders SET status = 2');
    await ctx.sql(`INSERT INTO outbox VALUES ('e1', 'order', '1', 'AllShipped', '{"status": 2}')`);
    await ctx.sql('COMMIT');
    await peek.arrived;
    child.kill('SIGKILL');
    await exitOf(child);
    await peek[Symbol.asyncDispose]();

    const counts = () => ({
      updates: events.changes(ordersTopic).filter((e) => e.value.after?.status === 2).length,
      outboxEvents: events.events.filter((e) => e.topic === eventsTopic && (e.key as unknown) === '1').length,
    });
    const whole = (c: ReturnType<typeof counts>) =>
      (c.updates === 0 && c.outboxEvents === 0) || (c.updates === ROWS && c.outboxEvents === 1);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // A transaction that committed just before the kill may still be reaching
    // the consumer (30,000 events): a part of it is only wrong if it stays.
    await events.waitFor(() => whole(counts()), 60_000, 'all or none of the transaction').catch(() => {});
    const afterKill = counts();
    t.diagnostic(`after the kill: ${JSON.stringify(afterKill)}`);
    assert.ok(
      whole(afterKill),
      `after the kill a read_committed consumer saw ${afterKill.updates} of ${ROWS} updates and ${afterKill.outboxEvents} of 1 outbox event`,
    );

    child = ctx.spawn({ outbox });
    await events.waitFor(
      () => counts().updates >= ROWS && counts().outboxEvents >= 1,
      120_000,
      'the transaction after the restart',
    );
    await ctx.sql(`INSERT INTO orders VALUES (-1, 3)`);
    await events.waitFor((seen) => seen.some((e) => e.value?.after?.status === 3), 60_000, 'a later change');
    child.kill('SIGTERM');
    await exitOf(child);
    assert.deepEqual(counts(), { updates: ROWS, outboxEvents: 1 }, 'exactly once');
  });
}
