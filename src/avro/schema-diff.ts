import type { ColumnSchema, TableSchema } from '../core/schema.ts';

function spell(column: ColumnSchema): string {
  return `${column.sourceType}${column.nullable ? '' : ' not null'}`;
}

/** The column changes from `before` to `after` in words, e.g. `added column note (text)`. */
export function describeTableChange(before: TableSchema | undefined, after: TableSchema): string {
  if (!before) return 'the table schema (no earlier version seen by this process)';
  const old = new Map(before.columns.map((column) => [column.name, column]));
  const now = new Map(after.columns.map((column) => [column.name, column]));
  const changes: string[] = [];
  for (const column of after.columns) {
    const previous = old.get(column.name);
    if (!previous) changes.push(`added column ${column.name} (${spell(column)})`);
    else if (
      spell(previous) !== spell(column) ||
      JSON.stringify(previous.type) !== JSON.stringify(column.type)
    ) {
      changes.push(`changed column ${column.name} from ${spell(previous)} to ${spell(column)}`);
    }
  }
  for (const column of before.columns) {
    if (!now.has(column.name)) changes.push(`dropped column ${column.name}`);
  }
  if (before.primaryKey.join() !== after.primaryKey.join()) {
    changes.push(
      `changed the primary key from (${before.primaryKey.join(', ')}) to (${after.primaryKey.join(', ')})`,
    );
  }
  return changes.length > 0 ? changes.join(', ') : 'no column change (column order or schema details only)';
}

interface AvroFieldLike {
  name: string;
  type: unknown;
}

/** The row record of a registered schema: the envelope's `before` Value record, or a Key record as it is. */
function rowFields(schema: unknown): AvroFieldLike[] | null {
  const fields = (schema as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return null;
  const before = (fields as AvroFieldLike[]).find((field) => field.name === 'before');
  const value = Array.isArray(before?.type)
    ? (before.type as unknown[]).find((branch) => Array.isArray((branch as { fields?: unknown })?.fields))
    : undefined;
  return value ? ((value as { fields: AvroFieldLike[] }).fields ?? null) : (fields as AvroFieldLike[]);
}

function spellAvroType(type: unknown): string {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(spellAvroType).join(' | ');
  const object = type as { type?: unknown; logicalType?: unknown; items?: unknown; name?: unknown };
  if (typeof object?.logicalType === 'string') return object.logicalType;
  // Debezium's semantic types by the last part of their Connect name: ZonedTimestamp, Enum, ...
  const connectName = (type as Record<string, unknown> | null)?.['connect.name'];
  if (typeof connectName === 'string' && object?.type !== 'record') return connectName.split('.').pop()!;
  if (object?.type === 'array') return `array of ${spellAvroType(object.items)}`;
  if (object?.type === 'record' && typeof object.name === 'string') return object.name;
  return spellAvroType(object?.type);
}

/** `string not null`, or `string` for a `["null", string]` union. */
function spellAvroField(field: AvroFieldLike): string {
  if (Array.isArray(field.type) && field.type.includes('null')) {
    const rest = field.type.filter((branch) => branch !== 'null');
    return rest.length === 1 ? spellAvroType(rest[0]) : spellAvroType(rest);
  }
  return `${spellAvroType(field.type)} not null`;
}

/**
 * The field changes between two registered Avro schemas of a table (envelopes
 * or keys) in words, e.g. `added column note (string not null)`: what a refused
 * schema changes when this process saw no earlier version of the table, so the
 * registry's latest version is the one to compare with.
 */
export function describeAvroChange(registered: unknown, proposed: unknown): string | null {
  const before = rowFields(registered);
  const after = rowFields(proposed);
  if (!before || !after) return null;
  const old = new Map(before.map((field) => [field.name, field]));
  const now = new Set(after.map((field) => field.name));
  const changes: string[] = [];
  for (const field of after) {
    const previous = old.get(field.name);
    if (!previous) changes.push(`added column ${field.name} (${spellAvroField(field)})`);
    else if (JSON.stringify(previous.type) !== JSON.stringify(field.type))
      changes.push(
        `changed column ${field.name} from ${spellAvroField(previous)} to ${spellAvroField(field)}`,
      );
  }
  for (const field of before) {
    if (!now.has(field.name)) changes.push(`dropped column ${field.name}`);
  }
  return changes.length > 0 ? changes.join(', ') : null;
}
