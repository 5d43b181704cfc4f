import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../core/errors.ts';
import type { TableSchema } from '../core/schema.ts';
import { stackEnv, uniqueName } from '../../test/harness/stack.ts';
import { SchemaRegistryClient } from './registry.ts';
import { buildTableSchemas } from './schema-builder.ts';
import { compileTableCodec } from './table-codec.ts';
import { everyKind, postgresSourceFields, small } from './test-tables.ts';

let registryUrl: string | undefined;
try {
  registryUrl = stackEnv().registryUrl;
} catch {
  registryUrl = undefined;
}
const skip = registryUrl ? false : 'no local stack (.stack/env): start it with `npm run stack:up`';

const codecFor = (table: TableSchema, topic: string) =>
  compileTableCodec(
    buildTableSchemas(table, { topic, connector: 'postgresql', sourceFields: postgresSourceFields }),
  );

test('schemas register once, and framed events decode through the registry', { skip }, async () => {
  const registry = new SchemaRegistryClient({ url: registryUrl! });
  const topic = `it.${uniqueName('avro')}.everything`;
  const codec = codecFor(everyKind, topic);
  const valueId = await registry.register(`${topic}-value`, codec.envelopeSchemaJson);
  const keyId = await registry.register(`${topic}-key`, codec.keySchemaJson!);
  assert.ok(valueId > 0 && keyId > 0);
  assert.equal(await registry.register(`${topic}-value`, codec.envelopeSchemaJson), valueId, 'cached');
  assert.equal(
    await new SchemaRegistryClient({ url: registryUrl! }).register(
      `${topic}-value`,
      codec.envelopeSchemaJson,
    ),
    valueId,
    'same id from the registry',
  );

  const after = {
    id: 2n ** 63n - 1n,
    'tenant-id': 1,
    qty: null,
    ratio: 1.5,
    score: 2.5,
    active: true,
    price: '-1.5',
    name: 'n',
    doc: '{}',
    mood: 'ok',
    amount: '1.25',
    total: '-7',
    cash: '3.50',
    flags: '0000000011',
    vintage: 2024,
    span: null,
    blob: Buffer.from([1]),
    born: -1,
    opens: 1n,
    alarm: 1000n,
    logged: 1_000_000n,
    created: 4_102_444_800_000_001n,
    local: null,
    uid: '123e4567-e89b-12d3-a456-426614174000',
    grid: [[1, null]],
    'Order Note': 'o',
  };
  const source = {
    version: 'v',
    connector: 'postgresql',
    name: 'it',
    ts_ms: 1n,
    snapshot: 'true',
    db: 'd',
    schema: 's',
    table: 't',
    txId: null,
    lsn: 5n,
  };
  const framed = codec.encodeValueFramed(valueId, {
    op: 'r',
    before: null,
    after,
    source,
    tsUs: 9000n,
    transaction: null,
  });
  const decoded = (await registry.decode(framed)) as {
    op: string;
    ts_ms: bigint;
    after: Record<string, unknown>;
  };
  assert.equal(decoded.op, 'r');
  assert.equal(decoded.ts_ms, 9n);
  assert.equal(decoded.after['id'], 2n ** 63n - 1n);
  assert.equal(decoded.after['price'], '-1.50');
  assert.equal(decoded.after['created'], 4_102_444_800_000_001n, 'the ZonedTimestamp text, read back');
  assert.equal(decoded.after['total'], '-7');
  assert.equal(decoded.after['flags'], '0000000011');
  assert.equal(decoded.after['logged'], 1_000_000n);
  assert.equal(decoded.after['Order_Note'], 'o');
  const key = (await registry.decode(codec.encodeKeyFramed(keyId, after)!)) as Record<string, unknown>;
  assert.deepEqual({ ...key }, { id: 2n ** 63n - 1n, tenant_id: 1 });

  // Registering left the subject's compatibility to the registry's global setting.
  const global = (await (await fetch(`${registryUrl}/config`)).json()) as { compatibilityLevel: string };
  assert.equal(await registry.compatibilityLevel(`${topic}-value`), global.compatibilityLevel);
});

test('an incompatible change is refused with the subject, the reason and the rule', { skip }, async () => {
  const registry = new SchemaRegistryClient({ url: registryUrl! });
  const topic = `it.${uniqueName('avro')}.orders`;
  const subject = `${topic}-value`;
  await registry.register(subject, codecFor(small, topic).envelopeSchemaJson);
  const put = await fetch(`${registryUrl}/config/${subject}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
  });
  assert.equal(put.status, 200);

  const added = (nullable: boolean): TableSchema => ({
    ...small,
    columns: [...small.columns, { name: 'total', type: { kind: 'int32' }, nullable, sourceType: 'integer' }],
  });
  assert.ok(
    (await registry.register(subject, codecFor(added(true), topic).envelopeSchemaJson)) > 0,
    'a nullable column is a compatible change',
  );
  await assert.rejects(
    registry.register(subject, codecFor(added(false), topic).envelopeSchemaJson),
    (error: unknown) => {
      assert.ok(error instanceof TributaryError, String(error));
      assert.equal(error.code, 'SCHEMA_REFUSED');
      assert.equal(error.retriable, false);
      assert.match(
        error.message,
        new RegExp(
          `refused the new schema for subject ${subject.replaceAll('.', '\\.')} as incompatible with its BACKWARD compatibility rule: .+`,
        ),
      );
      assert.match(error.fix ?? '', /BACKWARD compatibility/);
      return true;
    },
  );
});

test(
  'latestSchema answers the latest registered version, or null for an unknown subject',
  { skip },
  async () => {
    const registry = new SchemaRegistryClient({ url: registryUrl! });
    const topic = `it.${uniqueName('avro')}.orders`;
    const subject = `${topic}-value`;
    assert.equal(await registry.latestSchema(subject), null);
    const first = codecFor(small, topic).envelopeSchemaJson;
    await registry.register(subject, first);
    const second = codecFor(
      {
        ...small,
        columns: [
          ...small.columns,
          { name: 'total', type: { kind: 'int32' }, nullable: true, sourceType: 'integer' },
        ],
      },
      topic,
    ).envelopeSchemaJson;
    await registry.register(subject, second);
    const latest = await registry.latestSchema(subject);
    assert.ok(latest);
    assert.deepEqual(JSON.parse(latest), JSON.parse(second));
  },
);

test('an unreachable registry is a retriable error', { skip }, async () => {
  const registry = new SchemaRegistryClient({ url: 'http://127.0.0.1:39999', retry: { retries: 0 } });
  await assert.rejects(
    registry.register('nowhere-value', codecFor(small, 'nowhere').envelopeSchemaJson),
    (error: unknown) => {
      assert.ok(error instanceof TributaryError);
      assert.equal(error.code, 'REGISTRY_UNREACHABLE');
      assert.equal(error.retriable, true);
      assert.match(
        error.message,
        /127\.0\.0\.1:39999 is unreachable or failing: fetch failed \(ECONNREFUSED\)/,
      );
      return true;
    },
  );
});
