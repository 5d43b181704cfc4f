import type { z } from 'zod';
import { envName } from './env.ts';
import { describe, objectKeys, schemaAt } from './introspect.ts';
import type { Origins } from './origins.ts';
import { closest } from './suggest.ts';

/**
 * Turns validation issues into one line each: where the value came from, the
 * key path, what is wrong. Values are never quoted back: any of them may be a secret.
 */

type Schema = z.core.$ZodType;

export interface Problem {
  /** The config file, an env var name, or `environment`. */
  origin: string;
  line?: number | undefined;
  /** The key path, e.g. `source.tables.include`; absent when `message` names it. */
  path?: string | undefined;
  message: string;
}

export interface IssueContext {
  root: Schema;
  input: unknown;
  origins: Origins;
  file: string | undefined;
}

export function formatProblem(problem: Problem): string {
  const where = problem.path === undefined ? '' : `${problem.path}: `;
  const line = problem.line === undefined ? '' : ` (line ${problem.line})`;
  return `${problem.origin}: ${where}${problem.message}${line}`;
}

/** `source.tables.include[0]`, `topics.keyColumns["public.orders"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (String(key).includes('.')) text += `[${JSON.stringify(String(key))}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext): Problem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, [], context));
}

function problemsFromIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[], context: IssueContext): Problem[] {
  const path = [...prefix, ...issue.path];
  const input = valueAt(context.input, path);
  const schema = schemaAt(context.root, path);
  const at = (message: string, where = path): Problem => {
    const origin = context.origins.find(where);
    return {
      origin: origin?.source ?? context.file ?? 'environment',
      line: origin?.source === context.file ? origin?.line : undefined,
      path: formatPath(where),
      message,
    };
  };
  if (input === undefined && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code ?? '')) {
    return [missing(path, context)];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const guess = closest(key, schema ? objectKeys(schema) : []);
        const problem = at('', [...path, key]);
        const suggestion = guess === undefined ? '' : ` (did you mean \`${formatPath([...path, guess])}\`?)`;
        return { ...problem, path: undefined, message: `unknown key \`${problem.path}\`${suggestion}` };
      });
    case 'invalid_type': {
      if (issue.expected === 'int' && typeof input === 'number') return [at('expected a whole number')];
      return [at(`expected ${schema ? describe(schema) : issue.expected}, got ${kindOfValue(input)}`)];
    }
    case 'invalid_union': {
      // The branch whose type matched (an object for `kafka.ssl`) says what is wrong inside it.
      const branch = issue.errors.find(
        (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0),
      );
      if (branch) return branch.flatMap((inner) => problemsFromIssue(inner, path, context));
      return [at(`expected ${schema ? describe(schema) : 'a valid value'}, got ${kindOfValue(input)}`)];
    }
    case 'invalid_value':
      return [at(`expected ${schema ? describe(schema) : 'another value'}`)];
    case 'too_small':
      return [at(sizeMessage(issue.origin, 'least', issue.minimum, issue.inclusive))];
    case 'too_big':
      return [at(sizeMessage(issue.origin, 'most', issue.maximum, issue.inclusive))];
    case 'invalid_key':
      return [at(issue.issues[0]?.message ?? 'invalid key')];
    default:
      return [at(issue.message)];
  }
}

function missing(path: PropertyKey[], context: IssueContext): Problem {
  const variable = envName(path.filter((key): key is string => typeof key === 'string'));
  const origin = context.origins.find(path);
  return {
    origin: origin?.source ?? context.file ?? 'environment',
    path: formatPath(path),
    message:
      context.file === undefined
        ? `required: set ${variable}`
        : `required: set it in the file or with ${variable}`,
  };
}

function sizeMessage(
  origin: string,
  bound: 'least' | 'most',
  limit: number | bigint,
  inclusive?: boolean,
): string {
  const exclusive = inclusive === false ? ' (exclusive)' : '';
  if (origin === 'string') {
    return bound === 'least' && Number(limit) === 1
      ? 'must not be empty'
      : `must be at ${bound} ${limit} characters`;
  }
  if (origin === 'array')
    return `must list at ${bound} ${limit} ${Number(limit) === 1 ? 'entry' : 'entries'}`;
  return `must be at ${bound} ${limit}${exclusive}`;
}

function kindOfValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true/false';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'string') return 'a string';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
