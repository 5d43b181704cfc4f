/**
 * NaN in a NOT NULL numeric(p,s) column: its field is required, as in
 * Debezium, and NaN has no decimal form, so the connector stops naming the
 * column and the fix rather than write a value that is not there
 * (dialects/postgres/TYPES.md). In a nullable column NaN is null with a
 * warning: the parity suite (test/fidelity) checks that.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { TributaryError } from '../../src/core/errors.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { outcome, waitOrFail } from '../harness/waiting.ts';

test('PostgreSQL: NaN streamed into a NOT NULL numeric(p,s) column stops the connector with the column and the fix named', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql('CREATE TABLE prices (id int PRIMARY KEY, amount numeric(5,2) NOT NULL)');
  await ctx.sql('INSERT INTO prices VALUES (1, 1.5)');
  const topic = ctx.topic('prices');
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        warnings.push((JSON.parse(line) as { msg: string }).msg);
      }
      done();
    },
  });
  const connector = ctx.start({}, { logger: pino({ level: 'warn' }, sink) });
  const run = outcome(connector);
  await using events = await EventCollector.open([topic]);
  await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

  await ctx.sql(`INSERT INTO prices VALUES (2, 'NaN')`);
  const error = await run.failure;
  assert.ok(error instanceof TributaryError, `the connector stopped with a TributaryError: ${String(error)}`);
  assert.equal(error.code, 'UNSUPPORTED');
  assert.equal(
    error.message,
    `column amount of ${ctx.schema}.prices is NOT NULL, so its field is not optional, but its value NaN has no Avro decimal form`,
  );
  assert.match(error.fix ?? '', /ALTER TABLE \.\.\. ALTER COLUMN amount DROP NOT NULL/);
  assert.deepEqual(
    warnings.filter((w) => /NaN/.test(w)),
    [],
    'no warning that the NaN was sent as null: it was not sent',
  );
  // Nothing of the NaN row was written.
  assert.deepEqual(
    events.changes(topic).map((e) => e.key?.id),
    [1],
  );
});
