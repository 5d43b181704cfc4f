import type { Kafka, Message, Producer, Transaction } from 'kafkajs';
import type { SourceOffset } from '../core/change-event.ts';
import { TributaryError } from '../core/errors.ts';
import type { EventSink, OutgoingRecord } from '../core/pipeline.ts';
import { assertCompleteSend, recordingPartitioner } from './complete-sends.ts';
import { TRANSACTIONAL_PRODUCER_RETRY } from './kafka-client.ts';
import { encodeOffset } from './offset-store.ts';
import { BATCH_HEADER, TOO_LARGE_FIX, recordBatchBytes } from './record-limits.ts';

/**
 * Records per produce call. kafkajs (2.2.4) groups a call's messages per
 * partition in time quadratic in their number, so large calls cost more than
 * they save in requests.
 */
const SEND_CHUNK = 500;
/**
 * Bytes of records per produce call. A call's records for one partition form
 * one record batch, and the broker refuses a batch larger than the topic's
 * max.message.bytes (1 MiB by default) however small each record is.
 */
const SEND_BYTES = 512 * 1024;

type SinkState = 'disconnected' | 'ready' | 'in-transaction' | 'failed';

/** Chunks queued for sending (the one on the wire included) before `add` waits for the oldest. */
const CHUNKS_AHEAD = 2;

/**
 * One transactional producer per connector. Events and the offset they lead
 * to commit in one Kafka transaction, so a read_committed consumer sees both
 * or neither.
 *
 * Kafka work runs on one queue, in call order: each produce call and each
 * commit takes its records when it is queued, so records added after
 * `commit()` was called belong to the next transaction, even while that
 * commit is still on its way. The caller may thus encode the next batch while
 * a commit waits for the broker; `add` waits only once CHUNKS_AHEAD chunks are
 * queued.
 *
 * Crash-only: any error leaves the sink `failed`; the caller drops it, opens a
 * new one (whose InitProducerId fences and aborts whatever the old one left
 * open) and resumes from the last committed offset.
 */
export class TransactionalSink implements EventSink {
  /** The state of the Kafka work done so far (the queue's head), not of what is queued. */
  private state: SinkState = 'disconnected';
  private producer: Producer | null = null;
  private transaction: Transaction | null = null;
  /** Records not yet queued for sending: the chunk being filled. */
  private pending: OutgoingRecord[] = [];
  private pendingBytes = 0;
  /** The most bytes the pending chunk may hold: SEND_BYTES, or less for topics that take less. */
  private pendingCap = SEND_BYTES;
  private transactionStartedAt = 0;
  /** Queued Kafka work, oldest first; each settles when its produce call or commit has. */
  private queued: Array<Promise<void>> = [];
  /** The last queued operation: the next one runs after it. */
  private tail: Promise<void> = Promise.resolve();
  /** The first failure of queued work: every later call reports it. */
  private failure: unknown = null;
  private readonly options: {
    kafka: Kafka;
    transactionalId: string;
    offsetsTopic: string;
    offsetKey: string;
    transactionTimeoutMs: number;
    /** Records buffered before they are sent inside the open transaction. */
    sendChunk?: number;
  };

  /** A topic's max.message.bytes, when known: a produce call's records for one partition form one batch, which it bounds. */
  topicLimit: ((topic: string) => number | undefined) | undefined;

  constructor(options: TransactionalSink['options']) {
    this.options = options;
  }

  async connect(): Promise<void> {
    this.expect('disconnected');
    const producer = this.options.kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs,
      allowAutoTopicCreation: false,
      // murmur2 like the Java client: a key lands in the partition Java producers would pick.
      createPartitioner: recordingPartitioner,
      // A short first wait: the retry after each commit's CONCURRENT_TRANSACTIONS.
      retry: TRANSACTIONAL_PRODUCER_RETRY,
    });
    await this.guard(() => producer.connect());
    // Set before the fence: if it fails (a missing ACL, say), close() still disconnects the producer.
    this.producer = producer;
    // kafkajs connects with a plain idempotent producer id and registers the
    // transactional id only at the first transaction. Do it now: this
    // InitProducerId fences any older instance and aborts the transaction it
    // left open, before the caller reads the committed offset (which would
    // otherwise wait behind that open transaction until it times out).
    await this.guard(async () => {
      const fence = await producer.transaction();
      await fence.abort(); // empty: nothing is sent
    });
    this.state = 'ready';
  }

  /**
   * Adds records to the open transaction (opening one if needed). They go out
   * in chunks, to bound memory; chunks are sent while the next ones are
   * encoded. Returns a promise only when the caller must wait (for room, or to
   * hear of a failure).
   */
  add(records: OutgoingRecord[]): Promise<void> | undefined {
    if (this.failure !== null) return Promise.reject(this.failure as Error);
    this.expectConnected();
    let waiting: Promise<void> | undefined;
    for (const record of records) {
      const size = recordBatchBytes(record) - BATCH_HEADER;
      const limit = this.topicLimit?.(record.topic);
      const cap = limit === undefined ? SEND_BYTES : Math.min(SEND_BYTES, limit - BATCH_HEADER);
      // Never let a chunk grow past its cap (a single larger record goes alone).
      if (this.pending.length > 0 && this.pendingBytes + size > Math.min(this.pendingCap, cap)) {
        waiting = this.queueChunk() ?? waiting;
      }
      this.pending.push(record);
      this.pendingBytes += size;
      if (cap < this.pendingCap) this.pendingCap = cap;
    }
    if (
      this.pending.length >= (this.options.sendChunk ?? SEND_CHUNK) ||
      this.pendingBytes >= this.pendingCap
    ) {
      waiting = this.queueChunk() ?? waiting;
    }
    return waiting;
  }

  /**
   * Writes `offset` into the open transaction and commits it with every
   * record added before this call. Records added while it is on its way go to
   * the next transaction.
   */
  commit(offset: SourceOffset): Promise<void> {
    return this.queueCommit(encodeOffset(offset));
  }

  /**
   * Deletes the connector's offset (a tombstone, in a transaction of its own):
   * the next run starts over with a snapshot.
   */
  async clearOffset(): Promise<void> {
    this.expect('ready');
    await this.queueCommit(null);
  }

  /** Sends what is pending inside the open transaction, without committing. */
  async sendPending(): Promise<void> {
    this.queueChunk();
    await this.tail;
  }

  /** Queues the pending records as one produce call; returns the oldest queued work when the queue is full. */
  private queueChunk(): Promise<void> | undefined {
    if (this.pending.length === 0) return undefined;
    const records = this.takePending();
    this.enqueue(() => this.send(records));
    if (this.queued.length < CHUNKS_AHEAD) return undefined;
    return this.queued[0];
  }

  private queueCommit(offsetValue: Buffer | null): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure as Error);
    this.expectConnected();
    const records = this.takePending();
    records.push({
      topic: this.options.offsetsTopic,
      key: Buffer.from(this.options.offsetKey),
      value: offsetValue,
    });
    return this.enqueue(async () => {
      await this.send(records);
      await this.guard(() => this.transaction!.commit());
      this.transaction = null;
      this.state = 'ready';
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const done = this.tail.then(async () => {
      if (this.failure !== null) throw this.failure;
      try {
        await work();
      } catch (error) {
        this.failure ??= error;
        throw error;
      }
    });
    this.tail = done.catch(() => {});
    this.queued.push(done);
    void this.tail.then(() => {
      this.queued.shift();
    });
    return done;
  }

  private takePending(): OutgoingRecord[] {
    const records = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingCap = SEND_BYTES;
    return records;
  }

  private async begin(): Promise<void> {
    if (this.state === 'ready') {
      this.transactionStartedAt = Date.now();
      this.transaction = await this.guard(() => this.producer!.transaction());
      this.state = 'in-transaction';
    }
    this.expect('in-transaction');
  }

  async close(): Promise<void> {
    const producer = this.producer;
    await this.tail;
    if (this.transaction && this.state === 'in-transaction') {
      await this.transaction.abort().catch(() => {});
    }
    this.transaction = null;
    this.takePending();
    this.queued = [];
    this.tail = Promise.resolve();
    this.failure = null;
    this.producer = null;
    this.state = 'disconnected';
    await producer?.disconnect().catch(() => {});
  }

  /** One produce call in the open transaction (opened if needed). */
  private async send(records: OutgoingRecord[]): Promise<void> {
    await this.begin();
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (!messages) byTopic.set(record.topic, (messages = []));
      // kafkajs reads key, value and headers, and the partitioner pins `partition` on it.
      messages.push(record as Message);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    await this.guard(async () => {
      const responses = await this.transaction!.sendBatch({ acks: -1, topicMessages });
      assertCompleteSend(topicMessages, responses);
    });
  }

  private expectConnected(): void {
    if (this.producer === null || this.state === 'disconnected') {
      throw new Error('transactional sink is disconnected');
    }
  }

  private expect(state: SinkState): void {
    if (this.state !== state) {
      throw new Error(`transactional sink is ${this.state}, expected ${state}`);
    }
  }

  private async guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      this.state = 'failed';
      const age = this.transactionStartedAt ? Date.now() - this.transactionStartedAt : 0;
      throw kafkaError(error, {
        transactionAgeMs: age,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
      });
    }
  }
}

const UNREACHABLE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
]);

interface KafkaJsErrorFields {
  name?: string;
  type?: string;
  message?: string;
  broker?: string;
  cause?: unknown;
}

export function isKafkaJsError(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}

/**
 * kafkajs wraps the failure that matters (a refused connection, a protocol
 * error code) in retry and non-retriable errors: the innermost kafkajs error
 * that names a protocol error type or a broker says what went wrong.
 */
function rootKafkaError(error: unknown): KafkaJsErrorFields {
  let current = error as KafkaJsErrorFields;
  for (let depth = 0; depth < 5; depth++) {
    if (current.type || current.broker) return current;
    const cause = current.cause as KafkaJsErrorFields | undefined;
    if (!cause || typeof cause !== 'object') break;
    current = cause;
  }
  return error as KafkaJsErrorFields;
}

/** Classifies a kafkajs error by its type and code, never its message text. */
export function kafkaError(
  error: unknown,
  context: { transactionAgeMs: number; transactionTimeoutMs: number } = {
    transactionAgeMs: 0,
    transactionTimeoutMs: Infinity,
  },
): TributaryError {
  if (error instanceof TributaryError) return error;
  const e = rootKafkaError(error);
  const type = e.type ?? '';
  if (type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED' || type === 'TRANSACTION_TIMED_OUT') {
    // The broker aborts a transaction older than its timeout by bumping the
    // epoch: the producer then looks fenced, though nobody else took over.
    if (context.transactionAgeMs >= context.transactionTimeoutMs * 0.9) {
      return new TributaryError(
        `a Kafka transaction ran ${Math.round(context.transactionAgeMs / 1000)} s, past kafka.transactionTimeoutMs (${context.transactionTimeoutMs} ms), so the broker aborted it`,
        {
          code: 'KAFKA_FAILED',
          fix: "raise kafka.transactionTimeoutMs (up to the brokers' transaction.max.timeout.ms) above the time the largest source transaction takes to write",
          cause: error,
        },
      );
    }
    return new TributaryError(
      'another Tributary instance with the same name took over this connector, so this one stops (it was fenced)',
      {
        code: 'KAFKA_FENCED',
        fix: 'run one instance per connector name; if the other instance is gone, restart this one',
        cause: error,
      },
    );
  }
  if (
    type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' ||
    type === 'TOPIC_AUTHORIZATION_FAILED' ||
    type === 'CLUSTER_AUTHORIZATION_FAILED'
  ) {
    return new TributaryError(`Kafka denied an operation: ${e.message}`, {
      code: 'KAFKA_FAILED',
      fix: 'grant the Kafka user Write and Describe on the transactional id tributary-<name>, Write/Create/Describe on the topics (and the offsets topic), and IdempotentWrite on the cluster',
      cause: error,
    });
  }
  if (type === 'INVALID_RECORD' || type === 'CORRUPT_MESSAGE') {
    // Retrying cannot help: the same record would be refused again.
    return new TributaryError(`Kafka refused a record: ${e.message}`, {
      code: 'KAFKA_FAILED',
      fix: 'compacted topics (cleanup.policy compact) refuse records without a key: check the topic configuration, topics.cleanupPolicy and topics.keyColumns for tables without a primary key',
      cause: error,
    });
  }
  if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
    // The same record would be refused again: retrying loops forever.
    return new TributaryError(`Kafka refused a record as too large: ${e.message}`, {
      code: 'KAFKA_FAILED',
      fix: TOO_LARGE_FIX,
      cause: error,
    });
  }
  if (UNREACHABLE_ERRORS.has(e.name ?? '')) {
    const where = e.broker ? ` at ${e.broker}` : '';
    return new TributaryError(`Kafka is unreachable${where}: ${e.message}`, {
      code: 'KAFKA_UNREACHABLE',
      retriable: true,
      fix: 'check that the brokers run and that kafka.brokers names them (host:port); Tributary retries meanwhile',
      cause: error,
    });
  }
  return new TributaryError(`Kafka transaction failed: ${e.message}`, {
    code: 'KAFKA_FAILED',
    retriable: true,
    cause: error,
  });
}
