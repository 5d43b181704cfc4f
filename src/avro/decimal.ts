/**
 * Exact conversions between decimal text and the Avro `decimal` encoding: the
 * unscaled value as a two's-complement big-endian integer.
 */

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The unscaled integer of `text` at `scale` ("1.5" at scale 2 is 150n). Throws
 * rather than drop a non-zero digit or exceed `precision` digits.
 */
export function decimalToUnscaled(text: string, precision: number, scale: number): bigint {
  const fail = (reason: string): never => {
    throw new RangeError(`decimal(${precision},${scale}): ${JSON.stringify(text)} ${reason}`);
  };
  const match = DECIMAL_TEXT.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) fail('is not a decimal number');
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return 0n;
  const exponent = match?.[4] === undefined ? 0 : Number(match[4]);
  // How many places the digits move left to become the unscaled value.
  const shift = scale + exponent - fraction.length;
  if (shift < 0) {
    if (/[1-9]/.test(digits.slice(shift))) fail(`has more than ${scale} fraction digits`);
    digits = digits.slice(0, Math.max(0, digits.length + shift));
    if (digits === '') return 0n;
  } else {
    if (digits.length + shift > precision) fail(`has more than ${precision} digits`);
    digits += '0'.repeat(shift);
  }
  if (digits.length > precision) fail(`has more than ${precision} digits`);
  const unscaled = BigInt(digits);
  return match?.[1] === '-' ? -unscaled : unscaled;
}

/** Decimal text of `unscaled` at `scale`, with exactly `scale` fraction digits. */
export function unscaledToDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Minimal two's-complement big-endian bytes of `n` (as Java's BigInteger.toByteArray). */
export function bigIntToBytes(n: bigint): Buffer {
  if (n >= 0n) {
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    if (hex.charCodeAt(0) >= 0x38) hex = `00${hex}`; // leading nibble 8-f: add a sign byte
    return Buffer.from(hex, 'hex');
  }
  const bits = (-n - 1n).toString(2).length;
  const size = Math.ceil((bits + 1) / 8);
  return Buffer.from((n + (1n << BigInt(size * 8))).toString(16).padStart(size * 2, '0'), 'hex');
}

/** The integer in two's-complement big-endian `bytes` (empty means 0). */
export function bytesToBigInt(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const n = BigInt(`0x${bytes.toString('hex')}`);
  return (bytes[0]! & 0x80) === 0 ? n : n - (1n << BigInt(bytes.length * 8));
}
