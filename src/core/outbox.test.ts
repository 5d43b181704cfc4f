import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { outboxTableSchema } from '../config/schema.ts';
import type { ChangeMessage, RowOp } from './change-event.ts';
import { TributaryError } from './errors.ts';
import { OutboxRouter, type OutboxCodecFactory, type OutboxTable } from './outbox.ts';
import type { ColumnSchema, Row, TableSchema } from './schema.ts';

const text = (name: string, nullable = false): ColumnSchema => ({
  name,
  type: { kind: 'string' },
  nullable,
  sourceType: 'text',
});
const schema: TableSchema = {
  id: { schema: 'public', table: 'outbox' },
  columns: [
    text('id'),
    text('aggregatetype'),
    text('aggregateid'),
    text('type', true),
    text('payload', true),
  ],
  primaryKey: ['id'],
};
/** Debezium's defaults (the config's), with one extra header. */
const settings: OutboxTable = outboxTableSchema.parse({ table: 'public.outbox', headers: ['type'] });

/** Encodes values as their text, and remembers the topics asked for. */
function textCodecs(): OutboxCodecFactory & { topics: string[] } {
  const topics: string[] = [];
  return {
    topics,
    forTopic: async (topic) => {
      topics.push(topic);
      const encode = (value: unknown) => (value === null ? null : Buffer.from(String(value)));
      return { encodeKey: encode, encodeValue: encode };
    },
  };
}

const row: Row = { id: 'e1', aggregatetype: 'order', aggregateid: '42', type: 'Created', payload: '{"a":1}' };
const change = (op: RowOp, values: Row | null = row, table = 'outbox'): ChangeMessage => ({
  kind: 'change',
  op,
  table: { schema: 'public', table },
  before: op === 'c' || op === 'r' ? null : values,
  after: op === 'd' ? null : values,
  source: {},
});

function router(overrides: Partial<OutboxTable> = {}, warnings: string[] = []) {
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const codecs = textCodecs();
  return { codecs, router: new OutboxRouter({ tables: [{ ...settings, ...overrides }], codecs, logger }) };
}

test('an insert or snapshot read becomes an event on <topicPrefix>.<route>: key, payload, id and extra headers', async () => {
  const { router: outbox } = router();
  for (const op of ['c', 'r'] as const) {
    const routed = await outbox.route(change(op), schema);
    assert.equal(routed?.keepChange, false);
    assert.equal(routed?.records.length, 1);
    const [record] = routed!.records;
    assert.equal(record!.topic, 'outbox.event.order');
    assert.equal(record!.key?.toString(), '42');
    assert.equal(record!.value?.toString(), '{"a":1}');
    assert.deepEqual(record!.headers, { id: 'e1', type: 'Created' });
  }
});

test('deletes are ignored; updates are ignored with one warning per table', async () => {
  const warnings: string[] = [];
  const { router: outbox } = router({ tableTopic: true }, warnings);
  assert.deepEqual(await outbox.route(change('d'), schema), { records: [], keepChange: true });
  assert.deepEqual(await outbox.route(change('u'), schema), { records: [], keepChange: true });
  await outbox.route(change('u'), schema);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /update of an outbox table is ignored/);
});

test('other tables are not routed', async () => {
  const { router: outbox } = router();
  assert.equal(await outbox.route(change('c', row, 'orders'), schema), null);
});

test('a null payload is a null value, a null extra header is left out, and a route is made a valid topic name', async () => {
  const { router: outbox, codecs } = router();
  const routed = await outbox.route(
    change('c', { ...row, aggregatetype: 'Order Line/v2', type: null, payload: null }),
    schema,
  );
  const [record] = routed!.records;
  assert.equal(record!.value, null);
  assert.deepEqual(record!.headers, { id: 'e1' });
  assert.deepEqual(codecs.topics, ['outbox.event.Order_Line_v2']);
});

test('a row with no route is a failure of that record; a missing column is a configuration error', async () => {
  const { router: outbox } = router();
  await assert.rejects(
    outbox.route(change('c', { ...row, aggregatetype: null }), schema),
    (error) => error instanceof TributaryError && error.code === 'OUTBOX_INVALID',
  );
  const { router: misnamed } = router({ key: 'aggregate_id' });
  await assert.rejects(
    misnamed.route(change('c'), schema),
    (error) =>
      error instanceof TributaryError &&
      error.code === 'CONFIG_INVALID' &&
      /aggregate_id/.test(error.message),
  );
});
