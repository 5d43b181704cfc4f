/**
 * What the MySQL dialect knows of a column, whether it came from
 * information_schema (snapshot, fallback) or from a TABLE_MAP event carrying
 * `binlog_row_metadata=FULL` (streaming: the schema as of that point in the log).
 */
export interface MysqlColumn {
  name: string;
  /** information_schema DATA_TYPE, lower case: `int`, `bigint`, `decimal`, `varchar`, `datetime`, `enum`, ... */
  dataType: string;
  /**
   * The column type in one normalised spelling, whichever path it came from
   * (display widths and ZEROFILL dropped: `int unsigned`, `decimal(40,10)`,
   * `enum('a','b')`, `datetime(6)`), so the snapshot and the stream agree.
   */
  columnType: string;
  unsigned: boolean;
  nullable: boolean;
  /** decimal precision; bit(n) length; char/binary length in characters/bytes. */
  precision: number | null;
  /** decimal scale; fractional-second digits of time/datetime/timestamp. */
  scale: number | null;
  charset: string | null;
  enumValues?: string[];
  setValues?: string[];
  /**
   * A constant DEFAULT as the snapshot would print its value (`x`, `1.50`,
   * `2000-01-01`), from information_schema; absent for none, NULL or an
   * expression. The binlog does not carry defaults.
   */
  defaultText?: string;
}

/** MySQL's spatial types, in the order of the binlog's geometry type codes (0 = geometry, 1 = point, ...). */
export const GEOMETRY_TYPE_NAMES = [
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
] as const;
