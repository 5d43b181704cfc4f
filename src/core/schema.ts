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
  /** string: exact decimal text such as "-12.50"; scale fixed by the type */
  | { kind: 'decimal'; precision: number; scale: number }
  /** string */
  | { kind: 'string'; semantic?: StringSemantic }
  /** Buffer */
  | { kind: 'bytes' }
  /** number: days since 1970-01-01 (may be negative) */
  | { kind: 'date' }
  /** bigint: microseconds since midnight */
  | { kind: 'time-micros' }
  /** bigint: microseconds since 1970-01-01T00:00:00Z */
  | { kind: 'timestamp-micros' }
  /** bigint: microseconds since 1970-01-01T00:00:00 on a wall clock with no zone */
  | { kind: 'local-timestamp-micros' }
  /** string: canonical lower-case UUID text */
  | { kind: 'uuid' }
  /** Array of canonical values of `items` (null elements allowed); nested for multi-dimensional arrays */
  | { kind: 'array'; items: ColumnType };

/**
 * What a string column holds, when it is more than text. Consumers see it in the
 * Avro schema (`connect.name`-style hint), so they can parse JSON or intervals.
 */
export type StringSemantic =
  | 'json'
  | 'xml'
  | 'enum'
  | 'decimal'
  | 'interval'
  | 'inet'
  | 'cidr'
  | 'macaddr'
  | 'bits'
  | 'money'
  | 'geometry'
  | 'range'
  | 'tsvector'
  | 'time-with-zone'
  | 'set'
  | 'year';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** The database's own spelling of the type, e.g. `numeric(10,2)` or `bigint unsigned`. */
  sourceType: string;
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
