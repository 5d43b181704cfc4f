/**
 * What the connector's Kafka principal must be allowed to do, and the
 * authentication, TLS and authorization failures of the Kafka connection as
 * one line naming the broker and user, with the fix (for a missing ACL: the
 * ACL to add).
 */
import type { Config } from '../config/schema.ts';
import { TributaryError } from '../core/errors.ts';
import { describeEndpoint, tlsError, type Endpoint } from '../core/tls.ts';
import { OFFSETS_READER_GROUP_PREFIX } from './offset-store.ts';
import { isKafkaJsError, kafkaError } from './transactional-sink.ts';

export type AclResource = 'topic' | 'group' | 'transactional-id' | 'cluster';

export interface RequiredAcl {
  resource: AclResource;
  /** Empty for the cluster. */
  name: string;
  pattern: 'literal' | 'prefixed';
  operations: string[];
  /** Why the connector needs it. */
  reason: string;
}

/**
 * A failure as the TributaryError a user should see: Kafka logins, TLS and
 * ACLs named with their fix, other kafkajs errors classified like the sink's,
 * our own errors as they are; undefined for anything else (a bug).
 */
export function knownFailure(error: unknown, config: Config): TributaryError | undefined {
  const access = kafkaAccessError(error, config);
  if (access) return access;
  if (error instanceof TributaryError) return error;
  if (isKafkaJsError(error)) return kafkaError(error);
  return undefined;
}

/** The transactional id of a connector's producer. */
export function transactionalIdOf(name: string): string {
  return `tributary-${name}`;
}

/**
 * The literal start of every topic name the template makes, e.g.
 * `shop.` for `{prefix}.{schema}.{table}` with prefix `shop`.
 */
function topicNamePrefix(config: Config): string {
  const template = config.topics.template.replaceAll('{prefix}', config.topics.prefix);
  const placeholder = template.indexOf('{');
  return placeholder === -1 ? template : template.slice(0, placeholder);
}

/** Exactly what the connector needs: its topics, its offsets topic, its transactional id, idempotent writes. */
export function requiredAcls(config: Config): RequiredAcl[] {
  const prefix = topicNamePrefix(config);
  // Topics are created, written, and their max.message.bytes read (records too large are refused before sending).
  const writtenTopic = ['Create', 'Write', 'Describe', 'DescribeConfigs'];
  const elsewhere = (name: string) => !name.startsWith(prefix);
  return [
    {
      resource: 'topic',
      name: prefix,
      pattern: 'prefixed',
      operations: writtenTopic,
      reason: 'create and write the change topics',
    },
    ...config.outbox
      .map((outbox) => `${outbox.topicPrefix}.`)
      .filter(elsewhere)
      .map((name) => ({
        resource: 'topic' as const,
        name,
        pattern: 'prefixed' as const,
        operations: writtenTopic,
        reason: 'create and write the outbox topics',
      })),
    ...(config.errors.tolerance === 'all' && elsewhere(config.errors.deadLetterTopic)
      ? [
          {
            resource: 'topic' as const,
            name: config.errors.deadLetterTopic,
            pattern: 'literal' as const,
            operations: writtenTopic,
            reason: 'write the dead-letter topic',
          },
        ]
      : []),
    {
      resource: 'topic',
      name: config.topics.offsets,
      pattern: 'literal',
      operations: ['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs'],
      reason: 'keep the committed positions',
    },
    {
      resource: 'group',
      name: OFFSETS_READER_GROUP_PREFIX,
      pattern: 'prefixed',
      operations: ['Read'],
      reason: 'read the offsets topic at start',
    },
    {
      resource: 'transactional-id',
      name: transactionalIdOf(config.name),
      pattern: 'literal',
      operations: ['Write', 'Describe'],
      reason: 'write in transactions',
    },
    {
      resource: 'cluster',
      name: '',
      pattern: 'literal',
      operations: ['IdempotentWrite'],
      reason: 'idempotent producing',
    },
  ];
}

/** The kafka-acls command that adds `acl` for `principal`. */
export function aclCommand(acl: RequiredAcl, principal: string): string {
  const operations = acl.operations.map((operation) => `--operation ${operation}`).join(' ');
  const resource = acl.resource === 'cluster' ? '--cluster' : `--${acl.resource} '${acl.name}'`;
  const pattern = acl.pattern === 'prefixed' ? ' --resource-pattern-type prefixed' : '';
  return `kafka-acls --add --allow-principal 'User:${principal}' ${operations} ${resource}${pattern}`;
}

const ACL_ERRORS: Record<string, AclResource> = {
  TOPIC_AUTHORIZATION_FAILED: 'topic',
  GROUP_AUTHORIZATION_FAILED: 'group',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'transactional-id',
  CLUSTER_AUTHORIZATION_FAILED: 'cluster',
};

interface KafkaJsFields {
  name?: string;
  type?: string;
  message?: string;
  broker?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** Every error in a kafkajs error's cause chain and aggregated errors, outermost first. */
function errorsWithin(error: unknown, depth = 0): KafkaJsFields[] {
  if (error === null || typeof error !== 'object' || depth > 6) return [];
  const fields = error as KafkaJsFields;
  return [
    fields,
    ...errorsWithin(fields.cause, depth + 1),
    ...(Array.isArray(fields.errors) ? fields.errors.flatMap((inner) => errorsWithin(inner, depth + 1)) : []),
  ];
}

function kafkaEndpoint(config: Config, broker: string | undefined): Endpoint {
  const address = broker ?? config.kafka.brokers[0] ?? '';
  const colon = address.lastIndexOf(':');
  return {
    service: 'Kafka',
    host: colon === -1 ? address : address.slice(0, colon),
    port: colon === -1 ? '' : address.slice(colon + 1),
    user: config.kafka.sasl?.username,
    group: 'kafka',
  };
}

/**
 * A failed SASL login, TLS handshake or ACL check, as one line naming the
 * broker and user and the fix; undefined for any other failure. Takes the
 * kafkajs error, or a TributaryError the sink made of one.
 */
export function kafkaAccessError(error: unknown, config: Config): TributaryError | undefined {
  const original = error instanceof TributaryError && error.code.startsWith('KAFKA_') ? error.cause : error;
  if (!isKafkaJsError(original)) return undefined;
  const chain = errorsWithin(original);
  const broker = chain.find((inner) => inner.broker)?.broker;
  const endpoint = kafkaEndpoint(config, broker);
  const where = describeEndpoint(endpoint);

  const tls = tlsError(original, endpoint);
  if (tls) return tls;

  const mechanism = config.kafka.sasl?.mechanism ?? 'none';
  if (chain.some((inner) => inner.type === 'UNSUPPORTED_SASL_MECHANISM')) {
    return new TributaryError(`${where}: the broker does not enable the SASL mechanism ${mechanism}`, {
      code: 'AUTH_FAILED',
      fix: 'set kafka.sasl.mechanism to one the listener enables (its sasl.enabled.mechanisms), e.g. scram-sha-512',
      cause: original,
    });
  }
  const sasl = chain.find((inner) => inner.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) {
    return new TributaryError(
      `${where} refused the SASL ${mechanism} login: wrong password or unknown user (${sasl.message ?? 'authentication failed'})`,
      {
        code: 'AUTH_FAILED',
        fix: 'check kafka.sasl.username and kafka.sasl.password (or kafka.sasl.passwordFile); SCRAM users exist per mechanism (kafka-configs --alter --add-config SCRAM-SHA-512=[password=…] --entity-type users --entity-name <user>)',
        cause: original,
      },
    );
  }

  // kafkajs drops the broker's answer to FindCoordinator (a transactional id
  // or group the user may not describe) and reports no coordinator at all.
  // Without ACLs this is an outage (retried); with SASL, name the likely ACLs.
  if (config.kafka.sasl && chain.some((inner) => inner.name === 'KafkaJSGroupCoordinatorNotFound')) {
    const principal = config.kafka.sasl.username;
    const likely = requiredAcls(config).filter(
      (acl) => acl.resource === 'transactional-id' || acl.resource === 'group',
    );
    return new TributaryError(
      `${where} found no coordinator for the transactional id ${transactionalIdOf(config.name)} or the group ${OFFSETS_READER_GROUP_PREFIX}*: an ACL is likely missing (KafkaJSGroupCoordinatorNotFound)`,
      {
        code: 'AUTH_FAILED',
        retriable: true,
        fix: `add the ACLs: ${likely.map((acl) => aclCommand(acl, principal)).join('; ')}`,
        cause: original,
      },
    );
  }

  const denied = chain.find((inner) => inner.type !== undefined && inner.type in ACL_ERRORS);
  if (denied) {
    const resource = ACL_ERRORS[denied.type!]!;
    const principal = config.kafka.sasl?.username ?? 'ANONYMOUS';
    const missing = requiredAcls(config).filter((acl) => acl.resource === resource);
    const names = missing.map((acl) =>
      acl.resource === 'cluster'
        ? 'the cluster'
        : `${acl.resource} ${acl.name}${acl.pattern === 'prefixed' ? '*' : ''}`,
    );
    return new TributaryError(
      `${where}: an ACL is missing, the broker denied access to ${names.join(' or ')} (${denied.type})`,
      {
        code: 'AUTH_FAILED',
        fix: `add the ACL: ${missing.map((acl) => aclCommand(acl, principal)).join('; ')}`,
        cause: original,
      },
    );
  }
  return undefined;
}
