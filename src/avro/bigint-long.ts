/**
 * A 64-bit Avro `long` read as a bigint (avsc's own stops at ±2^53). Writing
 * also takes a safe-integer number (millisecond times), so callers need not
 * convert.
 *
 * Built with `noUnpack`: avsc hands over and takes the zig-zag varint bytes
 * themselves, which we compute in number arithmetic whenever the value allows.
 */
import avro from 'avsc';
import type { Type } from 'avsc';

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;
const MAX_EXACT = 2 ** 52; // |n| ≤ 2^52: the zig-zag value (≤ 2^53) is still exact as a number
// avsc copies the bytes out before the next call, so one scratch buffer serves;
// views of each length spare a subarray per value.
const varint = Buffer.alloc(10);
const views = Array.from({ length: 11 }, (_, length) => varint.subarray(0, length));

export function isLong(value: unknown): boolean {
  if (typeof value === 'bigint') return value >= MIN_LONG && value <= MAX_LONG;
  return Number.isSafeInteger(value);
}

/** Zig-zag varint bytes of a long (a view of a shared scratch buffer). */
export function encodeLong(value: bigint | number): Buffer {
  // Exact for any bigint within ±2^52, and beyond it lands outside the range.
  const n = typeof value === 'number' ? value : Number(value);
  let i = 0;
  if (n >= -MAX_EXACT && n <= MAX_EXACT) {
    let zz = n >= 0 ? n * 2 : -n * 2 - 1;
    while (zz >= 0x80) {
      varint[i++] = (zz % 0x80) | 0x80;
      zz = Math.floor(zz / 0x80);
    }
    varint[i++] = zz;
  } else {
    // Beyond 2^52: the zig-zag value in two exact 32-bit halves, then number arithmetic.
    const big = typeof value === 'bigint' ? value : BigInt(value);
    const zz = big >= 0n ? big << 1n : (-big << 1n) - 1n;
    let lo = Number(zz & 0xffffffffn);
    let hi = Number(zz >> 32n);
    while (hi > 0 || lo >= 0x80) {
      varint[i++] = (lo % 0x80) | 0x80;
      lo = Math.floor(lo / 0x80) + (hi % 0x80) * 0x2000000; // the low 7 bits of hi move into lo's top
      hi = Math.floor(hi / 0x80);
    }
    varint[i++] = lo;
  }
  return views[i]!;
}

/** The long in zig-zag varint `bytes`. */
export function decodeLong(bytes: Buffer): bigint {
  if (bytes.length <= 7) {
    // up to 49 bits: exact in number arithmetic
    let zz = 0;
    for (let i = bytes.length - 1; i >= 0; i -= 1) zz = zz * 0x80 + (bytes[i]! & 0x7f);
    return BigInt(zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2);
  }
  let zz = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) zz = (zz << 7n) | BigInt(bytes[i]! & 0x7f);
  return (zz >> 1n) ^ -(zz & 1n);
}

export const bigIntLong: Type = avro.types.LongType.__with(
  {
    fromBuffer: decodeLong,
    toBuffer: encodeLong,
    fromJSON: (value: bigint | number | string): bigint => BigInt(value),
    // JSON has no bigint: large values travel as digit strings.
    toJSON: (value: bigint | number): number | string =>
      Number.isSafeInteger(Number(value)) ? Number(value) : value.toString(),
    isValid: isLong,
    compare: (a: bigint | number, b: bigint | number): number => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
);
