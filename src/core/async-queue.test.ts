import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncQueue } from './async-queue.ts';

test('items come out in order and the iteration ends after end()', async () => {
  const queue = new AsyncQueue<number>(10);
  await queue.push(1);
  await queue.push(2);
  queue.end();
  const seen: number[] = [];
  for await (const item of queue) seen.push(item);
  assert.deepEqual(seen, [1, 2]);
});

test('push waits while the queue is full', async () => {
  const queue = new AsyncQueue<number>(2);
  await queue.push(1);
  let pushed = false;
  const pending = queue.push(2).then(() => (pushed = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(pushed, false, 'the second push waits for room');
  const iterator = queue[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: 1, done: false });
  await pending;
  assert.equal(pushed, true);
});

test('fail() rejects a waiting consumer', async () => {
  const queue = new AsyncQueue<number>(2);
  const iterator = queue[Symbol.asyncIterator]();
  const next = iterator.next();
  queue.fail(new Error('socket closed'));
  await assert.rejects(next, /socket closed/);
});
