/** The schema differ of the compatibility tests, and the README's copy of the allowed differences. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MYSQL_ALLOWED, POSTGRES_ALLOWED } from './allowed-differences.ts';
import { allows, compareSchemas, normalizeSchema } from './avro-compare.ts';

const envelope = (topic: string, valueFields: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name: 'Envelope',
  namespace: topic,
  fields: [
    {
      name: 'before',
      type: ['null', { type: 'record', name: 'Value', fields: valueFields, ...extra }],
      default: null,
    },
    { name: 'after', type: ['null', 'Value'], default: null },
    { name: 'op', type: 'string' },
  ],
  'connect.name': `${topic}.Envelope`,
});

test('equal schemas under other topic names have no difference; a namespace repeating the enclosing one is no difference', () => {
  const fields = [{ name: 'id', type: 'int' }];
  const ours = normalizeSchema(envelope('a.public.t', fields, { namespace: 'a.public.t' }), ['a.public.t']);
  const theirs = normalizeSchema(envelope('a_dbz.public.t', fields), ['a_dbz.public.t']);
  assert.deepEqual(compareSchemas(ours, theirs), []);
});

test('differences are named by record and field: types, properties, missing fields and field order', () => {
  const ours = envelope('t', [
    { name: 'id', type: 'int' },
    {
      name: 'd',
      type: ['null', { type: 'int', 'connect.name': 'io.debezium.time.Date', logicalType: 'date' }],
    },
    { name: 'extra', type: 'string' },
  ]);
  const theirs = envelope('t', [
    { name: 'd', type: ['null', { type: 'int', 'connect.name': 'io.debezium.time.Date' }] },
    { name: 'id', type: 'long' },
    { name: 'missing', type: 'string' },
  ]);
  assert.deepEqual(
    compareSchemas(ours, theirs).map((d) => d.path),
    ['Value.id.type', 'Value.d.type[1].logicalType', 'Value.extra', 'Value.missing', 'Value.fields (order)'],
  );
});

test('an allowed path covers everything below its field, and nothing else', () => {
  const entry = { path: 'Value.d', reason: '' };
  assert.ok(allows(entry, { path: 'Value.d.type[1].logicalType', ours: 1, debezium: 2 }));
  assert.ok(allows(entry, { path: 'Value.d', ours: 1, debezium: 2 }));
  assert.ok(!allows(entry, { path: 'Value.d_nn.type', ours: 1, debezium: 2 }));
  assert.ok(
    allows({ path: 'Value.*.default', reason: '' }, { path: 'Value.x.default', ours: 1, debezium: 2 }),
  );
});

test('README lists every allowed difference with its reason', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const entry of [...POSTGRES_ALLOWED, ...MYSQL_ALLOWED]) {
    assert.ok(readme.includes(`\`${entry.path}\``), `README names ${entry.path}`);
    assert.ok(readme.includes(entry.reason), `README gives the reason for ${entry.path}: ${entry.reason}`);
  }
});
