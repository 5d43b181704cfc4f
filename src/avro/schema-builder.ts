/**
 * Avro schemas of a table version, shaped like Debezium's so its consumers
 * (Connect sinks, Flink, ClickHouse, Materialize) recognise them. Pure and
 * deterministic: the same input gives byte-identical JSON, so the registry
 * answers with the same id.
 */
import type { SourceField } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
import { tableKey, type ColumnType, type StringSemantic, type TableSchema } from '../core/schema.ts';
import avro from 'avsc';
import type { Schema } from 'avsc';
import { FRACTION_DIGITS, VARIABLE_SCALE_DECIMAL } from './debezium-types.ts';
import { avroTypeOptions } from './logical-types.ts';
import { avroFieldNames, avroNamespace, isValidAvroName } from './names.ts';

export type AvroSchema = string | AvroSchema[] | AvroObject;
export interface AvroObject {
  type: AvroSchema;
  [attribute: string]: unknown;
}
export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: unknown;
}
export interface AvroRecord extends AvroObject {
  type: 'record';
  name: string;
  namespace?: string;
  fields: AvroField[];
}

/** Debezium's connector name, which names the `source` record's namespace. */
export type Connector = 'postgresql' | 'mysql' | 'mariadb';

/** Debezium's `connect.name` for what a string holds; the others are plain strings, as Debezium sends them. */
const SEMANTIC_NAMES: Partial<Record<StringSemantic, string>> = {
  json: 'io.debezium.data.Json',
  xml: 'io.debezium.data.Xml',
  enum: 'io.debezium.data.Enum',
  set: 'io.debezium.data.EnumSet',
  interval: 'io.debezium.time.Interval',
  tsvector: 'io.debezium.data.TsVector',
  'time-with-zone': 'io.debezium.time.ZonedTime',
};

/**
 * A Kafka Connect schema named `name`, as Connect's Avro converters write it:
 * `connect.version`, `connect.parameters`, `connect.name`, and no Avro
 * `logicalType` (only Connect's own Decimal has one).
 */
function connectType(type: string, name: string, parameters?: Record<string, string>): AvroObject {
  return {
    type,
    'connect.version': 1,
    ...(parameters ? { 'connect.parameters': parameters } : {}),
    'connect.name': name,
  };
}

/** Debezium's VariableScaleDecimal, defined once per schema and then referred to by name. */
function variableScaleDecimal(): AvroRecord {
  return {
    type: 'record',
    name: 'VariableScaleDecimal',
    namespace: 'io.debezium.data',
    fields: [
      { name: 'scale', type: 'int' },
      { name: 'value', type: 'bytes' },
    ],
    'connect.doc': 'Variable scaled decimal',
    'connect.version': 1,
    'connect.name': VARIABLE_SCALE_DECIMAL,
  };
}

/** Debezium's io.debezium.data.geometry records: WKB and SRID, and a point's coordinates. */
function geometryRecord(name: 'Geometry' | 'Point', doc: string): AvroRecord {
  const fields: AvroField[] =
    name === 'Point'
      ? [
          { name: 'x', type: 'double' },
          { name: 'y', type: 'double' },
          { name: 'wkb', type: ['null', 'bytes'], default: null },
          { name: 'srid', type: ['null', 'int'], default: null },
        ]
      : [
          { name: 'wkb', type: 'bytes' },
          { name: 'srid', type: ['null', 'int'], default: null },
        ];
  return {
    type: 'record',
    name,
    namespace: 'io.debezium.data.geometry',
    fields,
    'connect.doc': doc,
    'connect.version': 1,
    'connect.name': `io.debezium.data.geometry.${name}`,
  };
}

/**
 * The Avro type of a column type (never nullable: see `avroField`): the
 * schema Debezium registers for the same column in its default modes.
 */
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
    case 'decimal': {
      // Connect's Avro converters write precision 64 when the schema names none.
      const parameters: Record<string, string> = { scale: String(type.scale) };
      if (type.precision !== undefined) parameters['connect.decimal.precision'] = String(type.precision);
      return {
        type: 'bytes',
        scale: type.scale,
        precision: type.precision ?? 64,
        'connect.version': 1,
        'connect.parameters': parameters,
        'connect.name': 'org.apache.kafka.connect.data.Decimal',
        logicalType: 'decimal',
      };
    }
    case 'variable-decimal':
      return variableScaleDecimal();
    case 'string': {
      const name = type.semantic && SEMANTIC_NAMES[type.semantic];
      if (!name) return 'string';
      return connectType('string', name, type.allowed ? { allowed: type.allowed.join(',') } : undefined);
    }
    case 'bytes':
      return 'bytes';
    case 'bits':
      return connectType('bytes', 'io.debezium.data.Bits', { length: String(type.length) });
    case 'year':
      return connectType('int', 'io.debezium.time.Year');
    case 'date':
      return connectType('int', 'io.debezium.time.Date');
    case 'time-micros':
      return isMillis(type.precision)
        ? connectType('int', 'io.debezium.time.Time')
        : connectType('long', 'io.debezium.time.MicroTime');
    case 'timestamp-micros': {
      const schema = connectType('string', 'io.debezium.time.ZonedTimestamp');
      Object.defineProperty(schema, FRACTION_DIGITS, { value: type.precision ?? 0, enumerable: false });
      return schema;
    }
    case 'local-timestamp-micros':
      return isMillis(type.precision)
        ? connectType('long', 'io.debezium.time.Timestamp')
        : connectType('long', 'io.debezium.time.MicroTimestamp');
    case 'uuid':
      return connectType('string', 'io.debezium.data.Uuid');
    case 'geometry':
      return type.point
        ? geometryRecord('Point', 'Geometry (POINT)')
        : geometryRecord('Geometry', 'Geometry');
    case 'array':
      return { type: 'array', items: ['null', avroTypeOf(type.items)] };
  }
}

/** Debezium's adaptive mode sends times of 0-3 fraction digits in milliseconds. */
function isMillis(precision: number | undefined): boolean {
  return precision !== undefined && precision <= 3;
}

/**
 * A column's field: `["null", T]` with default null when nullable. A column
 * with a constant default gets it as Connect's Avro converters write one:
 * `connect.default` on the type, the field's `default`, and for a nullable
 * column the default's branch first (`[T, "null"]`).
 */
export function avroField(
  name: string,
  type: ColumnType,
  nullable: boolean,
  defaultValue?: unknown,
): AvroField {
  const avroType = avroTypeOf(type);
  const json = defaultValue == null ? undefined : avroDefaultOf(avroType, defaultValue);
  if (json === undefined) {
    return nullable ? { name, type: ['null', avroType], default: null } : { name, type: avroType };
  }
  const withDefault = withConnectDefault(avroType, json);
  return { name, type: nullable ? [withDefault, 'null'] : withDefault, default: json };
}

/** The Avro JSON of a canonical value of `avroType`, or undefined when it has none (records, arrays). */
function avroDefaultOf(avroType: AvroSchema, value: unknown): unknown {
  if (
    typeof avroType === 'object' &&
    !Array.isArray(avroType) &&
    ['record', 'array'].includes(avroType.type as string)
  )
    return undefined;
  try {
    return JSON.parse(avro.Type.forSchema(avroType as Schema, avroTypeOptions()).toString(value));
  } catch {
    return undefined;
  }
}

/** `avroType` with `connect.default`, where Connect's Avro converters put it: before `connect.name`. */
function withConnectDefault(avroType: AvroSchema, json: unknown): AvroObject {
  if (typeof avroType === 'string' || Array.isArray(avroType))
    return { type: avroType, 'connect.default': json };
  const out: AvroObject = { type: avroType.type };
  for (const [key, entry] of Object.entries(avroType)) {
    if ((key === 'connect.name' || key === 'logicalType') && !('connect.default' in out))
      out['connect.default'] = json;
    out[key] = entry;
  }
  if (!('connect.default' in out)) out['connect.default'] = json;
  const fractionDigits = (avroType as unknown as Record<symbol, unknown>)[FRACTION_DIGITS];
  if (fractionDigits !== undefined) Object.defineProperty(out, FRACTION_DIGITS, { value: fractionDigits });
  return out;
}

/**
 * A named type may be defined only once in an Avro schema: every later use of
 * a Debezium record (VariableScaleDecimal, Geometry, Point) becomes a
 * reference by its full name.
 */
function referToRepeatedNames(fields: AvroField[]): AvroField[] {
  const defined = new Set<string>();
  const visit = (schema: AvroSchema): AvroSchema => {
    if (typeof schema === 'string') return schema;
    if (Array.isArray(schema)) return schema.map(visit);
    const name = schema['connect.name'];
    if (schema.type === 'record' && typeof name === 'string') {
      if (defined.has(name)) return name;
      defined.add(name);
      return schema;
    }
    if (schema.type === 'array') return { ...schema, items: visit(schema['items'] as AvroSchema) };
    return schema;
  };
  return fields.map((field) => ({ ...field, type: visit(field.type) }));
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
    fields: referToRepeatedNames(
      table.columns.map((column) =>
        avroField(fieldNames.get(column.name)!, column.type, column.nullable, column.default),
      ),
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
    return avroField(fieldNames.get(name)!, column.type, column.nullable, column.default);
  });
  return {
    type: 'record',
    name: 'Key',
    namespace,
    fields: referToRepeatedNames(fields),
    'connect.name': `${namespace}.Key`,
  };
}

/** Debezium's SnapshotRecord values, in its order: the `allowed` of `source.snapshot`. */
const SNAPSHOT_MARKERS = 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental';

/**
 * The `source` fields every Debezium connector has, in its order; the
 * connector's own fields follow. `snapshot` is an optional Enum whose default
 * is `false`, so Connect's Avro converters put the default's branch first.
 */
const COMMON_SOURCE_FIELDS: readonly AvroField[] = [
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
        'connect.parameters': { allowed: SNAPSHOT_MARKERS },
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
];

export function buildSourceSchema(connector: Connector, sourceFields: readonly SourceField[]): AvroRecord {
  const namespace = `io.debezium.connector.${connector}`;
  const seen = new Set(COMMON_SOURCE_FIELDS.map((field) => field.name));
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
    fields: [...COMMON_SOURCE_FIELDS, ...fields],
    'connect.version': 1,
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
  // As Avro prints a record inside one of the same namespace: without its own.
  const { namespace: valueNamespace, ...rest } = value;
  const inEnvelope: AvroRecord = valueNamespace === namespace ? rest : value;
  const valueRef =
    value.namespace && value.namespace !== namespace ? `${value.namespace}.${value.name}` : value.name;
  return {
    type: 'record',
    name: 'Envelope',
    namespace,
    fields: [
      { name: 'before', type: ['null', inEnvelope], default: null },
      { name: 'after', type: ['null', valueRef], default: null },
      { name: 'source', type: buildSourceSchema(connector, sourceFields) },
      { name: 'transaction', type: ['null', buildTransactionSchema()], default: null },
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: ['null', 'long'], default: null },
      { name: 'ts_us', type: ['null', 'long'], default: null },
      { name: 'ts_ns', type: ['null', 'long'], default: null },
    ],
    'connect.version': 2,
    'connect.name': `${namespace}.Envelope`,
  };
}
