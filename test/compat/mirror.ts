/**
 * What both dialects' compatibility tests share: the column lists of the
 * mirrored table, the wait for a mirror to equal its source, and the allowed
 * schema differences check.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import {
  allows,
  compareSchemas,
  describeDifferences,
  normalizeSchema,
  type AllowedDifference,
  type SchemaDifference,
} from './avro-compare.ts';
import { stackEnv } from '../harness/stack.ts';

/** A column of the mirrored table. */
export interface MirrorColumn {
  name: string;
  /** The column's type in the source table. */
  type: string;
  /** SQL literals of the snapshot rows 1..n; a missing entry is NULL. */
  values: readonly string[];
  /** SQL rendering the column's value (`{}`) as text, the same on the source and the mirrors. */
  render?: string;
  /**
   * Debezium's own event loses this column's value (the sink then writes
   * another value or type from Debezium's topics); ours must not. Its rows
   * are compared with the source for our mirror only, and its mirror column
   * type may differ from the one made from Debezium's topics.
   */
  debeziumLossy?: string;
}

export type Rows = Array<Record<string, string | null>>;

export function createTableSql(
  name: string,
  columns: ReadonlyArray<{ name: string; type: string }>,
  quote: (name: string) => string,
): string {
  const list = columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
  return `CREATE TABLE ${name} (id integer PRIMARY KEY, ${list})`;
}

/** Inserts rows 1..rows, each column taking its `values` entry (NULL where it has none). */
export function insertRowsSql(
  name: string,
  columns: readonly MirrorColumn[],
  rows: number,
  quote: (name: string) => string,
): string {
  const tuples = Array.from({ length: rows }, (_, i) => {
    const values = columns.map((c) => c.values[i] ?? 'NULL');
    return `(${[String(i + 1), ...values].join(', ')})`;
  });
  return `INSERT INTO ${name} (id, ${columns.map((c) => quote(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`;
}

/**
 * The streaming phase's changes both dialects make: rows 1-2 copied as 11-12,
 * every nullable column of row 2 set to NULL, row 3 deleted, row 4's key
 * changed to 40.
 */
export function commonChangesSql(
  columns: readonly MirrorColumn[],
  quote: (name: string) => string,
): string[] {
  const nullable = columns.filter((c) => !c.type.includes('NOT NULL'));
  return [
    `INSERT INTO types SELECT id + 10, ${columns.map((c) => quote(c.name)).join(', ')} FROM types WHERE id <= 2`,
    `UPDATE types SET ${nullable.map((c) => `${quote(c.name)} = NULL`).join(', ')} WHERE id = 2`,
    'DELETE FROM types WHERE id = 3',
    'UPDATE types SET id = 40 WHERE id = 4',
  ];
}

/** The rows of a table as text, one SQL expression per column. */
export function renderedSelect(
  columns: readonly MirrorColumn[],
  table: string,
  quote: (name: string) => string,
  defaultRender: string,
): string {
  const list = columns.map((column) => {
    const expression = (column.render ?? defaultRender).replaceAll('{}', quote(column.name));
    return `${expression} AS ${quote(column.name)}`;
  });
  return `SELECT ${list.join(', ')} FROM ${table} ORDER BY ${quote('id')}`;
}

export function withoutLossy(columns: readonly MirrorColumn[], rows: Rows): Rows {
  const lossy = columns.filter((c) => c.debeziumLossy).map((c) => c.name);
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !lossy.includes(k))));
}

/**
 * Polls until `actual()` equals `expected()`, calling `healthy()` (which
 * throws on a failed connector) between tries; at the deadline asserts the
 * last two against each other, so the message shows the difference.
 */
export async function waitUntilEqual(
  actual: () => Promise<unknown>,
  expected: () => Promise<unknown>,
  healthy: () => Promise<void>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const want = await expected();
    const got = await actual().catch((error: unknown) => ({ error: String(error) }));
    if (isDeepStrictEqual(got, want)) return;
    await healthy();
    if (Date.now() > deadline) {
      const cells =
        Array.isArray(got) && Array.isArray(want) ? rowDifferences(got as Rows, want as Rows) : '';
      assert.deepEqual(got, want, `${what}${cells ? `; differences (mirror vs source):\n${cells}` : ''}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The cells where two row lists (keyed by `id`) differ, one line each. */
export function rowDifferences(mirror: Rows, source: Rows): string {
  const byId = (rows: Rows) => new Map(rows.map((row) => [row.id, row]));
  const mine = byId(mirror);
  const theirs = byId(source);
  const lines: string[] = [];
  for (const [id, row] of theirs) {
    const other = mine.get(id);
    if (!other) {
      lines.push(`  id ${id}: missing`);
      continue;
    }
    for (const [column, value] of Object.entries(row)) {
      if (other[column] !== value) {
        lines.push(`  id ${id} ${column}: ${JSON.stringify(other[column])} vs ${JSON.stringify(value)}`);
      }
    }
  }
  for (const id of mine.keys()) if (!theirs.has(id)) lines.push(`  id ${id}: not in the source`);
  return lines.join('\n');
}

/**
 * The schema registered latest under a subject, waiting up to a minute for
 * its first version. (Asked for by name: the registry lists at most 1,000
 * subjects, and the shared one holds more.)
 */
export async function latestSchema(subject: string): Promise<unknown> {
  const url = `${stackEnv().registryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (response.ok) return JSON.parse(((await response.json()) as { schema: string }).schema) as unknown;
    assert.ok(
      response.status === 404 && Date.now() < deadline,
      `${subject}: HTTP ${response.status} ${await response.text()}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Compares our registered key and value schemas of each topic with Debezium's
 * of the same table (or transaction topic): every difference must be
 * allowed, and every allowed difference must still occur in one of them (a
 * fixed one leaves the list).
 */
export async function assertOnlyAllowedDifferences(
  pairs: ReadonlyArray<{ ours: string; debezium: string }>,
  allowed: readonly AllowedDifference[],
): Promise<void> {
  const differences: SchemaDifference[] = [];
  for (const { ours, debezium } of pairs) {
    for (const side of ['key', 'value']) {
      const topics = [ours, debezium];
      const mine = normalizeSchema(await latestSchema(`${ours}-${side}`), topics);
      const theirs = normalizeSchema(await latestSchema(`${debezium}-${side}`), topics);
      differences.push(...compareSchemas(mine, theirs).map((d) => ({ ...d, subject: `${ours}-${side}` })));
    }
  }
  const unlisted = differences.filter((d) => !allowed.some((entry) => allows(entry, d)));
  const unused = allowed.filter((entry) => !differences.some((d) => allows(entry, d)));
  assert.equal(
    unlisted.length,
    0,
    `${unlisted.length} difference(s) from Debezium's schemas that the allow-list does not name:\n${describeDifferences(unlisted)}`,
  );
  assert.deepEqual(
    unused.map((e) => e.path),
    [],
    'allowed differences that no longer occur (remove them from the list and the README)',
  );
}
