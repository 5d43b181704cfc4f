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
