import type { Logger } from 'pino';
import type { ChangeStream, Dialect } from './dialect.ts';
import type { ChangeMessage, SourceMessage, SourceOffset, TruncateMessage } from './change-event.ts';
import { tableKey, type Row, type TableSchema } from './schema.ts';
import { TributaryError } from './errors.ts';

/** The Debezium envelope of one event, with canonical row values (see schema.ts). */
export interface Envelope {
  before: Row | null;
  after: Row | null;
  source: Record<string, unknown>;
  op: 'c' | 'u' | 'd' | 'r' | 't';
  /** When the event was made, in microseconds since the epoch (Debezium's `ts_us`; `ts_ms` and `ts_ns` follow). */
  tsUs: bigint;
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
  add(records: OutgoingRecord[]): Promise<void>;
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

/** The wall clock in microseconds (Date.now() has only milliseconds). */
function nowMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

const TIMEOUT = Symbol('timeout');
const ABORTED = Symbol('aborted');

/**
 * Turns a dialect's messages into Kafka records and commits them with their
 * offsets. Several small source transactions share one Kafka transaction,
 * bounded by event count, bytes and time; a source transaction is never split,
 * however large (its records are streamed into the open Kafka transaction).
 * The source is acknowledged only after the Kafka commit.
 *
 * Returns when the stream ends or the signal aborts (at a transaction boundary).
 */
export async function runPipeline(options: PipelineOptions): Promise<void> {
  const { stream, sink, batch, signal, logger } = options;
  const schemas = new Map<string, TableSchema>();
  const encoders = new Map<string, TableEncoder>();
  const truncatesSkipped = new Set<string>();

  let inSourceTx = false;
  let txId: string | null = null;
  let commitTimeMs = 0;
  let commitTimeUs = 0n;
  let totalOrder = 0n;
  /** Events of the open source transaction already in the open Kafka transaction. */
  let txEvents = 0;
  const tableOrder = new Map<string, bigint>();
  /** Whether the open source transaction's BEGIN went to the transaction topic. */
  let txBegun = false;

  let pendingOffset: SourceOffset | null = null;
  let batchStartedAt = 0;
  let batchEvents = 0;
  let batchBytes = 0;
  let batchTransactions = 0;

  const aborted = new Promise<typeof ABORTED>((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });

  async function encoderFor(key: string): Promise<TableEncoder> {
    let encoder = encoders.get(key);
    if (!encoder) {
      const schema = schemas.get(key);
      if (!schema) throw new Error(`no schema announced for ${key} before its first change`);
      // A refusal is handled by writeOrDeadLetter, around every caller.
      encoder = await options.encoders.forTable(schema);
      encoders.set(key, encoder);
    }
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
      ts_ms: BigInt(commitTimeMs),
      ts_us: commitTimeUs,
      ts_ns: commitTimeUs * 1000n,
      ...source,
    };
  }

  /** Adds records that are not change events (BEGIN and END) to the open Kafka transaction. */
  async function addMetadata(record: OutgoingRecord): Promise<void> {
    await sink.add([record]);
    batchBytes += (record.value?.length ?? 0) + (record.key?.length ?? 0);
  }

  /** Encodes one event (and its tombstone after a delete) into the open Kafka transaction. */
  async function emit(
    encoder: TableEncoder,
    table: string,
    op: Envelope['op'],
    before: Row | null,
    after: Row | null,
    source: Record<string, unknown>,
    keyBytes: Buffer | null,
  ): Promise<void> {
    const metadata = options.transactionEvents;
    if (metadata && txId !== null && !txBegun) {
      txBegun = true;
      await addMetadata(metadata.begin(txId, BigInt(commitTimeMs)));
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
    await sink.add(records);
    txEvents += 1;
    batchEvents += 1;
    batchBytes += value.length + (keyBytes?.length ?? 0);
    options.observer?.onEvents?.(table, op, 1);
  }

  /** Records other than the change's own event (routed, dead-lettered), in the open Kafka transaction. */
  async function addRecords(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await sink.add(records);
    txEvents += 1;
    batchEvents += records.length;
    for (const record of records) batchBytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
  }

  /**
   * A change that cannot be written (encoded, registered, or produced) stops
   * the pipeline, unless the dead-letter policy takes it: then its dead letter
   * goes into the same Kafka transaction and the pipeline goes on.
   */
  async function writeOrDeadLetter(failed: FailedChange, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const records = (await options.deadLetters?.recordsFor(failed, error)) ?? null;
      if (records === null) {
        await commitBeforeStop(error);
        throw error;
      }
      await addRecords(records);
    }
  }

  async function onTruncate(message: TruncateMessage): Promise<void> {
    const failed = {
      table: tableKey(message.table),
      op: 't',
      before: null,
      after: null,
      source: message.source,
    };
    await writeOrDeadLetter(failed, () => writeTruncate(message));
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

  async function onChange(message: ChangeMessage): Promise<void> {
    const { op, before, after, source } = message;
    await writeOrDeadLetter({ table: tableKey(message.table), op, before, after, source }, () =>
      writeChange(message),
    );
  }

  async function writeChange(message: ChangeMessage): Promise<void> {
    const table = tableKey(message.table);
    if (options.router) {
      const routed = await options.router.route(message, schemas.get(table)!);
      if (routed) {
        await addRecords(routed.records);
        if (!routed.keepChange) return;
      }
    }
    const encoder = await encoderFor(table);
    const { op, before, after } = message;
    const source = sourceBlock(message.source);
    const keyBytes = encoder.encodeKey((after ?? before)!);
    if (op === 'u' && before && keyBytes) {
      // A primary-key change is, for a keyed topic, the old key deleted and the
      // new one created (as Debezium does), so compaction drops the old key.
      const oldKey = encoder.encodeKey(before);
      if (oldKey && !oldKey.equals(keyBytes)) {
        await emit(encoder, table, 'd', before, null, source, oldKey);
        await emit(encoder, table, 'c', null, after, source, keyBytes);
        return;
      }
    }
    await emit(encoder, table, op, before, after, source, keyBytes);
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
    if (txEvents > 0 || pendingOffset === null) return;
    try {
      await flush();
    } catch (flushError) {
      logger.warn({ err: flushError }, 'could not commit the transactions before the failed one');
    }
  }

  async function flush(): Promise<void> {
    if (pendingOffset === null) return;
    const offset = pendingOffset;
    await sink.commit(offset);
    options.observer?.onCommit?.({
      events: batchEvents,
      bytes: batchBytes,
      sourceTransactions: batchTransactions,
      offset,
      sourceCommitTimeMs: batchTransactions > 0 ? commitTimeMs : 0,
    });
    pendingOffset = null;
    disarmDeadline();
    batchEvents = 0;
    batchBytes = 0;
    batchTransactions = 0;
    // Only now is everything up to `offset` durable: the source may release it.
    await stream.acknowledge(offset);
  }

  async function handle(message: SourceMessage): Promise<void> {
    switch (message.kind) {
      case 'schema':
        schemas.set(tableKey(message.table.id), message.table);
        encoders.delete(tableKey(message.table.id));
        if (message.register) await encoderFor(tableKey(message.table.id));
        return;
      case 'begin':
        inSourceTx = true;
        txId = message.txId;
        commitTimeMs = message.commitTimeMs;
        commitTimeUs = message.commitTimeUs ?? BigInt(message.commitTimeMs) * 1000n;
        totalOrder = 0n;
        txEvents = 0;
        tableOrder.clear();
        txBegun = false;
        return;
      case 'change':
      case 'truncate':
        if (!inSourceTx) throw new Error(`${message.kind} outside a source transaction`);
        await (message.kind === 'change' ? onChange(message) : onTruncate(message));
        return;
      case 'commit':
        if (txBegun && options.transactionEvents && txId !== null) {
          // The END, with the events per table, commits with the transaction's events.
          const counts = new Map([...tableOrder].map(([table, order]) => [table, Number(order)]));
          await addMetadata(options.transactionEvents.end(txId, BigInt(commitTimeMs), counts));
          txBegun = false;
        }
        inSourceTx = false;
        if (pendingOffset === null) batchStartedAt = Date.now();
        pendingOffset = message.offset;
        batchTransactions += 1;
        if (batchEvents >= batch.maxEvents || batchBytes >= batch.maxBytes) await flush();
        return;
      case 'heartbeat':
        if (inSourceTx) return;
        if (pendingOffset === null) batchStartedAt = Date.now();
        pendingOffset = message.offset;
        return;
    }
  }

  // One timer per batch (not per message) bounds how long a batch waits.
  let deadline = null as Promise<typeof TIMEOUT> | null;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const armDeadline = () => {
    if (deadline) return;
    deadline = new Promise((resolve) => {
      deadlineTimer = setTimeout(
        () => resolve(TIMEOUT),
        Math.max(0, batchStartedAt + batch.maxDelayMs - Date.now()),
      );
    });
  };
  const disarmDeadline = () => {
    clearTimeout(deadlineTimer);
    deadline = null;
  };

  const iterator = stream[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const canFlush = pendingOffset !== null && !inSourceTx;
      if (canFlush && (signal.aborted || Date.now() >= batchStartedAt + batch.maxDelayMs)) {
        disarmDeadline();
        await flush();
        if (signal.aborted) return;
        continue;
      }
      if (signal.aborted && !inSourceTx) return;
      let result: IteratorResult<SourceMessage> | typeof TIMEOUT | typeof ABORTED;
      if (inSourceTx) {
        // Inside a source transaction nothing can be committed: just wait for more.
        result = await next;
      } else {
        if (canFlush) armDeadline();
        const racers: Array<Promise<typeof result>> = [next, aborted];
        if (deadline) racers.push(deadline);
        result = await Promise.race(racers);
      }
      if (result === TIMEOUT || result === ABORTED) continue;
      if (result.done) {
        disarmDeadline();
        if (!inSourceTx) await flush();
        return;
      }
      next = iterator.next();
      await handle(result.value);
    }
  } finally {
    disarmDeadline();
    // Settle the prefetched message so the generator can be closed.
    void next.catch(() => {});
  }
}
