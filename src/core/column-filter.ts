import { createHash } from 'node:crypto';
import type { ChangeMessage, SourceMessage } from './change-event.ts';
import type { ChangeStream } from './dialect.ts';
import { TributaryError } from './errors.ts';
import { tableKey, type ColumnSchema, type Row, type TableSchema } from './schema.ts';
import { globToRegExp } from './table-filter.ts';

/** One `columns.mask` rule: a salted SHA-256 (hex) or a fixed text in place of the value. */
export interface MaskRule {
  /** `schema.table.column` globs. */
  columns: string[];
  hash?: { salt: string } | undefined;
  replacement?: string | undefined;
}

export interface ColumnRules {
  /** `schema.table.column` globs of columns left out of events and schemas. */
  exclude: string[];
  mask: MaskRule[];
}

type Masker = (value: unknown) => string;

/** What happens to one table version's columns. */
interface TablePlan {
  schema: TableSchema;
  excluded: Set<string>;
  masked: Map<string, Masker>;
}

/** A stable text of a canonical value, so equal values hash alike. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function maskerOf(rule: MaskRule): Masker {
  if (rule.hash) {
    const { salt } = rule.hash;
    return (value) =>
      createHash('sha256')
        .update(salt + valueText(value))
        .digest('hex');
  }
  const replacement = rule.replacement ?? '';
  return () => replacement;
}

/**
 * Applies `columns.exclude` and `columns.mask` to every message of a stream,
 * snapshot and stream alike: excluded columns leave the table's schema and its
 * row images; masked columns become strings holding the mask. A primary-key
 * column may be neither, since the key identifies the row.
 */
export function filterColumns(stream: ChangeStream, rules: ColumnRules): ChangeStream {
  const exclude = rules.exclude.map(globToRegExp);
  const masks = rules.mask.map((rule) => ({
    patterns: rule.columns.map(globToRegExp),
    mask: maskerOf(rule),
  }));
  const plans = new Map<string, TablePlan>();

  function planFor(table: TableSchema): TablePlan {
    const excluded = new Set<string>();
    const masked = new Map<string, Masker>();
    for (const column of table.columns) {
      const name = `${tableKey(table.id)}.${column.name}`;
      const mask = masks.find((m) => m.patterns.some((re) => re.test(name)))?.mask;
      const excludedHere = exclude.some((re) => re.test(name));
      if ((excludedHere || mask) && table.primaryKey.includes(column.name)) {
        throw new TributaryError(
          `column ${name} is part of the primary key, which columns.exclude and columns.mask cannot change`,
          {
            code: 'CONFIG_INVALID',
            fix: `narrow the columns.exclude / columns.mask globs so they leave ${name} out`,
          },
        );
      }
      if (excludedHere) excluded.add(column.name);
      else if (mask) masked.set(column.name, mask);
    }
    const columns: ColumnSchema[] = table.columns
      .filter((c) => !excluded.has(c.name))
      .map((c) => (masked.has(c.name) ? { ...c, type: { kind: 'string' } } : c));
    return { schema: { ...table, columns }, excluded, masked };
  }

  function applyTo(plan: TablePlan, row: Row | null): Row | null {
    if (!row) return row;
    const out: Row = {};
    for (const [name, value] of Object.entries(row)) {
      if (plan.excluded.has(name)) continue;
      const mask = plan.masked.get(name);
      out[name] = mask && value !== null && value !== undefined ? mask(value) : value;
    }
    return out;
  }

  async function* messages(): AsyncGenerator<SourceMessage> {
    for await (const message of stream) {
      if (message.kind === 'schema') {
        const plan = planFor(message.table);
        plans.set(tableKey(message.table.id), plan);
        yield { ...message, table: plan.schema };
      } else if (message.kind === 'change') {
        const plan = plans.get(tableKey(message.table));
        yield plan
          ? ({
              ...message,
              before: applyTo(plan, message.before),
              after: applyTo(plan, message.after),
            } satisfies ChangeMessage)
          : message;
      } else {
        yield message;
      }
    }
  }

  return {
    [Symbol.asyncIterator]: () => messages(),
    acknowledge: (offset) => stream.acknowledge(offset),
    close: () => stream.close(),
    ...(stream.lagBytes ? { lagBytes: () => stream.lagBytes!() } : {}),
  };
}

export function hasColumnRules(rules: ColumnRules): boolean {
  return rules.exclude.length > 0 || rules.mask.length > 0;
}
