/**
 * The MySQL/MariaDB type layer: which dialect-neutral `ColumnType` each column
 * maps to, and how the values that reach us become the canonical value of
 * that type, from either side:
 *
 * - `binlogValueParser`: what zongji 0.9.0 decodes from row events, with
 *   `BINLOG_CONNECTION_OPTIONS` on its connection and the patches of
 *   columns.ts installed;
 * - `snapshotValueParser`: what mysql2 returns for a plain text-protocol query
 *   on a connection opened with `SNAPSHOT_CONNECTION_OPTIONS`, in a session
 *   with `time_zone = '+00:00'`, selecting each column with
 *   `snapshotSelectExpression`.
 *
 * Both give the same canonical value for the same stored value; the mapping
 * and its special values are documented in TYPES.md. Build a parser once per
 * column and call it per value (never with null: SQL NULL stays null).
 */
import type { ConnectionOptions, TypeCastField, TypeCastNext } from 'mysql2';
import { TributaryError } from '../../src/core/errors.ts';
import type { ColumnType, StringSemantic } from '../../src/core/schema.ts';
import { GEOMETRY_TYPE_NAMES, type MysqlColumn } from './column.ts';
import { daysFromCivil, digits } from '../../src/core/civil-date.ts';

export interface MysqlColumnType {
  type: ColumnType;
  /** The canonical column type (`MysqlColumn.columnType`), e.g. `int unsigned`, `decimal(40,10)`, `datetime(6)`. */
  sourceType: string;
  /**
   * A non-NULL value can arrive as null (a zero date such as `0000-00-00`, which
   * no date type can hold): declare the field nullable even if the column is NOT NULL.
   * Debezium sends the epoch there instead, which collides with 1970-01-01.
   */
  forceNullable?: boolean;
}

export type ValueParser = (value: unknown) => unknown;

/** Called when a value has no exact canonical form and its documented substitute (null) is sent. */
export type LossHandler = (message: string) => void;

export interface ParseOptions {
  onLoss?: LossHandler;
}

/**
 * mysql2 options for the snapshot connection. Values stay exact: BIGINT and
 * DECIMAL as strings, dates and times as the server's text, JSON as its text,
 * GEOMETRY as its raw bytes. The session must also run
 * `SNAPSHOT_SESSION_SQL` (TIMESTAMP text is rendered in the session time zone).
 */
export const SNAPSHOT_CONNECTION_OPTIONS = {
  charset: 'utf8mb4',
  timezone: 'Z',
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  jsonStrings: true,
  typeCast: exactSnapshotValue,
} as const satisfies ConnectionOptions;

/** Run once on the snapshot connection: TIMESTAMP values are printed in UTC. */
export const SNAPSHOT_SESSION_SQL = "SET time_zone = '+00:00'";

/**
 * mysql2 options zongji's connections need (spread into its DSN): with them
 * DATETIME/TIMESTAMP/DATE arrive as exact strings (TIMESTAMP rendered in UTC:
 * without `timezone: 'Z'` zongji renders it in the process's local zone),
 * MySQL binary JSON as JSON text, DECIMAL as an exact string.
 */
export const BINLOG_CONNECTION_OPTIONS = {
  charset: 'utf8mb4',
  timezone: 'Z',
  dateStrings: true,
  jsonStrings: true,
  decimalNumbers: false,
} as const satisfies ConnectionOptions;

/**
 * Where mysql2's own conversion of the text protocol loses, take the raw value:
 * - GEOMETRY: mysql2 parses it into {x, y} objects and drops the SRID; we keep its bytes;
 * - DOUBLE and FLOAT: mysql2's float parser is not correctly rounded (the server's
 *   `958721.3352067961` became 958721.335206796); the text goes to `Number` instead.
 */
function exactSnapshotValue(field: TypeCastField, next: TypeCastNext): unknown {
  switch (field.type) {
    case 'GEOMETRY':
      return field.buffer();
    case 'DOUBLE':
    case 'FLOAT':
      return field.string('ascii');
    default:
      return next();
  }
}

const MICROS_PER_SECOND = 1_000_000n;
const SECONDS_PER_DAY = 86_400;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
const GEOMETRY_TYPES = new Set<string>(GEOMETRY_TYPE_NAMES);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BYTES_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
/** MariaDB types the binlog sees as BINARY(n); the snapshot selects their binary form. */
const MARIADB_BINARY_TYPES = new Set(['uuid', 'inet4', 'inet6']);

interface Mapping {
  type: ColumnType;
  binlog: ValueParser;
  snapshot: ValueParser;
  forceNullable?: boolean;
}

export function columnTypeFor(column: MysqlColumn): MysqlColumnType {
  const { type, forceNullable } = mappingFor(column, noLoss);
  return forceNullable
    ? { type, sourceType: column.columnType, forceNullable: true }
    : { type, sourceType: column.columnType };
}

/** zongji value → canonical value. Losses are reported once per column as a process warning. */
export function binlogValueParser(column: MysqlColumn): ValueParser {
  return mappingFor(column, warnOnce(column)).binlog;
}

/** mysql2 snapshot value → canonical value. Losses are reported once per column as a process warning. */
export function snapshotValueParser(column: MysqlColumn): ValueParser {
  return mappingFor(column, warnOnce(column)).snapshot;
}

/** Both parsers of a column, with a chosen loss handler. */
export function valueParsers(
  column: MysqlColumn,
  options: ParseOptions = {},
): { binlog: ValueParser; snapshot: ValueParser } {
  const { binlog, snapshot } = mappingFor(column, options.onLoss ?? warnOnce(column));
  return { binlog, snapshot };
}

/**
 * How the snapshot selects a column, e.g. `` `name` `` or
 * `` CAST(`f` AS DOUBLE) AS `f` ``: FLOAT's text output has only 6 significant
 * digits (MariaDB prints 1.2345678 as `1.23457`) and DOUBLE(m,d)'s only d
 * decimals (the stored -0.35802999999999996 of a DOUBLE(30,8) as
 * `-0.35803000`), while a plain DOUBLE's text is exact; MariaDB
 * UUID/INET4/INET6 are read as the bytes the binlog carries.
 */
export function snapshotSelectExpression(column: MysqlColumn): string {
  const name = quoteIdentifier(column.name);
  if (column.dataType === 'float' || column.dataType === 'double')
    return `CAST(${name} AS DOUBLE) AS ${name}`;
  if (MARIADB_BINARY_TYPES.has(column.dataType))
    return `CAST(${name} AS ${column.columnType.toUpperCase()}) AS ${name}`;
  return name;
}

/** The select list of a snapshot query over `columns`, in order. */
export function snapshotSelectList(columns: readonly MysqlColumn[]): string {
  return columns.map(snapshotSelectExpression).join(', ');
}

function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

const noLoss: LossHandler = () => {};

function warnOnce(column: MysqlColumn): LossHandler {
  let warned = false;
  return (message) => {
    if (warned) return;
    warned = true;
    process.emitWarning(
      `${message} (column ${column.name}; further losses in this column are not reported)`,
      {
        type: 'TributaryTypeWarning',
      },
    );
  };
}

function same(type: ColumnType, parse: ValueParser, forceNullable?: boolean): Mapping {
  return forceNullable
    ? { type, binlog: parse, snapshot: parse, forceNullable }
    : { type, binlog: parse, snapshot: parse };
}

function mappingFor(column: MysqlColumn, onLoss: LossHandler): Mapping {
  const { dataType, unsigned } = column;
  switch (dataType) {
    case 'tinyint':
      return same({ kind: 'int16' }, toNumber(column));
    case 'smallint':
      return same({ kind: unsigned ? 'int32' : 'int16' }, toNumber(column));
    case 'mediumint':
      return same({ kind: 'int32' }, toNumber(column));
    case 'int':
      return unsigned ? same({ kind: 'int64' }, toBigInt(column)) : same({ kind: 'int32' }, toNumber(column));
    case 'bigint':
      return unsigned
        ? same({ kind: 'decimal', precision: 20, scale: 0 }, toIntegerText(column))
        : same({ kind: 'int64' }, toBigInt(column));
    case 'decimal':
      return decimalMapping(column);
    case 'float':
      return same({ kind: 'float32' }, toFloat32(column));
    case 'double':
      return same({ kind: 'float64' }, toNumber(column));
    case 'bit':
      return (column.precision ?? 1) === 1
        ? same({ kind: 'boolean' }, bitToBoolean(column))
        : same({ kind: 'bits', length: column.precision! }, bitsToText(column));
    case 'year':
      return { type: { kind: 'year' }, binlog: binlogYear(column), snapshot: toNumber(column) };
    case 'date':
      return same({ kind: 'date' }, dateParser(column, onLoss), true);
    case 'datetime':
      return same(
        { kind: 'local-timestamp-micros', precision: column.scale ?? 0 },
        timestampParser(column, onLoss),
        true,
      );
    case 'timestamp':
      return same(
        { kind: 'timestamp-micros', precision: column.scale ?? 0 },
        timestampParser(column, onLoss),
        true,
      );
    case 'time':
      // Debezium's MySQL default (adaptive_time_microseconds): MicroTime whatever the precision.
      return {
        type: { kind: 'time-micros' },
        binlog: timeParser(column, true),
        snapshot: timeParser(column, false),
      };
    case 'enum':
      return {
        type: { kind: 'string', semantic: 'enum', allowed: labelsAsMetadata(column.enumValues) },
        binlog: binlogEnum(column),
        snapshot: toText(column),
      };
    case 'set':
      return same(
        { kind: 'string', semantic: 'set', allowed: labelsAsMetadata(column.setValues) },
        toText(column),
      );
    case 'json':
      return same(str('json'), toText(column));
  }
  if (TEXT_TYPES.has(dataType)) return same(str(), toText(column));
  if (BYTES_TYPES.has(dataType) || MARIADB_BINARY_TYPES.has(dataType))
    return same({ kind: 'bytes' }, toBytes(column));
  if (GEOMETRY_TYPES.has(dataType))
    return same({ kind: 'geometry', point: dataType === 'point' }, toGeometryBytes(column));
  throw new TributaryError(
    `column ${column.name} has type ${column.columnType}, which Tributary cannot map yet`,
    {
      code: 'UNSUPPORTED',
      fix: 'exclude the table (source.tables.exclude) or change the column type',
    },
  );
}

/**
 * Enum and set labels as the server's metadata (information_schema, SHOW
 * CREATE TABLE) spells them: in utf8mb3, where every 4-byte character is `?`.
 * The binlog's labels are exact; spelling them alike keeps one schema for the
 * snapshot and the stream. The values themselves stay exact.
 */
function labelsAsMetadata(labels: readonly string[] | undefined): string[] {
  return (labels ?? []).map((label) => label.replace(/[\u{10000}-\u{10FFFF}]/gu, '?'));
}

function str(semantic?: StringSemantic): ColumnType {
  return semantic ? { kind: 'string', semantic } : { kind: 'string' };
}

/** A value of a shape the connection options rule out: they are not the ones documented. */
function unexpected(column: MysqlColumn, value: unknown, fix: string): TributaryError {
  const shown = Buffer.isBuffer(value)
    ? `Buffer ${value.toString('hex').slice(0, 40)}`
    : typeof value === 'object'
      ? JSON.stringify(value)?.slice(0, 60)
      : `${typeof value} ${String(value).slice(0, 60)}`;
  return new TributaryError(`unexpected value for ${column.columnType} column ${column.name}: ${shown}`, {
    code: 'SOURCE_SETTING',
    fix,
  });
}

const OPTIONS_FIX =
  'open the snapshot connection with SNAPSHOT_CONNECTION_OPTIONS and zongji with BINLOG_CONNECTION_OPTIONS (dialects/mysql/types.ts), and import dialects/mysql/columns.ts before zongji starts';

function toNumber(column: MysqlColumn): ValueParser {
  return (value) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value !== '') return Number(value);
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

function toBigInt(column: MysqlColumn): ValueParser {
  return (value) => {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint')
      return BigInt(value);
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

/** BIGINT UNSIGNED: zongji sends a number up to 2^53 - 1, an exact string beyond. */
function toIntegerText(column: MysqlColumn): ValueParser {
  return (value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

function decimalMapping(column: MysqlColumn): Mapping {
  const precision = column.precision ?? Number(/\((\d+)/.exec(column.columnType)?.[1]);
  const scale = column.scale ?? Number(/,(\d+)\)/.exec(column.columnType)?.[1] ?? 0);
  if (!Number.isInteger(precision) || precision < 1) {
    throw new TributaryError(`column ${column.name} (${column.columnType}) has no known precision`, {
      code: 'UNSUPPORTED',
    });
  }
  return same({ kind: 'decimal', precision: Math.max(precision, scale), scale }, (value) => {
    if (typeof value === 'string') return value;
    throw unexpected(column, value, `${OPTIONS_FIX} (decimalNumbers must be false)`);
  });
}

/** The exact float32: the snapshot's text is a double (exact through CAST ... AS DOUBLE). */
function toFloat32(column: MysqlColumn): ValueParser {
  return (value) => {
    if (typeof value === 'number') return Math.fround(value);
    if (typeof value === 'string' && value !== '') return Math.fround(Number(value));
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

function toText(column: MysqlColumn): ValueParser {
  return (value) => {
    if (typeof value === 'string') return value;
    throw unexpected(
      column,
      value,
      Buffer.isBuffer(value)
        ? `the column's character set ${column.charset ?? '(none)'} could not be decoded; use a character set iconv-lite knows, or a binary type`
        : `${OPTIONS_FIX} (JSON must arrive as text: jsonStrings)`,
    );
  };
}

function toBytes(column: MysqlColumn): ValueParser {
  return (value) => {
    if (Buffer.isBuffer(value)) return value;
    throw unexpected(
      column,
      value,
      MARIADB_BINARY_TYPES.has(column.dataType)
        ? 'select the column with snapshotSelectExpression (its binary form); on the binlog side, a table with MariaDB 5.3 temporal columns cannot carry UUID/INET columns (zongji decodes them as text there)'
        : OPTIONS_FIX,
    );
  };
}

function toGeometryBytes(column: MysqlColumn): ValueParser {
  return (value) => {
    if (Buffer.isBuffer(value)) return value;
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

function bitToBoolean(column: MysqlColumn): ValueParser {
  return (value) => {
    if (Buffer.isBuffer(value)) return value.length > 0 && value[value.length - 1] !== 0;
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

/** BIT(n) bytes (big-endian, ceil(n/8) of them) → exactly n characters `0`/`1`, most significant first. */
function bitsToText(column: MysqlColumn): ValueParser {
  const bits = column.precision ?? 64;
  return (value) => {
    if (!Buffer.isBuffer(value)) throw unexpected(column, value, OPTIONS_FIX);
    let text = '';
    for (const byte of value) text += POWERS_OF_TWO_TEXT[byte];
    return text.length >= bits ? text.slice(text.length - bits) : text.padStart(bits, '0');
  };
}

const POWERS_OF_TWO_TEXT = Array.from({ length: 256 }, (_, byte) => byte.toString(2).padStart(8, '0'));

/** zongji decodes YEAR as 1900 + the stored byte, so the zero year 0000 (stored 0) arrives as 1900. */
function binlogYear(column: MysqlColumn): ValueParser {
  const parse = toNumber(column);
  return (value) => {
    const year = parse(value);
    return year === 1900 ? 0 : year;
  };
}

/** With the ENUM patch zongji sends the index (0: the empty-string error value); without, the label. */
function binlogEnum(column: MysqlColumn): ValueParser {
  const labels = column.enumValues ?? [];
  return (value) => {
    if (typeof value === 'number') {
      if (value === 0) return '';
      const label = labels[value - 1];
      if (label === undefined)
        throw unexpected(column, value, 'the enum values of the column changed: restart');
      return label;
    }
    if (typeof value === 'string') return value;
    if (value === undefined) return '';
    throw unexpected(column, value, OPTIONS_FIX);
  };
}

// ---------------------------------------------------------------------------
// Temporal text: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.ffffff]`, `[-]HHH:MM:SS[.ffffff]`

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of `YYYY-MM-DD` at the start of `text`; null for a
 * zero or partly zero date (`0000-00-00`, `2024-00-15`) and for a day the
 * month does not have (`2024-02-30`, allowed by ALLOW_INVALID_DATES).
 */
function readDays(text: string): number | null | undefined {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (Number.isNaN(year + month + day) || month > 12) return undefined;
  if (month === 0 || day === 0 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** `.f` to `.ffffff` at `start` (or nothing) → microseconds; NaN when malformed. */
function readMicros(text: string, start: number): number {
  if (start === text.length) return 0;
  if (text.charCodeAt(start) !== 46) return NaN;
  const length = text.length - start - 1;
  if (length < 1 || length > 6) return NaN;
  return digits(text, start + 1, text.length) * POWERS_OF_TEN[6 - length]!;
}

function temporalText(column: MysqlColumn, value: unknown): string {
  if (typeof value === 'string') return value;
  throw unexpected(
    column,
    value,
    `${OPTIONS_FIX} (dates and times must arrive as text: dateStrings: true; a JS Date has only milliseconds)`,
  );
}

function malformed(column: MysqlColumn, text: string): TributaryError {
  return new TributaryError(
    `unexpected text for ${column.columnType} column ${column.name}: ${JSON.stringify(text)}`,
    {
      code: 'SOURCE_SETTING',
      fix: OPTIONS_FIX,
    },
  );
}

function dateParser(column: MysqlColumn, onLoss: LossHandler): ValueParser {
  return (value) => {
    const text = temporalText(column, value);
    const days = text.length === 10 ? readDays(text) : undefined;
    if (days === undefined) throw malformed(column, text);
    if (days === null) onLoss(`DATE value ${text} is not a calendar date; sent as null`);
    return days;
  };
}

/** DATETIME (wall clock) and TIMESTAMP (UTC, as the UTC session / zongji with timezone 'Z' print it) → microseconds. */
function timestampParser(column: MysqlColumn, onLoss: LossHandler): ValueParser {
  return (value) => {
    const text = temporalText(column, value);
    const days = text.length >= 19 && text.charCodeAt(10) === 32 ? readDays(text) : undefined;
    const hours = digits(text, 11, 13);
    const minutes = digits(text, 14, 16);
    const seconds = digits(text, 17, 19);
    const micros = readMicros(text, 19);
    if (
      days === undefined ||
      text.charCodeAt(13) !== 58 ||
      text.charCodeAt(16) !== 58 ||
      Number.isNaN(hours + minutes + seconds + micros)
    ) {
      throw malformed(column, text);
    }
    if (days === null) {
      onLoss(`${column.dataType.toUpperCase()} value ${text} is not a calendar date; sent as null`);
      return null;
    }
    const wholeSeconds = days * SECONDS_PER_DAY + hours * 3600 + minutes * 60 + seconds;
    return BigInt(wholeSeconds) * MICROS_PER_SECOND + BigInt(micros);
  };
}

/**
 * TIME `[-]H..H:MM:SS[.f]` (−838:59:59.999999 to 838:59:59.999999) → signed
 * microseconds.
 *
 * zongji 0.9.0 decodes a negative TIME whose seconds are :00 (and fraction
 * zero) one second short, with the carry lost:
 * - TIME2 (every column MySQL 5.6.4+ and MariaDB 10.1+ create): `-01:00:00`
 *   arrives as `-00:63:64`, `-00:05:00` as `-00:04:64` (6-bit fields);
 * - classic TIME (tables from before MySQL 5.6.4 / MariaDB 10.1):
 *   `-01:00:00` arrives as `-00:99:00`, `-01:01:00` as `-01:00:00`, `-00:01:00`
 *   as `-00:00:00` (decimal HHMMSS, and the seconds 100 printed as `00`).
 * Neither form occurs for a correctly decoded value (TIME2 never prints a
 * negative value without fraction digits with :00 seconds, since those are
 * the values it garbles; MariaDB 5.3 fractional columns always print their
 * digits), so on the binlog side both are repaired by redoing the carry.
 */
function timeParser(column: MysqlColumn, binlog: boolean): ValueParser {
  return (value) => {
    const text = temporalText(column, value);
    const negative = text.charCodeAt(0) === 45;
    const start = negative ? 1 : 0;
    const colon = text.indexOf(':', start);
    const colon2 = colon + 3;
    let hours = digits(text, start, colon);
    let minutes = digits(text, colon + 1, colon2);
    let seconds = digits(text, colon2 + 1, colon2 + 3);
    const micros = readMicros(text, colon2 + 3);
    if (colon < 0 || text.charCodeAt(colon2) !== 58 || Number.isNaN(hours + minutes + seconds + micros)) {
      throw malformed(column, text);
    }
    if (binlog && negative && micros === 0) {
      if (seconds === 64) {
        const packed = ((hours << 12) | (minutes << 6) | 63) + 1;
        hours = packed >> 12;
        minutes = (packed >> 6) & 63;
        seconds = packed & 63;
      } else if (seconds === 0 && text.length === colon2 + 3) {
        const packed = hours * 10_000 + minutes * 100 + 100;
        hours = Math.floor(packed / 10_000);
        minutes = Math.floor(packed / 100) % 100;
      }
    }
    if (minutes >= 60 || seconds >= 60) throw malformed(column, text);
    const total = (hours * 3600 + minutes * 60 + seconds) * 1_000_000 + micros; // < 2^53
    return BigInt(negative ? -total : total);
  };
}
