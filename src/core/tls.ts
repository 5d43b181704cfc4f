import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsConfig } from '../config/schema.ts';

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
