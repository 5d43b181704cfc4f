/**
 * What a MySQL/MariaDB table looks like, from the two places the dialect
 * learns it: `information_schema.COLUMNS` (snapshot, and servers without full
 * row metadata) and a binlog TABLE_MAP event written with
 * `binlog_row_metadata=FULL` (streaming: the table as of that point in the log).
 *
 * Both paths describe a column with the same canonical `MysqlColumn`, so a
 * table read from either has the same Avro schema. `columnType` is therefore
 * spelled the way the binlog can spell it: integer display widths and
 * ZEROFILL are dropped (`int(11) unsigned zerofill` → `int unsigned`, as
 * MySQL 8 prints it), `float(7,3)` is `float`, `year(4)` is `year`,
 * `geomcollection` is `geometrycollection`; MariaDB's `uuid`, `inet4` and
 * `inet6` are `binary(16)`, `binary(4)` and `binary(16)`, which is all the
 * binlog says of them. See TYPES.md.
 *
 * This module also installs three small runtime patches into zongji 0.9.0's
 * TableMap event class (see `installZongjiPatches`); they must be in place
 * before the first binlog event is parsed, which importing this module
 * ensures.
 */
import type { ColumnSchema as ZongjiColumnSchema, TableMapEvent } from '@vlasky/zongji';
import { TributaryError } from '../../src/core/errors.ts';
import { GEOMETRY_TYPE_NAMES, type MysqlColumn } from './column.ts';

/**
 * The columns of one table (parameters: schema, table), in table order. Its rows
 * go to `columnsFromInformationSchema`.
 */
const INFORMATION_SCHEMA_COLUMNS = `COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE,
       DATETIME_PRECISION, CHARACTER_MAXIMUM_LENGTH, CHARACTER_SET_NAME, COLUMN_DEFAULT`;

export const INFORMATION_SCHEMA_COLUMNS_SQL = `SELECT ${INFORMATION_SCHEMA_COLUMNS}
  FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
 ORDER BY ORDINAL_POSITION`;

/** The same columns for several tables of one schema (`?` the schema, `(?)` the table names), with TABLE_NAME. */
export const INFORMATION_SCHEMA_TABLES_COLUMNS_SQL = `SELECT TABLE_NAME, ${INFORMATION_SCHEMA_COLUMNS}
  FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)
 ORDER BY TABLE_NAME, ORDINAL_POSITION`;

/** One row of `INFORMATION_SCHEMA_COLUMNS_SQL`, as mysql2 returns it (numbers may be strings). */
export type InformationSchemaColumnRow = Readonly<Record<string, unknown>>;

/** MySQL's binlog column type codes (`enum_field_types`), as TABLE_MAP events carry them. */
export const BinlogType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  BLOB_COMPRESSED: 140,
  VARCHAR_COMPRESSED: 141,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);
const NUMERIC_TYPES = new Set([...INTEGER_TYPES, 'decimal', 'float', 'double']);
const SIZED_STRING_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary']);
const CHARACTER_TYPES = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'enum',
  'set',
]);
const FRACTIONAL_TEMPORAL_TYPES = new Set(['time', 'datetime', 'timestamp']);
/** MariaDB types the binlog describes only as fixed-width binary strings. */
const MARIADB_BINARY_TYPES: Readonly<Record<string, number>> = { uuid: 16, inet4: 4, inet6: 16 };
/** Spelling differences between servers and information_schema versions. */
const DATA_TYPE_ALIASES: Readonly<Record<string, string>> = {
  geomcollection: 'geometrycollection',
  integer: 'int',
  int4: 'int',
  numeric: 'decimal',
  dec: 'decimal',
  fixed: 'decimal',
  real: 'double',
  'double precision': 'double',
  bool: 'tinyint',
  boolean: 'tinyint',
};
const BLOB_SIZES = ['tiny', '', 'medium', 'long'];

interface ColumnParts {
  name: string;
  dataType: string;
  unsigned: boolean;
  nullable: boolean;
  precision: number | null;
  scale: number | null;
  charset: string | null;
  values?: string[] | undefined;
}

/** The one constructor of MysqlColumn, so both paths give identical objects. */
function makeColumn(parts: ColumnParts): MysqlColumn {
  const { name, dataType, nullable } = parts;
  const unsigned = NUMERIC_TYPES.has(dataType) && parts.unsigned;
  const column: MysqlColumn = {
    name,
    dataType,
    columnType: '',
    unsigned,
    nullable,
    precision: parts.precision,
    scale: parts.scale,
    charset: CHARACTER_TYPES.has(dataType) ? parts.charset : null,
  };
  if (dataType === 'enum') column.enumValues = parts.values ?? [];
  if (dataType === 'set') column.setValues = parts.values ?? [];
  column.columnType = canonicalColumnType(column);
  return column;
}

/** The column type as both information_schema and the binlog can spell it (see the module comment). */
export function canonicalColumnType(column: MysqlColumn): string {
  const { dataType, precision, scale } = column;
  const unsigned = column.unsigned ? ' unsigned' : '';
  if (dataType in MARIADB_BINARY_TYPES) return `binary(${MARIADB_BINARY_TYPES[dataType]})`;
  if (dataType === 'decimal') return `decimal(${precision},${scale})${unsigned}`;
  if (NUMERIC_TYPES.has(dataType)) return `${dataType}${unsigned}`;
  if (dataType === 'bit' || SIZED_STRING_TYPES.has(dataType)) return `${dataType}(${precision})`;
  if (dataType === 'enum' || dataType === 'set') {
    const values = (dataType === 'enum' ? column.enumValues : column.setValues) ?? [];
    return `${dataType}(${values.map(quoteValue).join(',')})`;
  }
  if (FRACTIONAL_TEMPORAL_TYPES.has(dataType) && scale) return `${dataType}(${scale})`;
  return dataType;
}

// ---------------------------------------------------------------------------
// information_schema

/** `INFORMATION_SCHEMA_COLUMNS_SQL` rows (in ordinal order) → the table's columns. */
export function columnsFromInformationSchema(rows: readonly InformationSchemaColumnRow[]): MysqlColumn[] {
  return rows.map((row) => {
    const name = text(field(row, 'COLUMN_NAME'));
    const rawDataType = text(field(row, 'DATA_TYPE')).toLowerCase();
    const dataType = DATA_TYPE_ALIASES[rawDataType] ?? rawDataType;
    const columnType = text(field(row, 'COLUMN_TYPE'));
    const typeWords = columnType.replace(/\(.*\)/s, '').toLowerCase();
    let precision: number | null = null;
    let scale: number | null = null;
    if (dataType === 'decimal') {
      precision = integer(field(row, 'NUMERIC_PRECISION'));
      scale = integer(field(row, 'NUMERIC_SCALE'));
    } else if (dataType === 'bit') {
      precision = integer(field(row, 'NUMERIC_PRECISION'));
    } else if (SIZED_STRING_TYPES.has(dataType)) {
      precision = integer(field(row, 'CHARACTER_MAXIMUM_LENGTH'));
    } else if (dataType in MARIADB_BINARY_TYPES) {
      precision = MARIADB_BINARY_TYPES[dataType]!;
    } else if (FRACTIONAL_TEMPORAL_TYPES.has(dataType)) {
      // MariaDB 5.3-era columns read e.g. `datetime(3) /* mariadb-5.3 */`.
      scale = integer(field(row, 'DATETIME_PRECISION')) ?? Number(/\((\d)\)/.exec(columnType)?.[1] ?? 0);
    }
    const values =
      dataType === 'enum' || dataType === 'set' ? parseValueList(columnType, dataType, name) : undefined;
    const defaultText = constantDefaultText(field(row, 'COLUMN_DEFAULT'));
    return withDefault(
      defaultText,
      makeColumn({
        name,
        dataType,
        unsigned: /\bunsigned\b/.test(typeWords) || /\bzerofill\b/.test(typeWords),
        nullable: text(field(row, 'IS_NULLABLE')).toUpperCase() === 'YES',
        precision,
        scale,
        charset: optionalText(field(row, 'CHARACTER_SET_NAME')),
        values,
      }),
    );
  });
}

function withDefault(defaultText: string | undefined, column: MysqlColumn): MysqlColumn {
  return defaultText === undefined ? column : { ...column, defaultText };
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  b: '\b',
  Z: '\x1a',
};

/**
 * `information_schema.COLUMNS.COLUMN_DEFAULT` → the constant's text, or
 * undefined. MariaDB (10.2.7+) prints a default as SQL: string literals
 * quoted (`'it''s'`), numbers bare, `NULL`, expressions (`current_timestamp()`,
 * `b'101'`). MySQL 8 prints string defaults unquoted, indistinguishable from
 * expressions: only its numbers are taken.
 */
export function constantDefaultText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return value;
  if (value.length < 2 || !value.startsWith("'") || !value.endsWith("'")) return undefined;
  let text = '';
  for (let i = 1; i < value.length - 1; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length - 1) {
      const next = value[++i]!;
      text += ESCAPES[next] ?? next;
    } else if (c === "'" && value[i + 1] === "'") {
      text += "'";
      i++;
    } else {
      text += c;
    }
  }
  return text;
}

/** A column of a row whose keys may come back in either case (MySQL 8 data dictionary views). */
function field(row: InformationSchemaColumnRow, name: string): unknown {
  return name in row ? row[name] : row[name.toLowerCase()];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value == null ? '' : String(value);
}

function optionalText(value: unknown): string | null {
  return value == null ? null : text(value);
}

function integer(value: unknown): number | null {
  if (value == null) return null;
  const n = Number(typeof value === 'bigint' ? value : text(value));
  return Number.isFinite(n) ? n : null;
}

/**
 * `enum('a','b''c','d\\e')` → ['a', "b'c", 'd\e']. information_schema quotes
 * each value like SHOW CREATE TABLE: `''` for a quote, and backslash escapes
 * for backslash, NUL, LF and CR.
 */
export function parseValueList(columnType: string, dataType: string, column = ''): string[] {
  const open = columnType.indexOf('(');
  const values: string[] = [];
  let i = open + 1;
  const fail = (): never => {
    throw new TributaryError(`cannot read the value list of ${dataType} column ${column}: ${columnType}`, {
      code: 'UNSUPPORTED',
    });
  };
  if (open < 0) fail();
  while (i < columnType.length && columnType[i] !== ')') {
    if (columnType[i] !== "'") fail();
    let value = '';
    for (i++; ; i++) {
      if (i >= columnType.length) fail();
      const c = columnType[i]!;
      if (c === "'") {
        if (columnType[i + 1] === "'") {
          value += "'";
          i++;
          continue;
        }
        i++;
        break;
      }
      if (c === '\\' && i + 1 < columnType.length) {
        const next = columnType[++i]!;
        value += next === '0' ? '\0' : next === 'n' ? '\n' : next === 'r' ? '\r' : next;
        continue;
      }
      value += c;
    }
    values.push(value);
    if (columnType[i] === ',') i++;
  }
  return values;
}

/** The inverse of `parseValueList` for one value. */
function quoteValue(value: string): string {
  let quoted = "'";
  for (const c of value) {
    if (c === "'") quoted += "''";
    else if (c === '\\') quoted += '\\\\';
    else if (c === '\0') quoted += '\\0';
    else if (c === '\n') quoted += '\\n';
    else if (c === '\r') quoted += '\\r';
    else quoted += c;
  }
  return `${quoted}'`;
}

// ---------------------------------------------------------------------------
// TABLE_MAP events

/** What our patches add to zongji's TableMap events. */
const NULL_BITMAP = Symbol.for('tributary.mysql.tableMapNullBitmap');
const DECODING_SCHEMAS = Symbol.for('tributary.mysql.tableMapDecodingSchemas');
const PATCHED = Symbol.for('tributary.mysql.zongjiPatched');

interface ZongjiColumn {
  name: string;
  type: number;
  charset: string | null;
  metadata: Record<string, unknown> | undefined;
}

interface ZongjiTableEntry {
  columnSchemas: ZongjiColumnSchema[];
  columns?: ZongjiColumn[];
}

/** The parts of zongji's TableMap we read beyond its typings. */
interface TableMapInternals {
  tableId: number;
  columnCount: number;
  columnTypes: number[];
  columnsMetadata: Array<Record<string, unknown> | undefined>;
  tableMap: Record<number, ZongjiTableEntry | undefined>;
  _columnCharsetIds?: Array<number | undefined>;
  _effectiveColumnType(index: number): number;
  [NULL_BITMAP]?: Buffer;
  [DECODING_SCHEMAS]?: ZongjiColumnSchema[];
}

interface ParserInternals {
  _buffer: Buffer;
  _offset: number;
  _packetEnd: number;
}

interface ZongjiInternals {
  isMariaDb?: boolean;
  useChecksum?: boolean;
}

interface TableMapPrototype {
  _readOptionalMetadata(this: TableMapInternals, parser: ParserInternals, zongji: ZongjiInternals): void;
  updateColumnInfo(this: TableMapInternals): void;
  [PATCHED]?: boolean;
}

// zongji's package exports only its index; the TableMap class lives in lib/binlog_event.js.
const zongjiEvents = (await import(
  new URL('./lib/binlog_event.js', import.meta.resolve('@vlasky/zongji')).href
)) as {
  TableMap: { prototype: TableMapPrototype };
};

/**
 * Patches zongji 0.9.0's TableMap class (once per process; idempotent):
 *
 * 1. Keeps the TABLE_MAP null bitmap (one bit per column: may be NULL), which
 *    zongji reads past and drops; `columnsFromTableMap` needs it for `nullable`.
 * 2. MariaDB counts GEOMETRY columns among the character columns of the
 *    DEFAULT_CHARSET/COLUMN_CHARSET metadata (MySQL does not); zongji assumes
 *    MySQL's rule, so on MariaDB every text column after a geometry column got
 *    the charset of the column before it (seen live on 10.11: a utf8mb4 TEXT
 *    decoded as latin1, a latin1 VARCHAR taken for VARBINARY). Recomputed here
 *    with MariaDB's rule.
 * 3. Has rows decode GEOMETRY as its raw bytes (SRID + WKB; zongji parses it
 *    into {x, y} objects and drops the SRID) and ENUM as its index (zongji
 *    turns the empty-string value, index 0, into `undefined`), by decoding
 *    those columns as BLOB and unsigned integer.
 */
export function installZongjiPatches(): void {
  const proto = zongjiEvents.TableMap.prototype;
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;

  const readOptionalMetadata = proto._readOptionalMetadata;
  proto._readOptionalMetadata = function (parser, zongji) {
    const start = parser._offset;
    const size = (this.columnCount + 7) >> 3;
    if (parser._buffer && start + size <= parser._packetEnd) {
      this[NULL_BITMAP] = Buffer.from(parser._buffer.subarray(start, start + size));
    }
    readOptionalMetadata.call(this, parser, zongji);
    if (zongji?.isMariaDb && this._columnCharsetIds) {
      const end = parser._packetEnd - (zongji.useChecksum ? 4 : 0);
      fixMariadbCharsets(this, parser._buffer, start + size, end);
    }
  };

  const updateColumnInfo = proto.updateColumnInfo;
  proto.updateColumnInfo = function () {
    updateColumnInfo.call(this);
    const entry = this.tableMap[this.tableId];
    if (!entry?.columns) return;
    this[DECODING_SCHEMAS] = entry.columnSchemas;
    entry.columns.forEach((column, i) => {
      if (column.type === BinlogType.GEOMETRY) {
        column.type = BinlogType.BLOB; // same length-prefixed layout; no charset: a Buffer
        column.charset = null;
      } else if (column.type === BinlogType.ENUM) {
        column.type = column.metadata?.size === 2 ? BinlogType.SHORT : BinlogType.TINY;
        const schema = entry.columnSchemas[i];
        if (schema) schema.UNSIGNED = true;
      }
    });
  };
}

installZongjiPatches();

/** Column codes MariaDB lists in the character-column charset metadata. */
const MARIADB_CHARACTER_CODES = new Set<number>([
  BinlogType.STRING,
  BinlogType.VAR_STRING,
  BinlogType.VARCHAR,
  BinlogType.BLOB,
  BinlogType.TINY_BLOB,
  BinlogType.MEDIUM_BLOB,
  BinlogType.LONG_BLOB,
  BinlogType.BLOB_COMPRESSED,
  BinlogType.VARCHAR_COMPRESSED,
  BinlogType.GEOMETRY,
]);
const DEFAULT_CHARSET = 2;
const COLUMN_CHARSET = 3;

function fixMariadbCharsets(event: TableMapInternals, buffer: Buffer, start: number, end: number): void {
  const indexes: number[] = [];
  let geometry = false;
  for (let i = 0; i < event.columnCount; i++) {
    const code = event._effectiveColumnType(i);
    if (MARIADB_CHARACTER_CODES.has(code)) indexes.push(i);
    if (code === BinlogType.GEOMETRY) geometry = true;
  }
  if (!geometry) return; // without geometry columns zongji's rule is MariaDB's
  const charsets = event._columnCharsetIds!;
  const reader = { offset: start };
  while (reader.offset < end) {
    const type = buffer[reader.offset++]!;
    const fieldEnd = readLength(buffer, reader) + reader.offset;
    if (type === DEFAULT_CHARSET) {
      const collation = readLength(buffer, reader);
      for (const i of indexes) charsets[i] = collation;
      while (reader.offset < fieldEnd) {
        const position = readLength(buffer, reader);
        const override = readLength(buffer, reader);
        if (position < indexes.length) charsets[indexes[position]!] = override;
      }
    } else if (type === COLUMN_CHARSET) {
      for (let n = 0; reader.offset < fieldEnd; n++) {
        const collation = readLength(buffer, reader);
        if (n < indexes.length) charsets[indexes[n]!] = collation;
      }
    }
    reader.offset = fieldEnd;
  }
}

/** A length-encoded integer of the client/server protocol. */
function readLength(buffer: Buffer, reader: { offset: number }): number {
  const first = buffer[reader.offset++]!;
  if (first < 251) return first;
  const size = first === 252 ? 2 : first === 253 ? 3 : 8;
  const value =
    size === 8 ? Number(buffer.readBigUInt64LE(reader.offset)) : buffer.readUIntLE(reader.offset, size);
  reader.offset += size;
  return value;
}

/** The null bitmap our patch kept for a TABLE_MAP event, or undefined. */
export function tableMapNullBitmap(event: TableMapEvent): Buffer | undefined {
  return (event as unknown as TableMapInternals)[NULL_BITMAP];
}

/**
 * The table as of a TABLE_MAP event written with `binlog_row_metadata=FULL`
 * (column names, charsets, enum/set values, signedness, primary key), with
 * nullability from the event's null bitmap.
 */
export function columnsFromTableMap(event: TableMapEvent): { columns: MysqlColumn[]; primaryKey: string[] } {
  const table = `${event.schemaName}.${event.tableName}`;
  if (!event.hasSelfDescribingMetadata()) {
    throw new TributaryError(`the binlog's TABLE_MAP event for ${table} carries no column names`, {
      code: 'SOURCE_SETTING',
      fix: 'set binlog_row_metadata=FULL on the server (SET GLOBAL binlog_row_metadata = FULL, and in its config file); MySQL 8.0.1+ or MariaDB 10.5+',
    });
  }
  const internals = event as unknown as TableMapInternals;
  const nullBitmap = internals[NULL_BITMAP];
  if (!nullBitmap || nullBitmap.length * 8 < event.columnCount) {
    throw new TributaryError(
      `the null bitmap of the TABLE_MAP event for ${table} was not captured: zongji's TableMap class is not the one patched`,
      {
        code: 'UNSUPPORTED',
        fix: 'use @vlasky/zongji 0.9.0 and import dialects/mysql/columns.ts before starting zongji',
      },
    );
  }
  const names = event.columnNames!;
  const schemas = event.buildColumnSchemas();
  const decoding = internals[DECODING_SCHEMAS];
  const columns = names.map((name, i) => {
    const code = internals._effectiveColumnType(i);
    const metadata = event.columnsMetadata[i] ?? {};
    const schema = schemas[i]!;
    const nullable = (nullBitmap[i >> 3]! & (1 << (i & 7))) !== 0;
    const unsigned = event.signedness?.[i] === true;
    return makeColumn({
      name,
      nullable,
      unsigned,
      charset: schema.CHARACTER_SET_NAME,
      values:
        code === BinlogType.ENUM
          ? schema.ENUM_VALUES
          : code === BinlogType.SET
            ? schema.SET_VALUES
            : undefined,
      ...typeFromCode(code, metadata, schema, decoding?.[i], event.geometryTypes?.[i], `${table}.${name}`),
    });
  });
  const primaryKey = (event.primaryKey ?? []).map((i) => names[i]!);
  return { columns, primaryKey };
}

function typeFromCode(
  code: number,
  metadata: Record<string, unknown>,
  schema: ZongjiColumnSchema,
  decoding: ZongjiColumnSchema | undefined,
  geometryType: number | undefined,
  column: string,
): { dataType: string; precision: number | null; scale: number | null } {
  const type = (dataType: string, precision: number | null = null, scale: number | null = null) => ({
    dataType,
    precision,
    scale,
  });
  const binary = schema.CHARACTER_SET_NAME === null;
  const n = (key: string) => Number(metadata[key]);
  switch (code) {
    case BinlogType.TINY:
      return type('tinyint');
    case BinlogType.SHORT:
      return type('smallint');
    case BinlogType.INT24:
      return type('mediumint');
    case BinlogType.LONG:
      return type('int');
    case BinlogType.LONGLONG:
      return type('bigint');
    case BinlogType.FLOAT:
      return type('float');
    case BinlogType.DOUBLE:
      return type('double');
    case BinlogType.NEWDECIMAL:
      return type('decimal', n('precision'), n('decimals'));
    case BinlogType.YEAR:
      return type('year');
    case BinlogType.BIT:
      return type('bit', n('bits'));
    case BinlogType.STRING:
    case BinlogType.VARCHAR:
    case BinlogType.VAR_STRING:
    case BinlogType.VARCHAR_COMPRESSED: {
      const fixed = code === BinlogType.STRING;
      // zongji spells the width in characters (bytes / the charset's widest character).
      const width = Number(/\((\d+)\)/.exec(schema.COLUMN_TYPE)?.[1]);
      return type(binary ? (fixed ? 'binary' : 'varbinary') : fixed ? 'char' : 'varchar', width);
    }
    case BinlogType.BLOB:
    case BinlogType.TINY_BLOB:
    case BinlogType.MEDIUM_BLOB:
    case BinlogType.LONG_BLOB:
    case BinlogType.BLOB_COMPRESSED:
      return type(`${BLOB_SIZES[n('length_size') - 1] ?? ''}${binary ? 'blob' : 'text'}`);
    case BinlogType.ENUM:
      return type('enum');
    case BinlogType.SET:
      return type('set');
    case BinlogType.DATE:
    case BinlogType.NEWDATE:
      return type('date');
    case BinlogType.TIME2:
      return type('time', null, n('decimals') || 0);
    case BinlogType.DATETIME2:
      return type('datetime', null, n('decimals') || 0);
    case BinlogType.TIMESTAMP2:
      return type('timestamp', null, n('decimals') || 0);
    // Classic codes: the fractional digits of a MariaDB 5.3 "hires" column are
    // only in the definition zongji fetched from information_schema to decode it.
    case BinlogType.TIME:
      return type('time', null, fractionalDigits(decoding));
    case BinlogType.DATETIME:
      return type('datetime', null, fractionalDigits(decoding));
    case BinlogType.TIMESTAMP:
      return type('timestamp', null, fractionalDigits(decoding));
    case BinlogType.JSON:
      return type('json');
    case BinlogType.GEOMETRY:
      return type(GEOMETRY_TYPE_NAMES[geometryType ?? 0] ?? 'geometry');
    default:
      throw new TributaryError(`column ${column} has binlog type code ${code}, which Tributary cannot map`, {
        code: 'UNSUPPORTED',
        fix: 'exclude the table (source.tables.exclude) or change the column type',
      });
  }
}

function fractionalDigits(schema: ZongjiColumnSchema | undefined): number {
  return Number(/^(?:time|datetime|timestamp)\((\d)\)/.exec(schema?.COLUMN_TYPE ?? '')?.[1] ?? 0);
}
