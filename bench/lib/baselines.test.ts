import assert from 'node:assert/strict';
import { test } from 'node:test';
import { producerRate } from './baselines.ts';

test('reads the rate of ProducerPerformance output', () => {
  const output = [
    '9998 records sent, 1999.2 records/sec (0.38 MB/sec), 20.1 ms avg latency, 300.0 ms max latency.',
    '50000 records sent, 24557.956778 records/sec (2.34 MB/sec), 12.34 ms avg latency, 456.00 ms max latency, 3 ms 50th.',
  ].join('\n');
  assert.equal(producerRate(output), 24557.956778);
  assert.throws(() => producerRate('nothing'), /no rate/);
});
