import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../core/errors.ts';
import { registryError } from './registry-errors.ts';
import { schemaFingerprint } from './registry.ts';

const url = 'http://127.0.0.1:8081';
const subject = 'shop.public.orders-value';
const httpError = (status: number, message: string) =>
  Object.assign(new Error(`Confluent_Schema_Registry - ${message}`), { status });

test('an incompatible schema (409) is refused for good, naming the subject, the reason and the rule', () => {
  const error = registryError(
    httpError(
      409,
      'Schema being registered is incompatible with an earlier schema; reader type: STRING not compatible with writer type: INT',
    ),
    {
      url,
      subject,
      compatibility: 'BACKWARD',
    },
  );
  assert.equal(error.code, 'SCHEMA_REFUSED');
  assert.equal(error.retriable, false);
  assert.match(
    error.message,
    /shop\.public\.orders-value as incompatible with its BACKWARD compatibility rule: Schema being registered is incompatible .*STRING not compatible with writer type: INT/,
  );
  assert.doesNotMatch(error.message, /Confluent_Schema_Registry/);
  assert.match(error.fix ?? '', /BACKWARD compatibility to shop\.public\.orders-value/);
  assert.match(error.fix ?? '', /PUT http:\/\/127\.0\.0\.1:8081\/config\/shop\.public\.orders-value/);
  const unknownRule = registryError(httpError(409, 'no'), { url, subject, compatibility: null });
  assert.match(unknownRule.fix ?? '', /could not be read/);
  assert.match(unknownRule.message, /as incompatible \(its compatibility rule could not be read\): no$/);
});

test('an unreachable or failing registry is retriable', () => {
  const cases: unknown[] = [
    httpError(400, 'Error, status 400: connect ECONNREFUSED 127.0.0.1:8081'),
    Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    httpError(503, 'Service Unavailable'),
    httpError(500, 'Internal Server Error'),
    httpError(429, 'Too Many Requests'),
  ];
  for (const cause of cases) {
    const error = registryError(cause, { url, subject });
    assert.equal(error.code, 'REGISTRY_UNREACHABLE', String(cause));
    assert.equal(error.retriable, true);
    assert.match(error.message, /schema registry at http:\/\/127\.0\.0\.1:8081/);
  }
  assert.match(registryError(cases[1], { url }).message, /\(ECONNREFUSED\)/);
});

test('credentials and a wrong URL are configuration errors', () => {
  const auth = registryError(httpError(401, 'Unauthorized'), { url, subject });
  assert.equal(auth.code, 'CONFIG_INVALID');
  assert.match(auth.fix ?? '', /registry\.username and registry\.password/);
  const notFound = registryError(httpError(404, 'HTTP 404 Not Found'), { url, subject });
  assert.equal(notFound.code, 'CONFIG_INVALID');
  assert.match(notFound.fix ?? '', /apis\/ccompat\/v7/);
});

test('an invalid schema (422) is refused for good; a TributaryError passes through', () => {
  const invalid = registryError(httpError(422, 'Invalid schema'), { url, subject });
  assert.equal(invalid.code, 'SCHEMA_REFUSED');
  assert.equal(invalid.retriable, false);
  const original = new TributaryError('x', { code: 'KAFKA_FAILED' });
  assert.equal(registryError(original, { url }), original);
});

test('the fingerprint changes with any byte of the schema text', () => {
  assert.equal(schemaFingerprint('{"a":1}'), schemaFingerprint('{"a":1}'));
  assert.notEqual(schemaFingerprint('{"a":1}'), schemaFingerprint('{"a":2}'));
});
