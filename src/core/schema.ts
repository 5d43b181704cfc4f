/**
 * The dialect-neutral description of a table, as of one point in the source log.
 *
 * Dialects translate their native column types into `ColumnType`, and their
 * native values into the canonical JS values listed beside each kind. The Avro
 * layer knows only these kinds, never a database type.
 */

/** Identifies a captured table: `schema` is the Postgres schema or the MySQL database. */
export interface TableId {
  schema: string;
  table: string;
}

export type ColumnType =
  /** number */
  | { kind: 'int16' }
  /** number */
  | { kind: 'int32' }
  /** bigint (values beyond 2^53 must survive) */
  | { kind: 'int64' }
  /** number (NaN, ±Infinity and -0 included) */
  | { kind: 'float32' }
  /** number (NaN, ±Infinity and -0 included) */
  | { kind: 'float64' }
  /** boolean */
  | { kind: 'boolean' }
  /**
   * string: exact decimal text such as "-12.50"; scale fixed by the type. A
   * missing precision is Debezium's Decimal without one (Postgres money).
   */
  | { kind: 'decimal'; precision?: number; scale: number }
  /** string: exact decimal text with any scale (Debezium's VariableScaleDecimal) */
  | { kind: 'variable-decimal' }
  /** string; `allowed` lists the labels of an enum or set */
  | { kind: 'string'; semantic?: StringSemantic; allowed?: readonly string[] }
  /** Buffer */
  | { kind: 'bytes' }
  /** string of exactly `length` characters `0`/`1`, most significant first (Debezium's Bits) */
  | { kind: 'bits'; length: number }
  /** number: a calendar year (Debezium's Year) */
  | { kind: 'year' }
  /** number: days since 1970-01-01 (may be negative) */
  | { kind: 'date' }
  /**
   * bigint: microseconds since midnight (MySQL: a signed duration). A
   * precision of 0-3 is sent as Debezium's millisecond Time, as Debezium's
   * adaptive mode does; otherwise MicroTime.
   */
  | { kind: 'time-micros'; precision?: number }
  /**
   * bigint: microseconds since 1970-01-01T00:00:00Z, sent as Debezium's
   * ZonedTimestamp text with `precision` fraction digits (at least).
   */
  | { kind: 'timestamp-micros'; precision?: number }
  /**
   * bigint: microseconds since 1970-01-01T00:00:00 on a wall clock with no zone;
   * precision 0-3 is sent as Debezium's millisecond Timestamp, otherwise MicroTimestamp.
   */
  | { kind: 'local-timestamp-micros'; precision?: number }
  /**
   * Buffer: MySQL's storage form of a spatial value, the SRID (4 bytes,
   * little-endian) then the WKB; sent as Debezium's Geometry {wkb, srid}, or
   * its Point {x, y, wkb, srid} when `point`.
   */
  | { kind: 'geometry'; point?: boolean }
  /** string: canonical lower-case UUID text */
  | { kind: 'uuid' }
  /** Array of canonical values of `items` (null elements allowed); nested for multi-dimensional arrays */
  | { kind: 'array'; items: ColumnType };

/**
 * What a string column holds, when it is more than text. Where Debezium names
 * such a string (JSON, XML, enum, set, interval, zoned time, tsvector) its
 * Avro schema carries that `connect.name`; the others are plain strings, as
 * Debezium sends them.
 */
export type StringSemantic =
  | 'json'
  | 'xml'
  | 'enum'
  | 'interval'
  | 'inet'
  | 'cidr'
  | 'macaddr'
  | 'bits'
  | 'geometry'
  | 'range'
  | 'tsvector'
  | 'time-with-zone'
  | 'set';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The database's own spelling of the type, e.g. `numeric(10,2)` or `bigint unsigned`. */
  sourceType: string;
  /**
   * The canonical value of the column's DEFAULT, when that is a constant
   * (Debezium's `connect.default`); absent for no default or an expression.
   */
  default?: unknown;
}

export interface TableSchema {
  id: TableId;
  columns: ColumnSchema[];
  /** Primary-key column names in key order; empty when the table has none. */
  primaryKey: string[];
}

/** A row image: column name to canonical value (see ColumnType), null for SQL NULL. */
export type Row = Record<string, unknown>;

export function tableKey(id: TableId): string {
  return `${id.schema}.${id.table}`;
}
