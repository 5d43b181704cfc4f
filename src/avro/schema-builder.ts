/**
 * Avro schemas of a table version, shaped like Debezium's so its consumers
 * (Connect sinks, Flink, ClickHouse, Materialize) recognise them. Pure and
 * deterministic: the same input gives byte-identical JSON, so the registry
 * answers with the same id.
 */
import type { SourceField } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
import { tableKey, type ColumnType, type StringSemantic, type TableSchema } from '../core/schema.ts';
import { avroFieldNames, avroNamespace, isValidAvroName } from './names.ts';

export type AvroSchema = string | AvroSchema[] | AvroObject;
export interface AvroObject {
  type: AvroSchema;
  [attribute: string]: unknown;
}
export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: null;
}
export interface AvroRecord extends AvroObject {
  type: 'record';
  name: string;
  namespace?: string;
  fields: AvroField[];
}

export type Connector = 'postgresql' | 'mysql';

/** Where Debezium has a name for what a string holds, its name; otherwise ours. */
const SEMANTIC_NAMES: Record<StringSemantic, string> = {
  json: 'io.debezium.data.Json',
  xml: 'io.debezium.data.Xml',
  enum: 'io.debezium.data.Enum',
  set: 'io.debezium.data.EnumSet',
  decimal: 'io.tributary.data.Decimal',
  interval: 'io.tributary.time.Interval',
  inet: 'io.tributary.data.Inet',
  cidr: 'io.tributary.data.Cidr',
  macaddr: 'io.tributary.data.MacAddress',
  bits: 'io.tributary.data.Bits',
  money: 'io.tributary.data.Money',
  geometry: 'io.tributary.data.Geometry',
  range: 'io.tributary.data.Range',
  tsvector: 'io.tributary.data.TsVector',
  'time-with-zone': 'io.tributary.time.ZonedTime',
  year: 'io.tributary.time.Year',
};

/** The Avro type of a column type (never nullable: see `avroField`). */
export function avroTypeOf(type: ColumnType): AvroSchema {
  switch (type.kind) {
    case 'int16':
      return { type: 'int', 'connect.type': 'int16' };
    case 'int32':
      return 'int';
    case 'int64':
      return 'long';
    case 'float32':
      return 'float';
    case 'float64':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'decimal':
      return {
        type: 'bytes',
        scale: type.scale,
        precision: type.precision,
        'connect.version': 1,
        'connect.parameters': {
          scale: String(type.scale),
          'connect.decimal.precision': String(type.precision),
        },
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      };
    case 'string':
      if (!type.semantic) return 'string';
      return {
        type: 'string',
        'connect.version': 1,
        'connect.name': SEMANTIC_NAMES[type.semantic],
        'tributary.semantic': type.semantic,
      };
    case 'bytes':
      return 'bytes';
    case 'date':
      return {
        type: 'int',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.Date',
        logicalType: 'date',
      };
    case 'time-micros':
      return {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.MicroTime',
        logicalType: 'time-micros',
      };
    case 'timestamp-micros':
      // Debezium's ZonedTimestamp is a string; ours is UTC micros, so no Debezium name.
      return { type: 'long', logicalType: 'timestamp-micros' };
    case 'local-timestamp-micros':
      return {
        type: 'long',
        'connect.version': 1,
        'connect.name': 'io.debezium.time.MicroTimestamp',
        logicalType: 'local-timestamp-micros',
      };
    case 'uuid':
      return {
        type: 'string',
        'connect.version': 1,
        'connect.name': 'io.debezium.data.Uuid',
        logicalType: 'uuid',
      };
    case 'array':
      return { type: 'array', items: ['null', avroTypeOf(type.items)] };
  }
}

export function avroField(name: string, type: ColumnType, nullable: boolean): AvroField {
  const avroType = avroTypeOf(type);
  return nullable ? { name, type: ['null', avroType], default: null } : { name, type: avroType };
}

export interface SchemaBuildOptions {
  /** The table's Kafka topic: the namespace of Key, Value and Envelope. */
  topic: string;
  connector: Connector;
  /** The dialect's part of the `source` block, in order. */
  sourceFields: readonly SourceField[];
  /** Key columns replacing the primary key (`topics.keyColumns`). */
  keyColumns?: readonly string[] | undefined;
}

export interface TableAvroSchemas {
  topic: string;
  namespace: string;
  /** Column name → Avro field name, for every column in column order. */
  fieldNames: ReadonlyMap<string, string>;
  /** The key's columns in key order; empty when events have a null key. */
  keyColumns: readonly string[];
  key: AvroRecord | null;
  value: AvroRecord;
  envelope: AvroRecord;
}

export function buildTableSchemas(table: TableSchema, options: SchemaBuildOptions): TableAvroSchemas {
  const namespace = avroNamespace(options.topic);
  const names = avroFieldNames(table.columns.map((column) => column.name));
  const fieldNames = new Map(table.columns.map((column, i) => [column.name, names[i]!]));
  const keyColumns = options.keyColumns?.length ? options.keyColumns : table.primaryKey;
  const value = buildValueSchema(table, namespace, fieldNames);
  return {
    topic: options.topic,
    namespace,
    fieldNames,
    keyColumns: [...keyColumns],
    key: buildKeySchema(table, namespace, fieldNames, keyColumns),
    value,
    envelope: buildEnvelopeSchema(value, namespace, options.connector, options.sourceFields),
  };
}

export function buildValueSchema(
  table: TableSchema,
  namespace: string,
  fieldNames: ReadonlyMap<string, string>,
): AvroRecord {
  return {
    type: 'record',
    name: 'Value',
    namespace,
    fields: table.columns.map((column) =>
      avroField(fieldNames.get(column.name)!, column.type, column.nullable),
    ),
    'connect.name': `${namespace}.Value`,
  };
}

/** The key record, or null when `keyColumns` is empty. */
export function buildKeySchema(
  table: TableSchema,
  namespace: string,
  fieldNames: ReadonlyMap<string, string>,
  keyColumns: readonly string[],
): AvroRecord | null {
  if (keyColumns.length === 0) return null;
  const fields = keyColumns.map((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    if (!column) {
      throw new TributaryError(
        `the key of ${tableKey(table.id)} names column "${name}", which the table does not have (columns: ${table.columns.map((c) => c.name).join(', ')})`,
        { code: 'CONFIG_INVALID', fix: `name existing columns in topics.keyColumns."${tableKey(table.id)}"` },
      );
    }
    return avroField(fieldNames.get(name)!, column.type, column.nullable);
  });
  return { type: 'record', name: 'Key', namespace, fields, 'connect.name': `${namespace}.Key` };
}

const CORE_SOURCE_FIELDS: AvroField[] = [
  { name: 'version', type: 'string' },
  { name: 'connector', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'ts_ms', type: 'long' },
];

export function buildSourceSchema(connector: Connector, sourceFields: readonly SourceField[]): AvroRecord {
  const namespace = `io.debezium.connector.${connector}`;
  const seen = new Set(CORE_SOURCE_FIELDS.map((field) => field.name));
  const fields = sourceFields.map((field) => {
    if (!isValidAvroName(field.name) || seen.has(field.name)) {
      throw new Error(`source field "${field.name}" is not a valid, unique Avro field name`);
    }
    seen.add(field.name);
    return avroField(field.name, field.type, field.nullable);
  });
  return {
    type: 'record',
    name: 'Source',
    namespace,
    fields: [...CORE_SOURCE_FIELDS, ...fields],
    'connect.name': `${namespace}.Source`,
  };
}

/** Debezium's `transaction` block, named `event.block`. */
export function buildTransactionSchema(): AvroRecord {
  return {
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
  };
}

export function buildEnvelopeSchema(
  value: AvroRecord,
  namespace: string,
  connector: Connector,
  sourceFields: readonly SourceField[],
): AvroRecord {
  // Debezium refers to the Value record by its short name inside the envelope's namespace.
  const valueRef =
    value.namespace && value.namespace !== namespace ? `${value.namespace}.${value.name}` : value.name;
  return {
    type: 'record',
    name: 'Envelope',
    namespace,
    fields: [
      { name: 'before', type: ['null', value], default: null },
      { name: 'after', type: ['null', valueRef], default: null },
      { name: 'source', type: buildSourceSchema(connector, sourceFields) },
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: ['null', 'long'], default: null },
      { name: 'transaction', type: ['null', buildTransactionSchema()], default: null },
    ],
    'connect.name': `${namespace}.Envelope`,
  };
}
