import type pg from 'pg';
import type { ColumnType, Row, TableId, TableSchema } from '../../src/core/schema.ts';

/** One column's type as the Avro layer sees it, with the parser of its text values. */
export interface ResolvedColumnType {
  type: ColumnType;
  sourceType: string;
  parse: (text: string) => unknown;
  /** The type can yield null even in a NOT NULL column (NaN in numeric(p,s)). */
  forceNullable?: boolean;
}

export interface PgTypeResolver {
  resolve(
    columns: ReadonlyArray<{ typeOid: number; typeMod: number; dimensions?: number }>,
  ): Promise<ResolvedColumnType[]>;
  /** Forget cached types (a Relation message may announce new or altered types). */
  invalidate(): void;
}

/** A captured table version: its neutral schema and how to turn pgoutput/snapshot text into rows. */
export interface PgTable {
  id: TableId;
  relationOid: number;
  schema: TableSchema;
  columnNames: string[];
  parsers: Array<(text: string) => unknown>;
}

interface CatalogColumn {
  name: string;
  typeOid: number;
  typeMod: number;
  notNull: boolean;
  /** Declared array dimensions (`attndims`), 0 for non-arrays. */
  dimensions: number;
  /** 1-based position in the primary key, 0 when not part of it. */
  pkPosition: number;
}

async function catalogColumns(client: pg.Client, relationOid: number): Promise<CatalogColumn[]> {
  const { rows } = await client.query<{
    name: string;
    typeoid: number;
    typemod: number;
    notnull: boolean;
    dims: number;
    pkpos: number | null;
  }>(
    `SELECT a.attname AS name, a.atttypid::int AS typeoid, a.atttypmod AS typemod, a.attnotnull AS notnull, a.attndims::int AS dims,
            (SELECT k.n::int FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum) AS pkpos
       FROM pg_attribute a
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [relationOid],
  );
  return rows.map((r) => ({
    name: r.name,
    typeOid: r.typeoid,
    typeMod: r.typemod,
    notNull: r.notnull,
    dimensions: r.dims,
    pkPosition: r.pkpos ?? 0,
  }));
}

export async function relationOidOf(client: pg.Client, id: TableId): Promise<number> {
  const { rows } = await client.query<{ oid: number }>(
    `SELECT c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2`,
    [id.schema, id.table],
  );
  if (!rows[0]) throw new Error(`table ${id.schema}.${id.table} does not exist`);
  return rows[0].oid;
}

/**
 * Builds a table version. `columns` are the Relation message's columns when
 * streaming (the schema as of that point in the WAL); for a snapshot they come
 * from the catalog. Nullability and the primary key always come from the
 * catalog: pgoutput does not carry them (under REPLICA IDENTITY FULL every
 * column is flagged as key).
 */
export async function describeTable(
  client: pg.Client,
  types: PgTypeResolver,
  id: TableId,
  relationOid: number,
  columns?: ReadonlyArray<{ name: string; typeOid: number; typeMod: number }>,
): Promise<PgTable> {
  const catalog = await catalogColumns(client, relationOid);
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const wanted = columns ?? catalog;
  const resolved = await types.resolve(
    wanted.map((column) => {
      const dimensions = byName.get(column.name)?.dimensions ?? 0;
      return { typeOid: column.typeOid, typeMod: column.typeMod, ...(dimensions > 0 ? { dimensions } : {}) };
    }),
  );
  const primaryKey = catalog
    .filter((c) => c.pkPosition > 0 && wanted.some((w) => w.name === c.name))
    .sort((a, b) => a.pkPosition - b.pkPosition)
    .map((c) => c.name);
  const schema: TableSchema = {
    id,
    primaryKey,
    columns: wanted.map((column, i) => ({
      name: column.name,
      type: resolved[i]!.type,
      sourceType: resolved[i]!.sourceType,
      nullable: !(byName.get(column.name)?.notNull ?? false) || resolved[i]!.forceNullable === true,
    })),
  };
  return {
    id,
    relationOid,
    schema,
    columnNames: wanted.map((c) => c.name),
    parsers: resolved.map((r) => r.parse),
  };
}

/** Text values (null for SQL NULL, undefined for an unavailable TOAST value) to a canonical row. */
export function toRow(table: PgTable, tuple: Record<string, string | null | undefined>): Row {
  const row: Row = {};
  const { columnNames, parsers } = table;
  for (let i = 0; i < columnNames.length; i++) {
    const name = columnNames[i]!;
    const text = tuple[name];
    row[name] = text == null ? null : parsers[i]!(text);
  }
  return row;
}

/** Positional text values (a snapshot row in rowMode 'array') to a canonical row. */
export function arrayToRow(table: PgTable, values: ReadonlyArray<string | null>): Row {
  const row: Row = {};
  const { columnNames, parsers } = table;
  for (let i = 0; i < columnNames.length; i++) {
    const text = values[i];
    row[columnNames[i]!] = text == null ? null : parsers[i]!(text);
  }
  return row;
}
