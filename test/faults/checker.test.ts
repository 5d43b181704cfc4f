import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from './lib/checker.ts';
import { Ledger } from './lib/ledger.ts';
import type { ObservedChange } from './lib/observer.ts';

const topicOf = (table: string) => `p.s.${table}`;

function seen(...changes: Array<[number, string, number]>): ObservedChange[] {
  return changes.map(([id, op, v], i) => ({ topic: 'p.s.fa', offset: BigInt(i), id, op, v, seenAt: 0 }));
}

function ledger(): Ledger {
  const l = new Ledger();
  l.recordLoad('fa', 2);
  l.record([{ table: 'fa', id: 1, op: 'u', v: 1 }]);
  l.record([
    { table: 'fa', id: 1, op: 'u', v: 2 },
    { table: 'fa', id: 9, op: 'c', v: 0 },
  ]);
  l.record([{ table: 'fa', id: 2, op: 'd', v: 0 }]);
  return l;
}

const counts = (l: Ledger, changes: ObservedChange[]) => {
  const { lost, duplicated, outOfOrder, unexpected } = check(l, topicOf, [changes]);
  return { lost, duplicated, outOfOrder, unexpected };
};

test('the checker passes a complete delivery: snapshot reads, then every change once in order', () => {
  const report = check(ledger(), topicOf, [
    seen([1, 'r', 0], [2, 'r', 0], [1, 'u', 1], [1, 'u', 2], [9, 'c', 0], [2, 'd', 0]),
  ]);
  assert.deepEqual(
    { committed: report.committed, seen: report.seen, lost: report.lost, duplicated: report.duplicated },
    { committed: 6, seen: 6, lost: 0, duplicated: 0 },
  );
  assert.deepEqual(report.problems, []);
});

test('the checker counts lost, duplicated, out-of-order and unexpected changes per key', () => {
  assert.deepEqual(counts(ledger(), seen([1, 'r', 0], [2, 'r', 0], [1, 'u', 2], [9, 'c', 0], [2, 'd', 0])), {
    lost: 1,
    duplicated: 0,
    outOfOrder: 0,
    unexpected: 0,
  });
  assert.deepEqual(
    counts(
      ledger(),
      seen([1, 'r', 0], [2, 'r', 0], [1, 'u', 1], [1, 'u', 1], [1, 'u', 2], [9, 'c', 0], [2, 'd', 0]),
    ),
    { lost: 0, duplicated: 1, outOfOrder: 0, unexpected: 0 },
  );
  assert.deepEqual(
    counts(ledger(), seen([1, 'r', 0], [2, 'r', 0], [1, 'u', 2], [1, 'u', 1], [9, 'c', 0], [2, 'd', 0])),
    { lost: 0, duplicated: 0, outOfOrder: 1, unexpected: 0 },
  );
  // A second snapshot read of a row is a duplicate; a streamed insert instead of a loaded row's read is unexpected (and the read lost).
  assert.deepEqual(
    counts(
      ledger(),
      seen([1, 'r', 0], [1, 'r', 0], [2, 'c', 0], [1, 'u', 1], [1, 'u', 2], [9, 'c', 0], [2, 'd', 0]),
    ),
    { lost: 1, duplicated: 1, outOfOrder: 0, unexpected: 1 },
  );
});
