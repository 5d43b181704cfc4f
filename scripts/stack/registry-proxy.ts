/**
 * The secured stack's schema registry endpoint: HTTPS with basic auth in front
 * of Apicurio, which listens on plain HTTP on 127.0.0.1 (Apicurio's own basic
 * auth needs an OIDC server). Users: `tributary` may do anything, `reader`
 * only GET; no credentials or wrong ones get 401, a reader's write 403.
 *
 * Environment: PROXY_PORT, PROXY_BACKEND (http://host:port), PROXY_TLS_DIR
 * (server.pem, server.key), PROXY_SECRETS_DIR (registry-tributary,
 * registry-reader: one password each).
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';
import { join } from 'node:path';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const port = Number(need('PROXY_PORT'));
const backend = new URL(need('PROXY_BACKEND'));
const tls = need('PROXY_TLS_DIR');
const secrets = need('PROXY_SECRETS_DIR');
const password = (user: string): string => readFileSync(join(secrets, `registry-${user}`), 'utf8').trim();
const users = new Map([
  ['tributary', { password: password('tributary'), readOnly: false }],
  ['reader', { password: password('reader'), readOnly: true }],
]);

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The user the Authorization header proves, or undefined. */
function authenticate(header: string | undefined): { readOnly: boolean } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = users.get(decoded.slice(0, colon));
  return colon > 0 && user && sameText(decoded.slice(colon + 1), user.password) ? user : undefined;
}

function refuse(response: import('node:http').ServerResponse, status: 401 | 403, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="schema registry"' } : {}),
  });
  response.end(JSON.stringify({ error_code: status, message }));
}

const server = createServer(
  { cert: readFileSync(join(tls, 'server.pem')), key: readFileSync(join(tls, 'server.key')) },
  (incoming, response) => {
    const user = authenticate(incoming.headers.authorization);
    if (!user) return refuse(response, 401, 'Unauthorized: missing or wrong credentials');
    if (user.readOnly && incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      return refuse(response, 403, 'Forbidden: this user may only read');
    }
    const { authorization: _authorization, ...headers } = incoming.headers;
    const outgoing = request(
      {
        host: backend.hostname,
        port: backend.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...headers, host: backend.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', (error) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 502, message: `registry unreachable: ${error.message}` }));
    });
    incoming.pipe(outgoing);
  },
);
server.listen(port, '127.0.0.1', () => console.log(`registry proxy on https://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
