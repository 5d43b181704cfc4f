import type { Logger } from 'pino';
import type { SourceMessage, SourceOffset } from './change-event.ts';
import { ReadAhead } from './read-ahead.ts';
import { tableKey, type Row, type TableSchema } from './schema.ts';

/** Debezium's `source.snapshot` values for the rows of a snapshot. */
export type SnapshotMarker =
  'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last';

/** Debezium's marker for a row: the snapshot's ends win over a table's ends. */
function snapshotMarker(row: {
  firstInSnapshot: boolean;
  lastInSnapshot: boolean;
  firstInTable: boolean;
  lastInTable: boolean;
}): SnapshotMarker {
  if (row.lastInSnapshot) return 'last';
  if (row.firstInSnapshot) return 'first';
  if (row.lastInTable) return 'last_in_data_collection';
  if (row.firstInTable) return 'first_in_data_collection';
  return 'true';
}

/** How often a long table read logs its progress. */
const PROGRESS_LOG_MS = 10_000;

/** Snapshot progress, committed with every chunk so a restart resumes where it stopped. */
export interface SnapshotProgress {
  /** `schema.table` of every table fully read. */
  completed: string[];
  /** The table being read, and the primary key of its last committed row (as the dialect spells it). */
  table?: string;
  lastKey?: unknown[];
}

/** One table as a dialect reads it: chunks of native rows in primary-key order. */
export interface SnapshotTable<NativeRow> {
  schema: TableSchema;
  /** Chunks after `resumeKey` (or from the start); a table without a primary key ignores it. */
  chunks(resumeKey: unknown[] | undefined): AsyncIterable<NativeRow[]>;
  toRow(row: NativeRow): Row;
  /** The primary-key values of a row, to resume after it; empty when the table has no key. */
  keyOf(row: NativeRow): unknown[];
}

export interface SnapshotOptions<NativeRow> {
  tables: Array<SnapshotTable<NativeRow>>;
  /** Where streaming starts once the snapshot is complete: the offset of the snapshot point. */
  streamOffset: SourceOffset;
  progress: SnapshotProgress | null;
  /** The dialect's `source` fields for a read of `table`, with this `snapshot` marker. */
  sourceFor(table: TableSchema, snapshot: SnapshotMarker): Record<string, unknown>;
  logger: Logger;
  onRows?: (table: string, rows: number) => void;
  /** Called with the number of tables to read and of those read, at the start and after each table. */
  onTables?: (total: number, completed: number) => void;
  /**
   * Rows read ahead of the one being emitted, at most (beyond a chunk, always
   * read). Twice the chunk size lets the next chunk's query run while a chunk
   * is written; 0 reads one chunk at a time.
   */
  readAheadRows?: number;
}

/**
 * Turns chunked table reads into source messages: each chunk is a transaction
 * of `r` events whose commit offset is the stream offset plus the progress, so
 * a crash resumes after the last committed chunk. Rows carry Debezium's
 * `snapshot` markers: `first` and `last` for the snapshot's first and last
 * rows, `first_in_data_collection` and `last_in_data_collection` for each
 * table's, `true` between (a resumed table has no first row again). The final
 * commit (or a heartbeat when the last tables were empty) carries the plain
 * stream offset, which marks the snapshot complete.
 *
 * The tables are read ahead of the messages (ReadAhead, at most
 * `readAheadRows` rows): each table's schema is announced, with `prepare`, as
 * soon as its first rows are read, so the schemas and topics of the tables
 * ahead are made while the rows before are written.
 */
export async function* snapshotMessages<NativeRow>(
  options: SnapshotOptions<NativeRow>,
): AsyncGenerator<SourceMessage> {
  const { tables, logger, streamOffset } = options;
  const completed = new Set(options.progress?.completed ?? []);
  const pending = tables.filter((t) => !completed.has(tableKey(t.schema.id)));
  logger.info(
    { tables: pending.length, skipped: completed.size },
    'snapshot step 1/3: tables to read determined',
  );
  const plannedTotal = completed.size + pending.length;
  options.onTables?.(plannedTotal, completed.size);
  const firstTableStarts = completed.size === 0;
  const resumeKeyOf = (table: SnapshotTable<NativeRow>) =>
    options.progress?.table === tableKey(table.schema.id) ? options.progress.lastKey : undefined;

  const reads = new ReadAhead<NativeRow>(options.readAheadRows ?? 0);
  reads.start(pending.map((table) => () => table.chunks(resumeKeyOf(table))));
  /** Tables whose schema was announced. */
  const announced = new Set<number>();
  /** Announces the schemas of the tables whose first rows were read since the last call. */
  const announceStarted = function* (): Generator<SourceMessage> {
    for (const t of reads.startedTables()) {
      announced.add(t);
      yield { kind: 'schema', table: pending[t]!.schema, prepare: true };
    }
  };

  try {
    for (let t = 0; t < pending.length; t++) {
      const table = pending[t]!;
      const key = tableKey(table.schema.id);
      const isLastTable = t === pending.length - 1;
      const resumeKey = resumeKeyOf(table);
      logger.info(
        { table: key, resumeAfter: resumeKey },
        `snapshot step 2/3: reading table ${t + 1} of ${pending.length}`,
      );

      let rowsRead = 0;
      const tableStarted = Date.now();
      const waitedBefore = reads.waitedMs;
      let lastProgressLog = tableStarted;
      const source = options.sourceFor(table.schema, 'true');
      const emit = function* (rows: NativeRow[], final: boolean): Generator<SourceMessage> {
        yield { kind: 'begin', txId: null, commitTimeMs: Date.now() };
        for (let i = 0; i < rows.length; i++) {
          const firstInTable = resumeKey === undefined && rowsRead === 0 && i === 0;
          const lastInTable = final && i === rows.length - 1;
          const marker = snapshotMarker({
            firstInSnapshot: firstInTable && t === 0 && firstTableStarts,
            lastInSnapshot: lastInTable && isLastTable,
            firstInTable,
            lastInTable,
          });
          yield {
            kind: 'change',
            op: 'r',
            table: table.schema.id,
            before: null,
            after: table.toRow(rows[i]!),
            source: marker === 'true' ? source : options.sourceFor(table.schema, marker),
          };
        }
        rowsRead += rows.length;
        options.onRows?.(key, rows.length);
        if (Date.now() - lastProgressLog >= PROGRESS_LOG_MS) {
          lastProgressLog = Date.now();
          const rowsPerSecond = Math.round(rowsRead / ((lastProgressLog - tableStarted) / 1000));
          logger.info({ table: key, rows: rowsRead, rowsPerSecond }, 'snapshot: reading');
        }
        const progress: SnapshotProgress = final
          ? { completed: [...completed, key] }
          : { completed: [...completed], table: key, lastKey: table.keyOf(rows[rows.length - 1]!) };
        yield {
          kind: 'commit',
          offset: final && isLastTable ? streamOffset : { ...streamOffset, snapshot: progress },
        };
      };
      // A chunk is emitted once what follows it is read, so the table's final chunk is known as such.
      for (;;) {
        await reads.waitFor(1);
        const step = reads.take();
        if (!('rows' in step)) break; // the table's end
        await reads.waitFor(1);
        const next = reads.buffered[0];
        const final = next === undefined || (next.table === t && !('rows' in next));
        yield* announceStarted();
        yield* emit(step.rows, final);
      }
      // An empty table: its schema only, prepared at its first change.
      if (!announced.has(t)) yield { kind: 'schema', table: table.schema };
      completed.add(key);
      options.onTables?.(plannedTotal, completed.size);
      logger.info(
        {
          table: key,
          rows: rowsRead,
          seconds: (Date.now() - tableStarted) / 1000,
          // Time spent waiting for the database rather than writing: what more readers could save.
          readWaitSeconds: Math.round(reads.waitedMs - waitedBefore) / 1000,
        },
        'snapshot: table read',
      );
    }
  } finally {
    reads.close();
  }
  yield { kind: 'heartbeat', offset: streamOffset };
  logger.info(
    { offset: streamOffset },
    'snapshot step 3/3: snapshot complete, streaming from the snapshot point',
  );
}

/** The progress recorded in an offset, if a snapshot was under way. */
export function snapshotProgressOf(offset: SourceOffset | null): SnapshotProgress | null {
  return (offset?.snapshot as SnapshotProgress | undefined) ?? null;
}
