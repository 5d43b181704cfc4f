import type { Queryable } from './connection.ts';
import {
  tableKey,
  type ColumnType,
  type Row,
  type TableId,
  type TableSchema,
} from '../../src/core/schema.ts';
import { TributaryError } from '../../src/core/errors.ts';

/** One column's type as the Avro layer sees it, with the parser of its text values. */
export interface ResolvedColumnType {
  type: ColumnType;
  sourceType: string;
  parse: (text: string) => unknown;
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
  /**
   * The table's REPLICA IDENTITY is not FULL: deletes and key changes carry
   * only the key in their old tuple, and unchanged TOASTed values are missing
   * from new tuples, so a non-key column can arrive as null even when NOT NULL.
   */
  partialImages: boolean;
  /** A dropped column's slot (its name, type and NOT NULL are gone). */
  dropped: boolean;
  /** The DEFAULT expression as the server prints it (`'x'::text`, `now()`), null for none. */
  defaultExpr: string | null;
}

/** The catalog columns of each relation, in attnum order. */
async function catalogColumns(
  client: Queryable,
  relationOids: readonly number[],
): Promise<Map<number, CatalogColumn[]>> {
  const { rows } = await client.query<{
    relid: number;
    name: string;
    typeoid: number;
    typemod: number;
    notnull: boolean;
    dims: number;
    pkpos: number | null;
    partial: boolean;
    dropped: boolean;
    defexpr: string | null;
  }>(
    `SELECT a.attrelid::int AS relid, a.attname AS name, a.atttypid::int AS typeoid, a.atttypmod AS typemod, a.attnotnull AS notnull, a.attndims::int AS dims,
            (SELECT k.n::int FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum) AS pkpos,
            c.relreplident <> 'f' AS partial, a.attisdropped AS dropped,
            CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS defexpr
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0
      ORDER BY a.attrelid, a.attnum`,
    [relationOids],
  );
  const byRelation = new Map<number, CatalogColumn[]>(relationOids.map((oid) => [oid, []]));
  for (const r of rows) {
    byRelation.get(r.relid)?.push({
      name: r.name,
      typeOid: r.typeoid,
      typeMod: r.typemod,
      notNull: r.notnull,
      dimensions: r.dims,
      pkPosition: r.pkpos ?? 0,
      partialImages: r.partial,
      dropped: r.dropped,
      defaultExpr: r.defexpr,
    });
  }
  return byRelation;
}

/**
 * The catalog column each Relation column is. The Relation message gives the
 * columns as of its place in the WAL; the catalog is as of now, and may have
 * renamed or dropped some of them since (a connector catching up after DDL).
 * Columns keep their order (attnum), so: match by name, then pair each column
 * whose name is gone with a column of the same type between the same
 * name-matched neighbours (a rename). Columns left unmatched were dropped
 * since: undefined (their NOT NULL is gone from the catalog with them).
 */
export function matchCatalogColumns(
  columns: ReadonlyArray<{ name: string; typeOid: number }>,
  catalog: readonly CatalogColumn[],
): Array<CatalogColumn | undefined> {
  const live = catalog.filter((c) => !c.dropped);
  const byName = new Map(live.map((c) => [c.name, c]));
  const matched: Array<CatalogColumn | undefined> = columns.map((column) => byName.get(column.name));
  const taken = new Set(matched.filter((c) => c !== undefined));
  let from = 0; // index in `live` after the previous name-matched column
  for (let i = 0; i < columns.length;) {
    if (matched[i]) {
      from = live.indexOf(matched[i]!) + 1;
      i++;
      continue;
    }
    // A run of unmatched columns, up to the next name-matched one.
    let end = i;
    while (end < columns.length && !matched[end]) end++;
    const to = end < columns.length ? live.indexOf(matched[end]!) : live.length;
    const candidates = live.slice(from, Math.max(from, to)).filter((c) => !taken.has(c));
    for (let k = i; k < end; k++) {
      const candidate = candidates.findIndex((c) => c.typeOid === columns[k]!.typeOid);
      if (candidate < 0) continue;
      matched[k] = candidates[candidate];
      taken.add(candidates[candidate]!);
      candidates.splice(0, candidate + 1);
    }
    i = end;
  }
  return matched;
}

export async function relationOidOf(client: Queryable, id: TableId): Promise<number> {
  return (await relationOidsOf(client, [id]))[0]!;
}

/** The relation oid of each table, in order; throws for a table that does not exist. */
async function relationOidsOf(client: Queryable, ids: readonly TableId[]): Promise<number[]> {
  const { rows } = await client.query<{ schema: string; table: string; oid: number }>(
    `SELECT n.nspname AS schema, c.relname AS table, c.oid::int AS oid
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS w(nsp, rel) ON n.nspname = w.nsp AND c.relname = w.rel`,
    [ids.map((id) => id.schema), ids.map((id) => id.table)],
  );
  const oids = new Map(rows.map((r) => [tableKey(r), r.oid]));
  return ids.map((id) => {
    const oid = oids.get(tableKey(id));
    if (oid === undefined) throw new Error(`table ${id.schema}.${id.table} does not exist`);
    return oid;
  });
}

/**
 * Builds a table version. `columns` are the Relation message's columns when
 * streaming (the schema as of that point in the WAL); for a snapshot they come
 * from the catalog. Nullability and the primary key always come from the
 * catalog: pgoutput does not carry them (under REPLICA IDENTITY FULL every
 * column is flagged as key).
 */
export async function describeTable(
  client: Queryable,
  types: PgTypeResolver,
  id: TableId,
  relationOid: number,
  columns?: ReadonlyArray<{ name: string; typeOid: number; typeMod: number }>,
): Promise<PgTable> {
  const catalog = (await catalogColumns(client, [relationOid])).get(relationOid)!;
  const wanted = columns ?? catalog.filter((c) => !c.dropped);
  // The catalog column of each wanted column: itself for a snapshot; for a
  // Relation message, found by name or as renamed since (matchCatalogColumns).
  const known = columns ? matchCatalogColumns(columns, catalog) : (wanted as CatalogColumn[]);
  const resolved = await types.resolve(typeRefs(wanted, known));
  return buildTable(id, relationOid, wanted, known, resolved);
}

/**
 * Tables as the catalog has them now (a snapshot's), in three queries
 * however many: their oids, their columns, and the types not seen yet.
 */
export async function describeTables(
  client: Queryable,
  types: PgTypeResolver,
  ids: readonly TableId[],
): Promise<PgTable[]> {
  if (ids.length === 0) return [];
  const oids = await relationOidsOf(client, ids);
  const catalogs = await catalogColumns(client, oids);
  const live = oids.map((oid) => catalogs.get(oid)!.filter((c) => !c.dropped));
  const resolved = await types.resolve(live.flatMap((columns) => typeRefs(columns, columns)));
  let at = 0;
  return ids.map((id, i) => {
    const columns = live[i]!;
    const table = buildTable(id, oids[i]!, columns, columns, resolved.slice(at, at + columns.length));
    at += columns.length;
    return table;
  });
}

function typeRefs(
  wanted: ReadonlyArray<{ typeOid: number; typeMod: number }>,
  known: ReadonlyArray<CatalogColumn | undefined>,
): Array<{ typeOid: number; typeMod: number; dimensions?: number }> {
  return wanted.map((column, i) => {
    const dimensions = known[i]?.dimensions ?? 0;
    return { typeOid: column.typeOid, typeMod: column.typeMod, ...(dimensions > 0 ? { dimensions } : {}) };
  });
}

function buildTable(
  id: TableId,
  relationOid: number,
  wanted: ReadonlyArray<{ name: string }>,
  known: ReadonlyArray<CatalogColumn | undefined>,
  resolved: readonly ResolvedColumnType[],
): PgTable {
  const primaryKey = wanted
    .map((column, i) => ({ name: column.name, position: known[i]?.pkPosition ?? 0 }))
    .filter((c) => c.position > 0)
    .sort((a, b) => a.position - b.position)
    .map((c) => c.name);
  const schema: TableSchema = {
    id,
    primaryKey,
    columns: wanted.map((column, i) => {
      const value = constantDefault(known[i]?.defaultExpr ?? null, resolved[i]!.parse);
      return {
        name: column.name,
        type: resolved[i]!.type,
        sourceType: resolved[i]!.sourceType,
        nullable: isNullable(known[i]),
        ...(value === undefined ? {} : { default: value }),
      };
    }),
  };
  return {
    id,
    relationOid,
    schema,
    columnNames: wanted.map((c) => c.name),
    parsers: resolved.map((r, i) => {
      const column = schema.columns[i]!;
      const canBeNull = column.type.kind === 'decimal' || column.type.kind === 'variable-decimal';
      return canBeNull && !column.nullable ? notNullParser(id, column.name, r.parse) : r.parse;
    }),
  };
}

/** numeric values with no Avro decimal form. */
const NO_DECIMAL_FORM = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * NaN has no Decimal form and becomes null, which a NOT NULL column's field
 * cannot hold (its schema is Debezium's: not optional). Stop with the column
 * named rather than write a value that is not there.
 */
export function notNullParser(
  id: TableId,
  column: string,
  parse: (text: string) => unknown,
): (text: string) => unknown {
  return (text) => {
    // Tested before parsing: the parser would report the value as sent as null, which it is not here.
    const value = NO_DECIMAL_FORM.has(text) ? null : parse(text);
    if (value !== null) return value;
    throw new TributaryError(
      `column ${column} of ${id.schema}.${id.table} is NOT NULL, so its field is not optional, but its value ${text} has no Avro decimal form`,
      {
        code: 'UNSUPPORTED',
        fix: `store no ${text} in a NOT NULL numeric column, or make the column nullable (ALTER TABLE ... ALTER COLUMN ${column} DROP NOT NULL) and take a new snapshot (tributary reset, then run), or exclude the table`,
      },
    );
  };
}

const QUOTED_CAST = /^'((?:[^']|'')*)'::[^']+$/;
const NUMBER = /^\(?(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\)?(?:::[^']+)?$/;

/**
 * The canonical value of a DEFAULT that is a constant (`'x'::text`, `42`,
 * `(-1.5)`, `true`), as Debezium emits it in `connect.default`; undefined for
 * none, NULL, or an expression (`now()`, `nextval(...)`).
 */
export function constantDefault(expr: string | null, parse: (text: string) => unknown): unknown {
  if (expr === null) return undefined;
  let text: string | undefined;
  const quoted = QUOTED_CAST.exec(expr);
  if (quoted) text = quoted[1]!.replaceAll("''", "'");
  else if (NUMBER.test(expr)) text = NUMBER.exec(expr)![1];
  else if (expr === 'true' || expr === 'false') text = expr[0];
  if (text === undefined) return undefined;
  try {
    return parse(text) ?? undefined;
  } catch {
    return undefined; // a text the type's parser does not take: no default rather than a guess
  }
}

function isNullable(column: CatalogColumn | undefined): boolean {
  if (!column || !column.notNull) return true;
  return column.partialImages && column.pkPosition === 0;
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
