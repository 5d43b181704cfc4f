import type { Admin, Kafka } from 'kafkajs';
import { testKafka } from './kafka-events.ts';
import { uniqueName } from './stack.ts';

/** A data topic and an offsets topic of their own, for a transactional sink under test; deleted on dispose. */
export interface SinkTopics extends AsyncDisposable {
  kafka: Kafka;
  admin: Admin;
  name: string;
  topic: string;
  offsetsTopic: string;
}

export async function sinkTopics(
  prefix: string,
  dataConfig: Array<{ name: string; value: string }> = [],
): Promise<SinkTopics> {
  const kafka = testKafka();
  const name = uniqueName(prefix);
  const topic = `${name}.data`;
  const offsetsTopic = `${name}.offsets`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 1, configEntries: dataConfig },
      {
        topic: offsetsTopic,
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  return {
    kafka,
    admin,
    name,
    topic,
    offsetsTopic,
    [Symbol.asyncDispose]: async () => {
      await admin.deleteTopics({ topics: [topic, offsetsTopic] }).catch(() => {});
      await admin.disconnect();
    },
  };
}
