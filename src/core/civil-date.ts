/**
 * Calendar arithmetic shared by the dialects' temporal parsers: exact, with no
 * JS Date (whose range and time-zone handling would lose values).
 */

/** Parses `text[start, end)` as unsigned decimal digits; NaN when empty or not all digits. */
export function digits(text: string, start: number, end: number): number {
  if (end <= start || end > text.length) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days from 1970-01-01 to a proleptic Gregorian date with an astronomical year (1 BC = 0). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
