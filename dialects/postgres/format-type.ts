/**
 * `format_type(oid, typmod)` without a server round trip, for built-in types
 * (user types are spelled schema-qualified unless in pg_catalog or public; the
 * catalog fills `sourceType` with the server's own spelling when it can).
 */
import { numericTypmod, type PgTypeInfo } from './pg-type-info.ts';

const SQL_NAMES: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  varbit: 'bit varying',
  char: '"char"',
};

// Interval field masks (1 << field number, see datetime.h) → typmod output.
const INTERVAL_FIELDS: ReadonlyMap<number, string> = new Map([
  [1 << 2, ' year'],
  [1 << 1, ' month'],
  [1 << 3, ' day'],
  [1 << 10, ' hour'],
  [1 << 11, ' minute'],
  [1 << 12, ' second'],
  [(1 << 2) | (1 << 1), ' year to month'],
  [(1 << 3) | (1 << 10), ' day to hour'],
  [(1 << 3) | (1 << 10) | (1 << 11), ' day to minute'],
  [(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), ' day to second'],
  [(1 << 10) | (1 << 11), ' hour to minute'],
  [(1 << 10) | (1 << 11) | (1 << 12), ' hour to second'],
  [(1 << 11) | (1 << 12), ' minute to second'],
]);

export function formatType(t: PgTypeInfo, typmod: number = t.typmod): string {
  if (t.element && t.category === 'A' && t.name !== 'int2vector' && t.name !== 'oidvector') {
    return `${formatType(t.element, typmod)}[]`;
  }
  if (t.schema !== 'pg_catalog') {
    const name = quoteIdent(t.name);
    return t.schema === 'public' ? name : `${quoteIdent(t.schema)}.${name}`;
  }
  const mod = typmod >= 0;
  switch (t.name) {
    case 'bpchar':
      return mod ? `character(${typmod - 4})` : 'bpchar';
    case 'varchar':
      return mod ? `character varying(${typmod - 4})` : 'character varying';
    case 'bit':
      return mod ? `bit(${typmod})` : '"bit"';
    case 'varbit':
      return mod ? `bit varying(${typmod})` : 'bit varying';
    case 'numeric': {
      const declared = numericTypmod(typmod);
      return declared ? `numeric(${declared.precision},${declared.scale})` : 'numeric';
    }
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz': {
      const base = t.name.startsWith('timestamp') ? 'timestamp' : 'time';
      const zone = t.name.endsWith('tz') ? 'with' : 'without';
      return `${base}${mod ? `(${typmod})` : ''} ${zone} time zone`;
    }
    case 'interval':
      return mod ? `interval${intervalTypmod(typmod)}` : 'interval';
    default:
      return SQL_NAMES[t.name] ?? t.name;
  }
}

function intervalTypmod(typmod: number): string {
  const fields = INTERVAL_FIELDS.get((typmod >>> 16) & 0x7fff) ?? '';
  const precision = typmod & 0xffff;
  return precision === 0xffff ? fields : `${fields}(${precision})`;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
