import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadAhead } from './read-ahead.ts';

test('the reader stays within its bound of buffered rows, whatever the consumer’s pace', async () => {
  let read = 0;
  const chunks = async function* (count: number) {
    for (let i = 0; i < count; i++) {
      read += 10;
      yield Array.from({ length: 10 }, (_, j) => i * 10 + j);
    }
  };
  const reads = new ReadAhead<number>(20);
  reads.start([() => chunks(5), () => chunks(0), () => chunks(2)]);
  let consumed = 0;
  const steps: string[] = [];
  for (;;) {
    await reads.waitFor(1);
    if (reads.buffered.length === 0) break;
    // Let the reader run as far as it may.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(read - consumed <= 20 + 10, `${read - consumed} rows read ahead`);
    const step = reads.take();
    if ('rows' in step) consumed += step.rows.length;
    steps.push('rows' in step ? `${step.table}:${step.rows[0]}` : `${step.table}:end`);
  }
  assert.deepEqual(steps, ['0:0', '0:10', '0:20', '0:30', '0:40', '0:end', '1:end', '2:0', '2:10', '2:end']);
  assert.deepEqual(reads.startedTables(), [0, 2]);
});

test('a read that fails fails the consumer after the steps read before it', async () => {
  const reads = new ReadAhead<number>(100);
  reads.start([
    async function* () {
      yield [1];
      throw new Error('connection lost');
    },
  ]);
  await reads.waitFor(1);
  assert.deepEqual(reads.take(), { table: 0, rows: [1] });
  await assert.rejects(reads.waitFor(1), /connection lost/);
});

test('closing stops the reader and closes the table being read', async () => {
  let closed = false;
  const reads = new ReadAhead<number>(1);
  reads.start([
    async function* () {
      try {
        for (let i = 0; ; i++) yield [i];
      } finally {
        closed = true;
      }
    },
  ]);
  await reads.waitFor(1);
  reads.close();
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(closed);
});
