import assert from 'node:assert/strict';
import { test } from 'node:test';
import kafkajs, { type Admin } from 'kafkajs';
import { testKafka } from '../../test/harness/kafka-events.ts';
import { stackEnv, uniqueName } from '../../test/harness/stack.ts';
import { TopicManager } from './topics.ts';

let skip: string | false = false;
try {
  stackEnv();
} catch {
  skip = 'no local stack (.stack/env): start it with `npm run stack:up`';
}

test(
  'topics asked for together are created in one request, each with its own settings',
  { skip },
  async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const prefix = uniqueName('topics');
    const names = Array.from({ length: 40 }, (_, i) => `${prefix}.t${i}`);
    const creations: string[][] = [];
    // The real admin, counting its createTopics calls.
    const counting = new Proxy(admin, {
      get: (target, property: keyof Admin) =>
        property === 'createTopics'
          ? (options: Parameters<Admin['createTopics']>[0]) => {
              creations.push(options.topics.map((t) => t.topic));
              return target.createTopics(options);
            }
          : target[property],
    });
    try {
      const topics = new TopicManager({
        admin: counting,
        settings: {
          template: '',
          prefix: '',
          partitions: 1,
          replicationFactor: -1,
          cleanupPolicy: 'compact',
        },
      });
      const keyless = new Set(names.slice(0, 5));
      await Promise.all(
        names.map((name) =>
          topics.ensure(
            [name],
            keyless.has(name) ? { configEntries: [{ name: 'cleanup.policy', value: 'delete' }] } : {},
          ),
        ),
      );
      assert.equal(creations.length, 1, 'one createTopics request');
      assert.deepEqual(creations[0]!.toSorted(), names.toSorted());
      const listed = new Set(await admin.listTopics());
      assert.ok(
        names.every((name) => listed.has(name)),
        'every topic exists',
      );

      await topics.ensure(names);
      assert.equal(creations.length, 1, 'known topics are not created again');

      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [names[0]!, names[10]!].map((name) => ({
          type: kafkajs.ConfigResourceTypes.TOPIC,
          name,
          configNames: ['cleanup.policy'],
        })),
      });
      const policies = Object.fromEntries(
        resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue]),
      );
      assert.deepEqual(policies, { [names[0]!]: 'delete', [names[10]!]: 'compact' });
    } finally {
      await admin.deleteTopics({ topics: names }).catch(() => {});
      await admin.disconnect();
    }
  },
);
