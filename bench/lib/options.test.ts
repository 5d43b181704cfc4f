import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions } from './options.ts';

test('options: defaults, quick sizes, scenario lists, BENCH_ROWS', () => {
  const full = parseOptions([]);
  assert.deepEqual(full.dialects, ['postgres', 'mysql']);
  assert.equal(full.rows, 1_000_000);
  assert.equal(full.wideRows, 100_000);
  assert.equal(full.smallTables, 1_000);
  const quick = parseOptions(['--quick', '--dialect', 'mysql', '--scenario', 'a,b', '--scenario', 'c']);
  assert.deepEqual(quick.dialects, ['mysql']);
  assert.equal(quick.rows, 50_000);
  assert.equal(quick.wideRows, 5_000);
  assert.equal(quick.smallTables, 200);
  assert.deepEqual(quick.scenarios, ['a', 'b', 'c']);
  assert.equal(parseOptions(['--rows', '2_000_000']).rows, 2_000_000);
  assert.equal(parseOptions([], { BENCH_ROWS: '3000' }).rows, 3000);
  assert.throws(() => parseOptions(['--dialect', 'oracle']), /--dialect/);
  assert.throws(() => parseOptions(['--rows', '0']), /positive/);
});
