import type { Config } from './schema.ts';
import { redactUrl } from './url.ts';

const MASK = '***';

/**
 * A copy of the config safe to log: every `password` becomes `***` and every
 * URL loses its password. Paths of password files stay (they are not secret).
 */
export function redactConfig(config: Config): Config {
  return redact(config) as Config;
}

function redact(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, redact(inner, name)]));
  }
  if (typeof value !== 'string') return value;
  if (/password$/i.test(key)) return MASK;
  return value.includes('://') ? redactUrl(value) : value;
}
