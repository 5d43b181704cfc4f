/** Where each configured value came from (a file and line, or an env var), for error messages. */

export interface Origin {
  /** The config file path or the environment variable name. */
  source: string;
  line?: number;
}

export class Origins {
  readonly #byPath = new Map<string, Origin>();

  set(path: readonly PropertyKey[], origin: Origin): void {
    this.#byPath.set(keyOf(path), origin);
  }

  /** Forgets `path` and everything beneath it (an env var replaced that subtree). */
  clearUnder(path: readonly PropertyKey[]): void {
    const prefix = keyOf(path).slice(0, -1);
    for (const key of this.#byPath.keys()) {
      if (key.startsWith(prefix)) this.#byPath.delete(key);
    }
  }

  /** The origin of `path`, or of its nearest configured ancestor. */
  find(path: readonly PropertyKey[]): Origin | undefined {
    for (let length = path.length; length >= 0; length--) {
      const origin = this.#byPath.get(keyOf(path.slice(0, length)));
      if (origin) return origin;
    }
    return undefined;
  }
}

function keyOf(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map(String));
}
