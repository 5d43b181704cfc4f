/**
 * Encoding of one table version: avsc types compiled once, rows encoded by
 * their original column names.
 */
import avro from 'avsc';
import type { Schema, Type } from 'avsc';
import type { Envelope } from '../core/pipeline.ts';
import type { Row } from '../core/schema.ts';
import { TributaryError } from '../core/errors.ts';
import { avroTypeOptions } from './logical-types.ts';
import type { TableAvroSchemas } from './schema-builder.ts';
import { encodeAvro } from './wire.ts';

/** An envelope as decoded: the times may be null in events other producers wrote. */
export type DecodedEnvelope = Omit<Envelope, 'tsUs'> & { tsUs: bigint | null };

export interface TableCodec {
  readonly schemas: TableAvroSchemas;
  /** The key schema as registered, or null for a null key. */
  readonly keySchemaJson: string | null;
  /** The envelope schema as registered (subject `<topic>-value`). */
  readonly envelopeSchemaJson: string;
  readonly keyType: Type | null;
  readonly envelopeType: Type;
  /** Avro body of the key, or null when the table has no key. */
  encodeKey(row: Row): Buffer | null;
  /** Avro body of the envelope. */
  encodeValue(envelope: Envelope): Buffer;
  /** Confluent-framed key, or null when the table has no key. */
  encodeKeyFramed(schemaId: number, row: Row): Buffer | null;
  /** Confluent-framed envelope. */
  encodeValueFramed(schemaId: number, envelope: Envelope): Buffer;
  decodeKey(body: Buffer): Row | null;
  decodeValue(body: Buffer): DecodedEnvelope;
}

export function compileTableCodec(schemas: TableAvroSchemas): TableCodec {
  const keySchemaJson = schemas.key ? JSON.stringify(schemas.key) : null;
  const envelopeSchemaJson = JSON.stringify(schemas.envelope);
  const keyType = schemas.key
    ? avro.Type.forSchema(schemas.key as Schema, avroTypeOptions({ assertLogicalTypes: true }))
    : null;
  const envelopeType = avro.Type.forSchema(
    schemas.envelope as Schema,
    avroTypeOptions({ assertLogicalTypes: true }),
  );

  const fieldToColumn = new Map([...schemas.fieldNames].map(([column, field]) => [field, column]));
  const renamed = [...schemas.fieldNames].some(([column, field]) => column !== field);
  // With no renamed column, rows go to avsc as they are: it reads only the fields it knows.
  const toAvroRow = renamed ? (row: Row): Row => renameRow(row, schemas.fieldNames) : (row: Row): Row => row;

  // Encoding is synchronous, so one envelope object (and transaction block) is reused.
  const transaction = {
    id: '',
    total_order: 0n as bigint | number,
    data_collection_order: 0n as bigint | number,
  };
  const record: Record<string, unknown> = {
    before: null,
    after: null,
    source: null,
    op: '',
    ts_ms: null,
    ts_us: null,
    ts_ns: null,
    transaction: null,
  };
  const fill = (envelope: Envelope): Record<string, unknown> => {
    record['before'] = envelope.before === null ? null : toAvroRow(envelope.before);
    record['after'] = envelope.after === null ? null : toAvroRow(envelope.after);
    record['source'] = envelope.source;
    record['op'] = envelope.op;
    const { tsUs } = envelope;
    if (typeof tsUs === 'number') {
      record['ts_ms'] = Math.floor(tsUs / 1000);
      record['ts_us'] = tsUs;
      record['ts_ns'] = BigInt(tsUs) * 1000n;
    } else {
      record['ts_ms'] = tsUs / 1000n;
      record['ts_us'] = tsUs;
      record['ts_ns'] = tsUs * 1000n;
    }
    if (envelope.transaction === null) {
      record['transaction'] = null;
    } else {
      transaction.id = envelope.transaction.id;
      transaction.total_order = envelope.transaction.totalOrder;
      transaction.data_collection_order = envelope.transaction.dataCollectionOrder;
      record['transaction'] = transaction;
    }
    return record;
  };

  const encode = (type: Type, value: unknown, what: string, schemaId?: number): Buffer => {
    try {
      return encodeAvro(type, value, schemaId);
    } catch (error) {
      throw encodingError(schemas.topic, what, type, value, fieldToColumn, error);
    }
  };

  return {
    schemas,
    keySchemaJson,
    envelopeSchemaJson,
    keyType,
    envelopeType,
    encodeKey: (row) => (keyType ? encode(keyType, toAvroRow(row), 'key') : null),
    encodeValue: (envelope) => encode(envelopeType, fill(envelope), 'value'),
    encodeKeyFramed: (schemaId, row) => (keyType ? encode(keyType, toAvroRow(row), 'key', schemaId) : null),
    encodeValueFramed: (schemaId, envelope) => encode(envelopeType, fill(envelope), 'value', schemaId),
    decodeKey: (body) => (keyType ? fromAvroRow(keyType.fromBuffer(body) as Row, fieldToColumn) : null),
    decodeValue: (body) =>
      fromAvroEnvelope(envelopeType.fromBuffer(body) as Record<string, unknown>, fieldToColumn),
  };
}

function renameRow(row: Row, fieldNames: ReadonlyMap<string, string>): Row {
  const out: Row = {};
  for (const [column, field] of fieldNames) out[field] = row[column];
  return out;
}

function fromAvroRow(record: Record<string, unknown>, fieldToColumn: ReadonlyMap<string, string>): Row {
  const row: Row = {};
  for (const [field, value] of Object.entries(record)) row[fieldToColumn.get(field) ?? field] = value;
  return row;
}

function fromAvroEnvelope(
  record: Record<string, unknown>,
  fieldToColumn: ReadonlyMap<string, string>,
): DecodedEnvelope {
  const image = (value: unknown): Row | null =>
    value === null ? null : fromAvroRow(value as Record<string, unknown>, fieldToColumn);
  const transaction = record['transaction'] as {
    id: string;
    total_order: bigint;
    data_collection_order: bigint;
  } | null;
  return {
    before: image(record['before']),
    after: image(record['after']),
    source: { ...(record['source'] as Record<string, unknown>) },
    op: record['op'] as Envelope['op'],
    tsUs: record['ts_us'] as bigint | null,
    transaction: transaction && {
      id: transaction.id,
      totalOrder: transaction.total_order,
      dataCollectionOrder: transaction.data_collection_order,
    },
  };
}

/** Names the field (by column name), the value and the reason an event could not be encoded. */
function encodingError(
  topic: string,
  what: string,
  type: Type,
  value: unknown,
  fieldToColumn: ReadonlyMap<string, string>,
  error: unknown,
): TributaryError {
  let detail = (error as Error).message;
  let found = false;
  type.isValid(value, {
    errorHook: (path: string[], invalid: unknown, invalidType: Type) => {
      if (found) return;
      found = true;
      const named = path.map((part) => fieldToColumn.get(part) ?? part).join('.');
      detail = `field ${named || '(root)'} cannot hold ${describe(invalid)}${reasonFor(invalidType, invalid)}`;
    },
  });
  return new TributaryError(`cannot encode the ${what} of an event for ${topic}: ${detail}`, {
    code: 'ENCODING_FAILED',
    fix: 'this is a bug in Tributary: the value does not match the column type it was read as; please report it with the column type',
    cause: error,
  });
}

/** Why `type` (or, for a union, its non-null branch) refuses `value`, from its own error. */
function reasonFor(type: Type, value: unknown): string {
  const branches = (type as { types?: Type[] }).types ?? [type];
  for (const branch of branches) {
    if (branch.typeName === 'null') continue;
    try {
      branch.toBuffer(value);
    } catch (error) {
      const message = (error as Error).message;
      // avsc cannot print a bigint in its own error message.
      return /BigInt/.test(message)
        ? `: not a valid ${branch.typeName.replace('abstract:', '')}`
        : `: ${message}`;
    }
  }
  return '';
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === undefined) return 'no value (column missing from the row)';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
