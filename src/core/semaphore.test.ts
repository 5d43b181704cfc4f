import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Semaphore } from './semaphore.ts';

test('a semaphore lets `permits` holders in at once, the others in arrival order', async () => {
  const semaphore = new Semaphore(2);
  const order: string[] = [];
  let holding = 0;
  let most = 0;
  const hold = async (name: string) => {
    await semaphore.acquire();
    holding += 1;
    most = Math.max(most, holding);
    order.push(name);
    await new Promise((resolve) => setImmediate(resolve));
    holding -= 1;
    semaphore.release();
  };
  await Promise.all(['a', 'b', 'c', 'd', 'e'].map(hold));
  assert.equal(most, 2);
  assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e']);
});
