/**
 * A bounded queue between a push-based source (a replication socket) and the
 * pull-based pipeline. `push` waits while the queue is full, which is how
 * backpressure reaches the socket; `fail` ends the iteration with an error.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly capacity: number;
  private waitingPull: ((result: IteratorResult<T>) => void) | null = null;
  private waitingPullReject: ((error: unknown) => void) | null = null;
  private waitingPush: Array<() => void> = [];
  private ended = false;
  private error: unknown = null;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.items.length;
  }

  async push(item: T): Promise<void> {
    if (this.ended) return;
    if (this.waitingPull) {
      const resolve = this.waitingPull;
      this.clearWaiter();
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    while (this.items.length >= this.capacity && !this.ended) {
      await new Promise<void>((resolve) => this.waitingPush.push(resolve));
    }
  }

  /** Ends the iteration once the queued items are consumed. */
  end(): void {
    this.ended = true;
    this.wakePushers();
    if (this.waitingPull && this.items.length === 0) {
      const resolve = this.waitingPull;
      this.clearWaiter();
      resolve({ value: undefined, done: true });
    }
  }

  /** Ends the iteration with `error`, dropping whatever is queued. */
  fail(error: unknown): void {
    if (this.error) return;
    this.error = error;
    this.ended = true;
    this.items.length = 0;
    this.wakePushers();
    if (this.waitingPullReject) {
      const reject = this.waitingPullReject;
      this.clearWaiter();
      reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.error) return Promise.reject(this.error);
        if (this.items.length > 0) {
          const value = this.items.shift()!;
          if (this.items.length < this.capacity) this.wakePushers();
          return Promise.resolve({ value, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waitingPull = resolve;
          this.waitingPullReject = reject;
        });
      },
    };
  }

  private clearWaiter(): void {
    this.waitingPull = null;
    this.waitingPullReject = null;
  }

  private wakePushers(): void {
    const waiting = this.waitingPush;
    this.waitingPush = [];
    for (const wake of waiting) wake();
  }
}
