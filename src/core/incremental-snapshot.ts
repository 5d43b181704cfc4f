import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChangeMessage, SourceMessage, SourceOffset } from './change-event.ts';
import type { ChangeStream } from './dialect.ts';
import { tableKey, type Row, type TableId, type TableSchema } from './schema.ts';

/**
 * Re-snapshots of chosen tables while streaming continues, the DBLog way
 * (Debezium's incremental snapshots): each chunk of rows is read between a
 * low and a high watermark written to a signal table in the source. When the
 * stream reaches the low watermark a window opens; every streamed change to a
 * key of the chunk drops that key from the chunk (the stream's version is
 * newer or as new); at the high watermark what is left of the chunk is
 * emitted as `r` events with `source.snapshot = "incremental"`, inside the
 * high watermark's source transaction. Its commit offset records the progress,
 * so a restart resumes after the last emitted chunk. Neither the stream nor
 * any table is locked or paused.
 */

/** Debezium's signal types. */
export const SIGNAL = {
  executeSnapshot: 'execute-snapshot',
  windowOpen: 'snapshot-window-open',
  windowClose: 'snapshot-window-close',
} as const;

/** The signal table cannot be created: streaming goes on, without incremental snapshots. */
export function warnNoSignals(logger: Logger, table: TableId, ddl: string, error: unknown): void {
  logger.warn(
    { table: tableKey(table), err: (error as Error).message },
    `incremental snapshots are off: the signal table cannot be created. Fix: create it as a privileged user (${ddl}) and grant this user SELECT, INSERT and DELETE on it, or set source.signal.enabled: false`,
  );
}

/** One chunk read of a table, with the primary-key values to resume after each row (JSON-safe). */
export interface ChunkRow {
  row: Row;
  key: unknown[];
}

/** What the dialect reads of one table for an incremental snapshot. */
export interface ChunkReader {
  schema: TableSchema;
  /** Rows matching `where`, counted when the table's snapshot starts (progress). */
  count(where: string | null): Promise<number>;
  /** The largest primary key matching `where`, or null for an empty table: the snapshot stops there. */
  maxKey(where: string | null): Promise<unknown[] | null>;
  /** Up to `limit` rows in primary-key order, after `after` (or from the start), up to `upTo`. */
  read(after: unknown[] | null, upTo: unknown[], where: string | null, limit: number): Promise<ChunkRow[]>;
}

/** What a dialect offers for incremental snapshots, beside its stream. */
export interface IncrementalSource {
  /** Changes to this table reach the stream like a captured table's, and are taken out of it here. */
  signalTable: TableId;
  /** Inserts one signal row, in its own transaction. */
  writeSignal(id: string, type: string, data: string | null): Promise<void>;
  /** Deletes the window rows of earlier chunks. */
  clearWindows(): Promise<void>;
  /** The table as the catalog has it now, or null when it does not exist. */
  table(id: TableId): Promise<ChunkReader | null>;
  /** The `source` block of an `r` event of `table`, based on the stream's at the high watermark. */
  sourceFor(table: TableSchema, at: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

/** A requested table and its filter (`--where`, Debezium's additional-conditions). */
export interface SnapshotRequest {
  table: string;
  where: string | null;
}

/** The progress of the running incremental snapshot, committed with every offset while it runs. */
export interface IncrementalState {
  /** The signal that asked for it. */
  id: string;
  /** Tables still to read; the first is being read. */
  tables: SnapshotRequest[];
  /** Tables finished, with their rows emitted. */
  done: Array<{ table: string; rows: number }>;
  /** Of the current table: the last emitted key, the key it stops at, rows emitted and rows counted at its start. */
  lastKey: unknown[] | null;
  maxKey: unknown[] | null;
  rows: number;
  total: number | null;
}

/** The incremental snapshot recorded in an offset, if one runs. */
export function incrementalStateOf(offset: SourceOffset | null): IncrementalState | null {
  return (offset?.incremental as IncrementalState | undefined) ?? null;
}

/** Debezium's `execute-snapshot` data: `{"data-collections": [...], "type": "incremental", "additional-conditions": [...]}`. */
export function executeSnapshotData(tables: string[], where: string | null): string {
  return JSON.stringify({
    'data-collections': tables,
    type: 'incremental',
    ...(where
      ? { 'additional-conditions': tables.map((t) => ({ 'data-collection': t, filter: where })) }
      : {}),
  });
}

function parseExecuteSnapshot(data: unknown): SnapshotRequest[] | string {
  let parsed: {
    'data-collections'?: unknown;
    type?: unknown;
    'additional-conditions'?: Array<{ 'data-collection'?: string; filter?: string }>;
  };
  try {
    parsed = JSON.parse(String(data)) as typeof parsed;
  } catch {
    return 'its data is not JSON';
  }
  const collections = parsed['data-collections'];
  if (!Array.isArray(collections) || collections.length === 0) return 'its data names no "data-collections"';
  const type = String(parsed.type ?? 'incremental').toLowerCase();
  if (type !== 'incremental') return `snapshot type "${type}" is not supported (only "incremental")`;
  const conditions = parsed['additional-conditions'] ?? [];
  return collections.map((table) => ({
    table: String(table),
    where: conditions.find((c) => c['data-collection'] === String(table))?.filter ?? null,
  }));
}

/** A key's canonical values as one comparable string. */
function keyString(schema: TableSchema, row: Row): string {
  return JSON.stringify(
    schema.primaryKey.map((name) => row[name]),
    (_k, v: unknown) =>
      typeof v === 'bigint'
        ? `${v}n`
        : v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
          ? Buffer.from((v as { data: number[] }).data).toString('hex')
          : v,
  );
}

interface OpenChunk {
  openId: string;
  closeId: string;
  schema: TableSchema;
  rows: Map<string, ChunkRow>;
  /** The window is open: the stream passed the low watermark. */
  open: boolean;
  /** The chunk reached the table's end (or its max key). */
  last: boolean;
  /** The key of the chunk's last row: progress once the chunk is emitted, not before. */
  nextKey: unknown[] | null;
}

export interface IncrementalOptions {
  chunkSize: number;
  /** The committed offset the stream resumes after: a snapshot under way continues. */
  offset: SourceOffset | null;
  /** Which tables may be snapshotted (the captured ones). */
  accepts: (id: TableId) => boolean;
  logger: Logger;
  onRows?: (table: string, rows: number) => void;
  /** Called with the state whenever it changes (status page, progress). */
  onProgress?: (state: IncrementalState | null) => void;
}

function parseTable(name: string): TableId | null {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), table: name.slice(dot + 1) } : null;
}

/** Wraps a dialect's stream with incremental snapshots driven by its signal table. */
export function withIncrementalSnapshots(
  stream: ChangeStream,
  source: IncrementalSource,
  options: IncrementalOptions,
): ChangeStream {
  const { logger } = options;
  const signalKey = tableKey(source.signalTable);
  let state = incrementalStateOf(options.offset);
  let chunk: OpenChunk | null = null;
  const announced = new Set<string>();

  const setState = (next: IncrementalState | null) => {
    state = next;
    options.onProgress?.(state);
  };

  /** The reader of the table being read, kept while it is read. */
  let cached: { table: string; reader: ChunkReader | null } | null = null;

  /** Moves to the next table when the current one is finished, missing or keyless. */
  async function currentReader(): Promise<ChunkReader | null> {
    while (state && state.tables.length > 0) {
      const request = state.tables[0]!;
      const id = parseTable(request.table);
      if (cached?.table !== request.table) {
        const captured = id !== null && options.accepts(id) && tableKey(id) !== signalKey;
        cached = { table: request.table, reader: captured ? await source.table(id) : null };
      }
      const { reader } = cached;
      if (!reader || reader.schema.primaryKey.length === 0) {
        logger.warn(
          { table: request.table },
          reader
            ? 'incremental snapshot: skipping a table without a primary key'
            : 'incremental snapshot: skipping a table that does not exist or is not captured',
        );
        finishTable();
        continue;
      }
      if (state.maxKey === null) {
        const maxKey = await reader.maxKey(request.where);
        if (maxKey === null) {
          finishTable();
          continue;
        }
        setState({ ...state, maxKey, lastKey: null, rows: 0, total: await reader.count(request.where) });
        logger.info(
          { table: request.table, where: request.where, rows: state.total },
          'incremental snapshot: reading table',
        );
      }
      return reader;
    }
    if (state) {
      logger.info({ id: state.id, tables: state.done }, 'incremental snapshot complete');
      setState(null);
      await source.clearWindows();
    }
    return null;
  }

  function finishTable(): void {
    if (!state) return;
    const [finished, ...rest] = state.tables;
    setState({
      ...state,
      tables: rest,
      done: [...state.done, { table: finished!.table, rows: state.rows }],
      lastKey: null,
      maxKey: null,
      rows: 0,
      total: null,
    });
  }

  /** Writes the low watermark, reads the chunk, writes the high watermark. */
  async function readChunk(): Promise<void> {
    const reader = await currentReader();
    if (!reader || !state) return;
    const request = state.tables[0]!;
    const openId = randomUUID();
    const closeId = randomUUID();
    await source.clearWindows();
    await source.writeSignal(openId, SIGNAL.windowOpen, null);
    const rows = await reader.read(state.lastKey, state.maxKey!, request.where, options.chunkSize);
    await source.writeSignal(closeId, SIGNAL.windowClose, null);
    chunk = {
      openId,
      closeId,
      schema: reader.schema,
      rows: new Map(rows.map((r) => [keyString(reader.schema, r.row), r])),
      open: false,
      last: rows.length < options.chunkSize,
      // Keys are in order: the chunk's last row is where the next one starts.
      nextKey: rows.length > 0 ? rows[rows.length - 1]!.key : null,
    };
    if (JSON.stringify(chunk.nextKey) === JSON.stringify(state.maxKey)) chunk.last = true;
  }

  function onSignal(message: ChangeMessage): void {
    const row = message.after;
    if (message.op !== 'c' || !row) return;
    const type = String(row.type);
    const waiting = chunk as OpenChunk | null;
    if (type === SIGNAL.windowOpen && waiting && waiting.openId === row.id) waiting.open = true;
    if (type !== SIGNAL.executeSnapshot) return;
    const requests = parseExecuteSnapshot(row.data);
    if (typeof requests === 'string') {
      logger.warn({ signal: row.id }, `ignoring an execute-snapshot signal: ${requests}`);
      return;
    }
    logger.info({ signal: row.id, tables: requests }, 'incremental snapshot requested');
    if (state) setState({ ...state, tables: [...state.tables, ...requests] });
    else
      setState({
        id: String(row.id),
        tables: requests,
        done: [],
        lastKey: null,
        maxKey: null,
        rows: 0,
        total: null,
      });
  }

  /** The high watermark: what is left of the chunk, as `r` events in its transaction. */
  function* closeWindow(message: ChangeMessage): Generator<SourceMessage> {
    const closing = chunk!;
    chunk = null;
    const table = tableKey(closing.schema.id);
    if (!announced.has(table)) {
      announced.add(table);
      yield { kind: 'schema', table: closing.schema };
    }
    const readSource = source.sourceFor(closing.schema, message.source);
    for (const { row } of closing.rows.values())
      yield {
        kind: 'change',
        op: 'r',
        table: closing.schema.id,
        before: null,
        after: row,
        source: readSource,
      };
    options.onRows?.(table, closing.rows.size);
    // Offsets committed before this one still resume at the chunk's start.
    setState({
      ...state!,
      lastKey: closing.nextKey ?? state!.lastKey,
      rows: state!.rows + closing.rows.size,
    });
    if (closing.last) finishTable();
  }

  /** A streamed change inside the window makes the chunk's copy of that key stale. */
  function dropStale(message: SourceMessage): void {
    if (!chunk?.open) return;
    if (message.kind === 'truncate' && tableKey(message.table) === tableKey(chunk.schema.id)) {
      chunk.rows.clear();
    }
    if (message.kind !== 'change' || tableKey(message.table) !== tableKey(chunk.schema.id)) return;
    for (const image of [message.before, message.after])
      if (image) chunk.rows.delete(keyString(chunk.schema, image));
  }

  const withState = (offset: SourceOffset): SourceOffset => {
    const { incremental: _previous, ...rest } = offset;
    return state ? { ...rest, incremental: state } : rest;
  };

  async function* messages(): AsyncGenerator<SourceMessage> {
    let inTransaction = false;
    let needChunk = state !== null;
    const iterator = stream[Symbol.asyncIterator]();
    for (;;) {
      if (needChunk && !inTransaction && !chunk) {
        needChunk = false;
        await readChunk();
      }
      const next = await iterator.next();
      if (next.done) return;
      const message = next.value;
      switch (message.kind) {
        case 'schema':
          if (tableKey(message.table.id) === signalKey) continue;
          announced.add(tableKey(message.table.id));
          yield message;
          continue;
        case 'begin':
          inTransaction = true;
          yield message;
          continue;
        case 'change':
          if (tableKey(message.table) === signalKey) {
            const waiting = chunk as OpenChunk | null;
            if (message.op === 'c' && waiting && message.after?.id === waiting.closeId) {
              yield* closeWindow(message);
              needChunk = state !== null;
            } else {
              const hadState = state !== null;
              onSignal(message);
              if (!hadState && state) needChunk = true;
            }
            continue;
          }
          dropStale(message);
          yield message;
          continue;
        case 'truncate':
          dropStale(message);
          yield message;
          continue;
        case 'commit':
          inTransaction = false;
          yield { ...message, offset: withState(message.offset) };
          continue;
        case 'heartbeat':
          yield { ...message, offset: withState(message.offset) };
          continue;
      }
    }
  }

  return {
    [Symbol.asyncIterator]: () => messages(),
    acknowledge: (offset) => stream.acknowledge(offset),
    close: async () => {
      await source.close().catch(() => {});
      await stream.close();
    },
    ...(stream.lagBytes ? { lagBytes: () => stream.lagBytes!() } : {}),
  };
}
