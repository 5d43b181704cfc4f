import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../core/pipeline.ts';
import { TributaryError } from '../core/errors.ts';
import type { TableSchema } from '../core/schema.ts';
import { createEncoderFactory } from './event-encoder.ts';
import { buildTableSchemas } from './schema-builder.ts';
import { compileTableCodec } from './table-codec.ts';
import { postgresSourceFields, small } from './test-tables.ts';
import { unframe } from './wire.ts';

/** Records what the factory asks of the registry and the topics. */
function harness(refuse?: (subject: string) => Error | undefined, latest?: Map<string, string>) {
  const registered: Array<{ subject: string; schemaJson: string }> = [];
  const ensured: string[] = [];
  const ids = new Map<string, number>();
  const factory = createEncoderFactory({
    registry: {
      register: async (subject, schemaJson) => {
        const refusal = refuse?.(subject);
        if (refusal) throw refusal;
        registered.push({ subject, schemaJson });
        const key = `${subject}\n${schemaJson}`;
        if (!ids.has(key)) ids.set(key, ids.size + 1);
        return ids.get(key)!;
      },
      ...(latest ? { latestSchema: async (subject: string) => latest.get(subject) ?? null } : {}),
    },
    topics: { ensure: async (topics) => void ensured.push(...topics) },
    topicSettings: { template: '{prefix}.{schema}.{table}', prefix: 'shop', cleanupPolicy: 'compact,delete' },
    connector: 'postgresql',
    sourceFields: postgresSourceFields,
    keyColumns: { 'public.keyless': ['note'] },
  });
  return { factory, registered, ensured };
}

const source = {
  version: 'v',
  connector: 'postgresql',
  name: 'shop',
  ts_ms: 1n,
  snapshot: null,
  db: 'd',
  sequence: null,
  ts_us: 1000n,
  ts_ns: 1000000n,
  schema: 'public',
  table: 'orders',
  txId: null,
  lsn: null,
};
const envelope: Envelope = {
  op: 'c',
  before: null,
  after: { id: 1, note: 'n' },
  source,
  tsUs: 2000n,
  transaction: null,
};

test('forTable registers key and value subjects, creates the topic and frames with the ids', async () => {
  const { factory, registered, ensured } = harness();
  const encoder = await factory.forTable(small);
  assert.equal(encoder.topic, 'shop.public.orders');
  assert.deepEqual(registered.map((r) => r.subject).sort(), [
    'shop.public.orders-key',
    'shop.public.orders-value',
  ]);
  assert.deepEqual(ensured, ['shop.public.orders']);

  const codec = compileTableCodec(
    buildTableSchemas(small, {
      topic: 'shop.public.orders',
      connector: 'postgresql',
      sourceFields: postgresSourceFields,
    }),
  );
  assert.equal(registered.find((r) => r.subject.endsWith('-value'))?.schemaJson, codec.envelopeSchemaJson);
  assert.equal(registered.find((r) => r.subject.endsWith('-key'))?.schemaJson, codec.keySchemaJson);

  const value = unframe(encoder.encodeValue(envelope));
  const key = unframe(encoder.encodeKey(envelope.after!)!);
  assert.notEqual(value.schemaId, key.schemaId);
  assert.deepEqual(codec.decodeValue(value.body), envelope);
  assert.deepEqual(codec.decodeKey(key.body), { id: 1 });
});

test('tables without a key get null keys; configured key columns replace the primary key', async () => {
  const { factory, registered } = harness();
  const noKey = await factory.forTable({ ...small, id: { schema: 'public', table: 'heap' }, primaryKey: [] });
  assert.equal(noKey.encodeKey({ id: 1, note: null }), null);
  assert.deepEqual(
    registered.map((r) => r.subject),
    ['shop.public.heap-value'],
  );
  const keyed = await factory.forTable({
    ...small,
    id: { schema: 'public', table: 'keyless' },
    primaryKey: [],
  });
  assert.ok(keyed.encodeKey({ id: 1, note: 'k' }));
  assert.ok(
    registered.some((r) => r.subject === 'shop.public.keyless-key' && r.schemaJson.includes('"note"')),
  );
});

test('a refused schema names the table and the change', async () => {
  const refusal = new TributaryError(
    'the schema registry refused the new schema for subject shop.public.orders-value as incompatible: x',
    {
      code: 'SCHEMA_REFUSED',
      fix: 'the registry applies BACKWARD compatibility to shop.public.orders-value: ...',
    },
  );
  let refuse = false;
  const { factory } = harness((subject) => (refuse && subject.endsWith('-value') ? refusal : undefined));
  await factory.forTable(small);
  refuse = true;
  const changed: TableSchema = {
    ...small,
    columns: [
      ...small.columns,
      { name: 'total', type: { kind: 'int32' }, nullable: false, sourceType: 'integer' },
    ],
  };
  await assert.rejects(factory.forTable(changed), (error: unknown) => {
    assert.ok(error instanceof TributaryError);
    assert.equal(error.code, 'SCHEMA_REFUSED');
    assert.equal(error.retriable, false);
    assert.match(
      error.message,
      /^table public\.orders: added column total \(integer not null\): the schema registry refused/,
    );
    assert.match(error.fix ?? '', /BACKWARD/);
    return true;
  });
});

test("a refused schema of a table this process has not seen yet is described against the registry's latest version", async () => {
  const refusal = new TributaryError(
    'the schema registry refused the new schema for subject shop.public.orders-value as incompatible with its FULL compatibility rule: x',
    { code: 'SCHEMA_REFUSED' },
  );
  const registeredEnvelope = compileTableCodec(
    buildTableSchemas(small, {
      topic: 'shop.public.orders',
      connector: 'postgresql',
      sourceFields: postgresSourceFields,
    }),
  ).envelopeSchemaJson;
  const { factory } = harness(
    (subject) => (subject.endsWith('-value') ? refusal : undefined),
    new Map([['shop.public.orders-value', registeredEnvelope]]),
  );
  const changed: TableSchema = {
    ...small,
    columns: [
      ...small.columns,
      { name: 'tier', type: { kind: 'string' }, nullable: false, sourceType: 'text' },
    ],
  };
  const check = (error: unknown) => {
    assert.ok(error instanceof TributaryError);
    assert.equal(error.code, 'SCHEMA_REFUSED');
    assert.equal(
      error.message,
      'table public.orders: added column tier (string not null) (since the latest version registered for shop.public.orders-value): ' +
        refusal.message,
    );
    return true;
  };
  await assert.rejects(factory.forTable(changed), check);
  // A refused version is not what the next one is compared with.
  await assert.rejects(factory.forTable(changed), check);
});

test('a refused schema with no version to compare with says so', async () => {
  const refusal = new TributaryError('refused', { code: 'SCHEMA_REFUSED' });
  const { factory } = harness(() => refusal, new Map());
  await assert.rejects(factory.forTable(small), {
    name: 'TributaryError',
    message: 'table public.orders: the table schema (no earlier version seen by this process): refused',
  });
});
