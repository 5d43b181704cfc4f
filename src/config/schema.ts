import { z } from 'zod';
import {
  defaultClientId,
  defaultOffsetsTopic,
  defaultPublication,
  defaultServerId,
  defaultSlot,
} from './derive.ts';
import { sourceUrlProblem, urlDatabase, urlPassword, withUrlPassword } from './url.ts';

/**
 * The YAML configuration. Every group is strict (an unknown key is an error)
 * and every key a user may leave out has a default. Keys are spelt the same in
 * YAML and in code; `TRIBUTARY_<PATH>` environment variables override any key
 * (see load.ts).
 */

const TOPIC_CHARS = /^[A-Za-z0-9._-]+$/;
const TEMPLATE_PLACEHOLDERS = ['prefix', 'schema', 'table'] as const;

const nonEmpty = z.string().min(1);
const topicName = z
  .string()
  .min(1)
  .max(249)
  .regex(TOPIC_CHARS, { error: 'may only contain letters, digits, `.`, `_` and `-` (a Kafka topic name)' })
  .refine((name) => name !== '.' && name !== '..', { error: 'is not a valid Kafka topic name' });
const tableGlob = z.string().regex(/^[^.\s]+\.[^.\s]+$/, {
  error: 'expected `schema.table` globs (MySQL: `database.table`), e.g. `public.*`',
});
const tableName = z.string().regex(/^[^.\s]+\.[^.\s]+$/, {
  error: 'expected a `schema.table` name (MySQL: `database.table`), e.g. `public.orders`',
});
const pgIdentifier = z.string().regex(/^[a-z0-9_]{1,63}$/, {
  error: 'may only contain lower-case letters, digits and `_`, at most 63 characters',
});
const filePath = nonEmpty;

/**
 * TLS for any connection: `true` (the system's CAs, full verification) or a
 * group. `verify`: `full` checks the certificate chains to a trusted CA and
 * names the host; `ca` only the chain; `none` checks nothing (encryption only).
 */
const tlsSchema = z.union([
  z.boolean(),
  z
    .strictObject({
      /** PEM file of the CA(s) to trust instead of the system's. */
      ca: filePath.optional(),
      /** PEM client certificate and its key, for servers that ask for one. */
      cert: filePath.optional(),
      key: filePath.optional(),
      verify: z.enum(['full', 'ca', 'none']).default('full'),
    })
    .refine((ssl) => (ssl.cert === undefined) === (ssl.key === undefined), {
      error: 'set both `cert` and `key`, or neither',
    }),
]);
export type TlsConfig = z.output<typeof tlsSchema>;

const sourceSchema = z
  .strictObject({
    dialect: z.enum(['postgres', 'mysql']),
    /** postgres://… or postgresql://… for postgres; mysql://… or mariadb://… for mysql. */
    url: nonEmpty,
    /** Overrides the URL's password. After loading, the effective password (also written into `url`). */
    password: z.string().optional(),
    /** A file holding the password (a container secret); trailing newline ignored. */
    passwordFile: filePath.optional(),
    /** TLS to the database; off by default (a URL's own sslmode=… also works for Postgres). */
    ssl: tlsSchema.default(false),
    tables: z
      .strictObject({
        /** Default: `public.*` (postgres) or `<database of the URL>.*` (mysql). */
        include: z.array(tableGlob).min(1).optional(),
        exclude: z.array(tableGlob).default([]),
      })
      .prefault({}),
    /** Postgres: `full` sets REPLICA IDENTITY FULL on captured tables at start; `keep` leaves them. */
    replicaIdentity: z.enum(['full', 'keep']).default('full'),
    /**
     * Postgres: publish whole schemas (FOR TABLES IN SCHEMA) or all tables, so
     * tables created while streaming are captured from their first row. Needs
     * a superuser to create the publication; falls back with a warning.
     */
    captureNewTables: z.boolean().default(true),
    /** Postgres replication slot. Default `tributary_<name>`. */
    slot: pgIdentifier.optional(),
    /** Postgres publication. Default `tributary_<name>`. */
    publication: pgIdentifier.optional(),
    /** MySQL replica server id. Default derived from `name`, in 2^31..2^32-2. */
    serverId: z.int().min(1).max(4294967295).optional(),
    snapshot: z
      .strictObject({
        /** Debezium's snapshot modes: see src/core/snapshot-mode.ts. */
        mode: z.enum(['initial', 'never', 'when_needed', 'initial_only', 'no_data']).default('initial'),
        chunkSize: z.int().min(1).default(10000),
        /** Rows per chunk of an incremental snapshot (`tributary snapshot`), read between two watermarks. */
        incrementalChunkSize: z.int().min(1).default(1024),
      })
      .prefault({}),
    /**
     * Debezium's signal table: `execute-snapshot` rows start incremental
     * snapshots, and their watermarks are written there. Created if missing.
     * Default `public.tributary_signals` (postgres) or `<database of the URL>.tributary_signals`.
     */
    signal: z
      .strictObject({
        enabled: z.boolean().default(true),
        table: tableName.optional(),
      })
      .prefault({}),
    /** 0 turns heartbeats off. */
    heartbeatIntervalMs: z
      .int()
      .min(0)
      .refine((ms) => ms === 0 || ms >= 100, { error: 'must be 0 (off) or at least 100' })
      .default(10000),
  })
  .superRefine((source, ctx) => {
    const problem = sourceUrlProblem(source.url, source.dialect);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
    if (source.password !== undefined && source.passwordFile !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['passwordFile'],
        message: 'set only one of `source.password` and `source.passwordFile`',
      });
    }
    if (
      !problem &&
      source.dialect === 'mysql' &&
      source.tables.include === undefined &&
      urlDatabase(source.url) === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['tables', 'include'],
        message: 'required when `source.url` names no database',
      });
    }
  });

const saslSchema = z
  .strictObject({
    mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
    username: nonEmpty,
    password: z.string().optional(),
    passwordFile: filePath.optional(),
  })
  .superRefine((sasl, ctx) => {
    if ((sasl.password === undefined) === (sasl.passwordFile === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'set exactly one of `kafka.sasl.password` and `kafka.sasl.passwordFile`',
      });
    }
  });

const kafkaSchema = z.strictObject({
  brokers: z
    .array(z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, { error: 'expected `host:port`' }))
    .min(1),
  /** Default `tributary-<name>`. */
  clientId: nonEmpty.optional(),
  ssl: tlsSchema.default(false),
  sasl: saslSchema.optional(),
  /** Longest a Kafka transaction may stay open: it must cover the largest source transaction. Brokers cap it (transaction.max.timeout.ms, 15 min by default); a sidecar that dies and is not restarted holds read_committed consumers of its topics back this long. */
  transactionTimeoutMs: z.int().min(1000).default(300000),
});

const registrySchema = z
  .strictObject({
    url: z.string().refine((url) => /^https?:\/\/[^/\s]/.test(url) && URL.canParse(url), {
      error: 'expected an http:// or https:// URL',
    }),
    username: nonEmpty.optional(),
    password: z.string().optional(),
    passwordFile: filePath.optional(),
    /** TLS settings of an https:// URL (its CA, client certificate, verify mode). */
    ssl: tlsSchema.optional(),
  })
  .superRefine((registry, ctx) => {
    const secrets = Number(registry.password !== undefined) + Number(registry.passwordFile !== undefined);
    if (secrets > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['passwordFile'],
        message: 'set only one of `registry.password` and `registry.passwordFile`',
      });
    } else if ((registry.username === undefined) !== (secrets === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: registry.username === undefined ? ['username'] : ['password'],
        message: 'basic auth needs both `registry.username` and a password',
      });
    }
  });

const topicsSchema = z
  .strictObject({
    /** Default: `name`. */
    prefix: topicName.max(200).optional(),
    template: z
      .string()
      .default('{prefix}.{schema}.{table}')
      .superRefine((template, ctx) => {
        const problem = templateProblem(template);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    partitions: z.int().min(1).default(1),
    /** -1: the broker's default. */
    replicationFactor: z
      .int()
      .refine((n) => n === -1 || (n >= 1 && n <= 32767), { error: 'must be -1 (broker default) or 1..32767' })
      .default(-1),
    cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']).default('compact,delete'),
    /** The compacted topic holding committed source positions. */
    /** The compacted topic of committed positions. Default `tributary-offsets-<name>`: one per connector, so no other producer's open transaction delays a restart. */
    offsets: topicName.optional(),
    tombstones: z.boolean().default(true),
    /**
     * Debezium's `provide.transaction.metadata`: a BEGIN and an END event per
     * source transaction on the transaction topic, in the same Kafka
     * transaction as its change events.
     */
    transactionMetadata: z.boolean().default(false),
    /** The transaction topic. Default `<prefix>.transaction`, as Debezium's. */
    transactionTopic: topicName.optional(),
    /** `schema.table` → key columns, for tables without a primary key (Debezium's message.key.columns). */
    keyColumns: z.record(tableName, z.array(nonEmpty).min(1)).default({}),
  })
  .prefault({});

const batchSchema = z
  .strictObject({
    maxEvents: z.int().min(1).default(10000),
    maxBytes: z
      .int()
      .min(1024)
      .default(8 * 1024 * 1024),
    maxDelayMs: z.int().min(1).max(1000).default(20),
  })
  .prefault({});

/** How the run loop retries transient faults (a server down, a network cut). */
const retrySchema = z
  .strictObject({
    /** The first wait after a failure; it doubles with each failure in a row. */
    initialDelayMs: z.int().min(10).default(500),
    /** The longest wait between two attempts. */
    maxDelayMs: z.int().min(100).default(10_000),
    /** Exit non-zero once failures have lasted this long without a commit in between; 0: retry forever. */
    giveUpAfterMs: z.int().min(0).default(0),
  })
  .prefault({});

/** Records that cannot be written: stop (none), or dead-letter them and go on (all), as Kafka Connect's errors.tolerance. */
const errorsSchema = z
  .strictObject({
    tolerance: z.enum(['none', 'all']).default('none'),
    /** Default `<topics.prefix>.dlq`. */
    deadLetterTopic: topicName.optional(),
  })
  .prefault({});

/** One outbox table, routed as Debezium's outbox EventRouter does; the defaults are its defaults. */
export const outboxTableSchema = z.strictObject({
  table: tableName,
  /** Event id column → header `id` (table.field.event.id). */
  id: nonEmpty.default('id'),
  /** → record key (table.field.event.key). */
  key: nonEmpty.default('aggregateid'),
  /** → topic `<topicPrefix>.<value>` (route.by.field). */
  route: nonEmpty.default('aggregatetype'),
  /** → record value (table.field.event.payload). */
  payload: nonEmpty.default('payload'),
  /** Routed topics are `<topicPrefix>.<route value>` (route.topic.replacement `outbox.event.${routedByValue}`). */
  topicPrefix: topicName.max(200).default('outbox.event'),
  /** Further columns → headers of the same name (table.fields.additional.placement `col:header`). */
  headers: z.array(nonEmpty).default([]),
  /** Also write the table's own change events to its change topic. */
  tableTopic: z.boolean().default(false),
});

const outboxSchema = z
  .array(outboxTableSchema)
  .default([])
  .superRefine((tables, ctx) => {
    const seen = new Set<string>();
    tables.forEach((entry, index) => {
      if (seen.has(entry.table)) {
        ctx.addIssue({ code: 'custom', path: [index, 'table'], message: `${entry.table} is listed twice` });
      }
      seen.add(entry.table);
    });
  });

const httpSchema = z
  .strictObject({
    /** 0 turns the HTTP server off. */
    port: z.int().min(0).max(65535).default(8080),
    host: nonEmpty.default('0.0.0.0'),
  })
  .prefault({});

const logSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    format: z.enum(['json', 'pretty']).default('json'),
  })
  .prefault({});

const columnGlob = z.string().regex(/^[^.\s]+\.[^.\s]+\.[^.\s]+$/, {
  error: 'expected `schema.table.column` globs (MySQL: `database.table.column`), e.g. `public.users.email`',
});

/** Column filters, applied to snapshot and stream alike (Debezium's column.exclude.list and column.mask.*). */
const columnsSchema = z
  .strictObject({
    /** Columns left out of events and registered schemas, e.g. PII. */
    exclude: z.array(columnGlob).default([]),
    /** Columns whose values are replaced: by a salted SHA-256 (hex), or by a fixed text. */
    mask: z
      .array(
        z
          .strictObject({
            columns: z.array(columnGlob).min(1),
            hash: z.strictObject({ salt: z.string().min(1) }).optional(),
            replacement: z.string().optional(),
          })
          .refine((rule) => (rule.hash === undefined) !== (rule.replacement === undefined), {
            error: 'set exactly one of `hash` and `replacement`',
          }),
      )
      .default([]),
  })
  .prefault({});

/** The configuration as written (file plus env), before derived defaults. */
export const configObjectSchema = z.strictObject({
  /** Connector name: slot, publication, transactional.id, offsets key. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    error: 'expected 1-100 letters, digits, `.`, `_` or `-`, starting with a letter or digit',
  }),
  // Groups with required keys still default to {}, so a missing group reports its missing keys.
  source: sourceSchema.prefault({} as z.input<typeof sourceSchema>),
  kafka: kafkaSchema.prefault({} as z.input<typeof kafkaSchema>),
  registry: registrySchema.prefault({} as z.input<typeof registrySchema>),
  topics: topicsSchema,
  columns: columnsSchema,
  batch: batchSchema,
  retry: retrySchema,
  errors: errorsSchema,
  outbox: outboxSchema,
  http: httpSchema,
  log: logSchema,
});

/** Validates a configuration object and fills the defaults derived from `name` and the URL. */
export const configSchema = configObjectSchema.transform((config) => {
  const { source, kafka, topics } = config;
  const prefix = topics.prefix ?? config.name;
  const password = source.password ?? urlPassword(source.url);
  return {
    ...config,
    source: {
      ...source,
      url: source.password === undefined ? source.url : withUrlPassword(source.url, source.password),
      password,
      tables: {
        ...source.tables,
        include: source.tables.include ?? [
          source.dialect === 'postgres' ? 'public.*' : `${urlDatabase(source.url) ?? '*'}.*`,
        ],
      },
      signal: {
        ...source.signal,
        table:
          source.signal.table ??
          `${source.dialect === 'postgres' ? 'public' : (urlDatabase(source.url) ?? 'tributary')}.tributary_signals`,
      },
      slot: source.slot ?? defaultSlot(config.name),
      publication: source.publication ?? defaultPublication(config.name),
      serverId: source.serverId ?? defaultServerId(config.name),
    },
    kafka: { ...kafka, clientId: kafka.clientId ?? defaultClientId(config.name) },
    topics: {
      ...topics,
      prefix,
      offsets: topics.offsets ?? defaultOffsetsTopic(config.name),
      transactionTopic: topics.transactionTopic ?? `${topics.prefix ?? config.name}.transaction`,
    },
    errors: { ...config.errors, deadLetterTopic: config.errors.deadLetterTopic ?? `${prefix}.dlq` },
  };
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type SourceConfig = Config['source'];
export type KafkaConfig = Config['kafka'];
export type RegistryConfig = Config['registry'];
export type TopicsConfig = Config['topics'];
export type RetryConfig = Config['retry'];

function templateProblem(template: string): string | undefined {
  const placeholders = [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
  const unknown = placeholders.filter((name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; use {prefix}, {schema}, {table}`;
  }
  if (!placeholders.includes('table')) return 'must contain {table}: every table needs its own topic';
  const sample = template.replace(/\{[^{}]*\}/g, 'x');
  if (!TOPIC_CHARS.test(sample)) {
    return 'may only contain placeholders, letters, digits, `.`, `_` and `-` (a Kafka topic name)';
  }
  return undefined;
}
