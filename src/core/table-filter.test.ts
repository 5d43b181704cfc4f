import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableFilter } from './table-filter.ts';

test('include and exclude globs select schema.table names', () => {
  const accepts = tableFilter({ include: ['public.*', 'sales.order?'], exclude: ['public.tmp_*'] });
  assert.equal(accepts({ schema: 'public', table: 'orders' }), true);
  assert.equal(accepts({ schema: 'public', table: 'tmp_x' }), false);
  assert.equal(accepts({ schema: 'sales', table: 'orders' }), true);
  assert.equal(accepts({ schema: 'sales', table: 'order' }), false);
  assert.equal(accepts({ schema: 'other', table: 'orders' }), false);
});

test('dots and other regex characters in globs are literal', () => {
  const accepts = tableFilter({ include: ['a.b+c'], exclude: [] });
  assert.equal(accepts({ schema: 'a', table: 'b+c' }), true);
  assert.equal(accepts({ schema: 'aXb', table: 'bbc' }), false);
});
