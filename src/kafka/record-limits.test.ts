import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Admin } from 'kafkajs';
import { readingTopicLimits, TopicLimits } from './record-limits.ts';

/** An admin answering describeConfigs with a limit per topic, counting its requests. */
function describingAdmin(requests: string[][]): Admin {
  return {
    describeConfigs: async ({ resources }: { resources: Array<{ name: string }> }) => {
      requests.push(resources.map((r) => r.name));
      return {
        resources: resources.map((r) => ({
          resourceName: r.name,
          configEntries: [{ configName: 'max.message.bytes', configValue: '1048588' }],
        })),
      };
    },
  } as unknown as Admin;
}

test('the limits of topics made together are read in one request, as soon as the topics exist', async () => {
  const requests: string[][] = [];
  const limits = new TopicLimits(describingAdmin(requests));
  let created!: () => void;
  const creation = new Promise<void>((resolve) => (created = resolve));
  const topics = readingTopicLimits({ ensure: () => creation }, limits);

  const ensured = ['a', 'b', 'c'].map((topic) => topics.ensure([topic]));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(requests, [], 'nothing is read before the topics exist');
  created();
  await Promise.all(ensured);
  assert.deepEqual(requests, [['a', 'b', 'c']]);
  assert.equal(limits.knownLimit('b'), 1048588, 'known without waiting once ensured');
});

test('a topic that could not be made is reported as such, and its limit is not read', async () => {
  const requests: string[][] = [];
  const limits = new TopicLimits(describingAdmin(requests));
  const topics = readingTopicLimits({ ensure: () => Promise.reject(new Error('not allowed')) }, limits);
  await assert.rejects(topics.ensure(['a']), /not allowed/);
  assert.deepEqual(requests, []);
});
