import type { Logger } from 'pino';
import type { ChangeStream, Dialect } from './dialect.ts';
import type {
  ChangeMessage,
  SchemaMessage,
  SourceMessage,
  SourceOffset,
  TruncateMessage,
} from './change-event.ts';
import { tableKey, type Row, type TableId, type TableSchema } from './schema.ts';
import { TributaryError } from './errors.ts';
import { CommitBatch } from './commit-batch.ts';

/** The Debezium envelope of one event, with canonical row values (see schema.ts). */
export interface Envelope {
  before: Row | null;
  after: Row | null;
  source: Record<string, unknown>;
  op: 'c' | 'u' | 'd' | 'r' | 't';
  /**
   * When the event was made, in microseconds since the epoch (Debezium's
   * `ts_us`; `ts_ms` and `ts_ns` follow): a number while exact (the pipeline's
   * clock), else a bigint.
   */
  tsUs: number | bigint;
  transaction: { id: string; totalOrder: bigint; dataCollectionOrder: bigint } | null;
}

/** Encodes the events of one table version (schemas registered beforehand). */
export interface TableEncoder {
  readonly topic: string;
  /** Whether the topic takes records without a key (it is not compacted): truncates need it. */
  readonly nullKeys: boolean;
  /** Confluent-framed Avro key, or null for tables with no key. */
  encodeKey(row: Row): Buffer | null;
  /** Confluent-framed Avro value. */
  encodeValue(envelope: Envelope): Buffer;
}

/** Debezium's transaction topic events (`provide.transaction.metadata`). */
export interface TransactionEventEncoder {
  readonly topic: string;
  begin(id: string, tsMs: bigint): OutgoingRecord;
  /** `counts`: the transaction's events per data collection (`schema.table`), in order of first event. */
  end(id: string, tsMs: bigint, counts: ReadonlyMap<string, number>): OutgoingRecord;
}

export interface EncoderFactory {
  /** Builds the encoder of a table version, registering its schemas and creating its topic. */
  forTable(table: TableSchema): Promise<TableEncoder>;
}

export interface OutgoingRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, string | Buffer>;
}

/** A change (or truncate) that could not be written. */
export interface FailedChange {
  table: string;
  op: string;
  before: Row | null;
  after: Row | null;
  /** The dialect's position fields (Postgres lsn, txId; MySQL file, pos, gtid, row). */
  source: Record<string, unknown>;
}

/** The dead-letter policy (src/kafka/dead-letter-queue.ts). */
export interface FailedChangeHandler {
  /** Records to write in place of a change that failed, or null when the failure must stop the pipeline. */
  recordsFor(failed: FailedChange, error: unknown): Promise<OutgoingRecord[] | null>;
}

/** Routes the changes of some tables to topics of their own (the outbox event router, outbox.ts). */
export interface ChangeRouter {
  /** Records for a change, or null when its table is not routed; `keepChange` writes the change to its own topic too. */
  route(
    change: ChangeMessage,
    table: TableSchema,
  ): Promise<{ records: OutgoingRecord[]; keepChange: boolean } | null>;
}

export interface EventSink {
  /** Adds records to the open Kafka transaction; a promise when the caller must wait (for room, or a failure). */
  add(records: OutgoingRecord[]): Promise<void> | undefined;
  /**
   * Commits every record added so far with `offset`. Records added before the
   * returned promise settles belong to the next transaction.
   */
  commit(offset: SourceOffset): Promise<void>;
}

export interface BatchBounds {
  maxEvents: number;
  maxBytes: number;
  maxDelayMs: number;
}

export interface PipelineObserver {
  onEvents?(table: string, op: string, count: number): void;
  onCommit?(info: {
    events: number;
    bytes: number;
    sourceTransactions: number;
    offset: SourceOffset;
    /** Source commit time of the last transaction in this Kafka transaction (0 for heartbeats only). */
    sourceCommitTimeMs: number;
  }): void;
}

export interface PipelineOptions {
  /** The connector name, the `source.name` of every event. */
  name: string;
  version: string;
  dialect: Pick<Dialect, 'connector'>;
  stream: ChangeStream;
  encoders: EncoderFactory;
  sink: EventSink;
  batch: BatchBounds;
  tombstones: boolean;
  /** BEGIN and END events of each source transaction, when the transaction topic is on. */
  transactionEvents?: TransactionEventEncoder;
  logger: Logger;
  signal: AbortSignal;
  observer?: PipelineObserver;
  router?: ChangeRouter;
  /** Without it, a change that cannot be written stops the pipeline (errors.tolerance: none). */
  deadLetters?: FailedChangeHandler;
}

/** The wall clock in microseconds (Date.now() has only milliseconds); exact as a number until the year 2255. */
function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** Whether `next` has settled once pending I/O callbacks and microtasks have run. */
function settlesSoon(next: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const immediate = setImmediate(() => resolve(false));
    next.then(
      () => {
        clearImmediate(immediate);
        resolve(true);
      },
      () => {
        clearImmediate(immediate);
        resolve(true);
      },
    );
  });
}

const WOKEN = Symbol('woken');

/** A commit time as the `source` block's ts_ms, ts_us and ts_ns. */
function timesOf(ms: number, us: bigint | undefined): { ms: number; us: bigint; ns: bigint } {
  const micros = us ?? BigInt(ms) * 1000n;
  return { ms, us: micros, ns: micros * 1000n };
}

/**
 * Turns a dialect's messages into Kafka records and commits them with their
 * offsets. Several small source transactions share one Kafka transaction,
 * bounded by event count, bytes and time (commit-batch.ts); a source
 * transaction is never split, however large (its records are streamed into
 * the open Kafka transaction). The next batch is encoded while a commit
 * travels; the source is acknowledged only after the Kafka commit.
 *
 * Returns when the stream ends or the signal aborts (at a transaction boundary).
 */
export async function runPipeline(options: PipelineOptions): Promise<void> {
  const { stream, sink, signal, logger } = options;
  const schemas = new Map<string, TableSchema>();
  /** Encoders built or being built, by table: a failed one is dropped, so the next change tries again. */
  const encoders = new Map<string, Promise<TableEncoder>>();
  /** The encoders already built: a change of their table is written without waiting. */
  const readyEncoders = new Map<string, TableEncoder>();
  const truncatesSkipped = new Set<string>();

  let inSourceTx = false;
  let txId: string | null = null;
  let commitTimeMs = 0;
  /** The open source transaction's commit time as the `source` block's ts_ms, ts_us and ts_ns. */
  let sourceTimes = { ms: 0, us: 0n, ns: 0n };
  let totalOrder = 0n;
  /** Events of the open source transaction already in the open Kafka transaction. */
  let txEvents = 0;
  const tableOrder = new Map<string, bigint>();
  /** Whether the open source transaction's BEGIN went to the transaction topic. */
  let txBegun = false;

  /** Wakes the main loop when it waits for the source (abort, batch deadline, failed commit). */
  let wake: (() => void) | null = null;
  const wakeUp = (): void => wake?.();
  const batch = new CommitBatch({
    sink,
    stream,
    bounds: options.batch,
    observer: options.observer,
    onFailure: wakeUp,
  });
  signal.addEventListener('abort', wakeUp, { once: true });

  // The last table id seen and its key: a dialect hands the same id object for a table's changes.
  let lastTableId: TableId | null = null;
  let lastTableKey = '';
  const keyOf = (id: TableId): string => {
    if (id !== lastTableId) {
      lastTableId = id;
      lastTableKey = tableKey(id);
    }
    return lastTableKey;
  };

  async function encoderFor(key: string): Promise<TableEncoder> {
    return encoders.get(key) ?? buildEncoder(key);
  }

  /** Starts building a table's encoder; a refusal reaches the change that needs it (writeOrDeadLetter). */
  function buildEncoder(key: string): Promise<TableEncoder> {
    const schema = schemas.get(key);
    if (!schema) return Promise.reject(new Error(`no schema announced for ${key} before its first change`));
    const encoder = options.encoders.forTable(schema);
    encoders.set(key, encoder);
    encoder.then(
      (built) => {
        if (encoders.get(key) === encoder) readyEncoders.set(key, built);
      },
      () => {
        if (encoders.get(key) === encoder) encoders.delete(key);
      },
    );
    return encoder;
  }

  function transactionBlock(key: string): Envelope['transaction'] {
    if (txId === null) return null;
    totalOrder += 1n;
    const order = (tableOrder.get(key) ?? 0n) + 1n;
    tableOrder.set(key, order);
    return { id: txId, totalOrder, dataCollectionOrder: order };
  }

  function sourceBlock(source: Record<string, unknown>): Record<string, unknown> {
    return {
      version: options.version,
      connector: options.dialect.connector,
      name: options.name,
      ts_ms: sourceTimes.ms,
      ts_us: sourceTimes.us,
      ts_ns: sourceTimes.ns,
      ...source,
    };
  }

  /** Adds records that are not change events (BEGIN and END) to the open Kafka transaction. */
  function addMetadata(record: OutgoingRecord): Promise<void> | undefined {
    batch.addedRecords(0, (record.value?.length ?? 0) + (record.key?.length ?? 0));
    return sink.add([record]);
  }

  /**
   * Encodes one event (and its tombstone after a delete) into the open Kafka
   * transaction. Synchronous unless the sink asks to wait.
   */
  function emit(
    encoder: TableEncoder,
    table: string,
    op: Envelope['op'],
    before: Row | null,
    after: Row | null,
    source: Record<string, unknown>,
    keyBytes: Buffer | null,
  ): Promise<void> | undefined {
    const metadata = options.transactionEvents;
    let begun: Promise<void> | undefined;
    if (metadata && txId !== null && !txBegun) {
      txBegun = true;
      begun = addMetadata(metadata.begin(txId, BigInt(commitTimeMs)));
    }
    const value = encoder.encodeValue({
      before,
      after,
      source,
      op,
      tsUs: nowMicros(),
      transaction: transactionBlock(table),
    });
    const records: OutgoingRecord[] = [{ topic: encoder.topic, key: keyBytes, value }];
    // A tombstone lets compaction drop the deleted key.
    if (op === 'd' && options.tombstones && keyBytes)
      records.push({ topic: encoder.topic, key: keyBytes, value: null });
    const sent = sink.add(records);
    const bytes = value.length + (keyBytes?.length ?? 0);
    if (begun === undefined && sent === undefined) {
      txEvents += 1;
      batch.added(table, op, bytes);
      return undefined;
    }
    return (async () => {
      await begun;
      await sent;
      // Counted once taken: a record refused before it is sent is not in the transaction.
      txEvents += 1;
      batch.added(table, op, bytes);
    })();
  }

  /** Records other than the change's own event (routed, dead-lettered), in the open Kafka transaction. */
  async function addRecords(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    txEvents += 1;
    let bytes = 0;
    for (const record of records) bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
    batch.addedRecords(records.length, bytes);
    await sink.add(records);
  }

  /**
   * A change that cannot be written (encoded, registered, or produced) stops
   * the pipeline, unless the dead-letter policy takes it: then its dead letter
   * goes into the same Kafka transaction and the pipeline goes on.
   */
  async function deadLetter(failed: FailedChange, error: unknown): Promise<void> {
    const records = (await options.deadLetters?.recordsFor(failed, error)) ?? null;
    if (records === null) {
      await commitBeforeStop(error);
      throw error;
    }
    await addRecords(records);
  }

  /** Runs `write`, dead-lettering the change if it throws or its promise rejects. */
  function writeOrDeadLetter(
    failed: () => FailedChange,
    write: () => Promise<void> | undefined,
  ): Promise<void> | undefined {
    let written: Promise<void> | undefined;
    try {
      written = write();
    } catch (error) {
      return deadLetter(failed(), error);
    }
    return written?.catch((error: unknown) => deadLetter(failed(), error));
  }

  function onTruncate(message: TruncateMessage): Promise<void> | undefined {
    return writeOrDeadLetter(
      () => ({ table: tableKey(message.table), op: 't', before: null, after: null, source: message.source }),
      () => writeTruncate(message),
    );
  }

  async function writeTruncate(message: TruncateMessage): Promise<void> {
    const table = tableKey(message.table);
    const encoder = await encoderFor(table);
    // A truncate has no key, and compacted topics refuse records without one.
    if (!encoder.nullKeys) {
      if (!truncatesSkipped.has(table)) {
        truncatesSkipped.add(table);
        logger.warn(
          { table, topic: encoder.topic },
          'a TRUNCATE is not written to a compacted topic (it has no key); set topics.cleanupPolicy: delete to receive t events',
        );
      }
      return;
    }
    await emit(encoder, table, 't', null, null, sourceBlock(message.source), null);
  }

  function onChange(message: ChangeMessage): Promise<void> | undefined {
    const table = keyOf(message.table);
    const { op, before, after, source } = message;
    return writeOrDeadLetter(
      () => ({ table, op, before, after, source }),
      () => writeChange(message, table),
    );
  }

  /** Synchronous when the table's encoder is ready and nothing routes the change (the common case). */
  function writeChange(message: ChangeMessage, table: string): Promise<void> | undefined {
    const encoder = options.router ? undefined : readyEncoders.get(table);
    return encoder ? writeChangeWith(encoder, message, table) : routeAndWriteChange(message, table);
  }

  async function routeAndWriteChange(message: ChangeMessage, table: string): Promise<void> {
    if (options.router) {
      const routed = await options.router.route(message, schemas.get(table)!);
      if (routed) {
        await addRecords(routed.records);
        if (!routed.keepChange) return;
      }
    }
    await writeChangeWith(await encoderFor(table), message, table);
  }

  function writeChangeWith(
    encoder: TableEncoder,
    message: ChangeMessage,
    table: string,
  ): Promise<void> | undefined {
    const { op, before, after } = message;
    const source = sourceBlock(message.source);
    const keyBytes = encoder.encodeKey((after ?? before)!);
    if (op === 'u' && before && keyBytes) {
      // A primary-key change is, for a keyed topic, the old key deleted and the
      // new one created (as Debezium does), so compaction drops the old key.
      const oldKey = encoder.encodeKey(before);
      if (oldKey && !oldKey.equals(keyBytes)) {
        const deleted = emit(encoder, table, 'd', before, null, source, oldKey);
        const create = () => emit(encoder, table, 'c', null, after, source, keyBytes);
        return deleted ? deleted.then(create) : create();
      }
    }
    return emit(encoder, table, op, before, after, source, keyBytes);
  }

  /**
   * A final error (a schema the registry refuses) stops the stream at this
   * change. The source transactions completed before it wait in the open Kafka
   * transaction: commit them, so only the refused transaction and what follows
   * wait for the fix. Not possible once this transaction has events of its own
   * in the Kafka transaction (they would commit without the rest); then
   * everything since the last commit is streamed again on restart.
   */
  async function commitBeforeStop(error: unknown): Promise<void> {
    if (!(error instanceof TributaryError) || error.retriable) return;
    if (txEvents > 0 || batch.offset === null) return;
    try {
      await batch.flush();
      await batch.settle();
    } catch (flushError) {
      logger.warn({ err: flushError }, 'could not commit the transactions before the failed one');
    }
  }

  function handle(message: SourceMessage): Promise<void> | undefined {
    switch (message.kind) {
      case 'change':
        if (!inSourceTx) throw new Error(`${message.kind} outside a source transaction`);
        return onChange(message);
      case 'begin':
        inSourceTx = true;
        txId = message.txId;
        commitTimeMs = message.commitTimeMs;
        sourceTimes = timesOf(message.commitTimeMs, message.commitTimeUs);
        totalOrder = 0n;
        txEvents = 0;
        tableOrder.clear();
        txBegun = false;
        return undefined;
      case 'commit':
        return onCommit(message.offset);
      case 'schema':
        return onSchema(message);
      case 'truncate':
        if (!inSourceTx) throw new Error(`${message.kind} outside a source transaction`);
        return onTruncate(message);
      case 'heartbeat':
        if (!inSourceTx) batch.heartbeat(message.offset);
        return undefined;
    }
  }

  async function onSchema(message: SchemaMessage): Promise<void> {
    const key = tableKey(message.table.id);
    schemas.set(key, message.table);
    encoders.delete(key);
    readyEncoders.delete(key);
    if (message.register) await encoderFor(key);
    else if (message.prepare) void buildEncoder(key);
  }

  async function onCommit(offset: SourceOffset): Promise<void> {
    if (txBegun && options.transactionEvents && txId !== null) {
      // The END, with the events per table, commits with the transaction's events.
      const counts = new Map([...tableOrder].map(([table, order]) => [table, Number(order)]));
      await addMetadata(options.transactionEvents.end(txId, BigInt(commitTimeMs), counts));
      txBegun = false;
    }
    inSourceTx = false;
    batch.transactionEnded(offset, commitTimeMs);
    if (batch.full) await batch.flush();
  }

  /** Whether to commit the batch now, at a source-transaction boundary. */
  async function batchDue(): Promise<boolean> {
    const due = batch.due(Date.now());
    if (due !== 'when-idle') return due === 'now';
    return !(await settlesSoon(next));
  }

  /** The next message, or WOKEN when the batch deadline, an abort or a failed commit calls first. */
  function nextOrWake(): Promise<IteratorResult<SourceMessage> | typeof WOKEN> {
    const untilDue = batch.msUntilDue(Date.now());
    return new Promise((resolve, reject) => {
      const timer = untilDue === null ? undefined : setTimeout(() => resolve(WOKEN), untilDue);
      wake = () => resolve(WOKEN);
      next.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        wake = null;
      });
    });
  }

  const iterator = stream[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      if (batch.failure !== null) throw batch.failure;
      let result: IteratorResult<SourceMessage> | typeof WOKEN;
      if (inSourceTx) {
        // Inside a source transaction nothing can be committed: just wait for more.
        result = await next;
      } else {
        if (signal.aborted) {
          await batch.flush();
          await batch.settle();
          return;
        }
        if (await batchDue()) {
          await batch.flush();
          continue;
        }
        result = await nextOrWake();
      }
      if (result === WOKEN) continue;
      if (result.done) {
        if (!inSourceTx) await batch.flush();
        await batch.settle();
        return;
      }
      next = iterator.next();
      const handling = handle(result.value);
      if (handling) await handling;
    }
  } finally {
    signal.removeEventListener('abort', wakeUp);
    // Settle the prefetched message so the generator can be closed.
    void next.catch(() => {});
  }
}
