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
      nullable('doc', { type: 'string', 'connect.version': 1, 'connect.name': 'io.debezium.data.Json' }),
      {
        name: 'mood',
        type: {
          type: 'string',
          'connect.version': 1,
          'connect.parameters': { allowed: 'sad,happy' },
          'connect.name': 'io.debezium.data.Enum',
        },
      },
      nullable('amount', {
        type: 'record',
        name: 'VariableScaleDecimal',
        namespace: 'io.debezium.data',
        fields: [
          { name: 'scale', type: 'int' },
          { name: 'value', type: 'bytes' },
        ],
        'connect.doc': 'Variable scaled decimal',
        'connect.version': 1,
        'connect.name': 'io.debezium.data.VariableScaleDecimal',
      }),
      { name: 'total', type: 'io.debezium.data.VariableScaleDecimal' },
      nullable('cash', {
        type: 'bytes',
        scale: 2,
        precision: 64,
        'connect.version': 1,
        'connect.parameters': { scale: '2' },
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      }),
      nullable('flags', {
        type: 'bytes',
        'connect.version': 1,
        'connect.parameters': { length: '10' },
        'connect.name': 'io.debezium.data.Bits',
      }),
      nullable('vintage', { type: 'int', 'connect.version': 1, 'connect.name': 'io.debezium.time.Year' }),
      nullable('span', { type: 'string', 'connect.version': 1, 'connect.name': 'io.debezium.time.Interval' }),
      nullable('blob', 'bytes'),
      nullable('born', { type: 'int', 'connect.version': 1, 'connect.name': 'io.debezium.time.Date' }),
      nullable('opens', { type: 'long', 'connect.version': 1, 'connect.name': 'io.debezium.time.MicroTime' }),
      nullable('alarm', { type: 'int', 'connect.version': 1, 'connect.name': 'io.debezium.time.Time' }),
      {
        name: 'created',
        type: { type: 'string', 'connect.version': 1, 'connect.name': 'io.debezium.time.ZonedTimestamp' },
      },
      nullable('local', {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.MicroTimestamp',
      }),
      nullable('logged', {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.Timestamp',
      }),
      nullable('uid', { type: 'string', 'connect.version': 1, 'connect.name': 'io.debezium.data.Uuid' }),
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
                {
                  type: 'string',
                  'connect.version': 1,
                  'connect.parameters': {
                    allowed:
                      'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental',
                  },
                  'connect.default': 'false',
                  'connect.name': 'io.debezium.data.Enum',
                },
                'null',
              ],
              default: 'false',
            },
            { name: 'db', type: 'string' },
            { name: 'sequence', type: ['null', 'string'], default: null },
            { name: 'ts_us', type: ['null', 'long'], default: null },
            { name: 'ts_ns', type: ['null', 'long'], default: null },
            { name: 'schema', type: 'string' },
            { name: 'table', type: 'string' },
            { name: 'txId', type: ['null', 'long'], default: null },
            { name: 'lsn', type: ['null', 'long'], default: null },
          ],
          'connect.version': 1,
          'connect.name': 'io.debezium.connector.postgresql.Source',
        },
      },
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
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: ['null', 'long'], default: null },
      { name: 'ts_us', type: ['null', 'long'], default: null },
      { name: 'ts_ns', type: ['null', 'long'], default: null },
    ],
    'connect.version': 2,
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
  const mariadb = buildTableSchemas(small, { topic: 't', connector: 'mariadb', sourceFields: [] }).envelope;
  assert.equal(
    (mariadb.fields[2]!.type as unknown as { namespace: string }).namespace,
    'io.debezium.connector.mariadb',
  );
});

test('a named type used twice is defined once and then referred to by name', () => {
  const { value, key } = buildTableSchemas(
    { ...everyKind, primaryKey: ['total', 'amount'] },
    { ...options, topic: 't' },
  );
  const json = JSON.stringify(value);
  assert.equal(json.split('"name":"VariableScaleDecimal"').length - 1, 1);
  assert.equal(JSON.stringify(key).split('"name":"VariableScaleDecimal"').length - 1, 1);
  assert.deepEqual(key!.fields[1]!.type, ['null', 'io.debezium.data.VariableScaleDecimal']);
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
  const clash = [{ name: 'ts_us', type: { kind: 'int64' }, nullable: false }] as const;
  assert.throws(
    () => buildTableSchemas(small, { ...options, sourceFields: clash }),
    /"ts_us" is not a valid, unique/,
  );
  const invalid = [{ name: 'server-id', type: { kind: 'int64' }, nullable: false }] as const;
  assert.throws(() => buildTableSchemas(small, { ...options, sourceFields: invalid }), /"server-id"/);
});

test('a constant column default is connect.default and the field default, its branch first when nullable', () => {
  const table = {
    ...small,
    columns: [
      { name: 'id', type: { kind: 'int32' }, nullable: false, sourceType: 'integer', default: 7 },
      { name: 'txt', type: { kind: 'string' }, nullable: false, sourceType: 'text', default: 'x' },
      { name: 'qty', type: { kind: 'int16' }, nullable: true, sourceType: 'smallint', default: 5 },
      {
        name: 'price',
        type: { kind: 'decimal', precision: 10, scale: 2 },
        nullable: false,
        sourceType: 'numeric(10,2)',
        default: '1.50',
      },
      {
        name: 'at',
        type: { kind: 'timestamp-micros', precision: 0 },
        nullable: false,
        sourceType: 'timestamp',
        default: 0n,
      },
      { name: 'note', type: { kind: 'string' }, nullable: true, sourceType: 'text' },
    ],
  } as const satisfies typeof small;
  const { value, key } = buildTableSchemas(table, { ...options, topic: 't' });
  assert.deepEqual(value.fields, [
    { name: 'id', type: { type: 'int', 'connect.default': 7 }, default: 7 },
    { name: 'txt', type: { type: 'string', 'connect.default': 'x' }, default: 'x' },
    {
      name: 'qty',
      type: [{ type: 'int', 'connect.type': 'int16', 'connect.default': 5 }, 'null'],
      default: 5,
    },
    {
      name: 'price',
      type: {
        type: 'bytes',
        scale: 2,
        precision: 10,
        'connect.version': 1,
        'connect.parameters': { scale: '2', 'connect.decimal.precision': '10' },
        'connect.default': '\u0000\u0096',
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      },
      default: '\u0000\u0096',
    },
    {
      name: 'at',
      type: {
        type: 'string',
        'connect.version': 1,
        'connect.default': '1970-01-01T00:00:00Z',
        'connect.name': 'io.debezium.time.ZonedTimestamp',
      },
      default: '1970-01-01T00:00:00Z',
    },
    { name: 'note', type: ['null', 'string'], default: null },
  ]);
  assert.deepEqual(key!.fields, [{ name: 'id', type: { type: 'int', 'connect.default': 7 }, default: 7 }]);
  // avsc reads the defaults back as canonical values.
  const type = avro.Type.forSchema(value as Schema, avroTypeOptions({ assertLogicalTypes: true }));
  const fields = (type as unknown as { fields: Array<{ name: string; defaultValue(): unknown }> }).fields;
  assert.deepEqual(
    fields.map((f) => f.defaultValue()),
    [7, 'x', 5, '1.50', 0n, null],
  );
});
