interface Waiting<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns single requests into batched calls of `load`: the keys asked for in
 * the same turn go in one call, and those asked for while a call is under way
 * go together in the next. `load` answers in the order of its keys; when it
 * fails, every request of its batch fails with its error.
 */
export class Batcher<K, V> {
  private queue: Array<Waiting<K, V>> = [];
  private running = false;
  private readonly load: (keys: K[]) => Promise<V[]>;

  constructor(load: (keys: K[]) => Promise<V[]>) {
    this.load = load;
  }

  get(key: K): Promise<V> {
    const answer = new Promise<V>((resolve, reject) => this.queue.push({ key, resolve, reject }));
    if (!this.running) void this.run();
    return answer;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      // Let the requests made in the same turn join the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          const values = await this.load(batch.map((waiting) => waiting.key));
          batch.forEach((waiting, i) => waiting.resolve(values[i]!));
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
