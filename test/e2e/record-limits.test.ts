import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TributaryError } from '../../src/core/errors.ts';
import { SizeCheckedSink, TopicLimits, recordBatchBytes } from '../../src/kafka/record-limits.ts';
import { TransactionalSink } from '../../src/kafka/transactional-sink.ts';
import { drainRaw } from '../harness/drain.ts';
import { sinkTopics } from '../harness/sink-topics.ts';

const LIMIT = 20_000;

test("records within the topic's max.message.bytes by our estimate are taken by the broker, alone or many in one transaction; one byte more is refused before it is sent, and the transaction goes on", async () => {
  await using fixture = await sinkTopics('limits', [{ name: 'max.message.bytes', value: String(LIMIT) }]);
  const { kafka, name, topic, offsetsTopic } = fixture;
  const inner = new TransactionalSink({
    kafka,
    transactionalId: `tributary-${name}`,
    offsetsTopic,
    offsetKey: name,
    transactionTimeoutMs: 60_000,
  });
  try {
    const limits = new TopicLimits(fixture.admin);
    assert.equal(await limits.limitFor(topic), LIMIT);
    inner.topicLimit = (t) => limits.knownLimit(t);
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
      async () => sink.add([sized(LIMIT + 1)]),
      (error) => error instanceof TributaryError && error.code === 'RECORD_TOO_LARGE',
    );
    await sink.add([fits]);
    // Ten records of 40% of the limit each: sent together they would make one batch over it.
    for (let i = 0; i < 10; i++) await sink.add([sized(LIMIT * 0.4)]);
    await sink.commit({ at: 1 });
    const written = await drainRaw(topic);
    assert.equal(written.length, 11);
    assert.equal(written[0]!.value!.length, fits.value.length);
    assert.deepEqual(written[0]!.headers, headers);
  } finally {
    await inner.close();
  }
});
