import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { stackEnv, uniqueName } from '../harness/stack.ts';

const env = stackEnv();
const kafka = new Kafka({ clientId: 'smoke', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
const topic = uniqueName('smoke_tx');
let admin: Admin;

before(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
});

after(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
});

async function readAll(consumer: Consumer, expectCount: number): Promise<string[]> {
  const values: string[] = [];
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => resolve(), 15_000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= expectCount) {
            clearTimeout(timer);
            // Give an uncommitted or aborted record the chance to show up, were it visible.
            setTimeout(resolve, 1_000);
          }
        },
      })
      .catch(reject);
  });
  return values;
}

test('a read_committed consumer sees committed transactions and never aborted ones', async () => {
  const producer = kafka.producer({
    transactionalId: uniqueName('smoke'),
    maxInFlightRequests: 1,
    idempotent: true,
  });
  await producer.connect();

  const committed = await producer.transaction();
  await committed.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
  await committed.commit();

  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [{ value: 'aborted' }] });
  await aborted.abort();

  const last = await producer.transaction();
  await last.send({ topic, messages: [{ value: 'committed-3' }] });
  await last.commit();
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: uniqueName('smoke'), readUncommitted: false });
  await consumer.connect();
  try {
    assert.deepEqual(await readAll(consumer, 3), ['committed-1', 'committed-2', 'committed-3']);
  } finally {
    await consumer.disconnect();
  }
});

test('a second producer with the same transactional.id fences the first', async () => {
  const transactionalId = uniqueName('smoke_fence');
  const zombie = kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true });
  await zombie.connect();
  const zombieTx = await zombie.transaction();
  await zombieTx.send({ topic, messages: [{ value: 'from-zombie' }] });

  const successor = kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true });
  await successor.connect();
  const tx = await successor.transaction();
  await tx.send({ topic, messages: [{ value: 'from-successor' }] });
  await tx.commit();

  await assert.rejects(zombieTx.commit(), (error: Error) => {
    assert.match(error.name + error.message, /fenc|epoch|InvalidProducer/i);
    return true;
  });
  await zombie.disconnect().catch(() => {});
  await successor.disconnect();
});
