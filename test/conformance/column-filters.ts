import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { latestValueSchema } from '../harness/registry.ts';
import { outcome, waitOrFail } from '../harness/waiting.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function columnFiltersSuite(open: () => Promise<ConnectorTestContext>): void {
  test('columns.exclude and columns.mask apply to snapshot and stream alike, and to the registered schema', async () => {
    await using ctx = await open();
    await ctx.sql(
      'CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL, ssn varchar(20), phone varchar(20), score int)',
    );
    await ctx.sql(`INSERT INTO users VALUES (1, 'ann@example.com', '111-22-3333', '555-0100', 7)`);
    const connector = ctx.start({
      columns: {
        exclude: [`${ctx.schema}.users.ssn`],
        mask: [
          { columns: ['*.users.email'], hash: { salt: 'pepper' } },
          { columns: [`${ctx.schema}.*.phone`, `${ctx.schema}.users.score`], replacement: '***' },
        ],
      },
    });
    await using events = await EventCollector.open([ctx.topic('users')]);
    await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');
    await ctx.sql(`INSERT INTO users VALUES (2, 'bob@example.com', '444-55-6666', NULL, 3)`);
    await ctx.sql(`UPDATE users SET email = 'ann@example.org', ssn = '999-99-9999' WHERE id = 1`);
    await waitOrFail(connector, events, (seen) => seen.length >= 3, 'the streamed changes');
    await connector.stop();

    const [read, create, update] = events.changes();
    assert.deepEqual(
      { ...read!.value.after },
      { id: 1, email: sha256('pepperann@example.com'), phone: '***', score: '***' },
    );
    assert.deepEqual(
      { ...create!.value.after },
      { id: 2, email: sha256('pepperbob@example.com'), phone: null, score: '***' },
    );
    assert.deepEqual({ ...update!.value.before }, { ...read!.value.after });
    assert.equal(update!.value.after!.email, sha256('pepperann@example.org'));
    const fields = await latestValueSchema(ctx.topic('users'));
    assert.deepEqual([...fields.keys()], ['id', 'email', 'phone', 'score']);
    assert.equal(fields.get('email'), 'string');
    assert.deepEqual(fields.get('score'), ['null', 'string']);
  });

  test('a column filter on a primary-key column stops the connector with the fix', async () => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE t (id int PRIMARY KEY, v int)');
    await ctx.sql('INSERT INTO t VALUES (1, 1)');
    const run = outcome(ctx.start({ columns: { exclude: [`${ctx.schema}.t.id`] } }));
    const failure = (await run.failure) as { code?: string; message?: string } | null;
    assert.equal(failure?.code, 'CONFIG_INVALID');
    assert.match(failure?.message ?? '', /primary key/);
  });
}
