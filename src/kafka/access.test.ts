import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema } from '../config/schema.ts';
import { aclCommand, kafkaAccessError, requiredAcls } from './access.ts';

const config = configSchema.parse({
  name: 'shop',
  source: { dialect: 'postgres', url: 'postgres://u:p@db/shop' },
  kafka: { brokers: ['k1:9093'], sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'secret' } },
  registry: { url: 'http://r' },
});

test('the ACLs a connector needs, as kafka-acls commands', () => {
  assert.deepEqual(
    requiredAcls(config).map((acl) => aclCommand(acl, 'svc')),
    [
      "kafka-acls --add --allow-principal 'User:svc' --operation Create --operation Write --operation Describe --operation DescribeConfigs --topic 'shop.' --resource-pattern-type prefixed",
      "kafka-acls --add --allow-principal 'User:svc' --operation Create --operation Write --operation Read --operation Describe --operation DescribeConfigs --topic 'tributary-offsets-shop'",
      "kafka-acls --add --allow-principal 'User:svc' --operation Read --group 'tributary-reader-' --resource-pattern-type prefixed",
      "kafka-acls --add --allow-principal 'User:svc' --operation Write --operation Describe --transactional-id 'tributary-shop'",
      "kafka-acls --add --allow-principal 'User:svc' --operation IdempotentWrite --cluster",
    ],
  );
});

test('an authorization failure inside kafkajs errors names the broker, the user and the ACL to add', () => {
  const denied = Object.assign(new Error('Not authorized to access topics'), {
    name: 'KafkaJSProtocolError',
    type: 'TOPIC_AUTHORIZATION_FAILED',
  });
  const wrapped = Object.assign(new Error('retries exceeded', { cause: denied }), {
    name: 'KafkaJSNumberOfRetriesExceeded',
  });
  const failure = kafkaAccessError(wrapped, config)!;
  assert.equal(failure.code, 'AUTH_FAILED');
  assert.equal(
    failure.message,
    'Kafka at k1:9093 (user svc): an ACL is missing, the broker denied access to topic shop.* or topic tributary-offsets-shop (TOPIC_AUTHORIZATION_FAILED)',
  );
  assert.match(
    failure.fix!,
    /^add the ACL: kafka-acls --add .*--topic 'shop\.' --resource-pattern-type prefixed; /,
  );
  assert.equal(kafkaAccessError(new Error('not kafka'), config), undefined);
});

test('outbox topics and a dead-letter topic outside the topic prefix get ACLs of their own', () => {
  const withExtras = configSchema.parse({
    name: 'shop',
    source: { dialect: 'postgres', url: 'postgres://u:p@db/shop' },
    kafka: { brokers: ['k1:9093'] },
    registry: { url: 'http://r' },
    errors: { tolerance: 'all', deadLetterTopic: 'dead-letters' },
    outbox: [{ table: 'public.outbox' }],
  });
  const topics = requiredAcls(withExtras)
    .filter((acl) => acl.resource === 'topic')
    .map((acl) => `${acl.name} ${acl.pattern}`);
  assert.deepEqual(topics, [
    'shop. prefixed',
    'outbox.event. prefixed',
    'dead-letters literal',
    'tributary-offsets-shop literal',
  ]);
});
