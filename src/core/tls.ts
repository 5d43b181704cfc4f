import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsConfig } from '../config/schema.ts';
import { TributaryError } from './errors.ts';

/**
 * Node TLS options from an `ssl` config group, the same for every connection:
 * undefined when TLS is off; `verify: ca` keeps the chain check and skips the
 * host name check; `verify: none` checks nothing.
 */
export function tlsOptions(ssl: TlsConfig | undefined): ConnectionOptions | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  if (ssl === true) return { rejectUnauthorized: true };
  return {
    rejectUnauthorized: ssl.verify !== 'none',
    ...(ssl.verify === 'full' ? {} : { checkServerIdentity: () => undefined }),
    ...(ssl.ca ? { ca: readFileSync(ssl.ca, 'utf8') } : {}),
    ...(ssl.cert ? { cert: readFileSync(ssl.cert, 'utf8') } : {}),
    ...(ssl.key ? { key: readFileSync(ssl.key, 'utf8') } : {}),
  };
}

/** Whether `ssl` asks for the server's host name to be checked against its certificate. */
export function verifiesHost(ssl: TlsConfig | undefined): boolean {
  return ssl === true || (typeof ssl === 'object' && ssl.verify === 'full');
}

/** Node's codes for a certificate that does not chain to a trusted CA. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const HOSTNAME = 'ERR_TLS_CERT_ALTNAME_INVALID';

/** The TLS failure code somewhere in an error's cause chain (clients wrap it), if any. */
function tlsCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const code = current.code;
    if (typeof code === 'string' && (UNTRUSTED.has(code) || EXPIRED.has(code) || code === HOSTNAME))
      return code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** Which connection failed, for messages: `PostgreSQL at 127.0.0.1:5432 (user tributary)`. */
export interface Endpoint {
  service: string;
  host: string;
  port: string | number;
  user?: string | undefined;
  /** The config group whose `ssl` settings apply: source, kafka or registry. */
  group: 'source' | 'kafka' | 'registry';
}

export function describeEndpoint(endpoint: Endpoint): string {
  const user = endpoint.user ? ` (user ${endpoint.user})` : '';
  return `${endpoint.service} at ${endpoint.host}:${endpoint.port}${user}`;
}

/** A certificate check that failed, as one line naming the connection and the fix; undefined for other errors. */
export function tlsError(error: unknown, endpoint: Endpoint): TributaryError | undefined {
  const code = tlsCode(error);
  if (!code) return undefined;
  const where = describeEndpoint(endpoint);
  const ssl = `${endpoint.group}.ssl`;
  if (code === HOSTNAME) {
    return new TributaryError(
      `${where}: TLS failed, the server's certificate does not name the host ${endpoint.host} (${code})`,
      {
        code: 'TLS_FAILED',
        fix: `connect with a host name the certificate names, or set ${ssl}.verify: ca to check only that a trusted CA signed it`,
        cause: error,
      },
    );
  }
  if (EXPIRED.has(code)) {
    return new TributaryError(
      `${where}: TLS failed, the server's certificate is expired or not yet valid (${code})`,
      {
        code: 'TLS_FAILED',
        fix: "renew the server's certificate (and check this machine's clock)",
        cause: error,
      },
    );
  }
  return new TributaryError(`${where}: TLS failed, the server's certificate is not trusted (${code})`, {
    code: 'TLS_FAILED',
    fix: `set ${ssl}.ca to the PEM file of the CA that signed the server's certificate`,
    cause: error,
  });
}
