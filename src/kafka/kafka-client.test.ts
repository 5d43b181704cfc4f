import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIENT_RETRY, TRANSACTIONAL_PRODUCER_RETRY, retryWindowMs } from './kafka-client.ts';

test('retryWindowMs adds kafkajs nominal waits: doubling, capped', () => {
  assert.equal(retryWindowMs({ retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 }), 9_300);
  assert.equal(retryWindowMs({ retries: 3, initialRetryTime: 1_000, maxRetryTime: 1_500 }), 4_000);
  assert.equal(retryWindowMs({ retries: 0, initialRetryTime: 300, maxRetryTime: 5_000 }), 0);
});

test('the transactional producer retries CONCURRENT_TRANSACTIONS after about 20 ms, as the Java client does', () => {
  // kafkajs retries AddPartitionsToTxn's CONCURRENT_TRANSACTIONS (the previous
  // commit's markers still being written) with the producer's retry: a
  // first wait of the client's 300 ms stalled the stream after many commits.
  assert.ok(TRANSACTIONAL_PRODUCER_RETRY.initialRetryTime <= 25);
});

test('the transactional producer gives up no sooner, and not much later, than the client, so outages reach the run loop as before', () => {
  const producer = retryWindowMs(TRANSACTIONAL_PRODUCER_RETRY);
  const client = retryWindowMs(CLIENT_RETRY);
  assert.ok(producer >= client, `${producer} ms >= ${client} ms`);
  assert.ok(producer <= client * 1.5, `${producer} ms <= 1.5 x ${client} ms`);
  assert.equal(TRANSACTIONAL_PRODUCER_RETRY.maxRetryTime, CLIENT_RETRY.maxRetryTime);
});
