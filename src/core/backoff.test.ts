import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from './backoff.ts';

const settings = { initialDelayMs: 500, maxDelayMs: 10_000 };

test('the wait doubles with each failure in a row, up to the cap', () => {
  const highest = (failures: number) => backoffDelay(failures, settings, () => 1);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 50].map(highest),
    [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000],
  );
});

test('jitter spreads the wait over the upper half of its ceiling', () => {
  assert.equal(
    backoffDelay(3, settings, () => 0),
    1000,
  );
  assert.equal(
    backoffDelay(3, settings, () => 0.5),
    1500,
  );
  for (let i = 0; i < 100; i++) {
    const wait = backoffDelay(10, settings);
    assert.ok(wait >= 5000 && wait <= 10_000, `${wait}`);
  }
});
