/** One step of a read: a chunk of a table's rows, or the table's end. */
export type ReadStep<Row> = { table: number; rows: Row[] } | { table: number; end: true };

/**
 * Reads tables one after another on its own, ahead of the consumer, so the
 * database's work overlaps the consumer's work on the rows before. Memory
 * stays bounded: reading pauses while `maxRows` rows wait (a single chunk is
 * taken whatever its size), so it never runs further ahead than that.
 */
export class ReadAhead<Row> {
  private readonly steps: Array<ReadStep<Row>> = [];
  /** Tables whose first rows were read since `startedTables` was last called. */
  private started: number[] = [];
  private rows = 0;
  private finished = false;
  private failure: { error: unknown } | null = null;
  private closed = false;
  private wakeReader: (() => void) | null = null;
  private wakeConsumer: (() => void) | null = null;
  private readonly maxRows: number;
  /** How long the consumer waited for rows, in total: reading is the bottleneck when it is high. */
  waitedMs = 0;

  constructor(maxRows: number) {
    this.maxRows = maxRows;
  }

  /** Starts reading `tables` (each an iterable of chunks), in order. */
  start(tables: Array<() => AsyncIterable<Row[]>>): void {
    void this.read(tables);
  }

  /** The steps read and not yet taken, oldest first. */
  get buffered(): ReadonlyArray<ReadStep<Row>> {
    return this.steps;
  }

  /**
   * Waits until `count` steps are buffered, or reading ended (then fewer are);
   * throws the reader's error once the steps before it are taken.
   */
  async waitFor(count: number): Promise<void> {
    if (this.steps.length < count && !this.finished) {
      const started = performance.now();
      while (this.steps.length < count && !this.finished) {
        if (this.failure) throw this.failure.error;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
      this.waitedMs += performance.now() - started;
    }
    if (this.steps.length < count && this.failure) throw this.failure.error;
  }

  /** The tables whose first rows were read since the last call, in order. */
  startedTables(): number[] {
    const started = this.started;
    this.started = [];
    return started;
  }

  /** Takes the oldest buffered step, making room for more. */
  take(): ReadStep<Row> {
    const step = this.steps.shift()!;
    if ('rows' in step) this.rows -= step.rows.length;
    this.wake('reader');
    return step;
  }

  /** Stops reading (the consumer is done, or gave up). */
  close(): void {
    this.closed = true;
    this.wake('reader');
  }

  private async read(tables: Array<() => AsyncIterable<Row[]>>): Promise<void> {
    try {
      for (let table = 0; table < tables.length && !this.closed; table++) {
        let first = true;
        for await (const rows of tables[table]!()) {
          if (rows.length === 0) continue;
          if (first) this.started.push(table);
          first = false;
          while (this.rows > 0 && this.rows + rows.length > this.maxRows && !this.closed) {
            await new Promise<void>((resolve) => (this.wakeReader = resolve));
          }
          if (this.closed) return; // leaving the loop closes the table's read
          this.push({ table, rows });
        }
        this.push({ table, end: true });
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wake('consumer');
    }
  }

  private push(step: ReadStep<Row>): void {
    this.steps.push(step);
    if ('rows' in step) this.rows += step.rows.length;
    this.wake('consumer');
  }

  private wake(who: 'reader' | 'consumer'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeConsumer;
    if (who === 'reader') this.wakeReader = null;
    else this.wakeConsumer = null;
    wake?.();
  }
}
