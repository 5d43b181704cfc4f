/** Joins the type catalog and the type mapping into the resolver the dialect uses per table version. */
import type { Queryable } from './connection.ts';
import type { PgTypeResolver, ResolvedColumnType } from './table-schema.ts';
import { PgTypeCatalog } from './type-catalog.ts';
import { columnTypeFor, parserFor, type ParseOptions } from './types.ts';

export type ResolvedPgColumnType = ResolvedColumnType;

export interface PgColumnTypeRef {
  typeOid: number;
  typeMod: number;
  /** `pg_attribute.attndims`: how deep array values nest (default 1). */
  dimensions?: number;
}

export function createTypeResolver(client: Queryable, options: ParseOptions = {}): PgTypeResolver {
  const catalog = new PgTypeCatalog(client);
  return {
    async resolve(columns: ReadonlyArray<PgColumnTypeRef>): Promise<ResolvedPgColumnType[]> {
      const infos = await catalog.resolve(
        columns.map((c) => ({
          oid: c.typeOid,
          typmod: c.typeMod,
          ...(c.dimensions ? { dimensions: c.dimensions } : {}),
        })),
      );
      return infos.map((info) => ({ ...columnTypeFor(info), parse: parserFor(info, options) }));
    },
    invalidate(): void {
      catalog.invalidate();
    },
  };
}
