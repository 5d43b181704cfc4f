import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../../src/core/errors.ts';
import { drainRaw } from '../harness/drain.ts';
import { SizeCheckedSink, TopicLimits, recordBatchBytes } from '../../src/kafka/record-limits.ts';
import { TransactionalSink } from '../../src/kafka/transactional-sink.ts';
import { testKafka } from '../harness/kafka-events.ts';
import { uniqueName } from '../harness/stack.ts';

const LIMIT = 20_000;

test("a record at the topic's max.message.bytes by our estimate is taken by the broker; one byte more is refused before it is sent, and the transaction goes on", async () => {
  const kafka = testKafka();
  const name = uniqueName('limits');
  const topic = `${name}.data`;
  const offsetsTopic = `${name}.offsets`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(LIMIT) }] },
      {
        topic: offsetsTopic,
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  const inner = new TransactionalSink({
    kafka,
    transactionalId: `tributary-${name}`,
    offsetsTopic,
    offsetKey: name,
    transactionTimeoutMs: 60_000,
  });
  try {
    const limits = new TopicLimits(admin);
    assert.equal(await limits.limitFor(topic), LIMIT);
    const sink = new SizeCheckedSink(inner, limits);
    await inner.connect();
    const headers = { h: 'header value' };
    const sized = (bytes: number) => {
      const base = recordBatchBytes({ key: Buffer.from('k'), value: Buffer.alloc(0), headers });
      return { topic, key: Buffer.from('k'), value: Buffer.alloc(bytes - base, 'x'), headers };
    };
    const fits = sized(LIMIT);
    assert.equal(recordBatchBytes(fits), LIMIT);
    await assert.rejects(
      sink.add([sized(LIMIT + 1)]),
      (error) => error instanceof TributaryError && error.code === 'RECORD_TOO_LARGE',
    );
    await sink.add([fits]);
    await sink.commit({ at: 1 });
    const written = await drainRaw(topic);
    assert.equal(written.length, 1);
    assert.equal(written[0]!.value!.length, fits.value.length);
    assert.deepEqual(written[0]!.headers, headers);
  } finally {
    await inner.close();
    await admin.deleteTopics({ topics: [topic, offsetsTopic] }).catch(() => {});
    await admin.disconnect();
  }
});
