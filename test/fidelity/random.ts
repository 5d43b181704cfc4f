/**
 * A small seeded random source for the parity suite, so that any failure can
 * be replayed: `FIDELITY_SEED` picks the seed, `FIDELITY_VALUES` the number of
 * values per column. Each column draws from a stream of its own (the seed
 * mixed with the column's name), so adding a column leaves the others' values
 * unchanged.
 */

export const DEFAULT_SEED = 20261130;
export const DEFAULT_VALUES = 2000;

export interface FidelitySettings {
  seed: number;
  values: number;
}

export function fidelitySettings(env: NodeJS.ProcessEnv = process.env): FidelitySettings {
  const number = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`${name} must be a whole number, got ${text}`);
    return value;
  };
  return {
    seed: number('FIDELITY_SEED', DEFAULT_SEED),
    values: Math.max(1, number('FIDELITY_VALUES', DEFAULT_VALUES)),
  };
}

/** FNV-1a of a string, to mix a column name into the seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Byte-order mark, Unicode spaces and line separators, NEL, combining marks,
 * the replacement character, noncharacters, the last code point.
 */
const TRICKY_CODE_POINTS = [
  0xfeff, 0xa0, 0x3000, 0x2028, 0x2029, 0x85, 0x200b, 0x0301, 0xfffd, 0xfffe, 0xffff, 0x1fffe, 0x10ffff,
];

/** sfc32: 128 bits of state, fast, good enough for test values. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = '') {
    this.a = seed >>> 0;
    this.b = Math.floor(seed / 2 ** 32) >>> 0;
    this.c = hash(stream);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 2 ** 32;
  }

  /** An integer in [min, max], both ends included (safe integers). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A bigint in [min, max], both ends included. */
  bigint(min: bigint, max: bigint): bigint {
    const span = max - min + 1n;
    let r = 0n;
    for (let bits = 0n; 1n << bits < span * 2n ** 32n; bits += 32n) r = (r << 32n) | BigInt(this.uint32());
    return min + (r % span);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.uint32() & 0xff;
    return out;
  }

  /** `length` decimal digits. */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.uint32() % 10);
    return out;
  }

  /** Any finite double, every bit pattern equally likely (so every exponent, subnormals included). */
  finiteDouble(): number {
    const view = new DataView(new ArrayBuffer(8));
    for (;;) {
      view.setUint32(0, this.uint32());
      view.setUint32(4, this.uint32());
      const value = view.getFloat64(0);
      if (Number.isFinite(value)) return value;
    }
  }

  /** Any finite float32 (as its exact double), every bit pattern equally likely. */
  finiteFloat32(): number {
    const view = new DataView(new ArrayBuffer(4));
    for (;;) {
      view.setUint32(0, this.uint32());
      const value = view.getFloat32(0);
      if (Number.isFinite(value)) return value;
    }
  }

  /** A double with all 17 significant digits in a human range, like the 958721.3352067961. */
  plainDouble(): number {
    const whole = this.int(1, 9);
    const value = Number(
      `${this.int(1, 9)}${this.digits(whole - 1)}.${this.digits(this.int(15, 17) - whole)}`,
    );
    return this.chance(0.5) ? -value : value;
  }

  /**
   * A string of `length` code points from every Unicode plane: ASCII (quotes,
   * backslashes and control characters included), the BMP, supplementary
   * planes, and characters that libraries like to trim, normalise or take
   * for markers; never a lone surrogate (not text in any database).
   */
  text(length: number, options: { noNul?: boolean } = {}): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      const roll = this.next();
      let code: number;
      if (roll < 0.35) code = this.int(options.noNul ? 1 : 0, 0x7f);
      else if (roll < 0.42) code = this.pick([0x27, 0x5c, 0x22, 0x0a, 0x0d, 0x09, 0x25, 0x5f, 0x20]);
      else if (roll < 0.45) code = this.pick(TRICKY_CODE_POINTS);
      else if (roll < 0.75) code = this.int(0x80, 0xffff);
      else code = this.int(0x10000, 0x10ffff);
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      out += String.fromCodePoint(code);
    }
    return out;
  }
}

/** The shortest text that reads back as `value` (`-0` kept). */
export function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}
