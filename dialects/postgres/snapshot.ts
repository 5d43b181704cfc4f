import type pg from 'pg';
import type { Logger } from 'pino';
import type { SourceMessage } from '../../src/core/change-event.ts';
import { tableKey } from '../../src/core/schema.ts';
import { quoteIdent, quoteTable, TEXT_TYPES } from './connection.ts';
import { lsnToBigInt } from './lsn.ts';
import { arrayToRow, type PgTable } from './table-schema.ts';

/** Snapshot progress, committed with every chunk so a restart resumes where it stopped. */
export interface SnapshotProgress {
  /** `schema.table` of every table fully read. */
  completed: string[];
  /** The table being read and the text of the last committed row's primary key. */
  table?: string;
  lastKey?: string[];
}

export interface SnapshotOptions {
  /** A connection inside a REPEATABLE READ transaction on the slot's snapshot. */
  client: pg.Client;
  tables: PgTable[];
  chunkSize: number;
  /** The slot's consistent point: streaming starts here once the snapshot is done. */
  lsn: string;
  database: string;
  progress: SnapshotProgress | null;
  logger: Logger;
  onRows?: (table: string, rows: number) => void;
}

type TextRow = Array<string | null>;

/**
 * Reads every table in primary-key order, in chunks of `chunkSize` rows, each
 * chunk a transaction of `r` events whose commit offset records progress.
 * Tables without a primary key are read through a cursor; a restart reads such
 * a table again from its start.
 */
export async function* readSnapshot(options: SnapshotOptions): AsyncGenerator<SourceMessage> {
  const { tables, logger } = options;
  const completed = new Set(options.progress?.completed ?? []);
  const pending = tables.filter((t) => !completed.has(tableKey(t.id)));
  logger.info(
    { tables: pending.length, skipped: completed.size },
    'snapshot step 1/3: tables to read determined',
  );

  for (let t = 0; t < pending.length; t++) {
    const table = pending[t]!;
    const key = tableKey(table.id);
    const isLastTable = t === pending.length - 1;
    const resumeKey = options.progress?.table === key ? options.progress.lastKey : undefined;
    logger.info(
      { table: key, resumeAfter: resumeKey },
      `snapshot step 2/3: reading table ${t + 1} of ${pending.length}`,
    );
    yield { kind: 'schema', table: table.schema };

    const pkIndexes = table.schema.primaryKey.map((name) => table.columnNames.indexOf(name));
    const chunks =
      pkIndexes.length > 0 ? keysetChunks(options, table, resumeKey) : cursorChunks(options, table);
    let rowsRead = 0;
    // Hold one chunk back so the table's final chunk is known when it is emitted.
    let held: TextRow[] | null = null;
    const emit = function* (rows: TextRow[], final: boolean): Generator<SourceMessage> {
      yield { kind: 'begin', txId: null, commitTimeMs: Date.now() };
      const source = sourceFor(options, table, 'true');
      for (let i = 0; i < rows.length; i++) {
        const last = final && isLastTable && i === rows.length - 1;
        yield {
          kind: 'change',
          op: 'r',
          table: table.id,
          before: null,
          after: arrayToRow(table, rows[i]!),
          source: last ? sourceFor(options, table, 'last') : source,
        };
      }
      rowsRead += rows.length;
      options.onRows?.(key, rows.length);
      const lastRow = rows[rows.length - 1]!;
      const progress: SnapshotProgress = final
        ? { completed: [...completed, key] }
        : { completed: [...completed], table: key, lastKey: pkIndexes.map((i) => lastRow[i]!) };
      const done = final && isLastTable;
      yield {
        kind: 'commit',
        offset: done ? { lsn: options.lsn } : { lsn: options.lsn, snapshot: progress },
      };
    };
    for await (const chunk of chunks) {
      if (held) yield* emit(held, false);
      held = chunk;
    }
    if (held) yield* emit(held, true);
    completed.add(key);
    logger.info({ table: key, rows: rowsRead }, 'snapshot: table read');
  }
  // Marks the snapshot complete even when the last tables were empty.
  yield { kind: 'heartbeat', offset: { lsn: options.lsn } };
  logger.info({ lsn: options.lsn }, 'snapshot step 3/3: snapshot complete, streaming from the slot');
}

function sourceFor(
  options: SnapshotOptions,
  table: PgTable,
  snapshot: 'true' | 'last',
): Record<string, unknown> {
  return {
    snapshot,
    db: options.database,
    sequence: null,
    schema: table.id.schema,
    table: table.id.table,
    txId: null,
    lsn: lsnToBigInt(options.lsn),
    xmin: null,
  };
}

function selectList(table: PgTable): string {
  return table.columnNames.map(quoteIdent).join(', ');
}

async function* keysetChunks(
  options: SnapshotOptions,
  table: PgTable,
  resumeKey: string[] | undefined,
): AsyncGenerator<TextRow[]> {
  const pk = table.schema.primaryKey;
  const pkTypes = pk.map((name) => table.schema.columns.find((c) => c.name === name)!.sourceType);
  const pkIndexes = pk.map((name) => table.columnNames.indexOf(name));
  const order = pk.map(quoteIdent).join(', ');
  const params = pk.map((_, i) => `$${i + 1}::${pkTypes[i]}`).join(', ');
  const first = `SELECT ${selectList(table)} FROM ${quoteTable(table.id)} ORDER BY ${order} LIMIT ${options.chunkSize}`;
  const next = `SELECT ${selectList(table)} FROM ${quoteTable(table.id)} WHERE (${order}) > (${params}) ORDER BY ${order} LIMIT ${options.chunkSize}`;
  let after = resumeKey ?? null;
  for (;;) {
    const result = await options.client.query<TextRow>({
      text: after ? next : first,
      values: after ?? [],
      rowMode: 'array',
      types: TEXT_TYPES,
    });
    if (result.rows.length === 0) return;
    yield result.rows;
    if (result.rows.length < options.chunkSize) return;
    const last = result.rows[result.rows.length - 1]!;
    after = pkIndexes.map((i) => last[i]!);
  }
}

async function* cursorChunks(options: SnapshotOptions, table: PgTable): AsyncGenerator<TextRow[]> {
  const cursor = quoteIdent(`tributary_${table.relationOid}`);
  await options.client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${selectList(table)} FROM ${quoteTable(table.id)}`,
  );
  try {
    for (;;) {
      const result = await options.client.query<TextRow>({
        text: `FETCH FORWARD ${options.chunkSize} FROM ${cursor}`,
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      if (result.rows.length === 0) return;
      yield result.rows;
      if (result.rows.length < options.chunkSize) return;
    }
  } finally {
    await options.client.query(`CLOSE ${cursor}`).catch(() => {});
  }
}
