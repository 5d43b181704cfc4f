/** Parsers for the text output of non-temporal Postgres scalars that need more than a cast. */
import { unexpectedText } from './text-errors.ts';

export function parseBoolean(text: string): boolean {
  if (text === 't') return true;
  if (text === 'f') return false;
  throw unexpectedText('boolean', text);
}

/** `bytea` in hex output (`\x0aff`), or the legacy escape output (`\012\\a`). */
export function parseBytea(text: string): Buffer {
  if (text.startsWith('\\x')) {
    const buffer = Buffer.from(text.slice(2), 'hex');
    if (buffer.length * 2 !== text.length - 2) throw unexpectedText('bytea', text);
    return buffer;
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 92) {
      if (c > 126) throw unexpectedText('bytea', text); // escape output escapes every non-ASCII byte
      bytes.push(c);
    } else if (text.charCodeAt(i + 1) === 92) {
      bytes.push(92);
      i++;
    } else {
      const octal = text.slice(i + 1, i + 4);
      if (!/^[0-3][0-7]{2}$/.test(octal)) throw unexpectedText('bytea', text);
      bytes.push(parseInt(octal, 8));
      i += 3;
    }
  }
  return Buffer.from(bytes);
}

// money as printed with lc_monetary=C: `$1,234.56`, `-$1,234.56`.
const MONEY_C = /^(-?)\$(\d{1,3}(?:,\d{3})*)(\.\d+)?$/;

/**
 * `money` → plain decimal text (`-1234.56`). Its text depends on lc_monetary;
 * only the C locale's unambiguous form is accepted (the dialect sets
 * lc_monetary=C), anything else is an error rather than a guess.
 */
export function parseMoney(text: string): string {
  const match = MONEY_C.exec(text);
  if (!match) throw unexpectedText('money', text);
  return `${match[1]}${match[2]!.replaceAll(',', '')}${match[3] ?? ''}`;
}

/**
 * A point's text `(x,y)` → the canonical spatial value: SRID 0 (4 bytes,
 * little-endian), then the little-endian WKB point. NaN, ±Infinity and -0 kept.
 */
export function parsePoint(text: string): Buffer {
  const match = /^\(([^,]+),([^,]+)\)$/.exec(text);
  if (!match) throw unexpectedText('point', text);
  const out = Buffer.alloc(4 + 21);
  out[4] = 1; // little-endian
  out.writeUInt32LE(1, 5); // WKB type 1: point
  out.writeDoubleLE(Number(match[1]), 9);
  out.writeDoubleLE(Number(match[2]), 17);
  return out;
}
