/**
 * Debezium's semantic types are plain Avro types named by `connect.name`, with
 * no Avro `logicalType` (a converter refuses a field with both). These avsc
 * types recognise them by that name and convert between the canonical values
 * of src/core/schema.ts and what Debezium writes:
 *
 * - `io.debezium.time.Time` (int milliseconds) and `io.debezium.time.Timestamp`
 *   (long milliseconds) ↔ bigint microseconds;
 * - `io.debezium.time.ZonedTimestamp` (ISO-8601 text in UTC) ↔ bigint
 *   microseconds, the int64 extremes being Postgres' `infinity`/`-infinity`;
 * - `io.debezium.data.Bits` (little-endian bytes) ↔ a string of `0`/`1`;
 * - `io.debezium.data.VariableScaleDecimal` ({scale, value}) ↔ decimal text;
 * - `io.debezium.data.geometry.Geometry` ({wkb, srid}) and `Point` ({x, y,
 *   wkb, srid}) ↔ MySQL's storage form of a spatial value (SRID, then WKB).
 */
import avro from 'avsc';
import type { ForSchemaOptions, Schema, Type } from 'avsc';
import { civilFromDays, daysFromCivil, digits } from '../core/civil-date.ts';
import { bigIntLong } from './bigint-long.ts';
import { bigIntToBytes, bytesToBigInt, unscaledToDecimal } from './decimal.ts';

/**
 * Debezium's ZonedTimestamp is ISO-8601 text; how many fraction digits it
 * prints is not in its schema, so the schema object carries it unseen.
 */
export const FRACTION_DIGITS = Symbol('fractionDigits');
export const VARIABLE_SCALE_DECIMAL = 'io.debezium.data.VariableScaleDecimal';

type Resolve = ((value: unknown) => unknown) | undefined;
type SchemaObject = Record<string | symbol, unknown>;

/** Schemas whose underlying type is being built: the hook must not claim them again. */
const underConstruction = new Set<unknown>();

const NOTHING = Symbol('nothing');

abstract class ConnectNamedType extends avro.types.LogicalType {
  constructor(schema: Schema, opts?: Partial<ForSchemaOptions>) {
    underConstruction.add(schema);
    try {
      super(schema, opts);
    } finally {
      underConstruction.delete(schema);
    }
    // A nullable column's union checks a value, then writes it: both convert
    // it. Remember the last conversion of a primitive (objects may change).
    const convert = this._toValue.bind(this);
    let lastIn: unknown = NOTHING;
    let lastOut: unknown;
    this._toValue = (value: unknown): unknown => {
      if (value === lastIn) return lastOut;
      const out = convert(value);
      if (typeof value !== 'object') {
        lastIn = value;
        lastOut = out;
      }
      return out;
    };
  }

  protected override _resolve(type: Type): Resolve {
    // Every type here has the logical type name `undefined`: compare the classes.
    return type.constructor === this.constructor ? (value) => value : undefined;
  }
}

const toBigInt = (value: unknown): bigint => (typeof value === 'bigint' ? value : BigInt(value as number));

/** `io.debezium.time.Time`: milliseconds since midnight in an int. */
class MillisTimeType extends ConnectNamedType {
  protected override _fromValue(millis: number): bigint {
    return BigInt(millis) * 1000n;
  }
  protected override _toValue(micros: unknown): unknown {
    return typeof micros === 'bigint' || typeof micros === 'number'
      ? Number(toBigInt(micros) / 1000n)
      : undefined;
  }
}

const INFINITY = 9223372036854775807n;
const MINUS_INFINITY = -9223372036854775808n;

/**
 * `io.debezium.time.Timestamp`: milliseconds since the epoch in a long. The
 * infinity sentinels (int64 extremes in microseconds) stay int64 extremes.
 */
class MillisTimestampType extends ConnectNamedType {
  protected override _fromValue(millis: bigint): bigint {
    return millis === INFINITY || millis === MINUS_INFINITY ? millis : millis * 1000n;
  }
  protected override _toValue(micros: unknown): unknown {
    if (typeof micros !== 'bigint' && typeof micros !== 'number') return undefined;
    const value = toBigInt(micros);
    return value === INFINITY || value === MINUS_INFINITY ? value : value / 1000n;
  }
}

const MICROS_PER_DAY = 86_400_000_000n;
const MICROS_PER_DAY_NUMBER = 86_400_000_000;

/** Java's ISO_OFFSET_DATE_TIME for a UTC instant, with at least `fractionDigits` fraction digits. */
export function formatZonedTimestamp(micros: bigint, fractionDigits: number): string {
  if (micros === INFINITY) return 'infinity';
  if (micros === MINUS_INFINITY) return '-infinity';
  let days: number;
  let inDay: number;
  const n = Number(micros);
  if (Number.isSafeInteger(n)) {
    // Exact in number arithmetic (years 1685 to 2255); the division may round, hence the fix-up.
    days = Math.floor(n / MICROS_PER_DAY_NUMBER);
    inDay = n - days * MICROS_PER_DAY_NUMBER;
    if (inDay < 0) {
      days -= 1;
      inDay += MICROS_PER_DAY_NUMBER;
    } else if (inDay >= MICROS_PER_DAY_NUMBER) {
      days += 1;
      inDay -= MICROS_PER_DAY_NUMBER;
    }
  } else {
    let bigDays = micros / MICROS_PER_DAY;
    let bigInDay = micros % MICROS_PER_DAY;
    if (bigInDay < 0n) {
      bigInDay += MICROS_PER_DAY;
      bigDays -= 1n;
    }
    days = Number(bigDays);
    inDay = Number(bigInDay);
  }
  const { year, month, day } = civilFromDays(days);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const yearText = year < 0 ? `-${pad(-year, 4)}` : year > 9999 ? `+${year}` : pad(year, 4);
  const seconds = Math.floor(inDay / 1_000_000);
  const fraction = inDay % 1_000_000;
  let fractionText = fraction === 0 ? '' : pad(fraction, 6).replace(/0+$/, '');
  if (fractionText.length < fractionDigits)
    fractionText = fractionText.padEnd(Math.min(fractionDigits, 9), '0');
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return `${yearText}-${pad(month)}-${pad(day)}T${time}${fractionText ? `.${fractionText}` : ''}Z`;
}

const ZONED =
  /^([+-]?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:\d\d(?::\d\d)?)$/;

/** The instant of an ISO-8601 offset date-time, in microseconds (sub-microsecond digits dropped). */
export function parseZonedTimestamp(text: string): bigint {
  if (text === 'infinity') return INFINITY;
  if (text === '-infinity') return MINUS_INFINITY;
  const m = ZONED.exec(text);
  if (!m) throw new TypeError(`not an ISO-8601 offset date-time: ${JSON.stringify(text)}`);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const seconds = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0);
  const fraction = m[7] ? digits(m[7].slice(0, 6).padEnd(6, '0'), 0, 6) : 0;
  let offsetSeconds = 0;
  if (m[8] !== 'Z') {
    const sign = m[8]!.startsWith('-') ? -1 : 1;
    const [h, mi, s] = m[8]!.slice(1).split(':').map(Number);
    offsetSeconds = sign * (h! * 3600 + mi! * 60 + (s ?? 0));
  }
  return BigInt(days) * MICROS_PER_DAY + BigInt(seconds - offsetSeconds) * 1_000_000n + BigInt(fraction);
}

/** `io.debezium.time.ZonedTimestamp`: ISO-8601 text in UTC. */
class ZonedTimestampType extends ConnectNamedType {
  readonly #fractionDigits: number;
  constructor(schema: Schema, opts?: Partial<ForSchemaOptions>) {
    super(schema, opts);
    this.#fractionDigits = Number((schema as unknown as SchemaObject)[FRACTION_DIGITS] ?? 0);
  }
  protected override _fromValue(text: string): bigint {
    return parseZonedTimestamp(text);
  }
  protected override _toValue(micros: unknown): unknown {
    return typeof micros === 'bigint' ? formatZonedTimestamp(micros, this.#fractionDigits) : undefined;
  }
}

/** `io.debezium.data.Bits`: the bits little-endian (bit 0 is the last character), in ⌈length/8⌉ bytes. */
class BitsType extends ConnectNamedType {
  readonly length: number;
  constructor(schema: Schema, opts?: Partial<ForSchemaOptions>) {
    super(schema, opts);
    const parameters = (schema as unknown as SchemaObject)['connect.parameters'] as
      Record<string, string> | undefined;
    this.length = Number(parameters?.['length'] ?? 0);
  }
  protected override _fromValue(bytes: Buffer): string {
    const length = this.length || bytes.length * 8;
    let text = '';
    for (let bit = length - 1; bit >= 0; bit--) text += (bytes[bit >> 3]! >> (bit & 7)) & 1 ? '1' : '0';
    return text;
  }
  protected override _toValue(text: unknown): unknown {
    if (typeof text !== 'string' || !/^[01]*$/.test(text)) return undefined;
    const bytes = Buffer.alloc(Math.ceil(Math.max(this.length, text.length) / 8));
    for (let i = 0; i < text.length; i++) {
      const bit = text.length - 1 - i;
      if (text.charCodeAt(i) === 49) bytes[bit >> 3]! |= 1 << (bit & 7);
    }
    return bytes;
  }
}

/** `io.debezium.data.VariableScaleDecimal`: the unscaled value's two's-complement bytes and its scale. */
class VariableScaleDecimalType extends ConnectNamedType {
  protected override _fromValue(record: { scale: number; value: Buffer }): string {
    return unscaledToDecimal(bytesToBigInt(record.value), record.scale);
  }
  protected override _toValue(text: unknown): unknown {
    if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
    const point = text.indexOf('.');
    const scale = point < 0 ? 0 : text.length - point - 1;
    return {
      scale,
      value: bigIntToBytes(BigInt(point < 0 ? text : text.slice(0, point) + text.slice(point + 1))),
    };
  }
}

interface GeometryRecord {
  wkb: Buffer | null;
  srid: number | null;
}

/**
 * MySQL's storage form (SRID little-endian, then WKB) → Debezium's wkb and
 * srid (null for 0). The SRID is an unsigned 32-bit number and the field an
 * Avro int, so SRIDs past 2^31 - 1 travel as their two's complement, as
 * Debezium reads them (`srid >>> 0` gives the SRID back).
 */
function splitGeometry(value: Buffer): GeometryRecord {
  const srid = value.readInt32LE(0);
  return { wkb: value.subarray(4), srid: srid === 0 ? null : srid };
}

function joinGeometry(record: GeometryRecord): Buffer {
  const srid = Buffer.alloc(4);
  srid.writeInt32LE(record.srid ?? 0);
  return Buffer.concat([srid, record.wkb ?? Buffer.alloc(0)]);
}

/** `io.debezium.data.geometry.Geometry`: {wkb, srid}. */
class GeometryType extends ConnectNamedType {
  protected override _fromValue(record: GeometryRecord): Buffer {
    return joinGeometry(record);
  }
  protected override _toValue(value: unknown): unknown {
    return Buffer.isBuffer(value) && value.length >= 4 ? splitGeometry(value) : undefined;
  }
}

/** `io.debezium.data.geometry.Point`: {x, y, wkb, srid}, the coordinates read from the WKB point. */
class PointType extends ConnectNamedType {
  protected override _fromValue(record: GeometryRecord): Buffer {
    return joinGeometry(record);
  }
  protected override _toValue(value: unknown): unknown {
    // A WKB point: byte order (1 = little-endian), type 1, x, y.
    if (!Buffer.isBuffer(value) || value.length < 25) return undefined;
    const { wkb, srid } = splitGeometry(value);
    const little = wkb![0] === 1;
    const read = (offset: number): number => (little ? wkb!.readDoubleLE(offset) : wkb!.readDoubleBE(offset));
    return { x: read(5), y: read(13), wkb, srid };
  }
}

const NAMED_TYPES: Record<string, new (schema: Schema, opts?: Partial<ForSchemaOptions>) => Type> = {
  'io.debezium.time.Time': MillisTimeType,
  'io.debezium.time.Timestamp': MillisTimestampType,
  'io.debezium.time.ZonedTimestamp': ZonedTimestampType,
  'io.debezium.data.Bits': BitsType,
  [VARIABLE_SCALE_DECIMAL]: VariableScaleDecimalType,
  'io.debezium.data.geometry.Geometry': GeometryType,
  'io.debezium.data.geometry.Point': PointType,
};

/** The record types of each parse by name, for the later references to them. */
const definedRecords = new WeakMap<object, Map<string, Type>>();

/**
 * The avsc type for a Debezium-named schema, or undefined to let avsc build it.
 * `long` underlying types get the BigInt long.
 */
export function debeziumTypeHook(schema: Schema, opts: ForSchemaOptions): Type | undefined {
  if (typeof schema === 'string') return definedRecords.get(opts.registry)?.get(schema);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const object = schema as unknown as SchemaObject;
  if (underConstruction.has(schema)) return object['type'] === 'long' ? bigIntLong : undefined;
  const name = object['connect.name'];
  const Named =
    typeof name === 'string' && typeof object['logicalType'] !== 'string' ? NAMED_TYPES[name] : undefined;
  if (!Named) return undefined;
  const type = new Named(schema, opts);
  if (object['type'] === 'record') {
    let records = definedRecords.get(opts.registry);
    if (!records) definedRecords.set(opts.registry, (records = new Map()));
    records.set(name as string, type);
  }
  return type;
}
