/**
 * A column's Postgres type as resolved from the catalog (see type-catalog.ts),
 * and the built-in types, whose oids are fixed across server versions.
 */

export interface PgTypeInfo {
  oid: number;
  /** `pg_type.typname`, e.g. `int4`, `_int4`, `mood`. */
  name: string;
  /** `pg_namespace.nspname` of the type. */
  schema: string;
  /** `pg_type.typtype`: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  typtype: string;
  /** `pg_type.typcategory`, e.g. N numeric, S string, A array. */
  category: string;
  /**
   * The column's `atttypmod` (-1 when none). On an array it applies to the
   * elements, as in Postgres; on a domain's `base` it is the domain's `typtypmod`.
   */
  typmod: number;
  /** `pg_type.typdelim`: the separator of this type's values inside an array (`;` for box). */
  delimiter: string;
  /** Arrays: the element type. */
  element?: PgTypeInfo;
  /** Domains: the base type (with the domain's typmod). */
  base?: PgTypeInfo;
  /** Enums: the labels in sort order. */
  enumLabels?: string[];
  /** Arrays: the column's declared dimensions (`pg_attribute.attndims`); 0 or absent means 1. */
  dimensions?: number;
  /** `format_type(oid, typmod)` as the server spelled it, when known. */
  sourceType?: string;
}

/** numeric's typmod → declared precision and scale (scale may be negative since PG 15), or null. */
export function numericTypmod(typmod: number): { precision: number; scale: number } | null {
  if (typmod < 4) return null;
  const t = typmod - 4;
  return { precision: (t >>> 16) & 0xffff, scale: ((t & 0x7ff) ^ 1024) - 1024 };
}

/** Oids below this are assigned by initdb and never change. */
export const FIRST_NORMAL_OID = 16384;

// [name, oid, typcategory, typtype, array oid, typdelim when not ',']
type Builtin = readonly [string, number, string, string, number, string?];
const BUILTINS: readonly Builtin[] = [
  ['bool', 16, 'B', 'b', 1000],
  ['bytea', 17, 'U', 'b', 1001],
  ['char', 18, 'Z', 'b', 1002],
  ['name', 19, 'S', 'b', 1003],
  ['int8', 20, 'N', 'b', 1016],
  ['int2', 21, 'N', 'b', 1005],
  ['int2vector', 22, 'A', 'b', 1006],
  ['int4', 23, 'N', 'b', 1007],
  ['regproc', 24, 'N', 'b', 1008],
  ['text', 25, 'S', 'b', 1009],
  ['oid', 26, 'N', 'b', 1028],
  ['tid', 27, 'U', 'b', 1010],
  ['xid', 28, 'U', 'b', 1011],
  ['cid', 29, 'U', 'b', 1012],
  ['oidvector', 30, 'A', 'b', 1013],
  ['json', 114, 'U', 'b', 199],
  ['xml', 142, 'U', 'b', 143],
  ['point', 600, 'G', 'b', 1017],
  ['lseg', 601, 'G', 'b', 1018],
  ['path', 602, 'G', 'b', 1019],
  ['box', 603, 'G', 'b', 1020, ';'],
  ['polygon', 604, 'G', 'b', 1027],
  ['line', 628, 'G', 'b', 629],
  ['cidr', 650, 'I', 'b', 651],
  ['float4', 700, 'N', 'b', 1021],
  ['float8', 701, 'N', 'b', 1022],
  ['circle', 718, 'G', 'b', 719],
  ['macaddr8', 774, 'U', 'b', 775],
  ['money', 790, 'N', 'b', 791],
  ['macaddr', 829, 'U', 'b', 1040],
  ['inet', 869, 'I', 'b', 1041],
  ['aclitem', 1033, 'U', 'b', 1034],
  ['bpchar', 1042, 'S', 'b', 1014],
  ['varchar', 1043, 'S', 'b', 1015],
  ['date', 1082, 'D', 'b', 1182],
  ['time', 1083, 'D', 'b', 1183],
  ['timestamp', 1114, 'D', 'b', 1115],
  ['timestamptz', 1184, 'D', 'b', 1185],
  ['interval', 1186, 'T', 'b', 1187],
  ['timetz', 1266, 'D', 'b', 1270],
  ['bit', 1560, 'V', 'b', 1561],
  ['varbit', 1562, 'V', 'b', 1563],
  ['numeric', 1700, 'N', 'b', 1231],
  ['refcursor', 1790, 'U', 'b', 2201],
  ['regprocedure', 2202, 'N', 'b', 2207],
  ['regoper', 2203, 'N', 'b', 2208],
  ['regoperator', 2204, 'N', 'b', 2209],
  ['regclass', 2205, 'N', 'b', 2210],
  ['regtype', 2206, 'N', 'b', 2211],
  ['uuid', 2950, 'U', 'b', 2951],
  ['txid_snapshot', 2970, 'U', 'b', 2949],
  ['pg_lsn', 3220, 'U', 'b', 3221],
  ['tsvector', 3614, 'U', 'b', 3643],
  ['tsquery', 3615, 'U', 'b', 3645],
  ['regconfig', 3734, 'N', 'b', 3735],
  ['regdictionary', 3769, 'N', 'b', 3770],
  ['jsonb', 3802, 'U', 'b', 3807],
  ['int4range', 3904, 'R', 'r', 3905],
  ['numrange', 3906, 'R', 'r', 3907],
  ['tsrange', 3908, 'R', 'r', 3909],
  ['tstzrange', 3910, 'R', 'r', 3911],
  ['daterange', 3912, 'R', 'r', 3913],
  ['int8range', 3926, 'R', 'r', 3927],
  ['jsonpath', 4072, 'U', 'b', 4073],
  ['regnamespace', 4089, 'N', 'b', 4090],
  ['regrole', 4096, 'N', 'b', 4097],
  ['regcollation', 4191, 'N', 'b', 4192],
  ['int4multirange', 4451, 'R', 'm', 6150],
  ['nummultirange', 4532, 'R', 'm', 6151],
  ['tsmultirange', 4533, 'R', 'm', 6152],
  ['tstzmultirange', 4534, 'R', 'm', 6153],
  ['datemultirange', 4535, 'R', 'm', 6155],
  ['int8multirange', 4536, 'R', 'm', 6157],
  ['pg_snapshot', 5038, 'U', 'b', 5039],
  ['xid8', 5069, 'U', 'b', 271],
];

const byName = new Map(BUILTINS.map((b) => [b[0], b]));

/** Oids of the built-in types by `typname` (array types: `_` + name). */
export const PG_OID: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(BUILTINS.flatMap((b) => [[b[0], b[1]] as const, [`_${b[0]}`, b[4]] as const])),
);

/** The `PgTypeInfo` of a built-in type, for code and tests that need no catalog. */
export function builtinType(name: string, typmod = -1): PgTypeInfo {
  const entry = byName.get(name);
  if (!entry) throw new Error(`not a built-in Postgres type: ${name}`);
  const [typname, oid, category, typtype, , delimiter] = entry;
  return { oid, name: typname, schema: 'pg_catalog', typtype, category, typmod, delimiter: delimiter ?? ',' };
}

/** The array type over `element`; `typmod` is the column's (it applies to the elements). */
export function arrayOf(element: PgTypeInfo, typmod = element.typmod, dimensions?: number): PgTypeInfo {
  const builtin = element.schema === 'pg_catalog' ? byName.get(element.name) : undefined;
  return {
    oid: builtin ? builtin[4] : 0,
    name: `_${element.name}`,
    schema: element.schema,
    typtype: 'b',
    category: 'A',
    typmod,
    delimiter: ',',
    element: { ...element, typmod: -1 },
    ...(dimensions === undefined ? {} : { dimensions }),
  };
}
