/**
 * The Postgres type layer: which dialect-neutral `ColumnType` each Postgres
 * type maps to, and how its TEXT output (pgoutput tuples, snapshot queries)
 * becomes the canonical value. The mapping and its special values are
 * documented in TYPES.md.
 */
import { TributaryError } from '../../src/core/errors.ts';
import type { ColumnType, StringSemantic } from '../../src/core/schema.ts';
import { arrayParser } from './array-text.ts';
import { formatType } from './format-type.ts';
import { numericTypmod, type PgTypeInfo } from './pg-type-info.ts';
import { parseBoolean, parseBytea, parseMoney } from './scalar-text.ts';
import type { LossHandler } from './temporal-text.ts';
import { parseDate, parseInterval, parseTime, parseTimeTz, timestampParser } from './temporal-text.ts';

export type { LossHandler } from './temporal-text.ts';
export { numericTypmod } from './pg-type-info.ts';

export interface PgColumnType {
  type: ColumnType;
  /** The server's spelling, e.g. `numeric(10,2)` or `character varying(20)[]`. */
  sourceType: string;
  /**
   * A non-NULL value can arrive as null (NaN in numeric(p,s), which an Avro
   * decimal cannot hold): declare the field nullable even if the column is NOT NULL.
   */
  forceNullable?: boolean;
}

export type TextParser = (text: string) => unknown;

export interface ParseOptions {
  /** Told when a value has no exact representation and its documented substitute is sent. */
  onLoss?: LossHandler;
}

interface Mapping {
  type: ColumnType;
  parse: TextParser;
  forceNullable?: boolean;
}

const identity = (text: string): string => text;
const toNumber = (text: string): number => Number(text);
const toBigInt = (text: string): bigint => BigInt(text);
const noLoss: LossHandler = () => {};

const INT2VECTOR = 22;
const OIDVECTOR = 30;

const STRING_SEMANTICS: Readonly<Record<string, StringSemantic>> = {
  json: 'json',
  jsonb: 'json',
  xml: 'xml',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr',
  bit: 'bits',
  varbit: 'bits',
  tsvector: 'tsvector',
  point: 'geometry',
  line: 'geometry',
  lseg: 'geometry',
  box: 'geometry',
  path: 'geometry',
  polygon: 'geometry',
  circle: 'geometry',
};

export function columnTypeFor(pgType: PgTypeInfo): PgColumnType {
  const mapping = mappingFor(pgType, pgType.typmod, noLoss);
  const sourceType = pgType.sourceType ?? formatType(pgType);
  return mapping.forceNullable
    ? { type: mapping.type, sourceType, forceNullable: true }
    : { type: mapping.type, sourceType };
}

/** The text → canonical value function for one column type; build it once per column, call it per value. */
export function parserFor(pgType: PgTypeInfo, options: ParseOptions = {}): TextParser {
  return mappingFor(pgType, pgType.typmod, options.onLoss ?? warnOnce()).parse;
}

const cachedParsers = new WeakMap<PgTypeInfo, TextParser>();

/** Convenience for one-off values; hot paths should hold on to `parserFor`'s function. */
export function parseText(pgType: PgTypeInfo, text: string): unknown {
  let parse = cachedParsers.get(pgType);
  if (!parse) cachedParsers.set(pgType, (parse = parserFor(pgType)));
  return parse(text);
}

function warnOnce(): LossHandler {
  let warned = false;
  return (message) => {
    if (warned) return;
    warned = true;
    process.emitWarning(message, 'TributaryTypeWarning');
  };
}

function mappingFor(t: PgTypeInfo, typmod: number, onLoss: LossHandler): Mapping {
  if (t.typtype === 'd' && t.base) return mappingFor(t.base, t.base.typmod, onLoss);
  if (t.element && t.oid !== INT2VECTOR && t.oid !== OIDVECTOR) return arrayMapping(t, typmod, onLoss);
  if (t.typtype === 'e') return str('enum');
  if (t.typtype === 'r' || t.typtype === 'm') return str('range');
  if (t.schema !== 'pg_catalog') return str(); // composite and extension types: their text output
  switch (t.name) {
    case 'int2':
      return { type: { kind: 'int16' }, parse: toNumber };
    case 'int4':
      return { type: { kind: 'int32' }, parse: toNumber };
    case 'int8':
    case 'oid':
    case 'xid':
    case 'cid':
      return { type: { kind: 'int64' }, parse: toBigInt };
    case 'xid8': // unsigned 64-bit
      return { type: { kind: 'decimal', precision: 20, scale: 0 }, parse: identity };
    case 'float4':
      return { type: { kind: 'float32' }, parse: toNumber };
    case 'float8':
      return { type: { kind: 'float64' }, parse: toNumber };
    case 'numeric':
      return numericMapping(typmod, onLoss);
    case 'money':
      return { type: { kind: 'string', semantic: 'money' }, parse: parseMoney };
    case 'bool':
      return { type: { kind: 'boolean' }, parse: parseBoolean };
    case 'bytea':
      return { type: { kind: 'bytes' }, parse: parseBytea };
    case 'uuid':
      return { type: { kind: 'uuid' }, parse: identity };
    case 'date':
      return { type: { kind: 'date' }, parse: parseDate };
    case 'time':
      return { type: { kind: 'time-micros' }, parse: parseTime };
    case 'timetz':
      return { type: { kind: 'string', semantic: 'time-with-zone' }, parse: parseTimeTz };
    case 'timestamp':
      return { type: { kind: 'local-timestamp-micros' }, parse: timestampParser(false, onLoss) };
    case 'timestamptz':
      return { type: { kind: 'timestamp-micros' }, parse: timestampParser(true, onLoss) };
    case 'interval':
      return { type: { kind: 'string', semantic: 'interval' }, parse: parseInterval };
    default:
      return str(STRING_SEMANTICS[t.name]);
  }
}

function str(semantic?: StringSemantic): Mapping {
  return { type: semantic ? { kind: 'string', semantic } : { kind: 'string' }, parse: identity };
}

function numericMapping(typmod: number, onLoss: LossHandler): Mapping {
  const declared = numericTypmod(typmod);
  // Unconstrained numeric has a scale per value and NaN/±Infinity: exact text.
  if (!declared) return str('decimal');
  const { precision, scale } = declared;
  // Avro needs 0 <= scale <= precision; numeric(2,-3) holds integers of 5 digits, numeric(3,5) 5 decimals.
  const type: ColumnType =
    scale < 0
      ? { kind: 'decimal', precision: precision - scale, scale: 0 }
      : { kind: 'decimal', precision: Math.max(precision, scale), scale };
  const parse = (text: string): string | null => {
    if (text.charCodeAt(0) > 57 /* N(aN), I(nfinity) */ || text === '-Infinity') {
      onLoss(`numeric(${precision},${scale}) value ${text} has no Avro decimal form; sent as null`);
      return null;
    }
    return text;
  };
  return { type, parse, forceNullable: true };
}

function arrayMapping(t: PgTypeInfo, typmod: number, onLoss: LossHandler): Mapping {
  const element = t.element!;
  const inner = mappingFor(element, typmod, onLoss);
  const dimensions = Math.max(1, t.dimensions ?? 1);
  let type: ColumnType = inner.type;
  for (let i = 0; i < dimensions; i++) type = { kind: 'array', items: type };
  const parse = arrayParser(inner.parse, element.delimiter, dimensions, (actual) =>
    wrongDimensions(t, dimensions, actual),
  );
  return { type, parse };
}

function wrongDimensions(t: PgTypeInfo, declared: number, actual: number): TributaryError {
  return new TributaryError(
    `a value of type ${t.sourceType ?? formatType(t)} has ${actual} dimensions but the column declares ${declared}`,
    {
      code: 'UNSUPPORTED',
      fix: `declare the column with ${actual} dimensions (e.g. ${'[]'.repeat(actual)}) so its Avro type can nest that deep`,
    },
  );
}
