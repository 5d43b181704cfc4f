/**
 * The randomized parity run shared by both dialects: random values of every
 * column type are written twice, once before the snapshot and once while
 * streaming, and three things must agree exactly for every value:
 *
 * - the snapshot's `r` event, the streamed `c` event of the same value, and
 *   the before and after images of a `u` event that changed another column
 *   (deep equality, whatever the Avro shape of the field);
 * - each of them and the database's own text of the stored value, converted
 *   to the decoded event value by the dialect's expectation module (the one
 *   place that knows the field shapes).
 *
 * Where a value has no exact Avro form, the expectation gives the documented
 * substitute, and the connector must have warned about the column.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { ConnectorTestContext } from '../harness/connector-context.ts';
import { EventCollector, type SeenEvent } from '../harness/kafka-events.ts';
import { waitOrFail } from '../harness/waiting.ts';
import { fidelitySettings, Random } from './random.ts';

/** How the database renders a stored value as text, and what decoded event value that text implies. */
export interface Expectation {
  /** SQL giving the text of the stored value of column `c` (text all the way: no client number parsing). */
  sql: (c: string) => string;
  /** That text (null for SQL NULL) → the decoded event value. */
  value: (text: string | null) => unknown;
}

export interface ParityColumn {
  name: string;
  /** The column definition, e.g. `decimal(65,30)`. */
  definition: string;
  /** A SQL expression of a random value; called for row 0, 1, 2... in order. */
  generate: (random: Random, row: number) => string;
  expected: Expectation;
  /**
   * The warning the connector gives when a value has no exact Avro form
   * (its expectation then gives the documented substitute, null).
   */
  lossWarning?: RegExp;
}

/** The dialect's side of a parity run. */
export interface ParityDatabase {
  ctx: ConnectorTestContext;
  quote: (name: string) => string;
  /** Runs a statement on the test database (session settings of `prepare` apply). */
  execute: (sql: string) => Promise<void>;
  /** Rows of `select` as text (SQL NULL as null), in order, never through the client's value parsing. */
  texts: (select: string) => Promise<Array<Array<string | null>>>;
  /** SQL that is true when column `c` holds SQL NULL (a Postgres composite of NULL fields is not NULL). */
  isNull: (c: string) => string;
  /** Appended to CREATE TABLE, e.g. a default character set. */
  tableOptions?: string;
  /** Statements run once before any value is written, e.g. a permissive sql_mode. */
  prepare?: string[];
  /** Statements run before the database's text is read, e.g. the time zone of timestamp text. */
  beforeRead?: string[];
  /** The connector warns once per lossy column and road (MySQL), or once a minute for all columns (Postgres). */
  warnsPerColumn: boolean;
}

interface Failure {
  column: ParityColumn;
  row: number;
  literal: string;
  problem: string;
  snapshot: unknown;
  stream: unknown;
  databaseText: string | null;
  expected: unknown;
}

const BATCH_ROWS = 50;
const SHOWN_FAILURES = 25;

function show(value: unknown): string {
  if (Buffer.isBuffer(value)) return `<Buffer ${value.toString('hex')}>`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  const text =
    typeof value === 'object' && value !== null
      ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
      : typeof value === 'string'
        ? JSON.stringify(value)
        : String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

function sameValue(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/** Warnings the connector reports, from both roads: process warnings and its logger. */
function collectWarnings(): { messages: string[]; logger: pino.Logger; stop: () => void } {
  const messages: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TributaryTypeWarning') messages.push(warning.message);
  };
  process.on('warning', onWarning);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { level: number; msg?: string };
        if (entry.level >= 40 && entry.msg) messages.push(entry.msg);
      }
      done();
    },
  });
  return { messages, logger: pino({ level: 'warn' }, sink), stop: () => process.off('warning', onWarning) };
}

export async function runParity(database: ParityDatabase, columns: readonly ParityColumn[]): Promise<void> {
  const { seed, values: count } = fidelitySettings();
  const { ctx, quote } = database;
  const replay = `replay with FIDELITY_SEED=${seed} FIDELITY_VALUES=${count}`;

  // The values, column by column, each column from a random stream of its own.
  const literals = columns.map((column) => {
    const random = new Random(seed, column.name);
    return Array.from({ length: count }, (_, row) => column.generate(random, row));
  });

  for (const statement of database.prepare ?? []) await database.execute(statement);
  const definitions = columns.map((c) => `${quote(c.name)} ${c.definition}`).join(',\n  ');
  await database.execute(
    `CREATE TABLE fidelity (\n  id int PRIMARY KEY,\n  rev int NOT NULL DEFAULT 0,\n  ${definitions}\n) ${database.tableOptions ?? ''}`,
  );
  const names = ['id', ...columns.map((c) => quote(c.name))].join(', ');
  /** Writes every value once more, as rows `firstId`, `firstId + 1`, ... */
  const writeAll = async (firstId: number) => {
    for (let start = 0; start < count; start += BATCH_ROWS) {
      const rows: string[] = [];
      for (let row = start; row < Math.min(count, start + BATCH_ROWS); row++) {
        rows.push(`(${[String(firstId + row), ...literals.map((l) => l[row]!)].join(', ')})`);
      }
      await database.execute(`INSERT INTO fidelity (${names}) VALUES ${rows.join(',\n')}`);
    }
  };

  await writeAll(1);
  const warnings = collectWarnings();
  const topic = ctx.topic('fidelity');
  const waitMs = 60_000 + count * 40;
  try {
    const connector = ctx.start({}, { logger: warnings.logger });
    await using events = await EventCollector.open([topic]);
    const ofOp = (op: string) => events.changes(topic).filter((e) => e.value.op === op);
    await waitOrFail(connector, events, () => ofOp('r').length >= count, 'the snapshot', waitMs);
    await writeAll(count + 1);
    await waitOrFail(connector, events, () => ofOp('c').length >= count, 'the streamed inserts', waitMs);
    // An update of another column: the before and after images carry every value again.
    await database.execute(`UPDATE fidelity SET rev = 1 WHERE id > ${count}`);
    await waitOrFail(connector, events, () => ofOp('u').length >= count, 'the streamed updates', waitMs);
    await connector.stop();

    for (const statement of database.beforeRead ?? []) await database.execute(statement);
    // Per column: the expectation's text, and whether the stored value is SQL NULL.
    const expressions = columns.flatMap((c) => [
      c.expected.sql(quote(c.name)),
      `CASE WHEN ${database.isNull(quote(c.name))} THEN 1 ELSE 0 END`,
    ]);
    const textRows = await database.texts(`SELECT id, ${expressions.join(', ')} FROM fidelity ORDER BY id`);
    const textById = new Map(textRows.map((row) => [Number(row[0]), row.slice(1)]));
    assert.equal(textById.size, count * 2, 'rows in the database');

    const imageById = (list: SeenEvent[], image: 'before' | 'after') =>
      new Map(list.map((e) => [e.value!.after!['id'] as number, e.value![image]]));
    const snapshot = imageById(ofOp('r'), 'after');
    const stream = imageById(ofOp('c'), 'after');
    const updatedFrom = imageById(ofOp('u'), 'before');
    const updatedTo = imageById(ofOp('u'), 'after');
    assert.equal(snapshot.size, count, 'one r event per row');
    assert.equal(stream.size, count, 'one c event per row');
    assert.equal(updatedTo.size, count, 'one u event per row');

    const failures: Failure[] = [];
    const lossy = new Set<ParityColumn>();
    columns.forEach((column, i) => {
      for (let row = 0; row < count; row++) {
        const r = snapshot.get(row + 1)?.[column.name];
        const c = stream.get(count + row + 1)?.[column.name];
        const u = {
          before: updatedFrom.get(count + row + 1)?.[column.name],
          after: updatedTo.get(count + row + 1)?.[column.name],
        };
        const text = textById.get(row + 1)![2 * i]!;
        const storedNull = textById.get(row + 1)![2 * i + 1] === '1';
        const streamText = textById.get(count + row + 1)![2 * i]!;
        let expected: unknown;
        let problem = '';
        try {
          expected = column.expected.value(text);
        } catch (error) {
          problem = `the database text has no expected value: ${(error as Error).message}`;
        }
        const literal = literals[i]![row]!;
        if (!problem) {
          if (text !== streamText)
            problem = `the database stored it differently the second time (${streamText})`;
          else if (!sameValue(r, c)) problem = 'snapshot (r) and stream (c) differ';
          else if (!sameValue(r, u.before)) problem = `the update's before image differs: ${show(u.before)}`;
          else if (!sameValue(r, u.after)) problem = `the update's after image differs: ${show(u.after)}`;
          else if (!sameValue(r, expected)) problem = 'the events differ from the database';
        }
        if (problem) {
          failures.push({
            column,
            row,
            literal,
            problem,
            snapshot: r,
            stream: c,
            databaseText: text,
            expected,
          });
        } else if (expected === null && !storedNull) {
          lossy.add(column);
        }
      }
    });

    // The first failure of each column first, so that one run shows every failing column.
    const shownColumns = new Set<ParityColumn>();
    const firstOfColumn = failures.filter((f) => !shownColumns.has(f.column) && shownColumns.add(f.column));
    assert.deepEqual(
      [...firstOfColumn, ...failures.filter((f) => !firstOfColumn.includes(f))]
        .slice(0, SHOWN_FAILURES)
        .map(
          (f) =>
            `${f.column.name} ${f.column.definition}, row ${f.row}: ${f.problem}\n` +
            `    value    ${f.literal.length > 300 ? `${f.literal.slice(0, 300)}…` : f.literal}\n` +
            `    r        ${show(f.snapshot)}\n    c        ${show(f.stream)}\n` +
            `    database ${show(f.databaseText)}\n    expected ${show(f.expected)}`,
        ),
      [],
      `${failures.length} values differ (${replay})`,
    );

    assertLossWarnings(database, columns, lossy, warnings.messages, replay);
  } finally {
    warnings.stop();
  }
}

/**
 * Documented losses: the substitute was checked with the values; the
 * connector must have said so, once per column and road (MySQL), or at least
 * once for all columns (Postgres rate-limits its warnings across columns).
 */
function assertLossWarnings(
  database: ParityDatabase,
  columns: readonly ParityColumn[],
  lossy: ReadonlySet<ParityColumn>,
  messages: readonly string[],
  replay: string,
): void {
  for (const column of lossy) {
    assert.ok(column.lossWarning, `${column.name} ${column.definition} sent null for a value (${replay})`);
  }
  if (database.warnsPerColumn) {
    for (const column of lossy) {
      const about = messages.filter(
        (m) => column.lossWarning!.test(m) && m.includes(`column ${column.name};`),
      );
      assert.ok(about.length > 0, `no warning for the lossy values of ${column.name}`);
      // Once per column and road (snapshot, stream), not once per transaction.
      assert.ok(about.length <= 2, `${about.length} warnings for ${column.name}:\n${about.join('\n')}`);
    }
  } else if (lossy.size > 0) {
    const patterns = columns.flatMap((c) => (c.lossWarning ? [c.lossWarning] : []));
    assert.ok(
      messages.some((m) => patterns.some((p) => p.test(m))),
      `no warning for lossy values; warnings: ${messages.join(' | ')}`,
    );
  }
}

/**
 * The first values of a column are its edge values, in order; the rest are
 * drawn by `draw`. With a small FIDELITY_VALUES not every edge is written.
 */
export function edgesThen(edges: readonly string[], draw: (random: Random) => string) {
  return (random: Random, row: number): string => (row < edges.length ? edges[row]! : draw(random));
}

/** Sometimes NULL, else `draw`. */
export function orNull(draw: (random: Random) => string, p = 0.02) {
  return (random: Random): string => (random.chance(p) ? 'NULL' : draw(random));
}
