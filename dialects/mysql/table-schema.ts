import type mysql from 'mysql2/promise';
import type { TableMapEvent } from '@vlasky/zongji';
import { tableKey, type Row, type TableId, type TableSchema } from '../../src/core/schema.ts';
import type { MysqlColumn } from './column.ts';
import {
  columnsFromInformationSchema,
  columnsFromTableMap,
  constantDefaultText,
  INFORMATION_SCHEMA_COLUMNS_SQL,
  INFORMATION_SCHEMA_TABLES_COLUMNS_SQL,
  type InformationSchemaColumnRow,
} from './columns.ts';
import { binlogValueParser, columnTypeFor, snapshotValueParser } from './types.ts';

/** A captured table version: its neutral schema and how to turn native values into canonical rows. */
export interface MysqlTable {
  id: TableId;
  schema: TableSchema;
  columns: MysqlColumn[];
  /** Converters for values as zongji decodes them from row events. */
  binlogParsers: Array<(value: unknown) => unknown>;
  /** Converters for values as the snapshot connection returns them. */
  snapshotParsers: Array<(value: unknown) => unknown>;
}

type Parsers = Pick<MysqlTable, 'binlogParsers' | 'snapshotParsers'>;

function buildTable(
  id: TableId,
  columns: MysqlColumn[],
  primaryKey: string[],
  parsers: Parsers = {
    binlogParsers: columns.map(binlogValueParser),
    snapshotParsers: columns.map(snapshotValueParser),
  },
): MysqlTable {
  const schema: TableSchema = {
    id,
    primaryKey,
    columns: columns.map((column) => {
      const { type, sourceType, forceNullable } = columnTypeFor(column);
      const value = defaultValue(column);
      return {
        name: column.name,
        type,
        sourceType,
        // Some types yield null for values Avro cannot carry (zero dates), even in NOT NULL columns.
        nullable: column.nullable || forceNullable === true,
        ...(value === undefined ? {} : { default: value }),
      };
    }),
  };
  return {
    id,
    schema,
    columns,
    binlogParsers: parsers.binlogParsers,
    snapshotParsers: parsers.snapshotParsers,
  };
}

/** The canonical value of a column's constant default, read as the snapshot reads values. */
function defaultValue(column: MysqlColumn): unknown {
  if (column.defaultText === undefined) return undefined;
  try {
    return snapshotValueParser(column)(column.defaultText) ?? undefined;
  } catch {
    return undefined; // a default the snapshot parser does not take (bytes): none rather than a guess
  }
}

/**
 * The binlog carries no defaults: a table version from a TABLE_MAP takes its
 * columns' constant defaults from information_schema (as of now, like the
 * snapshot's), so both roads describe the table alike.
 */
export async function withCatalogDefaults(
  connection: mysql.Connection,
  table: MysqlTable,
): Promise<MysqlTable> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, COLUMN_DEFAULT AS value FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [table.id.schema, table.id.table],
  );
  const defaults = new Map(rows.map((r) => [String(r.name), constantDefaultText(r.value)]));
  const columns = table.columns.map((column) => {
    const defaultText = defaults.get(column.name);
    return defaultText === undefined ? column : { ...column, defaultText };
  });
  // The same parsers (they do not depend on defaults): each warns once per column about its losses,
  // whichever of the two versions a later TABLE_MAP finds.
  return buildTable(table.id, columns, table.schema.primaryKey, table);
}

/** A schema without its columns' defaults: what a TABLE_MAP alone can tell. */
export function withoutDefaults(schema: TableSchema): TableSchema {
  return { ...schema, columns: schema.columns.map(({ default: _, ...column }) => column) };
}

/** The table as of a TABLE_MAP event with `binlog_row_metadata=FULL`: the schema at that point in the log. */
export function tableFromTableMap(event: TableMapEvent): MysqlTable {
  const { columns, primaryKey } = columnsFromTableMap(event);
  return buildTable({ schema: event.schemaName, table: event.tableName }, columns, primaryKey);
}

/** The table as the data dictionary has it now (snapshot, or servers without FULL row metadata). */
export async function tableFromCatalog(connection: mysql.Connection, id: TableId): Promise<MysqlTable> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(INFORMATION_SCHEMA_COLUMNS_SQL, [
    id.schema,
    id.table,
  ]);
  const [keys] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`,
    [id.schema, id.table],
  );
  return buildTable(
    id,
    columnsFromInformationSchema(rows),
    keys.map((k) => String(k.name)),
  );
}

/**
 * Tables as the data dictionary has them now (a snapshot's): two queries per
 * schema, however many tables.
 */
export async function tablesFromCatalog(
  connection: mysql.Connection,
  ids: readonly TableId[],
): Promise<MysqlTable[]> {
  const bySchema = new Map<string, string[]>();
  for (const id of ids) bySchema.set(id.schema, [...(bySchema.get(id.schema) ?? []), id.table]);
  const columns = new Map<string, InformationSchemaColumnRow[]>();
  const keys = new Map<string, string[]>();
  for (const [schema, tables] of bySchema) {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(INFORMATION_SCHEMA_TABLES_COLUMNS_SQL, [
      schema,
      tables,
    ]);
    for (const row of rows) {
      const key = tableKey({ schema, table: String(row.TABLE_NAME) });
      columns.set(key, [...(columns.get(key) ?? []), row]);
    }
    const [keyRows] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX`,
      [schema, tables],
    );
    for (const row of keyRows) {
      const key = tableKey({ schema, table: String(row.tableName) });
      keys.set(key, [...(keys.get(key) ?? []), String(row.name)]);
    }
  }
  return ids.map((id) => {
    const rows = columns.get(tableKey(id));
    if (!rows) throw new Error(`table ${id.schema}.${id.table} does not exist`);
    return buildTable(id, columnsFromInformationSchema(rows), keys.get(tableKey(id)) ?? []);
  });
}

/** A row event's row (column name → zongji value) to a canonical row. */
export function binlogRow(table: MysqlTable, values: Record<string, unknown>): Row {
  const row: Row = {};
  const { columns, binlogParsers } = table;
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!.name;
    const value = values[name];
    row[name] = value == null ? null : binlogParsers[i]!(value);
  }
  return row;
}

/** A snapshot row (positional, in column order) to a canonical row. */
export function snapshotRow(table: MysqlTable, values: readonly unknown[]): Row {
  const row: Row = {};
  const { columns, snapshotParsers } = table;
  for (let i = 0; i < columns.length; i++) {
    const value = values[i];
    row[columns[i]!.name] = value == null ? null : snapshotParsers[i]!(value);
  }
  return row;
}

/** Two versions of a table differ in what consumers see: the schema must be announced again. */
export function sameSchema(a: TableSchema, b: TableSchema): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Two versions of a table read values alike: same schema, same column descriptions. */
export function sameTable(a: MysqlTable, b: MysqlTable): boolean {
  return sameSchema(a.schema, b.schema) && JSON.stringify(a.columns) === JSON.stringify(b.columns);
}
