/**
 * Parser for Postgres array text output: `{1,2}`, `{{1,2},{3,4}}`,
 * `{"a,b",NULL,"q\"x"}`, `{}`, and `[0:1]={1,2}` (explicit lower bounds are
 * dropped: the value is the elements in order).
 */
import { unexpectedText } from './text-errors.ts';

export type ElementParser = (text: string) => unknown;

const OPEN = 123; // {
const CLOSE = 125; // }
const QUOTE = 34; // "
const BACKSLASH = 92; // \

/**
 * A parser for arrays of one element type; `delimiter` is the element type's
 * `typdelim`. Values whose elements sit at another depth than `dimensions`
 * fail with `wrongDepth(actual)` (an empty array fits any depth).
 */
export function arrayParser(
  parseElement: ElementParser,
  delimiter: string,
  dimensions: number,
  wrongDepth: (actual: number) => Error,
): (text: string) => unknown[] {
  const delim = delimiter.charCodeAt(0);
  return (text) => {
    let pos = 0;
    if (text.charCodeAt(0) === 91 /* [ */) {
      pos = text.indexOf('=') + 1;
      if (pos === 0) throw unexpectedText('array', text);
    }
    if (text.charCodeAt(pos) !== OPEN) throw unexpectedText('array', text);

    // Iterative descent: `stack` holds the arrays still open, innermost last.
    const root: unknown[] = [];
    const stack: unknown[][] = [root];
    pos++;
    while (stack.length > 0) {
      const current = stack[stack.length - 1]!;
      const c = text.charCodeAt(pos);
      if (c === CLOSE) {
        stack.pop();
        pos++;
      } else if (c === OPEN) {
        const inner: unknown[] = [];
        current.push(inner);
        stack.push(inner);
        pos++;
        continue;
      } else if (Number.isNaN(c)) {
        throw unexpectedText('array', text);
      } else if (stack.length !== dimensions) {
        throw wrongDepth(stack.length);
      } else if (c === QUOTE) {
        let value = '';
        let from = ++pos;
        for (;;) {
          const q = text.charCodeAt(pos);
          if (q === QUOTE) break;
          if (Number.isNaN(q)) throw unexpectedText('array', text);
          if (q === BACKSLASH) {
            value += text.slice(from, pos);
            from = ++pos;
          }
          pos++;
        }
        value += text.slice(from, pos);
        current.push(parseElement(value));
        pos++;
      } else {
        let end = pos;
        for (;;) {
          const u = text.charCodeAt(end);
          if (u === delim || u === CLOSE || Number.isNaN(u)) break;
          end++;
        }
        const raw = trimArraySpace(text.slice(pos, end));
        current.push(raw.length === 4 && raw.toUpperCase() === 'NULL' ? null : parseElement(raw));
        pos = end;
      }
      // After an element or a closed sub-array: a delimiter, or the end of the enclosing array.
      if (stack.length > 0 && text.charCodeAt(pos) === delim) pos++;
    }
    if (pos !== text.length) throw unexpectedText('array', text);
    return root;
  };
}

/**
 * Trims what Postgres counts as space around an unquoted element (its
 * `array_isspace`: space, \t, \n, \v, \f, \r). Not JS `trim()`, which also
 * strips Unicode spaces such as U+00A0 that the server leaves unquoted.
 */
function trimArraySpace(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isArraySpace(raw.charCodeAt(start))) start++;
  while (end > start && isArraySpace(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

function isArraySpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
