import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableSchema } from '../core/schema.ts';
import { buildTableSchemas } from './schema-builder.ts';
import { describeAvroChange, describeTableChange } from './schema-diff.ts';
import { postgresSourceFields, small } from './test-tables.ts';

test('column changes are described in words', () => {
  const after: TableSchema = {
    ...small,
    columns: [
      { name: 'id', type: { kind: 'int64' }, nullable: false, sourceType: 'bigint' },
      {
        name: 'total',
        type: { kind: 'decimal', precision: 10, scale: 2 },
        nullable: false,
        sourceType: 'numeric(10,2)',
      },
    ],
  };
  assert.equal(
    describeTableChange(small, after),
    'changed column id from integer not null to bigint not null, added column total (numeric(10,2) not null), dropped column note',
  );
  assert.match(describeTableChange(undefined, after), /no earlier version/);
  assert.match(describeTableChange(small, small), /no column change/);
});

test('changes between registered Avro schemas (envelopes or keys) are described in words', () => {
  const schemas = (table: TableSchema) =>
    buildTableSchemas(table, {
      topic: 'shop.public.orders',
      connector: 'postgresql',
      sourceFields: postgresSourceFields,
    });
  const after: TableSchema = {
    ...small,
    primaryKey: ['id', 'tier'],
    columns: [
      { name: 'id', type: { kind: 'int64' }, nullable: false, sourceType: 'bigint' },
      { name: 'tier', type: { kind: 'string' }, nullable: false, sourceType: 'text' },
      { name: 'at', type: { kind: 'timestamp-micros' }, nullable: true, sourceType: 'timestamptz' },
    ],
  };
  // Through JSON, as the registry hands schemas back.
  const registered = JSON.parse(JSON.stringify(schemas(small).envelope)) as unknown;
  assert.equal(
    describeAvroChange(registered, schemas(after).envelope),
    'changed column id from int not null to long not null, added column tier (string not null), added column at (ZonedTimestamp), dropped column note',
  );
  assert.equal(
    describeAvroChange(schemas(small).key, schemas(after).key),
    'changed column id from int not null to long not null, added column tier (string not null)',
  );
  assert.equal(describeAvroChange(registered, schemas(small).envelope), null);
  assert.equal(describeAvroChange('"string"', schemas(small).envelope), null);
});
