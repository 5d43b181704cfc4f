import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableSchema } from '../core/schema.ts';
import { describeTableChange } from './schema-diff.ts';
import { small } from './test-tables.ts';

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
