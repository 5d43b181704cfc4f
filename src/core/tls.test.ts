import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeEndpoint, tlsError, tlsOptions } from './tls.ts';

test('ssl settings become Node TLS options: off, system CAs, a CA file, and the verify modes', () => {
  const ca = join(mkdtempSync(join(tmpdir(), 'tls-')), 'ca.pem');
  writeFileSync(ca, 'PEM');
  assert.equal(tlsOptions(false), undefined);
  assert.equal(tlsOptions(undefined), undefined);
  assert.deepEqual(tlsOptions(true), { rejectUnauthorized: true });
  assert.deepEqual(tlsOptions({ ca, verify: 'full' }), { rejectUnauthorized: true, ca: 'PEM' });
  const caOnly = tlsOptions({ ca, verify: 'ca' })!;
  assert.equal(caOnly.rejectUnauthorized, true);
  assert.equal(caOnly.checkServerIdentity?.('other.host', {} as never), undefined, 'any host name passes');
  assert.equal(tlsOptions({ verify: 'none' })!.rejectUnauthorized, false);
});

test('a certificate failure anywhere in the cause chain names the connection and the fix', () => {
  const endpoint = { service: 'Kafka', host: 'k1', port: 9093, user: 'svc', group: 'kafka' as const };
  assert.equal(describeEndpoint(endpoint), 'Kafka at k1:9093 (user svc)');
  const wrapped = new Error('Connection error', {
    cause: Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
  });
  const untrusted = tlsError(wrapped, endpoint)!;
  assert.equal(untrusted.code, 'TLS_FAILED');
  assert.equal(
    untrusted.message,
    "Kafka at k1:9093 (user svc): TLS failed, the server's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN)",
  );
  assert.equal(
    untrusted.fix,
    "set kafka.ssl.ca to the PEM file of the CA that signed the server's certificate",
  );
  const mismatch = tlsError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, endpoint)!;
  assert.match(mismatch.message, /does not name the host k1/);
  assert.match(mismatch.fix!, /kafka\.ssl\.verify: ca/);
  assert.equal(tlsError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), endpoint), undefined);
});
