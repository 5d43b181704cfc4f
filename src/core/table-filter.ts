import type { TableId } from './schema.ts';

export interface TableSelection {
  /** `schema.table` globs: `*` matches any run of characters, `?` one character. */
  include: string[];
  exclude: string[];
}

export function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/** Compiles include/exclude globs once; matching is then a couple of regex tests. */
export function tableFilter(selection: TableSelection): (table: TableId) => boolean {
  const include = selection.include.map(globToRegExp);
  const exclude = selection.exclude.map(globToRegExp);
  return (table) => {
    const name = `${table.schema}.${table.table}`;
    return include.some((re) => re.test(name)) && !exclude.some((re) => re.test(name));
  };
}
