import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../../src/core/errors.ts';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/dead-letter-queue.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { dataEvents, drain, drainRaw } from '../harness/drain.ts';
import { EventCollector, testKafka } from '../harness/kafka-events.ts';
import { setCompatibility } from '../harness/registry.ts';
import { outcome } from '../harness/waiting.ts';

/** Larger than the broker's default message.max.bytes (1 MiB), which the test topics keep. */
const BIG = 1_200_000;

async function createDocs(ctx: ConnectorTestContext): Promise<void> {
  await ctx.sql(
    `CREATE TABLE docs (id int PRIMARY KEY, body ${ctx.dialect === 'postgres' ? 'text' : 'longtext'} NOT NULL)`,
  );
  await ctx.sql(`INSERT INTO docs VALUES (1, 'small')`);
}

async function topicExists(topic: string): Promise<boolean> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

export function deadLettersSuite(open: () => Promise<ConnectorTestContext>): void {
  test('errors.tolerance all: a row larger than the broker takes and a refused schema go to the dead-letter topic with their headers, and the next changes flow', async () => {
    await using ctx = await open();
    await createDocs(ctx);
    await ctx.sql(`CREATE TABLE notes (id int PRIMARY KEY)`);
    const metrics = new Metrics();
    const connector = ctx.start({ errors: { tolerance: 'all' } }, { metrics });
    await using events = await EventCollector.open([ctx.topic('docs')]);
    await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');

    await ctx.sql(`INSERT INTO docs VALUES (2, repeat('x', ${BIG}))`);
    await ctx.sql(`INSERT INTO docs VALUES (3, 'after')`);
    await events.waitFor((seen) => seen.some((e) => e.key?.id === 3), 60_000, 'the change after the big row');
    assert.deepEqual(
      events.changes().map((e) => e.value.after?.id),
      [1, 3],
    );

    // A change the registry refuses (a NOT NULL column under FULL compatibility).
    await setCompatibility(`${ctx.topic('docs')}-value`, 'FULL');
    await ctx.sql(
      `ALTER TABLE docs ADD COLUMN tier ${ctx.dialect === 'postgres' ? 'text' : 'varchar(10)'} NOT NULL DEFAULT 'basic'`,
    );
    // Without a default: a column with one is compatible (its Avro field has the default).
    await ctx.sql(`ALTER TABLE docs ALTER COLUMN tier DROP DEFAULT`);
    await ctx.sql(`INSERT INTO docs VALUES (4, 'refused', 'gold')`);
    await ctx.sql(`INSERT INTO notes VALUES (5)`);
    await using notes = await EventCollector.open([ctx.topic('notes')]);
    await notes.waitFor((seen) => seen.length >= 1, 60_000, 'a change of another table after the refusal');

    const dead = await drainRaw(`${ctx.name}.dlq`);
    assert.equal(dead.length, 2, 'two dead letters');
    const [tooLarge, refused] = dead;

    const headers = tooLarge!.headers;
    assert.equal(headers[DEAD_LETTER_HEADERS.code], 'RECORD_TOO_LARGE');
    assert.match(headers[DEAD_LETTER_HEADERS.message]!, /max\.message\.bytes/);
    assert.equal(headers[DEAD_LETTER_HEADERS.table], `${ctx.schema}.docs`);
    assert.equal(headers[DEAD_LETTER_HEADERS.op], 'c');
    assert.equal(headers[DEAD_LETTER_HEADERS.connector], ctx.name);
    const position = JSON.parse(headers[DEAD_LETTER_HEADERS.position]!) as Record<string, unknown>;
    if (ctx.dialect === 'postgres') assert.match(String(position.lsn), /^\d+$/);
    else assert.match(String(position.file), /^binlog\.\d+$/);
    assert.ok(Number(headers[DEAD_LETTER_HEADERS.cut]) > BIG, 'the cut header holds the uncut size');
    assert.ok(tooLarge!.value!.length < 1024 * 1024, 'the value was cut to fit');
    const value = JSON.parse(tooLarge!.value!.toString()) as {
      op: string;
      after: { id: number; body: string };
    };
    assert.equal(value.op, 'c');
    assert.equal(value.after.id, 2);
    assert.match(value.after.body, /^x+…$/);

    assert.equal(refused!.headers[DEAD_LETTER_HEADERS.code], 'SCHEMA_REFUSED');
    assert.match(refused!.headers[DEAD_LETTER_HEADERS.message]!, /\btier\b/);
    const refusedRow = JSON.parse(refused!.value!.toString()) as { after: Record<string, unknown> };
    assert.deepEqual(refusedRow.after, { id: 4, body: 'refused', tier: 'gold' });
    assert.equal(refused!.headers[DEAD_LETTER_HEADERS.cut], undefined, 'a small value is not cut');

    const counted = await metrics.registry.getSingleMetricAsString('tributary_dead_letters_total');
    assert.match(counted, new RegExp(`table="${ctx.schema}\\.docs",code="RECORD_TOO_LARGE"} 1\\b`));
    assert.match(counted, new RegExp(`table="${ctx.schema}\\.docs",code="SCHEMA_REFUSED"} 1\\b`));
    await connector.stop();
  });

  test('errors.tolerance none (the default): a row larger than the broker takes stops the sidecar with the fix, and nothing after it is committed', async () => {
    await using ctx = await open();
    await createDocs(ctx);
    const first = outcome(ctx.start());
    await using events = await EventCollector.open([ctx.topic('docs')]);
    await events.waitFor((seen) => seen.length >= 1, 60_000, 'the snapshot');

    await ctx.sql(`INSERT INTO docs VALUES (2, repeat('x', ${BIG}))`);
    await ctx.sql(`INSERT INTO docs VALUES (3, 'after')`);
    const stopped = async (failure: Promise<unknown>) => {
      const error = await failure;
      assert.ok(error instanceof TributaryError, `stops with a TributaryError, not ${String(error)}`);
      assert.equal(error.code, 'RECORD_TOO_LARGE');
      assert.equal(error.retriable, false);
      assert.match(error.message, new RegExp(ctx.topic('docs').replaceAll('.', '\\.')));
      assert.match(error.fix ?? '', /max\.message\.bytes/);
      assert.match(error.fix ?? '', /errors\.tolerance: all/);
    };
    await stopped(first.failure);
    // A restart stops at the same row: nothing past it was committed.
    await stopped(outcome(ctx.start()).failure);

    assert.deepEqual(
      dataEvents(await drain(ctx.topic('docs'))).map((r) => r.value.after?.id),
      [1],
    );
    assert.equal(await topicExists(`${ctx.name}.dlq`), false, 'no dead-letter topic');
  });
}
