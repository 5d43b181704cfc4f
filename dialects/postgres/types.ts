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
import { parseBoolean, parseBytea, parseMoney, parsePoint } from './scalar-text.ts';
import type { LossHandler } from './temporal-text.ts';
import { parseDate, parseInterval, parseTime, parseTimeTz, timestampParser } from './temporal-text.ts';

export type { LossHandler } from './temporal-text.ts';
export { numericTypmod } from './pg-type-info.ts';

export interface PgColumnType {
  type: ColumnType;
  /** The server's spelling, e.g. `numeric(10,2)` or `character varying(20)[]`. */
  sourceType: string;
}

export type TextParser = (text: string) => unknown;

export interface ParseOptions {
  /** Told when a value has no exact representation and its documented substitute is sent. */
  onLoss?: LossHandler;
}

interface Mapping {
  type: ColumnType;
  parse: TextParser;
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
  varbit: 'bits',
  tsvector: 'tsvector',
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
  return { type: mapping.type, sourceType };
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
  if (t.typtype === 'e')
    return { type: { kind: 'string', semantic: 'enum', allowed: t.enumLabels ?? [] }, parse: identity };
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
      // Debezium's precise money: a Decimal of lc_monetary's 2 fraction digits, with no precision.
      return { type: { kind: 'decimal', scale: 2 }, parse: parseMoney };
    case 'point':
      // Debezium's Point {x, y, wkb, srid}.
      return { type: { kind: 'geometry', point: true }, parse: parsePoint };
    case 'bool':
      return { type: { kind: 'boolean' }, parse: parseBoolean };
    case 'bytea':
      return { type: { kind: 'bytes' }, parse: parseBytea };
    case 'uuid':
      return { type: { kind: 'uuid' }, parse: identity };
    case 'date':
      return { type: { kind: 'date' }, parse: parseDate };
    case 'time':
      return { type: { kind: 'time-micros', precision: fractionDigits(typmod) }, parse: parseTime };
    case 'timetz':
      return { type: { kind: 'string', semantic: 'time-with-zone' }, parse: parseTimeTz };
    case 'timestamp':
      return {
        type: { kind: 'local-timestamp-micros', precision: fractionDigits(typmod) },
        parse: timestampParser(false, onLoss),
      };
    case 'timestamptz':
      return {
        type: { kind: 'timestamp-micros', precision: fractionDigits(typmod) },
        parse: timestampParser(true, onLoss),
      };
    case 'bit':
      // bit(n) has exactly n bits: Debezium's Bits (a boolean for bit(1)).
      if (typmod < 1) return str('bits'); // no declared length: any length, kept as text
      return typmod === 1
        ? { type: { kind: 'boolean' }, parse: (text) => text === '1' }
        : { type: { kind: 'bits', length: typmod }, parse: identity };
    case 'interval':
      return { type: { kind: 'string', semantic: 'interval' }, parse: parseInterval };
    default:
      return str(STRING_SEMANTICS[t.name]);
  }
}

function str(semantic?: StringSemantic): Mapping {
  return { type: semantic ? { kind: 'string', semantic } : { kind: 'string' }, parse: identity };
}

/** The declared fraction digits of a time or timestamp (6 when none is declared). */
function fractionDigits(typmod: number): number {
  return typmod < 0 ? 6 : typmod;
}

/** NaN and ±Infinity have no Decimal form: null, reported. */
function specialNumeric(text: string, type: string, onLoss: LossHandler): boolean {
  if (text.charCodeAt(0) <= 57 /* not N(aN) or I(nfinity) */ && text !== '-Infinity') return false;
  onLoss(`${type} value ${text} has no Avro decimal form; sent as null`);
  return true;
}

function numericMapping(typmod: number, onLoss: LossHandler): Mapping {
  const declared = numericTypmod(typmod);
  // Unconstrained numeric has a scale per value: Debezium's VariableScaleDecimal.
  if (!declared) {
    return {
      type: { kind: 'variable-decimal' },
      parse: (text) => (specialNumeric(text, 'numeric', onLoss) ? null : text),
    };
  }
  const { precision, scale } = declared;
  // Avro needs 0 <= scale <= precision; numeric(2,-3) holds integers of 5 digits, numeric(3,5) 5 decimals.
  const type: ColumnType =
    scale < 0
      ? { kind: 'decimal', precision: precision - scale, scale: 0 }
      : { kind: 'decimal', precision: Math.max(precision, scale), scale };
  const parse = (text: string): string | null =>
    specialNumeric(text, `numeric(${precision},${scale})`, onLoss) ? null : text;
  return { type, parse };
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
