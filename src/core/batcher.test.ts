import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher } from './batcher.ts';

test('requests of one turn share a call; those made during it share the next', async () => {
  const calls: number[][] = [];
  let release: () => void = () => {};
  const batcher = new Batcher<number, number>(async (keys) => {
    calls.push(keys);
    if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
    return keys.map((k) => k * 10);
  });
  const first = [batcher.get(1), batcher.get(2)];
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const second = [batcher.get(3), batcher.get(4), batcher.get(5)];
  release();
  assert.deepEqual(await Promise.all([...first, ...second]), [10, 20, 30, 40, 50]);
  assert.deepEqual(calls, [
    [1, 2],
    [3, 4, 5],
  ]);
});

test('a failed call fails its own batch only', async () => {
  const batcher = new Batcher<number, number>(async (keys) => {
    if (keys.includes(1)) throw new Error('no 1');
    return keys;
  });
  await assert.rejects(batcher.get(1), /no 1/);
  assert.equal(await batcher.get(2), 2);
});
