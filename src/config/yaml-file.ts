import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { TributaryError } from '../core/errors.ts';
import type { Origins } from './origins.ts';

/** Reads a YAML config file into a plain object, recording the line of every key in `origins`. */
export function readYamlFile(file: string, origins: Origins): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TributaryError(
      `cannot read config file ${file} (${(error as NodeJS.ErrnoException).code ?? error})`,
      {
        code: 'CONFIG_INVALID',
        fix: 'pass the path of a readable YAML file with --config, or configure with TRIBUTARY_* variables only',
        cause: error,
      },
    );
  }
  const lineCounter = new LineCounter();
  // prettyErrors off: the default message quotes the offending source lines, which may hold a password.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((error) => {
    const line = lineCounter.linePos(error.pos[0]).line;
    return `${file}: invalid YAML: ${error.message.split('\n')[0]} (line ${line})`;
  });
  const value: unknown = errors.length > 0 ? undefined : doc.toJS();
  if (errors.length === 0 && value !== null && value !== undefined && !isPlainObject(value)) {
    errors.push(`${file}: expected a mapping of keys (name, source, kafka, …) at the top level`);
  }
  if (errors.length > 0) {
    throw new TributaryError(`invalid configuration:\n  ${errors.join('\n  ')}`, { code: 'CONFIG_INVALID' });
  }
  recordLines(doc.contents, [], file, lineCounter, origins);
  return isPlainObject(value) ? value : {};
}

function recordLines(
  node: Node | null,
  path: PropertyKey[],
  file: string,
  lineCounter: LineCounter,
  origins: Origins,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      origins.set([...path, key], {
        source: file,
        line: at === undefined ? undefined : lineCounter.linePos(at).line,
      });
      recordLines(pair.value as Node | null, [...path, key], file, lineCounter, origins);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const at = (item as Node | null)?.range?.[0];
      origins.set([...path, index], {
        source: file,
        line: at === undefined ? undefined : lineCounter.linePos(at).line,
      });
      recordLines(item as Node | null, [...path, index], file, lineCounter, origins);
    });
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
