import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertBacklog, mixedBacklog, mixedExistingRows, NARROW, updateBacklog } from './workloads.ts';

test('backlogs: every id of the range once, the mixed one over a table of half the events', () => {
  assert.equal(insertBacklog('t', NARROW, 1, 1050, 100).transactions, 11);
  assert.equal(updateBacklog('t', 1000, 100).transactions, 10);
  const mixed = mixedBacklog('t', NARROW, 1000);
  assert.equal(mixedExistingRows(1000), 500);
  assert.deepEqual([mixed.transactions, mixed.events, mixed.deletes], [10, 1000, 200]);
  const [insert, update, remove] = mixed.statements('postgres');
  assert.match(insert!, /generate_series\(501 \+ k \* 50, 500 \+ \(k \+ 1\) \* 50\)/);
  assert.match(update!, /BETWEEN 1 \+ k \* 50 AND k \* 50 \+ 30/);
  assert.match(remove!, /BETWEEN k \* 50 \+ 31 AND \(k \+ 1\) \* 50/);
  assert.match(
    insertBacklog('t', NARROW, 1, 100, 10).statements('mysql')[0]!,
    /FROM seq_1_to_100 WHERE seq BETWEEN/,
  );
});
