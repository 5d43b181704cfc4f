import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { readCommittedOffset } from '../../src/kafka/offset-store.ts';
import { TransactionalSink } from '../../src/kafka/transactional-sink.ts';
import { sinkTopics } from '../harness/sink-topics.ts';

const logger = pino({ level: 'silent' });

test('connecting a sink fences an older instance and aborts the transaction it left open, so the committed offset reads at once', async () => {
  await using fixture = await sinkTopics('sink');
  const { kafka, name, topic, offsetsTopic } = fixture;
  const options = {
    kafka,
    transactionalId: `tributary-${name}`,
    offsetsTopic,
    offsetKey: name,
    // Long enough that only fencing, not the broker's timeout, can end the zombie's transaction.
    transactionTimeoutMs: 300_000,
  };
  try {
    const zombie = new TransactionalSink(options);
    await zombie.connect();
    await zombie.add([{ topic, key: Buffer.from('k'), value: Buffer.from('committed') }]);
    await zombie.commit({ lsn: '0/1' });
    // A second transaction, written up to the offset but never committed: the process "dies".
    await zombie.add([{ topic, key: Buffer.from('k'), value: Buffer.from('never committed') }]);
    await (zombie as unknown as { sendPending(): Promise<void> }).sendPending();

    const successor = new TransactionalSink(options);
    await successor.connect();
    const started = Date.now();
    const stored = await readCommittedOffset({
      kafka,
      topic: offsetsTopic,
      connector: name,
      timeoutMs: 20_000,
    });
    assert.deepEqual(stored?.offset, { lsn: '0/1' });
    assert.ok(Date.now() - started < 15_000, 'the read did not wait for the zombie transaction to time out');

    // The zombie can no longer commit.
    await assert.rejects(
      zombie.commit({ lsn: '0/2' }),
      (error: Error & { code?: string }) => error.code === 'KAFKA_FENCED',
    );
    await successor.close();
    await zombie.close();
  } finally {
    logger.flush();
  }
});
