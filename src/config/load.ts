import { TributaryError } from '../core/errors.ts';
import { envOverrides } from './env.ts';
import { resolveFiles } from './files.ts';
import { formatProblem, problemsFromIssues } from './issues.ts';
import type { Problem } from './issues.ts';
import { Origins } from './origins.ts';
import { configObjectSchema, configSchema } from './schema.ts';
import type { Config } from './schema.ts';
import { isPlainObject, readYamlFile } from './yaml-file.ts';

export { redactConfig } from './redact.ts';
export { CONFIG_FILE_ENV } from './env.ts';
export type { Config } from './schema.ts';

export interface LoadConfigOptions {
  /** The YAML file; without one, the environment alone configures. */
  file?: string | undefined;
  /** Usually `process.env`; only `TRIBUTARY_*` variables are read. */
  env: NodeJS.ProcessEnv;
  /** Base for relative paths given by env vars; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Reads the YAML file (if any), applies `TRIBUTARY_*` overrides, validates,
 * fills defaults and reads password files. Throws one `TributaryError`
 * (`CONFIG_INVALID`) listing every problem, each with its origin and key path.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const { file, env } = options;
  const origins = new Origins();
  const input: Record<string, unknown> = file === undefined ? {} : readYamlFile(file, origins);

  const problems: Problem[] = [];
  const { overrides, problems: envProblems } = envOverrides(env, configObjectSchema);
  for (const { variable, path, message } of envProblems) problems.push({ origin: variable, path, message });
  for (const { variable, path, value } of overrides) {
    setAt(input, path, value);
    origins.clearUnder(path);
    origins.set(path, { source: variable });
  }

  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    problems.push(
      ...problemsFromIssues(parsed.error.issues, { root: configObjectSchema, input, origins, file }),
    );
  }
  if (problems.length > 0 || !parsed.success) throw invalid(problems, file);

  const config = parsed.data;
  const fileProblems = resolveFiles(config, { origins, file, cwd: options.cwd ?? process.cwd() });
  if (fileProblems.length > 0) throw invalid(fileProblems, file);
  return config;
}

function invalid(problems: Problem[], file: string | undefined): TributaryError {
  const lines = problems.map((problem) => `  ${formatProblem(problem)}`);
  return new TributaryError(`invalid configuration:\n${lines.join('\n')}`, {
    code: 'CONFIG_INVALID',
    fix: `correct the keys above${file === undefined ? '' : ` in ${file}`} or their TRIBUTARY_* environment variables`,
  });
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (isPlainObject(next)) {
      current = next;
    } else {
      const created: Record<string, unknown> = {};
      current[key] = created;
      current = created;
    }
  }
  current[path[path.length - 1]!] = value;
}
