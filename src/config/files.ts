import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatPath } from './issues.ts';
import type { Problem } from './issues.ts';
import type { Origins } from './origins.ts';
import type { Config } from './schema.ts';
import { withUrlPassword } from './url.ts';

/**
 * The files a config names: password files are read into `password` (and the
 * source password into `source.url`); TLS files (every `ssl` group) are
 * checked readable. Relative
 * paths are resolved against the config file's directory when the file set
 * them, else against the working directory; the config keeps absolute paths.
 */
export function resolveFiles(
  config: Config,
  context: { origins: Origins; file: string | undefined; cwd: string },
): Problem[] {
  const problems: Problem[] = [];
  const locate = (path: PropertyKey[], relative: string): string => {
    const origin = context.origins.find(path);
    const base =
      context.file !== undefined && origin?.source === context.file ? dirname(context.file) : context.cwd;
    return resolve(base, relative);
  };
  const fail = (path: PropertyKey[], message: string): void => {
    const origin = context.origins.find(path);
    problems.push({
      origin: origin?.source ?? context.file ?? 'environment',
      line: origin?.source === context.file ? origin?.line : undefined,
      path: formatPath(path),
      message,
    });
  };
  const readSecret = (path: PropertyKey[], relative: string): { file: string; secret?: string } => {
    const file = locate(path, relative);
    try {
      const secret = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
      if (secret === '') fail(path, `\`${file}\` is empty`);
      return { file, secret };
    } catch (error) {
      fail(path, `cannot read \`${file}\` (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return { file };
    }
  };

  const { source, kafka, registry } = config;
  if (source.passwordFile !== undefined) {
    const { file, secret } = readSecret(['source', 'passwordFile'], source.passwordFile);
    source.passwordFile = file;
    if (secret !== undefined) {
      source.password = secret;
      source.url = withUrlPassword(source.url, secret);
    }
  }
  if (kafka.sasl?.passwordFile !== undefined) {
    const { file, secret } = readSecret(['kafka', 'sasl', 'passwordFile'], kafka.sasl.passwordFile);
    kafka.sasl.passwordFile = file;
    if (secret !== undefined) kafka.sasl.password = secret;
  }
  if (registry.passwordFile !== undefined) {
    const { file, secret } = readSecret(['registry', 'passwordFile'], registry.passwordFile);
    registry.passwordFile = file;
    if (secret !== undefined) registry.password = secret;
  }
  for (const group of ['source', 'kafka', 'registry'] as const) {
    const ssl = config[group].ssl;
    if (typeof ssl !== 'object') continue;
    for (const key of ['ca', 'cert', 'key'] as const) {
      const relative = ssl[key];
      if (relative === undefined) continue;
      const file = locate([group, 'ssl', key], relative);
      ssl[key] = file;
      try {
        accessSync(file, constants.R_OK);
      } catch (error) {
        fail(
          [group, 'ssl', key],
          `cannot read \`${file}\` (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
  }
  return problems;
}
