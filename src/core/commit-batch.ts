import type { SourceOffset } from './change-event.ts';
import { snapshotProgressOf } from './snapshot.ts';
import type { ChangeStream } from './dialect.ts';
import type { BatchBounds, EventSink, PipelineObserver } from './pipeline.ts';

/**
 * While the source keeps having transactions ready, a batch grows past
 * `maxDelayMs` (up to this many times it, or maxEvents/maxBytes): the delay
 * bounds how long a batch waits for more, and cutting a backlog into slivers
 * of `maxDelayMs` would only add commits.
 */
export const BUSY_DELAY_FACTOR = 5;

/** What a batch should do at a source-transaction boundary. */
export type BatchDue = 'now' | 'when-idle' | 'not-yet';

/**
 * The Kafka transaction the pipeline is filling: what it holds, when it is
 * due, and the commits on their way.
 *
 * A commit is queued on the sink, and the next batch fills while it travels;
 * only one commit is on its way while a batch fills (`flush` waits for the one
 * before). Each offset is acknowledged to the source after its commit and
 * after every earlier acknowledgement.
 */
export class CommitBatch {
  /** The offset the batch commits: that of its last source transaction or heartbeat. */
  offset: SourceOffset | null = null;
  private startedAt = 0;
  private events = 0;
  private bytes = 0;
  private transactions = 0;
  private lastCommitTimeMs = 0;
  /** Events per table and op, reported to the observer once per batch. */
  private counts = new Map<string, Map<string, number>>();
  /** The last commit queued, settled once it and its acknowledgement are done. */
  private inFlight: Promise<void> | null = null;
  /** The first commit or acknowledgement that failed: the pipeline stops with it. */
  failure: unknown = null;
  private readonly options: {
    sink: EventSink;
    stream: Pick<ChangeStream, 'acknowledge'>;
    bounds: BatchBounds;
    observer: PipelineObserver | undefined;
    /** Called when a commit fails, to wake the pipeline. */
    onFailure: () => void;
  };

  constructor(options: CommitBatch['options']) {
    this.options = options;
  }

  /** An event (or other record) written into the batch. */
  added(table: string, op: string, bytes: number): void {
    this.events += 1;
    this.bytes += bytes;
    let ops = this.counts.get(table);
    if (!ops) this.counts.set(table, (ops = new Map()));
    ops.set(op, (ops.get(op) ?? 0) + 1);
  }

  /** Records that are not events of a table (dead letters, routed, transaction metadata). */
  addedRecords(records: number, bytes: number): void {
    this.events += records;
    this.bytes += bytes;
  }

  /** A source transaction ended: its offset is what the batch commits now. */
  transactionEnded(offset: SourceOffset, commitTimeMs: number): void {
    this.setOffset(offset);
    this.transactions += 1;
    this.lastCommitTimeMs = commitTimeMs;
  }

  /** A position the source reached with nothing to emit. */
  heartbeat(offset: SourceOffset): void {
    this.setOffset(offset);
  }

  private setOffset(offset: SourceOffset): void {
    if (this.offset === null) this.startedAt = Date.now();
    this.offset = offset;
  }

  get full(): boolean {
    return this.events >= this.options.bounds.maxEvents || this.bytes >= this.options.bounds.maxBytes;
  }

  /** Whether to commit at a source-transaction boundary. */
  due(now: number): BatchDue {
    if (this.offset === null) return 'not-yet';
    if (this.full) return 'now';
    const age = now - this.startedAt;
    if (age >= this.options.bounds.maxDelayMs * BUSY_DELAY_FACTOR) return 'now';
    return age >= this.idleDelayMs() ? 'when-idle' : 'not-yet';
  }

  /** Milliseconds until the batch is due if the source goes idle (0 when it already is), or null without a batch. */
  msUntilDue(now: number): number | null {
    if (this.offset === null) return null;
    return Math.max(0, this.startedAt + this.idleDelayMs() - now);
  }

  /**
   * How long a batch waits for more while the source has nothing ready.
   * Streaming, waiting only adds latency: a backlog keeps the source ready, so
   * batches still fill. A snapshot waits `maxDelayMs`: the next table's read is
   * on its way, and small tables share a transaction.
   */
  private idleDelayMs(): number {
    return this.offset !== null && snapshotProgressOf(this.offset) ? this.options.bounds.maxDelayMs : 0;
  }

  /**
   * Queues the commit of the batch and starts a new one. Waits for the commit
   * before it (not this one): call `settle` to wait for everything.
   */
  async flush(): Promise<void> {
    const offset = this.offset;
    if (offset === null) return;
    const info = {
      events: this.events,
      bytes: this.bytes,
      sourceTransactions: this.transactions,
      offset,
      sourceCommitTimeMs: this.transactions > 0 ? this.lastCommitTimeMs : 0,
    };
    const { observer, sink, stream } = this.options;
    if (observer?.onEvents) {
      for (const [table, ops] of this.counts) {
        for (const [op, count] of ops) observer.onEvents(table, op, count);
      }
    }
    this.offset = null;
    this.events = 0;
    this.bytes = 0;
    this.transactions = 0;
    this.counts = new Map();

    const previous = this.inFlight;
    const committed = sink.commit(offset);
    const done = (async () => {
      await committed;
      await previous;
      observer?.onCommit?.(info);
      // Only now is everything up to `offset` durable: the source may release it.
      await stream.acknowledge(offset);
    })();
    done.catch((error: unknown) => {
      this.failure ??= error;
      this.options.onFailure();
    });
    this.inFlight = done;
    await previous;
  }

  /** Waits until every queued commit and acknowledgement is done (throws the first failure). */
  async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure !== null) throw this.failure;
  }
}
