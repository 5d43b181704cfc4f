export { redactUrl } from '../core/redact.ts';
/** Connection-URL helpers. None of them puts the URL or its password in a message. */

const SCHEMES: Record<'postgres' | 'mysql', readonly string[]> = {
  postgres: ['postgres:', 'postgresql:'],
  mysql: ['mysql:', 'mariadb:'],
};

/** Why `url` cannot serve `dialect`, or undefined when it can. */
export function sourceUrlProblem(url: string, dialect: 'postgres' | 'mysql'): string | undefined {
  const expected = SCHEMES[dialect].map((scheme) => `${scheme}//`).join(' or ');
  const parsed = URL.parse(url);
  if (!parsed) return `not a valid URL (expected ${expected}user:password@host:port/database)`;
  if (!SCHEMES[dialect].includes(parsed.protocol)) {
    return `scheme \`${parsed.protocol}//\` does not match \`source.dialect: ${dialect}\` (expected ${expected})`;
  }
  if (!parsed.hostname) return 'names no host';
  return undefined;
}

/** The URL's password, decoded; undefined when it has none. */
export function urlPassword(url: string): string | undefined {
  const password = URL.parse(url)?.password;
  return password ? safeDecode(password) : undefined;
}

/** The database the URL names (its path), decoded; undefined when it names none. */
export function urlDatabase(url: string): string | undefined {
  const path = URL.parse(url)?.pathname.replace(/^\//, '');
  return path ? safeDecode(path) : undefined;
}

/** `url` with its password replaced by `password` (percent-encoded). */
export function withUrlPassword(url: string, password: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return url;
  parsed.password = encodeURIComponent(password);
  return parsed.href;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
