import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import type { Schema } from 'avsc';
import { TributaryError } from '../core/errors.ts';
import { avroTypeOptions } from './logical-types.ts';
import { buildTableSchemas } from './schema-builder.ts';
import { everyKind, postgresSourceFields, small } from './test-tables.ts';

const options = {
  topic: 'shop.public.everything',
  connector: 'postgresql',
  sourceFields: postgresSourceFields,
} as const;

test('every column type maps to the Avro a consumer expects', () => {
  const { value, fieldNames } = buildTableSchemas(everyKind, options);
  const nullable = (name: string, type: unknown) => ({ name, type: ['null', type], default: null });
  assert.deepEqual(value, {
    type: 'record',
    name: 'Value',
    namespace: 'shop.public.everything',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'tenant_id', type: { type: 'int', 'connect.type': 'int16' } },
      nullable('qty', 'int'),
      nullable('ratio', 'float'),
      { name: 'score', type: 'double' },
      { name: 'active', type: 'boolean' },
      nullable('price', {
        type: 'bytes',
        scale: 2,
        precision: 12,
        'connect.version': 1,
        'connect.parameters': { scale: '2', 'connect.decimal.precision': '12' },
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      }),
      nullable('name', 'string'),
      nullable('doc', {
        type: 'string',
        'connect.version': 1,
        'connect.name': 'io.debezium.data.Json',
        'tributary.semantic': 'json',
      }),
      {
        name: 'mood',
        type: {
          type: 'string',
          'connect.version': 1,
          'connect.name': 'io.debezium.data.Enum',
          'tributary.semantic': 'enum',
        },
      },
      nullable('span', {
        type: 'string',
        'connect.version': 1,
        'connect.name': 'io.tributary.time.Interval',
        'tributary.semantic': 'interval',
      }),
      nullable('blob', 'bytes'),
      nullable('born', {
        type: 'int',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.Date',
        logicalType: 'date',
      }),
      nullable('opens', {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.MicroTime',
        logicalType: 'time-micros',
      }),
      { name: 'created', type: { type: 'long', logicalType: 'timestamp-micros' } },
      nullable('local', {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.MicroTimestamp',
        logicalType: 'local-timestamp-micros',
      }),
      nullable('uid', {
        type: 'string',
        'connect.version': 1,
        'connect.name': 'io.debezium.data.Uuid',
        logicalType: 'uuid',
      }),
      nullable('grid', { type: 'array', items: ['null', { type: 'array', items: ['null', 'int'] }] }),
      nullable('Order_Note', 'string'),
    ],
    'connect.name': 'shop.public.everything.Value',
  });
  assert.equal(fieldNames.get('tenant-id'), 'tenant_id');
  assert.equal(fieldNames.get('Order Note'), 'Order_Note');
  assert.equal(fieldNames.get('id'), 'id');
});

test('the key holds the primary-key columns in key order', () => {
  const { key, keyColumns } = buildTableSchemas(everyKind, options);
  assert.deepEqual(keyColumns, ['id', 'tenant-id']);
  assert.deepEqual(key, {
    type: 'record',
    name: 'Key',
    namespace: 'shop.public.everything',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'tenant_id', type: { type: 'int', 'connect.type': 'int16' } },
    ],
    'connect.name': 'shop.public.everything.Key',
  });
});

test('a table without a primary key has a null key unless key columns are given', () => {
  const keyless = { ...small, primaryKey: [] };
  assert.equal(buildTableSchemas(keyless, { ...options, topic: 't' }).key, null);
  const keyed = buildTableSchemas(keyless, { ...options, topic: 't', keyColumns: ['note'] });
  assert.deepEqual(keyed.key?.fields, [{ name: 'note', type: ['null', 'string'], default: null }]);
  assert.deepEqual(keyed.keyColumns, ['note']);
  assert.throws(
    () => buildTableSchemas(keyless, { ...options, topic: 't', keyColumns: ['nope'] }),
    (error: unknown) =>
      error instanceof TributaryError &&
      error.code === 'CONFIG_INVALID' &&
      /public\.orders names column "nope"/.test(error.message) &&
      /topics\.keyColumns/.test(error.fix ?? ''),
  );
});

test('the envelope is Debezium’s, as JSON a consumer reads from the registry', () => {
  const { envelope } = buildTableSchemas(small, {
    topic: 'shop.public.orders',
    connector: 'postgresql',
    sourceFields: postgresSourceFields,
  });
  const expected = {
    type: 'record',
    name: 'Envelope',
    namespace: 'shop.public.orders',
    fields: [
      {
        name: 'before',
        type: [
          'null',
          {
            type: 'record',
            name: 'Value',
            namespace: 'shop.public.orders',
            fields: [
              { name: 'id', type: 'int' },
              { name: 'note', type: ['null', 'string'], default: null },
            ],
            'connect.name': 'shop.public.orders.Value',
          },
        ],
        default: null,
      },
      { name: 'after', type: ['null', 'Value'], default: null },
      {
        name: 'source',
        type: {
          type: 'record',
          name: 'Source',
          namespace: 'io.debezium.connector.postgresql',
          fields: [
            { name: 'version', type: 'string' },
            { name: 'connector', type: 'string' },
            { name: 'name', type: 'string' },
            { name: 'ts_ms', type: 'long' },
            {
              name: 'snapshot',
              type: [
                'null',
                {
                  type: 'string',
                  'connect.version': 1,
                  'connect.name': 'io.debezium.data.Enum',
                  'tributary.semantic': 'enum',
                },
              ],
              default: null,
            },
            { name: 'db', type: 'string' },
            { name: 'schema', type: 'string' },
            { name: 'table', type: 'string' },
            { name: 'txId', type: ['null', 'long'], default: null },
            { name: 'lsn', type: ['null', 'long'], default: null },
          ],
          'connect.name': 'io.debezium.connector.postgresql.Source',
        },
      },
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: ['null', 'long'], default: null },
      {
        name: 'transaction',
        type: [
          'null',
          {
            type: 'record',
            name: 'block',
            namespace: 'event',
            fields: [
              { name: 'id', type: 'string' },
              { name: 'total_order', type: 'long' },
              { name: 'data_collection_order', type: 'long' },
            ],
            'connect.version': 1,
            'connect.name': 'event.block',
          },
        ],
        default: null,
      },
    ],
    'connect.name': 'shop.public.orders.Envelope',
  };
  assert.equal(JSON.stringify(envelope), JSON.stringify(expected), 'byte for byte, key order included');

  const mysql = buildTableSchemas(small, {
    topic: 'shop.public.orders',
    connector: 'mysql',
    sourceFields: [],
  }).envelope;
  const source = mysql.fields.find((field) => field.name === 'source')?.type as unknown as {
    name: string;
    namespace: string;
  };
  assert.equal(`${source.namespace}.${source.name}`, 'io.debezium.connector.mysql.Source');
});

test('schemas are deterministic, and avsc accepts them without changing them', () => {
  const first = JSON.stringify(buildTableSchemas(everyKind, options));
  const schemas = buildTableSchemas(everyKind, options);
  avro.Type.forSchema(schemas.envelope as Schema, avroTypeOptions({ assertLogicalTypes: true }));
  avro.Type.forSchema(schemas.key as Schema, avroTypeOptions({ assertLogicalTypes: true }));
  assert.equal(JSON.stringify(schemas), first);
  assert.equal(JSON.stringify(buildTableSchemas(structuredClone(everyKind), options)), first);
});

test('topic names that are not Avro namespaces are sanitised', () => {
  const { envelope, key } = buildTableSchemas(small, { ...options, topic: 'my-shop.public.order-items' });
  assert.equal(envelope.namespace, 'my_shop.public.order_items');
  assert.equal(envelope['connect.name'], 'my_shop.public.order_items.Envelope');
  assert.equal(key?.namespace, 'my_shop.public.order_items');
});

test('source fields that clash or are not Avro names are refused', () => {
  const clash = [{ name: 'ts_ms', type: { kind: 'int64' }, nullable: false }] as const;
  assert.throws(
    () => buildTableSchemas(small, { ...options, sourceFields: clash }),
    /"ts_ms" is not a valid, unique/,
  );
  const invalid = [{ name: 'server-id', type: { kind: 'int64' }, nullable: false }] as const;
  assert.throws(() => buildTableSchemas(small, { ...options, sourceFields: invalid }), /"server-id"/);
});
