import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { logLevel, type LogEntry } from 'kafkajs';
import { TRANSACTIONAL_PRODUCER_RETRY } from '../../src/kafka/kafka-client.ts';
import { TransactionalSink } from '../../src/kafka/transactional-sink.ts';
import { testKafka } from '../harness/kafka-events.ts';
import { sinkTopics } from '../harness/sink-topics.ts';

// kafkajs's own text for the error (its log says nothing else about the cause).
const { errorCodes } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  errorCodes: Array<{ type: string; message: string }>;
};
const CONCURRENT_TRANSACTIONS = errorCodes.find((e) => e.type === 'CONCURRENT_TRANSACTIONS')!.message;

test('a transaction begun right after a commit meets CONCURRENT_TRANSACTIONS, and the sink retries it after the short first wait', async () => {
  await using fixture = await sinkTopics('commit-retry');
  const { name, topic, offsetsTopic } = fixture;
  /** kafkajs's waits before retrying a produce that met CONCURRENT_TRANSACTIONS. */
  const retryWaits: number[] = [];
  const kafka = testKafka({
    logLevel: logLevel.ERROR,
    logCreator:
      () =>
      ({ log }: LogEntry) => {
        // sendMessages logs each retried failure with the wait it schedules before the next attempt.
        if (log.message === `Failed to send messages: ${CONCURRENT_TRANSACTIONS}`) {
          retryWaits.push(Number(log.retryTime));
        }
      },
  });
  const sink = new TransactionalSink({
    kafka,
    transactionalId: `tributary-${name}`,
    offsetsTopic,
    offsetKey: name,
    transactionTimeoutMs: 60_000,
  });
  await sink.connect();
  try {
    // Back-to-back one-record transactions: the coordinator is often still
    // writing the previous commit's markers when the next one adds its partitions.
    for (let n = 1; n <= 1000 && retryWaits.length < 5; n++) {
      await sink.add([{ topic, key: Buffer.from(String(n)), value: Buffer.from('v') }]);
      await sink.commit({ lsn: `0/${n.toString(16)}` });
    }
  } finally {
    await sink.close();
  }

  assert.ok(retryWaits.length > 0, 'kafkajs retried no AddPartitionsToTxn for CONCURRENT_TRANSACTIONS');
  // The client-wide first wait (300 ms) stalled the stream at each of these;
  // kafkajs draws the wait within 20% of the producer's initialRetryTime.
  const longest = TRANSACTIONAL_PRODUCER_RETRY.initialRetryTime * 1.2;
  for (const wait of retryWaits) assert.ok(wait <= longest, `a retry waited ${wait} ms, over ${longest} ms`);
});
