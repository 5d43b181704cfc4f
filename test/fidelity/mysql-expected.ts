/**
 * MySQL/MariaDB: the database's text of a stored value → the decoded event
 * value, per kind of column (dialects/mysql/TYPES.md). This is the one place
 * of the parity suite that knows the Avro field shapes: when a shape changes,
 * change its entry here.
 *
 * Events are decoded through the registry with Debezium's named types
 * (src/avro/debezium-types.ts): millisecond Time/Timestamp, ZonedTimestamp
 * text, Bits bytes, VariableScaleDecimal and the Geometry/Point records come
 * back as the canonical values compared here (microseconds, bit strings,
 * decimal text, SRID + WKB bytes), each conversion exact.
 *
 * The text comes from the server's own functions (CAST ... AS CHAR, HEX,
 * DATEDIFF, TIMESTAMPDIFF, TIME_TO_SEC), read as bytes, never through the
 * client library's number or date parsing. Temporal text assumes a session
 * with `time_zone = '+00:00'`.
 */
import type { Expectation } from './parity.ts';

const orNull =
  <T>(convert: (text: string) => T) =>
  (text: string | null): T | null =>
    text === null ? null : convert(text);

const castText = (c: string) => `CAST(${c} AS CHAR)`;

/** Zero dates and days the month lacks have no calendar value: the documented substitute is null. */
const unlessInvalid = (c: string, sql: string) => `IF(DAY(${c}) > DAY(LAST_DAY(${c})), NULL, ${sql})`;

/** Exact microseconds of a decimal seconds text such as `-3020399.999999`. */
function decimalMicros(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const micros = BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -micros : micros;
}

export const mysqlExpected = {
  /** tinyint … int: Avro int. */
  int: { sql: castText, value: orNull(Number) },
  /** int unsigned, bigint: Avro long (BigInt). */
  long: { sql: castText, value: orNull(BigInt) },
  /** decimal(p,s) and bigint unsigned: the exact decimal text with s fraction digits. */
  decimal: { sql: castText, value: orNull((t) => t) },
  /** FLOAT: the float32, printed exactly by widening to DOUBLE. */
  float: { sql: (c) => `CAST(CAST(${c} AS DOUBLE) AS CHAR)`, value: orNull((t) => Math.fround(Number(t))) },
  /** DOUBLE: printed exactly by a CAST to DOUBLE (DOUBLE(m,d) prints only d decimals). */
  double: { sql: (c) => `CAST(CAST(${c} AS DOUBLE) AS CHAR)`, value: orNull(Number) },
  bit1: { sql: (c) => `BIN(${c})`, value: orNull((t) => t === '1') },
  /** bit(n), n > 1: n characters 0/1. */
  bits: (n: number): Expectation => ({ sql: (c) => `LPAD(BIN(${c}), ${n}, '0')`, value: orNull((t) => t) }),
  /** Text of any character set, enum, set, JSON: as the server converts it to UTF-8. */
  text: {
    sql: (c) => `HEX(CONVERT(${c} USING utf8mb4))`,
    value: orNull((h) => Buffer.from(h, 'hex').toString('utf8')),
  },
  /** Binary strings, geometry (SRID + WKB), MariaDB uuid/inet4/inet6 (their binary form). */
  bytes: { sql: (c) => `HEX(${c})`, value: orNull((h) => Buffer.from(h, 'hex')) },
  /** Days since 1970-01-01; zero and invalid dates → null. */
  date: { sql: (c) => unlessInvalid(c, `DATEDIFF(${c}, '1970-01-01')`), value: orNull(Number) },
  /** DATETIME (wall clock) and TIMESTAMP (UTC): microseconds since the epoch; zero dates → null. */
  micros: {
    sql: (c) => unlessInvalid(c, `TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${c})`),
    value: orNull(BigInt),
  },
  /** TIME: signed microseconds. */
  time: { sql: (c) => `TIME_TO_SEC(${c})`, value: orNull(decimalMicros) },
  year: { sql: (c) => `${c} + 0`, value: orNull(Number) },
} satisfies Record<string, Expectation | ((n: number) => Expectation)>;
