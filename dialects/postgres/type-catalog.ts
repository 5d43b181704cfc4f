/**
 * Resolves `PgTypeInfo` for type oids from a live server: one query over
 * pg_type (recursing through array elements and domain bases) and pg_enum,
 * cached per oid, plus the server's `format_type(oid, typmod)` per column.
 */
import type { Queryable } from './connection.ts';
import type { PgTypeInfo } from './pg-type-info.ts';

/** A column's type as pgoutput's Relation message (or pg_attribute) gives it. */
export interface TypeRef {
  oid: number;
  typmod: number;
  /** `pg_attribute.attndims`, when known. */
  dimensions?: number;
}

interface TypeRow {
  oid: number;
  name: string;
  schema: string;
  typtype: string;
  category: string;
  delimiter: string;
  elem: number;
  is_array: boolean;
  base: number;
  base_typmod: number;
  labels: string[] | null;
}

// The first parameter lists oids to load; the second and third (oid, typmod) pairs to format.
const QUERY = `
WITH RECURSIVE wanted(oid) AS (
    SELECT DISTINCT o FROM unnest($1::oid[]) AS u(o)
  UNION
    SELECT d.oid FROM wanted w JOIN pg_type t ON t.oid = w.oid
      CROSS JOIN LATERAL (VALUES (t.typelem), (t.typbasetype)) AS d(oid)
     WHERE d.oid <> 0
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'oid', t.oid::int8, 'name', t.typname, 'schema', n.nspname, 'typtype', t.typtype,
      'category', t.typcategory, 'delimiter', t.typdelim, 'elem', t.typelem::int8,
      'is_array', t.typelem <> 0 AND t.typlen = -1 AND t.typstorage <> 'p',
      'base', t.typbasetype::int8, 'base_typmod', t.typtypmod,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
    )), '[]')
     FROM wanted w JOIN pg_type t ON t.oid = w.oid JOIN pg_namespace n ON n.oid = t.typnamespace) AS types,
  (SELECT coalesce(json_agg(format_type(u.o, u.m) ORDER BY u.i), '[]')
     FROM unnest($2::oid[], $3::int4[]) WITH ORDINALITY AS u(o, m, i)) AS formats`;

// Keep every value as text and parse the JSON here, whatever type parsers the client has.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

export class PgTypeCatalog {
  readonly #client: Queryable;
  readonly #types = new Map<number, PgTypeInfo>();
  readonly #formats = new Map<string, string>();

  constructor(client: Queryable) {
    this.#client = client;
  }

  /** One `PgTypeInfo` per ref, in order, with the ref's typmod and dimensions and the server's sourceType. */
  async resolve(refs: readonly TypeRef[]): Promise<PgTypeInfo[]> {
    const missing = [...new Set(refs.map((r) => r.oid).filter((oid) => !this.#types.has(oid)))];
    const unformatted = [
      ...new Map(refs.filter((r) => !this.#formats.has(formatKey(r))).map((r) => [formatKey(r), r])).values(),
    ];
    if (missing.length > 0 || unformatted.length > 0) await this.#load(missing, unformatted);
    return refs.map((ref) => {
      const info: PgTypeInfo = {
        ...(this.#types.get(ref.oid) ?? unknownType(ref.oid)),
        typmod: ref.typmod,
        sourceType: this.#formats.get(formatKey(ref))!,
      };
      if (ref.dimensions !== undefined && info.element) info.dimensions = ref.dimensions;
      return info;
    });
  }

  /**
   * Forgets cached types (all, or these oids and every type built on them), so
   * the next `resolve` reads them again: call it when a Relation message may
   * announce new or altered types (a new enum label, a re-created domain).
   */
  invalidate(oids?: Iterable<number>): void {
    this.#formats.clear();
    if (oids === undefined) {
      this.#types.clear();
      return;
    }
    const gone = new Set(oids);
    for (const [oid, info] of this.#types) {
      if (gone.has(oid) || dependsOn(info, gone)) this.#types.delete(oid);
    }
  }

  async #load(oids: number[], refs: TypeRef[]): Promise<void> {
    const result = await this.#client.query<{ types: string; formats: string }>({
      text: QUERY,
      values: [oids, refs.map((r) => r.oid), refs.map((r) => r.typmod)],
      types: TEXT_TYPES,
    });
    const row = result.rows[0]!;
    const rows = new Map((JSON.parse(row.types) as TypeRow[]).map((r) => [r.oid, r]));
    const built = new Map<number, PgTypeInfo>();
    const build = (oid: number): PgTypeInfo => {
      const cached = this.#types.get(oid) ?? built.get(oid);
      if (cached) return cached;
      const r = rows.get(oid);
      if (!r) return unknownType(oid);
      const info: PgTypeInfo = {
        oid,
        name: r.name,
        schema: r.schema,
        typtype: r.typtype,
        category: r.category,
        typmod: -1,
        delimiter: r.delimiter,
      };
      built.set(oid, info);
      if (r.is_array) info.element = build(r.elem);
      if (r.typtype === 'd' && r.base !== 0) info.base = { ...build(r.base), typmod: r.base_typmod };
      if (r.labels) info.enumLabels = r.labels;
      return info;
    };
    for (const oid of rows.keys()) build(oid);
    for (const [oid, info] of built) this.#types.set(oid, info);
    const formats = JSON.parse(row.formats) as string[];
    refs.forEach((ref, i) => this.#formats.set(formatKey(ref), formats[i]!));
  }
}

function formatKey(ref: TypeRef): string {
  return `${ref.oid}/${ref.typmod}`;
}

function dependsOn(info: PgTypeInfo, oids: ReadonlySet<number>): boolean {
  for (let t: PgTypeInfo | undefined = info.element ?? info.base; t; t = t.element ?? t.base) {
    if (oids.has(t.oid)) return true;
  }
  return false;
}

/**
 * A type the catalog no longer has (a Relation message from the past can name
 * a since-dropped type): its values still arrive as text, so they pass as strings.
 */
function unknownType(oid: number): PgTypeInfo {
  return {
    oid,
    name: `unknown type ${oid}`,
    schema: '',
    typtype: 'b',
    category: 'X',
    typmod: -1,
    delimiter: ',',
  };
}
