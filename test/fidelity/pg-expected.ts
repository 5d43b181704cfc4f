/**
 * PostgreSQL: the database's text of a stored value → the decoded event
 * value, per kind of column (dialects/postgres/TYPES.md). This is the one
 * place of the parity suite that knows the Avro field shapes: when a shape
 * changes, change its entry here.
 *
 * Events are decoded through the registry with Debezium's named types
 * (src/avro/debezium-types.ts): millisecond Time/Timestamp, ZonedTimestamp
 * text, Bits bytes, VariableScaleDecimal and the Geometry/Point records come
 * back as the canonical values compared here (microseconds, bit strings,
 * decimal text, SRID + WKB bytes), each conversion exact.
 *
 * The text comes from the server (casts to text, EXTRACT, encode, to_json),
 * read as text, never through the client library's parsing. It assumes a
 * session with `IntervalStyle = iso_8601` and the default `extra_float_digits`
 * (shortest exact float text).
 */
import type { Expectation } from './parity.ts';

const orNull =
  <T>(convert: (text: string) => T) =>
  (text: string | null): T | null =>
    text === null ? null : convert(text);
const same = orNull((t) => t);
const asText = (c: string) => `(${c})::text`;

const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';
/** The last timestamp whose microseconds since 1970 fit an int64; later ones are sent as the infinity sentinel. */
const LAST_MICROS = '294247-01-10 04:00:54.775807';

/**
 * Microseconds since the epoch of timestamp(tz) `c`, with the documented
 * sentinels; from whole days and the time of day, since EXTRACT(EPOCH) falls
 * back to float8 near the end of the range (294247-01-10 04:00:54.775807 gave
 * ...775800).
 */
const epochMicros = (c: string, type: 'timestamp' | 'timestamptz') => {
  const last = type === 'timestamp' ? `'${LAST_MICROS}'::timestamp` : `'${LAST_MICROS}+00'::timestamptz`;
  const wall = type === 'timestamp' ? c : `(${c} AT TIME ZONE 'UTC')`;
  return `CASE WHEN ${c} = '-infinity' THEN '${INT64_MIN}'
    WHEN ${c} > ${last} THEN '${INT64_MAX}'
    ELSE ((${wall}::date - DATE '1970-01-01')::bigint * 86400000000
      + (EXTRACT(EPOCH FROM ${wall}::time) * 1000000)::bigint)::text END`;
};

export const pgExpected = {
  /** smallint, integer: Avro int. */
  int: { sql: asText, value: orNull(Number) },
  /** bigint, oid: Avro long (BigInt). */
  long: { sql: asText, value: orNull(BigInt) },
  /**
   * Strings of the type's output function (concat calls it; a cast to text
   * differs for char(n), whose padding it drops, and inet, which it gives a
   * /32): text types, uuid, json, inet, bits, geometry, ranges, enums, numeric...
   * (IS NOT NULL would be false for a composite with a NULL field.)
   */
  text: { sql: (c: string) => `CASE WHEN ${c} IS DISTINCT FROM NULL THEN concat(${c}) END`, value: same },
  /** numeric(p,s) as an Avro decimal: NaN has no decimal form, its documented substitute is null. */
  boundedNumeric: { sql: (c: string) => `CASE WHEN ${c} <> 'NaN' THEN ${c}::text END`, value: same },
  /** Unconstrained numeric as a VariableScaleDecimal: NaN and ±Infinity have no decimal form, their substitute is null. */
  variableNumeric: {
    sql: (c: string) => `CASE WHEN ${c} NOT IN ('NaN', 'Infinity', '-Infinity') THEN ${c}::text END`,
    value: same,
  },
  float4: { sql: asText, value: orNull((t) => Math.fround(Number(t))) },
  float8: { sql: asText, value: orNull(Number) },
  /** money: plain decimal text. */
  money: { sql: (c: string) => `(${c})::numeric::text`, value: same },
  boolean: { sql: asText, value: orNull((t) => t === 'true') },
  /** bit(1): a boolean. */
  bit1: { sql: asText, value: orNull((t) => t === '1') },
  bytea: { sql: (c: string) => `encode(${c}, 'hex')`, value: orNull((h) => Buffer.from(h, 'hex')) },
  /** Days since 1970-01-01; ±infinity as the int32 extremes. */
  date: {
    sql: (
      c: string,
    ) => `CASE WHEN ${c} = 'infinity' THEN '2147483647' WHEN ${c} = '-infinity' THEN '-2147483648'
      ELSE (${c} - DATE '1970-01-01')::text END`,
    value: orNull(Number),
  },
  /** Microseconds since midnight. */
  time: { sql: (c: string) => `(EXTRACT(EPOCH FROM ${c}) * 1000000)::bigint::text`, value: orNull(BigInt) },
  /** ISO 8601 with the original offset, normalised to ±HH:MM[:SS]. */
  timetz: { sql: asText, value: orNull((t) => t.replace(/([+-]\d\d)$/, '$1:00')) },
  timestamp: { sql: (c: string) => epochMicros(c, 'timestamp'), value: orNull(BigInt) },
  timestamptz: { sql: (c: string) => epochMicros(c, 'timestamptz'), value: orNull(BigInt) },
  /**
   * point as Debezium's Point, decoded to its storage form: SRID 0 (none),
   * then the little-endian WKB point of the server's x and y.
   */
  point: {
    sql: (c: string) => `CASE WHEN ${c} IS NOT NULL THEN (${c})[0]::text || ' ' || (${c})[1]::text END`,
    value: orNull((t) => {
      const [x, y] = t.split(' ').map(Number);
      const value = Buffer.alloc(25);
      value.writeUInt8(1, 4); // little-endian
      value.writeUInt32LE(1, 5); // WKB type 1: point
      value.writeDoubleLE(x!, 9);
      value.writeDoubleLE(y!, 17);
      return value;
    }),
  },
  /** Arrays through to_json: the elements, NULLs and nesting of the value. */
  jsonArray: { sql: (c: string) => `to_json(${c})::text`, value: orNull((t) => JSON.parse(t) as unknown) },
  /** A one-dimensional array whose elements are expected as `element` expects a value of their type. */
  arrayOf: (element: Expectation): Expectation => ({
    sql: (c) =>
      `CASE WHEN ${c} IS NOT NULL THEN to_json(ARRAY(
        SELECT ${element.sql('x')} FROM unnest(${c}) WITH ORDINALITY AS u(x, n) ORDER BY n))::text END`,
    value: orNull((t) => (JSON.parse(t) as Array<string | null>).map(element.value)),
  }),
} satisfies Record<string, Expectation | ((element: Expectation) => Expectation)>;
