/** Random values shared by both dialects' columns: numbers as text, JSON, calendar parts. */
import { numberText, type Random } from './random.ts';

export const pad = (n: number | bigint | string, width: number): string => String(n).padStart(width, '0');

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` of a random valid day in years `from`..`to` (years < 1 are not drawn). */
export function randomDate(random: Random, from: number, to: number): string {
  const year = random.int(from, to);
  const month = random.int(1, 12);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(random.int(1, daysInMonth(year, month)), 2)}`;
}

/** `HH:MM:SS` with hours in 0..maxHours. */
export function randomClock(random: Random, maxHours = 23): string {
  return `${pad(random.int(0, maxHours), 2)}:${pad(random.int(0, 59), 2)}:${pad(random.int(0, 59), 2)}`;
}

/** `.ffffff` with `digits` random digits (none for 0). */
export function randomFraction(random: Random, digits: number): string {
  return digits === 0 ? '' : `.${random.digits(digits)}`;
}

/** A decimal with up to p - s integer digits and up to s fraction digits, as text. */
export function randomDecimal(random: Random, precision: number, scale: number, unsigned = false): string {
  const integerDigits = random.int(0, precision - scale);
  const fractionDigits = random.int(0, scale);
  const whole = integerDigits === 0 ? '0' : random.digits(integerDigits).replace(/^0+(?=\d)/, '');
  const sign = !unsigned && random.chance(0.5) ? '-' : '';
  return `${sign}${whole}${fractionDigits > 0 ? `.${random.digits(fractionDigits)}` : ''}`;
}

/** A double: half any bit pattern (every exponent, subnormals), half with all 17 digits in a plain range. */
export function randomDouble(random: Random): string {
  return numberText(random.chance(0.5) ? random.finiteDouble() : random.plainDouble());
}

const LARGE_JSON_NUMBERS = [
  '12345678901234567890123456789',
  '-9223372036854775809',
  '18446744073709551616',
  '1e300',
  '-1.7976931348623157e308',
  '5e-324',
  '0.1',
  '-0',
  '9007199254740993',
];

/** Random JSON text: nested objects and arrays, large numbers, strings of every plane; at times 30 levels deep. */
export function randomJson(random: Random): string {
  if (!random.chance(0.05)) return jsonValue(random, random.int(0, 8));
  let text = jsonValue(random, 1);
  for (let level = 0; level < 30; level++) text = random.chance(0.5) ? `[${text}]` : `{"k${level}": ${text}}`;
  return text;
}

function jsonValue(random: Random, depth: number): string {
  const roll = random.next();
  if (depth > 0 && roll < 0.35) {
    const items = Array.from({ length: random.int(0, 4) }, () => jsonValue(random, depth - 1));
    return `[${items.join(random.pick([',', ', ']))}]`;
  }
  if (depth > 0 && roll < 0.7) {
    const members = Array.from(
      { length: random.int(0, 4) },
      () =>
        `${JSON.stringify(random.text(random.int(0, 6), { noNul: true }))}: ${jsonValue(random, depth - 1)}`,
    );
    return `{${members.join(', ')}}`;
  }
  switch (random.int(0, 5)) {
    case 0:
      return random.pick(LARGE_JSON_NUMBERS);
    case 1:
      return randomDouble(random);
    case 2:
      return String(random.bigint(-(2n ** 70n), 2n ** 70n));
    case 3:
      return random.pick(['true', 'false', 'null']);
    default:
      return JSON.stringify(random.text(random.int(0, 12), { noNul: true }));
  }
}
