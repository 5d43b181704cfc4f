/**
 * Decoded Avro values made readable, guided by the writer's schema: times and
 * dates as ISO-8601 text (Debezium's `io.debezium.time.*` names and Avro's
 * logical types, plus the envelope's `ts_ms`/`ts_us`/`ts_ns`), decimals as
 * exact text, 64-bit integers as digits and bytes as hex.
 */
import { bytesToBigInt, unscaledToDecimal } from './avro/decimal.ts';

type AvroSchema = string | AvroSchema[] | { type: AvroSchema; [attribute: string]: unknown };

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** A count of `unit`s since the epoch as ISO-8601 with up to 9 fraction digits; `Z` when the instant is UTC. */
function instant(count: bigint, perSecond: bigint, zone: boolean): string {
  const seconds = floorDiv(count, perSecond);
  const fraction = (count - seconds * perSecond).toString().padStart(perSecond.toString().length - 1, '0');
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${count}`;
  const whole = date.toISOString().slice(0, 19);
  return `${whole}${perSecond > 1n ? `.${fraction}` : ''}${zone ? 'Z' : ''}`;
}

function timeOfDay(count: bigint, perSecond: bigint): string {
  const perDay = 86_400n * perSecond;
  return instant(((count % perDay) + perDay) % perDay, perSecond, false).slice(11);
}

function asBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return null;
}

function temporal(name: string | undefined, value: unknown): string | undefined {
  const n = asBigInt(value);
  if (n === null || !name) return undefined;
  switch (name) {
    case 'io.debezium.time.Date':
    case 'date':
      return instant(n * 86_400n, 1n, false).slice(0, 10);
    case 'io.debezium.time.Timestamp':
      return instant(n, 1000n, false);
    case 'timestamp-millis':
      return instant(n, 1000n, true);
    case 'io.debezium.time.MicroTimestamp':
    case 'local-timestamp-micros':
      return instant(n, 1_000_000n, false);
    case 'timestamp-micros':
      return instant(n, 1_000_000n, true);
    case 'io.debezium.time.NanoTimestamp':
      return instant(n, 1_000_000_000n, false);
    case 'io.debezium.time.Time':
    case 'time-millis':
      return timeOfDay(n, 1000n);
    case 'io.debezium.time.MicroTime':
    case 'time-micros':
      return timeOfDay(n, 1_000_000n);
    case 'io.debezium.time.NanoTime':
      return timeOfDay(n, 1_000_000_000n);
    default:
      return undefined;
  }
}

const ENVELOPE_TIMES: Record<string, bigint> = { ts_ms: 1000n, ts_us: 1_000_000n, ts_ns: 1_000_000_000n };

type Named = Map<string, AvroSchema>;

/** Every named type of a schema by full name (and short name), so references resolve. */
function namedTypes(schema: AvroSchema, named: Named = new Map(), namespace = ''): Named {
  if (Array.isArray(schema)) {
    for (const branch of schema) namedTypes(branch, named, namespace);
  } else if (typeof schema === 'object' && schema !== null) {
    const name = schema.name as string | undefined;
    const ns = (schema.namespace as string | undefined) ?? (name?.includes('.') ? '' : namespace);
    if (name) {
      const full = name.includes('.') ? name : ns ? `${ns}.${name}` : name;
      named.set(full, schema);
      if (!named.has(name)) named.set(name, schema);
    }
    const inner = name?.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ns;
    if (Array.isArray(schema.fields))
      for (const f of schema.fields as Array<{ type: AvroSchema }>) namedTypes(f.type, named, inner);
    if (schema.items) namedTypes(schema.items as AvroSchema, named, inner);
    if (typeof schema.type === 'object') namedTypes(schema.type, named, inner);
  }
  return named;
}

/** `value` as plain JSON-ready data, read through `schema`. */
export function displayValue(schema: AvroSchema, value: unknown, field?: string, names?: Named): unknown {
  const named = names ?? namedTypes(schema);
  if (typeof schema === 'string' && named.has(schema))
    return displayValue(named.get(schema)!, value, field, named);
  return displayResolved(schema, value, field, named);
}

function displayResolved(
  schema: AvroSchema,
  value: unknown,
  field: string | undefined,
  named: Named,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(schema)) {
    const branch = schema.find(
      (s) => s !== 'null' && !(typeof s === 'object' && !Array.isArray(s) && s.type === 'null'),
    );
    return displayValue(branch ?? schema[0]!, value, field, named);
  }
  if (typeof schema === 'string') {
    if (field && ENVELOPE_TIMES[field] && (schema === 'long' || schema === 'int')) {
      const n = asBigInt(value);
      if (n !== null) return instant(n, ENVELOPE_TIMES[field], true);
    }
    return plainValue(value);
  }
  const attributes = schema;
  const connectName = attributes['connect.name'] as string | undefined;
  if (attributes.type === 'record' && Array.isArray(attributes.fields)) {
    const record = value as Record<string, unknown>;
    if (connectName === 'io.debezium.data.VariableScaleDecimal' && Buffer.isBuffer(record.value))
      return unscaledToDecimal(bytesToBigInt(record.value), Number(record.scale));
    const out: Record<string, unknown> = {};
    for (const f of attributes.fields as Array<{ name: string; type: AvroSchema }>)
      out[f.name] = displayValue(f.type, record[f.name], f.name, named);
    return out;
  }
  if (attributes.type === 'array' && Array.isArray(value))
    return value.map((item) => displayValue(attributes.items as AvroSchema, item, undefined, named));
  if (attributes.logicalType === 'decimal' || connectName === 'org.apache.kafka.connect.data.Decimal') {
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return unscaledToDecimal(bytesToBigInt(value), Number(attributes.scale ?? 0));
  }
  const time = temporal(connectName, value) ?? temporal(attributes.logicalType as string | undefined, value);
  if (time !== undefined) return time;
  if (typeof attributes.type === 'string' && field && ENVELOPE_TIMES[field])
    return displayValue(attributes.type, value, field, named);
  return plainValue(value);
}

function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}
