/**
 * Parsers for the text output of Postgres dates, times, timestamps and
 * intervals, as printed with `DateStyle=ISO` (any TimeZone, any IntervalStyle
 * of `postgres` or `iso_8601`).
 */
import { unexpectedText } from './text-errors.ts';
import { daysFromCivil, digits } from '../../src/core/civil-date.ts';

/** Sentinels for `infinity`/`-infinity` dates: the int32 extremes, beyond any real date. */
export const DATE_INFINITY = 2147483647;
export const DATE_NEG_INFINITY = -2147483648;
/** Sentinels for `infinity`/`-infinity` timestamps (micros): the int64 extremes. */
export const TIMESTAMP_INFINITY = 9223372036854775807n;
export const TIMESTAMP_NEG_INFINITY = -9223372036854775808n;

/** Called when a value cannot be represented exactly and a documented substitute is used. */
export type LossHandler = (message: string) => void;

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000];
// |seconds| below this times 1e6 plus a fraction stays under 2^53: exact in a double.
const SAFE_SECONDS = 9_000_000_000;

function isBC(text: string): boolean {
  return text.endsWith(' BC');
}

/** Reads `Y...Y-MM-DD` at the start of `text`; returns [days, index after the day] or null. */
function readDate(text: string, bc: boolean): [number, number] | null {
  const dash = text.indexOf('-', 1);
  if (dash < 4 || text.charCodeAt(dash + 3) !== 45 /* - */) return null;
  const year = digits(text, 0, dash);
  const month = digits(text, dash + 1, dash + 3);
  const day = digits(text, dash + 4, dash + 6);
  if (Number.isNaN(year + month + day)) return null;
  return [daysFromCivil(bc ? 1 - year : year, month, day), dash + 6];
}

/** `date` → days since 1970-01-01; infinities → DATE_INFINITY / DATE_NEG_INFINITY. */
export function parseDate(text: string): number {
  if (text === 'infinity') return DATE_INFINITY;
  if (text === '-infinity') return DATE_NEG_INFINITY;
  const bc = isBC(text);
  const date = readDate(text, bc);
  if (!date || date[1] !== text.length - (bc ? 3 : 0)) throw unexpectedText('date', text);
  return date[0];
}

/** Reads `HH:MM:SS[.ffffff]` at `start`; returns [seconds, micros, index after] or null. */
function readTime(text: string, start: number): [number, number, number] | null {
  if (text.charCodeAt(start + 2) !== 58 || text.charCodeAt(start + 5) !== 58) return null;
  const seconds =
    digits(text, start, start + 2) * 3600 +
    digits(text, start + 3, start + 5) * 60 +
    digits(text, start + 6, start + 8);
  if (Number.isNaN(seconds)) return null;
  let i = start + 8;
  let micros = 0;
  if (text.charCodeAt(i) === 46 /* . */) {
    const from = ++i;
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      micros = micros * 10 + d;
    }
    if (i === from || i - from > 6) return null;
    micros *= POWERS_OF_TEN[6 - (i - from)]!;
  }
  return [seconds, micros, i];
}

/** Reads a `±HH[:MM[:SS]]` UTC offset spanning `text[start, end)`; returns seconds east of UTC. */
function readOffset(text: string, start: number, end: number): number {
  const sign = text.charCodeAt(start);
  if ((sign !== 43 && sign !== 45) || (end - start - 3) % 3 !== 0) return NaN;
  let seconds = digits(text, start + 1, start + 3) * 3600;
  if (end - start > 3) seconds += digits(text, start + 4, start + 6) * 60;
  if (end - start > 6) seconds += digits(text, start + 7, start + 9);
  return sign === 45 ? -seconds : seconds;
}

/** `time` → microseconds since midnight (`24:00:00` is 86 400 000 000). */
export function parseTime(text: string): bigint {
  const time = readTime(text, 0);
  if (!time || time[2] !== text.length) throw unexpectedText('time', text);
  return BigInt(time[0] * MICROS_PER_SECOND + time[1]);
}

/** `timetz` → ISO 8601 text that keeps the offset, normalised to `HH:MM:SS[.ffffff]±HH:MM[:SS]`. */
export function parseTimeTz(text: string): string {
  const time = readTime(text, 0);
  if (!time || Number.isNaN(readOffset(text, time[2], text.length)))
    throw unexpectedText('time with time zone', text);
  return text.length - time[2] === 3 ? `${text}:00` : text;
}

/**
 * Makes a `timestamp` (local) or `timestamptz` parser → microseconds since
 * 1970-01-01 (UTC for timestamptz). Infinities map to the int64 sentinels;
 * the few real values that overflow int64 micros since 1970 (after
 * 294247-01-10T04:00:54.775807) are clamped to them and reported.
 */
export function timestampParser(withZone: boolean, onLoss: LossHandler): (text: string) => bigint {
  const kind = withZone ? 'timestamp with time zone' : 'timestamp without time zone';
  return (text) => {
    if (text === 'infinity') return TIMESTAMP_INFINITY;
    if (text === '-infinity') return TIMESTAMP_NEG_INFINITY;
    const bc = isBC(text);
    const end = bc ? text.length - 3 : text.length;
    const date = readDate(text, bc);
    const time = date && text.charCodeAt(date[1]) === 32 ? readTime(text, date[1] + 1) : null;
    if (!date || !time) throw unexpectedText(kind, text);
    let seconds = date[0] * SECONDS_PER_DAY + time[0];
    if (withZone) {
      const offset = readOffset(text, time[2], end);
      if (Number.isNaN(offset)) throw unexpectedText(kind, text);
      seconds -= offset;
    } else if (time[2] !== end) {
      throw unexpectedText(kind, text);
    }
    if (seconds < SAFE_SECONDS && seconds > -SAFE_SECONDS)
      return BigInt(seconds * MICROS_PER_SECOND + time[1]);
    const micros = BigInt(seconds) * 1_000_000n + BigInt(time[1]);
    if (micros >= TIMESTAMP_INFINITY) {
      onLoss(`${kind} ${text} is beyond the int64 microsecond range; sent as the infinity sentinel`);
      return TIMESTAMP_INFINITY;
    }
    return micros;
  };
}

/**
 * `interval` → ISO 8601 duration exactly as Postgres prints it with
 * `IntervalStyle=iso_8601` (`P1Y2M3DT4H5M6.5S`, `P-1Y-2M3DT-4H`, `PT0S`): each
 * field keeps its own sign, and months, days and time stay separate, so it is
 * lossless. Accepts the `postgres` (default) and `iso_8601` output styles.
 */
export function parseInterval(text: string): string {
  if (text.charCodeAt(0) === 80 /* P */ || text === 'infinity' || text === '-infinity') return text;
  const tokens = text.split(' ');
  let out = 'P';
  let time = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.includes(':')) {
      if (i !== tokens.length - 1) throw unexpectedText('interval', text);
      time = isoTime(token, text);
      break;
    }
    const n = Number(token);
    const unit = tokens[++i];
    if (!Number.isInteger(n) || unit === undefined) throw unexpectedText('interval', text);
    const letter = unit.startsWith('year')
      ? 'Y'
      : unit.startsWith('mon')
        ? 'M'
        : unit.startsWith('day')
          ? 'D'
          : '';
    if (!letter) throw unexpectedText('interval', text);
    if (n !== 0) out += `${n}${letter}`;
  }
  if (time) out += `T${time}`;
  return out === 'P' ? 'PT0S' : out;
}

/** `[-+]H+:MM:SS[.f+]` → `nHnMn.nS` with zero fields left out, each field signed. */
function isoTime(token: string, text: string): string {
  const negative = token.charCodeAt(0) === 45;
  const start = negative || token.charCodeAt(0) === 43 ? 1 : 0;
  const colon = token.indexOf(':', start);
  const hours = digits(token, start, colon);
  const minutes = digits(token, colon + 1, colon + 3);
  const seconds = digits(token, colon + 4, colon + 6);
  if (Number.isNaN(hours + minutes + seconds) || token.charCodeAt(colon + 3) !== 58) {
    throw unexpectedText('interval', text);
  }
  let fraction = '';
  if (token.length > colon + 6) {
    fraction = token.slice(colon + 7).replace(/0+$/, '');
    if (token.charCodeAt(colon + 6) !== 46 || Number.isNaN(digits(token, colon + 7, token.length))) {
      throw unexpectedText('interval', text);
    }
  }
  const sign = negative ? '-' : '';
  let out = '';
  if (hours !== 0) out += `${sign}${hours}H`;
  if (minutes !== 0) out += `${sign}${minutes}M`;
  if (seconds !== 0 || fraction) out += `${sign}${seconds}${fraction ? `.${fraction}` : ''}S`;
  return out;
}
