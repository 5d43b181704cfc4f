/** Tables and source fields shared by the avro unit tests. */
import type { SourceField } from '../core/change-event.ts';
import type { ColumnSchema, ColumnType, TableSchema } from '../core/schema.ts';

const column = (name: string, type: ColumnType, nullable: boolean, sourceType: string): ColumnSchema => ({
  name,
  type,
  nullable,
  sourceType,
});

/** One column of every ColumnType kind, nested arrays, nullable and renamed columns. */
export const everyKind: TableSchema = {
  id: { schema: 'public', table: 'everything' },
  primaryKey: ['id', 'tenant-id'],
  columns: [
    column('id', { kind: 'int64' }, false, 'bigint'),
    column('tenant-id', { kind: 'int16' }, false, 'smallint'),
    column('qty', { kind: 'int32' }, true, 'integer'),
    column('ratio', { kind: 'float32' }, true, 'real'),
    column('score', { kind: 'float64' }, false, 'double precision'),
    column('active', { kind: 'boolean' }, false, 'boolean'),
    column('price', { kind: 'decimal', precision: 12, scale: 2 }, true, 'numeric(12,2)'),
    column('name', { kind: 'string' }, true, 'text'),
    column('doc', { kind: 'string', semantic: 'json' }, true, 'jsonb'),
    column('mood', { kind: 'string', semantic: 'enum', allowed: ['sad', 'happy'] }, false, 'mood'),
    column('amount', { kind: 'variable-decimal' }, true, 'numeric'),
    column('total', { kind: 'variable-decimal' }, false, 'numeric'),
    column('cash', { kind: 'decimal', scale: 2 }, true, 'money'),
    column('flags', { kind: 'bits', length: 10 }, true, 'bit(10)'),
    column('vintage', { kind: 'year' }, true, 'year'),
    column('span', { kind: 'string', semantic: 'interval' }, true, 'interval'),
    column('blob', { kind: 'bytes' }, true, 'bytea'),
    column('born', { kind: 'date' }, true, 'date'),
    column('opens', { kind: 'time-micros' }, true, 'time'),
    column('alarm', { kind: 'time-micros', precision: 3 }, true, 'time(3)'),
    column('created', { kind: 'timestamp-micros', precision: 6 }, false, 'timestamptz'),
    column('local', { kind: 'local-timestamp-micros', precision: 6 }, true, 'timestamp'),
    column('logged', { kind: 'local-timestamp-micros', precision: 0 }, true, 'timestamp(0)'),
    column('uid', { kind: 'uuid' }, true, 'uuid'),
    column(
      'grid',
      { kind: 'array', items: { kind: 'array', items: { kind: 'int32' } } },
      true,
      'integer[][]',
    ),
    column('Order Note', { kind: 'string' }, true, 'text'),
  ],
};

export const postgresSourceFields: SourceField[] = [
  { name: 'schema', type: { kind: 'string' }, nullable: false },
  { name: 'table', type: { kind: 'string' }, nullable: false },
  { name: 'txId', type: { kind: 'int64' }, nullable: true },
  { name: 'lsn', type: { kind: 'int64' }, nullable: true },
];

export const small: TableSchema = {
  id: { schema: 'public', table: 'orders' },
  primaryKey: ['id'],
  columns: [
    column('id', { kind: 'int32' }, false, 'integer'),
    column('note', { kind: 'string' }, true, 'text'),
  ],
};
