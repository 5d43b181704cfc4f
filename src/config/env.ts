import type { z } from 'zod';
import { childOf, describe, elementOf, kindOf, objectKeys } from './introspect.ts';
import { closest, normalizeKey } from './suggest.ts';

/**
 * Environment overrides: `TRIBUTARY_` + the key path, levels joined by `__`
 * (`TRIBUTARY_SOURCE__SNAPSHOT__CHUNKSIZE` → `source.snapshot.chunkSize`).
 * Levels match keys ignoring case and `_` (`CHUNK_SIZE` works too). Values are
 * coerced to the type the schema expects there: numbers, booleans
 * (true/false/1/0/yes/no/on/off), lists as comma-separated values (or a JSON
 * array), maps as `schema.table=col,col;schema.table=col` (or a JSON object),
 * groups as a JSON object. An empty value leaves the key unset (an empty list
 * or map for lists and maps).
 */

export const ENV_PREFIX = 'TRIBUTARY_';
/** Not a key: the config file path, read by the CLI. */
export const CONFIG_FILE_ENV = 'TRIBUTARY_CONFIG';

type Schema = z.core.$ZodType;

export interface EnvOverride {
  variable: string;
  path: string[];
  value: unknown;
}

export interface EnvProblem {
  variable: string;
  /** The key path, when the variable named a key but its value is wrong. */
  path?: string;
  message: string;
}

/** The variable that overrides `path`, e.g. `TRIBUTARY_SOURCE__URL`. */
export function envName(path: readonly PropertyKey[]): string {
  return ENV_PREFIX + path.map((key) => String(key).toUpperCase()).join('__');
}

/** Every `TRIBUTARY_*` variable as a key path and a typed value, shallow paths first. */
export function envOverrides(
  env: NodeJS.ProcessEnv,
  root: Schema,
): { overrides: EnvOverride[]; problems: EnvProblem[] } {
  const overrides: EnvOverride[] = [];
  const problems: EnvProblem[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && name !== CONFIG_FILE_ENV)
    .sort();
  for (const variable of names) {
    const resolved = resolvePath(variable.slice(ENV_PREFIX.length), root);
    if ('message' in resolved) {
      problems.push({ variable, message: resolved.message });
      continue;
    }
    const coerced = coerce(env[variable] ?? '', resolved.schema, resolved.path);
    if ('message' in coerced)
      problems.push({ variable, path: resolved.path.join('.'), message: coerced.message });
    else if (coerced.set) overrides.push({ variable, path: resolved.path, value: coerced.value });
  }
  overrides.sort((a, b) => a.path.length - b.path.length);
  return { overrides, problems };
}

function resolvePath(rest: string, root: Schema): { path: string[]; schema: Schema } | { message: string } {
  if (rest === '')
    return {
      message: `names no key (expected ${ENV_PREFIX}<KEY>__<KEY>…, e.g. ${envName(['source', 'url'])})`,
    };
  const path: string[] = [];
  let schema = root;
  for (const segment of rest.split('__')) {
    const kind = kindOf(schema);
    if (kind === 'record') {
      return {
        message: `\`${path.join('.')}\` is a map: set all of it with ${envName(path)}=schema.table=col,col;schema.table=col`,
      };
    }
    const keys = kind === 'object' || kind === 'union' ? objectKeys(schema) : [];
    const key =
      segment === ''
        ? undefined
        : keys.find((candidate) => normalizeKey(candidate) === normalizeKey(segment));
    if (key === undefined) {
      return {
        message: `unknown key \`${[...path, segment.toLowerCase()].join('.')}\`${hint(rest, root, path, segment, keys)}`,
      };
    }
    path.push(key);
    schema = childOf(schema, key)!;
  }
  return { path, schema };
}

function hint(rest: string, root: Schema, path: string[], segment: string, keys: string[]): string {
  const tokens = rest.toLowerCase().split('_').filter(Boolean);
  const regrouped = tokens.length > 0 ? regroup(tokens, root, 0) : undefined;
  const guess =
    regrouped ?? (closest(segment, keys) === undefined ? undefined : [...path, closest(segment, keys)!]);
  return guess ? ` (did you mean \`${guess.join('.')}\`, i.e. ${envName(guess)}?)` : '';
}

/** Reads `SOURCE_SNAPSHOT_CHUNK_SIZE` as a key path however its single underscores fall. */
function regroup(tokens: string[], schema: Schema, from: number): string[] | undefined {
  if (from === tokens.length) return [];
  for (const key of objectKeys(schema)) {
    const wanted = normalizeKey(key);
    let joined = '';
    for (let to = from; to < tokens.length && joined.length < wanted.length; to++) {
      joined += tokens[to];
      if (joined !== wanted) continue;
      const rest = regroup(tokens, childOf(schema, key)!, to + 1);
      if (rest) return [key, ...rest];
    }
  }
  return undefined;
}

type Coerced = { set: true; value: unknown } | { set: false } | { message: string };

function coerce(raw: string, schema: Schema, path: string[]): Coerced {
  const text = raw.trim();
  const kind = kindOf(schema);
  const expected = (): Coerced => ({ message: `expected ${describe(schema)}` });
  if (text === '') {
    if (kind === 'array') return { set: true, value: [] };
    if (kind === 'record') return { set: true, value: {} };
    return { set: false };
  }
  switch (kind) {
    case 'integer':
    case 'number':
      return /^[+-]?\d+(\.\d+)?$/.test(text) ? { set: true, value: Number(text) } : expected();
    case 'boolean': {
      const value = parseBoolean(text);
      return value === undefined ? expected() : { set: true, value };
    }
    case 'array':
      return parseList(text, schema, path) ?? expected();
    case 'record':
      return (
        parseMap(text) ?? {
          message: 'expected `schema.table=col,col;schema.table=col` or a JSON object',
        }
      );
    case 'object':
      return (
        parseJsonObject(text) ?? {
          message: `is a group: set its keys with ${envName(path)}__<KEY>, or a JSON object`,
        }
      );
    case 'union': {
      const value = parseBoolean(text);
      if (value !== undefined) return { set: true, value };
      return parseJsonObject(text) ?? expected();
    }
    default:
      return { set: true, value: raw };
  }
}

function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  return undefined;
}

function parseList(text: string, schema: Schema, path: string[]): Coerced | undefined {
  let items: unknown[] | undefined;
  if (text.startsWith('[') && text.endsWith(']')) {
    const parsed = parseJson(text);
    if (Array.isArray(parsed)) items = parsed;
  }
  items ??= text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const element = elementOf(schema);
  const values: unknown[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || !element) {
      values.push(item);
      continue;
    }
    const coerced = coerce(item, element, path);
    if ('message' in coerced) return undefined;
    if (coerced.set) values.push(coerced.value);
  }
  return { set: true, value: values };
}

function parseMap(text: string): Coerced | undefined {
  if (text.startsWith('{')) return parseJsonObject(text);
  const map: Record<string, string[]> = {};
  for (const entry of text.split(';')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    if (equals <= 0) return undefined;
    map[entry.slice(0, equals).trim()] = entry
      .slice(equals + 1)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  return { set: true, value: map };
}

function parseJsonObject(text: string): Coerced | undefined {
  const parsed = text.startsWith('{') ? parseJson(text) : undefined;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? { set: true, value: parsed }
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
