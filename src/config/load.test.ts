import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TributaryError } from '../core/errors.ts';
import { defaultServerId, defaultSlot } from './derive.ts';
import { loadConfig, redactConfig } from './load.ts';
import { configSchema } from './schema.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
let files = 0;

/** Writes a YAML file in a fresh temp dir and returns its path. */
function yamlFile(text: string, name = `config-${++files}.yaml`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const minimalYaml = `
name: shop
source:
  dialect: postgres
  url: postgres://tributary:tributary@127.0.0.1:15432/tributary
kafka:
  brokers: ['127.0.0.1:19092']
registry:
  url: http://127.0.0.1:18081/apis/ccompat/v7
`;

const minimalEnv = {
  TRIBUTARY_NAME: 'shop',
  TRIBUTARY_SOURCE__DIALECT: 'postgres',
  TRIBUTARY_SOURCE__URL: 'postgres://tributary:tributary@127.0.0.1:15432/tributary',
  TRIBUTARY_KAFKA__BROKERS: '127.0.0.1:19092',
  TRIBUTARY_REGISTRY__URL: 'http://127.0.0.1:18081/apis/ccompat/v7',
};

/** The CONFIG_INVALID error `fn` throws. */
function configError(fn: () => unknown): TributaryError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TributaryError, `expected a TributaryError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.retriable, false);
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

describe('example configs', () => {
  it('postgres.example.yaml loads against the local stack', () => {
    const config = loadConfig({ file: join(root, 'config/postgres.example.yaml'), env: {} });
    assert.equal(config.name, 'shop');
    assert.equal(config.source.dialect, 'postgres');
    assert.equal(config.source.url, 'postgres://tributary:tributary@127.0.0.1:15432/tributary');
    assert.deepEqual(config.source.tables.include, ['public.*']);
    assert.deepEqual(config.kafka.brokers, ['127.0.0.1:19092']);
    assert.equal(config.registry.url, 'http://127.0.0.1:18081/apis/ccompat/v7');
    assert.equal(config.topics.prefix, 'shop');
    assert.equal(config.source.slot, 'tributary_shop');
    assert.equal(config.source.publication, 'tributary_shop');
  });

  it('mysql.example.yaml loads against the local stack', () => {
    const config = loadConfig({ file: join(root, 'config/mysql.example.yaml'), env: {} });
    assert.equal(config.name, 'shop_mysql');
    assert.equal(config.source.dialect, 'mysql');
    assert.equal(config.source.url, 'mysql://tributary:tributary@127.0.0.1:13306/tributary');
    assert.deepEqual(config.source.tables.include, ['tributary.*']);
    assert.equal(config.topics.prefix, 'shop_mysql');
    assert.equal(config.source.serverId, defaultServerId('shop_mysql'));
  });
});

describe('defaults', () => {
  it('fills every optional key', () => {
    const config = loadConfig({ file: yamlFile(minimalYaml), env: {} });
    assert.deepEqual(config.source.tables, { include: ['public.*'], exclude: [] });
    assert.equal(config.source.replicaIdentity, 'full');
    assert.deepEqual(config.source.snapshot, {
      mode: 'initial',
      chunkSize: 10000,
      incrementalChunkSize: 1024,
    });
    assert.deepEqual(config.source.signal, { enabled: true, table: 'public.tributary_signals' });
    assert.equal(config.source.captureNewTables, true);
    assert.deepEqual(config.columns, { exclude: [], mask: [] });
    assert.equal(config.source.heartbeatIntervalMs, 10000);
    assert.equal(config.source.password, 'tributary');
    assert.equal(config.kafka.clientId, 'tributary-shop');
    assert.equal(config.kafka.ssl, false);
    assert.equal(config.kafka.sasl, undefined);
    assert.equal(config.kafka.transactionTimeoutMs, 300000);
    assert.deepEqual(config.topics, {
      prefix: 'shop',
      template: '{prefix}.{schema}.{table}',
      partitions: 1,
      replicationFactor: -1,
      cleanupPolicy: 'compact,delete',
      offsets: 'tributary-offsets-shop',
      tombstones: true,
      transactionMetadata: false,
      transactionTopic: 'shop.transaction',
      keyColumns: {},
    });
    assert.deepEqual(config.batch, { maxEvents: 10000, maxBytes: 8 * 1024 * 1024, maxDelayMs: 20 });
    assert.deepEqual(config.http, { port: 8080, host: '0.0.0.0' });
    assert.deepEqual(config.log, { level: 'info', format: 'json' });
  });

  it('derives slot and publication from the name, sanitised to [a-z0-9_]', () => {
    assert.equal(defaultSlot('Shop-EU.1'), 'tributary_shop_eu_1');
    assert.equal(defaultSlot('x'.repeat(100)).length, 63);
    const config = loadConfig({ env: { ...minimalEnv, TRIBUTARY_NAME: 'Shop-EU' } });
    assert.equal(config.source.slot, 'tributary_shop_eu');
    assert.equal(config.source.publication, 'tributary_shop_eu');
  });

  it('derives a stable MySQL server id in a high range', () => {
    const id = defaultServerId('shop_mysql');
    assert.equal(id, defaultServerId('shop_mysql'));
    assert.notEqual(id, defaultServerId('shop_mysql2'));
    for (const name of ['a', 'shop', 'shop_mysql', 'z'.repeat(100)]) {
      const serverId = defaultServerId(name);
      assert.ok(
        Number.isInteger(serverId) && serverId >= 2 ** 31 && serverId <= 2 ** 32 - 2,
        String(serverId),
      );
    }
  });

  it('defaults MySQL tables to the URL database, and requires include when it names none', () => {
    const env = {
      ...minimalEnv,
      TRIBUTARY_SOURCE__DIALECT: 'mysql',
      TRIBUTARY_SOURCE__URL: 'mariadb://u:p@h:3306/inventory',
    };
    assert.deepEqual(loadConfig({ env }).source.tables.include, ['inventory.*']);
    assert.equal(loadConfig({ env }).source.signal.table, 'inventory.tributary_signals');
    const error = configError(() =>
      loadConfig({ env: { ...env, TRIBUTARY_SOURCE__URL: 'mysql://u:p@h:3306' } }),
    );
    assert.match(
      error.message,
      /environment: source\.tables\.include: required when `source\.url` names no database/,
    );
  });

  it('configSchema alone validates and fills defaults', () => {
    const config = configSchema.parse({
      name: 'shop',
      source: { dialect: 'postgres', url: 'postgresql://u@h/db', password: 's3cret' },
      kafka: { brokers: ['k:9092'] },
      registry: { url: 'https://r' },
    });
    assert.equal(config.source.url, 'postgresql://u:s3cret@h/db');
    assert.equal(config.topics.prefix, 'shop');
  });
});

describe('environment overrides', () => {
  it('env alone suffices', () => {
    const config = loadConfig({ env: minimalEnv });
    assert.equal(config.name, 'shop');
    assert.deepEqual(config.kafka.brokers, ['127.0.0.1:19092']);
    assert.equal(config.topics.prefix, 'shop');
  });

  it('env overrides file values, and lists are comma-separated', () => {
    const file = yamlFile(`${minimalYaml}topics:\n  prefix: fromfile\n  partitions: 3\n`);
    const config = loadConfig({
      file,
      env: {
        TRIBUTARY_TOPICS__PREFIX: 'fromenv',
        TRIBUTARY_KAFKA__BROKERS: 'a:9092, b:9092',
        TRIBUTARY_SOURCE__URL: 'postgres://other:pw@db:5432/shop',
        PATH: '/usr/bin',
      },
    });
    assert.equal(config.topics.prefix, 'fromenv');
    assert.equal(config.topics.partitions, 3);
    assert.deepEqual(config.kafka.brokers, ['a:9092', 'b:9092']);
    assert.equal(config.source.url, 'postgres://other:pw@db:5432/shop');
  });

  it('matches camelCase keys case-insensitively and coerces by the schema type', () => {
    const config = loadConfig({
      env: {
        ...minimalEnv,
        TRIBUTARY_SOURCE__SNAPSHOT__CHUNKSIZE: '500',
        TRIBUTARY_SOURCE__REPLICA_IDENTITY: 'keep',
        TRIBUTARY_TOPICS__TOMBSTONES: 'false',
        TRIBUTARY_TOPICS__TRANSACTIONMETADATA: 'true',
        TRIBUTARY_TOPICS__REPLICATIONFACTOR: '-1',
        TRIBUTARY_HTTP__PORT: '0',
        TRIBUTARY_KAFKA__SSL: 'true',
        TRIBUTARY_SOURCE__TABLES__EXCLUDE: '',
        TRIBUTARY_TOPICS__KEYCOLUMNS: 'public.audit=id,at;public.log=seq',
        TRIBUTARY_REGISTRY__USERNAME: '',
      },
    });
    assert.equal(config.source.snapshot.chunkSize, 500);
    assert.equal(config.source.replicaIdentity, 'keep');
    assert.equal(config.topics.tombstones, false);
    assert.equal(config.topics.transactionMetadata, true);
    assert.equal(config.topics.replicationFactor, -1);
    assert.equal(config.http.port, 0);
    assert.equal(config.kafka.ssl, true);
    assert.deepEqual(config.source.tables.exclude, []);
    assert.deepEqual(config.topics.keyColumns, { 'public.audit': ['id', 'at'], 'public.log': ['seq'] });
    assert.equal(config.registry.username, undefined);
  });

  it('deeper variables refine a group the file set', () => {
    const ca = yamlFile('not really a pem', 'ca.pem');
    const file = yamlFile(
      `${minimalYaml.replace("brokers: ['127.0.0.1:19092']", "brokers: ['k:1']\n  ssl: true")}`,
    );
    const config = loadConfig({ file, env: { TRIBUTARY_KAFKA__SSL__CA: ca } });
    assert.deepEqual(config.kafka.ssl, { ca, verify: 'full' });
  });

  it('an unknown variable is an error naming it, with a suggestion', () => {
    const error = configError(() =>
      loadConfig({ env: { ...minimalEnv, TRIBUTARY_KAFKA__BROKER: 'x:1', TRIBUTARY_SOURCE_URL: 'x' } }),
    );
    assert.match(
      error.message,
      /TRIBUTARY_KAFKA__BROKER: unknown key `kafka\.broker` \(did you mean `kafka\.brokers`, i\.e\. TRIBUTARY_KAFKA__BROKERS\?\)/,
    );
    assert.match(error.message, /TRIBUTARY_SOURCE_URL: unknown key .*TRIBUTARY_SOURCE__URL/);
    const deeper = configError(() =>
      loadConfig({ env: { ...minimalEnv, TRIBUTARY_HTTP__PORT__X: '1', TRIBUTARY_: '1' } }),
    );
    assert.match(deeper.message, /TRIBUTARY_HTTP__PORT__X: unknown key `http\.port\.x`/);
    assert.match(deeper.message, /TRIBUTARY_: names no key/);
  });

  it('a value of the wrong type names the variable and the key', () => {
    const error = configError(() =>
      loadConfig({
        env: { ...minimalEnv, TRIBUTARY_HTTP__PORT: 'eighty', TRIBUTARY_TOPICS__TOMBSTONES: 'maybe' },
      }),
    );
    assert.match(error.message, /TRIBUTARY_HTTP__PORT: http\.port: expected an integer/);
    assert.match(error.message, /TRIBUTARY_TOPICS__TOMBSTONES: topics\.tombstones: expected true or false/);
    const range = configError(() => loadConfig({ env: { ...minimalEnv, TRIBUTARY_HTTP__PORT: '70000' } }));
    assert.match(range.message, /TRIBUTARY_HTTP__PORT: http\.port: must be at most 65535/);
  });

  it('ignores TRIBUTARY_CONFIG, the config file path', () => {
    assert.equal(loadConfig({ env: { ...minimalEnv, TRIBUTARY_CONFIG: '/etc/x.yaml' } }).name, 'shop');
  });
});

describe('validation', () => {
  it('an unknown key in the file names the file and suggests the close key', () => {
    const file = yamlFile(minimalYaml.replace('brokers:', 'broker:'));
    const error = configError(() => loadConfig({ file, env: {} }));
    assert.ok(
      error.message.includes(`${file}: unknown key \`kafka.broker\` (did you mean \`kafka.brokers\`?)`),
      error.message,
    );
    assert.ok(error.message.includes(`${file}: kafka.brokers: required`), error.message);
  });

  it('suggests camelCase for snake_case keys', () => {
    const file = yamlFile(`${minimalYaml}  chunk_size: 5\n`);
    const snake = yamlFile(`${minimalYaml}batch:\n  max_delay_ms: 5\n`);
    assert.match(
      configError(() => loadConfig({ file: snake, env: {} })).message,
      /did you mean `batch\.maxDelayMs`/,
    );
    assert.match(
      configError(() => loadConfig({ file, env: {} })).message,
      /unknown key `registry\.chunk_size`/,
    );
  });

  it('a wrong type names the file, the key and the expected type', () => {
    const file = yamlFile(
      minimalYaml.replace('url: postgres://', "tables:\n    include: 'public.*'\n  url: postgres://"),
    );
    const error = configError(() => loadConfig({ file, env: {} }));
    assert.ok(
      error.message.includes(`${file}: source.tables.include: expected an array of strings, got a string`),
      error.message,
    );
  });

  it('a missing required value names the key and how to set it', () => {
    const file = yamlFile(minimalYaml.replace(/registry:\n.*\n/, ''));
    const error = configError(() => loadConfig({ file, env: {} }));
    assert.ok(error.message.includes(`${file}: registry.url: required`), error.message);
    assert.match(error.message, /TRIBUTARY_REGISTRY__URL/);
  });

  it('lists every problem at once', () => {
    const file = yamlFile(`
name: 'bad name'
source: { dialect: oracle, url: 42 }
kafka: { brokers: [nohostport] }
registry: { url: ftp://r }
topics: { template: '{prefix}.{tbl}', replicationFactor: 0, cleanupPolicy: never, keyColumns: { orders: [id] } }
batch: { maxDelayMs: 0 }
http: { port: 1.5 }
log: { format: xml }
`);
    const error = configError(() => loadConfig({ file, env: { TRIBUTARY_BATCH__MAXEVENTS: '0' } }));
    for (const expected of [
      `${file}: name: expected 1-100 letters`,
      `${file}: source.dialect: expected one of \`postgres\`, \`mysql\``,
      `${file}: source.url: expected a string, got a number`,
      `${file}: kafka.brokers[0]: expected \`host:port\``,
      `${file}: registry.url: expected an http:// or https:// URL`,
      `${file}: topics.template: unknown placeholder {tbl}`,
      `${file}: topics.replicationFactor: must be -1 (broker default) or 1..32767`,
      `${file}: topics.cleanupPolicy: expected one of`,
      `${file}: topics.keyColumns.orders: expected a \`schema.table\` name`,
      `${file}: batch.maxDelayMs: must be at least 1`,
      `TRIBUTARY_BATCH__MAXEVENTS: batch.maxEvents: must be at least 1`,
      `${file}: http.port: expected a whole number`,
      `${file}: log.format: expected one of \`json\`, \`pretty\``,
    ]) {
      assert.ok(error.message.includes(expected), `missing «${expected}» in:\n${error.message}`);
    }
    assert.match(error.message, /\(line 3\)/);
  });

  it('checks the URL scheme against the dialect', () => {
    for (const url of ['postgres://u:p@h/db', 'postgresql://u:p@h/db']) {
      assert.equal(
        loadConfig({ env: { ...minimalEnv, TRIBUTARY_SOURCE__URL: url } }).source.dialect,
        'postgres',
      );
    }
    const mysql = { ...minimalEnv, TRIBUTARY_SOURCE__DIALECT: 'mysql' };
    for (const url of ['mysql://u:p@h/db', 'mariadb://u:p@h/db']) {
      assert.equal(loadConfig({ env: { ...mysql, TRIBUTARY_SOURCE__URL: url } }).source.dialect, 'mysql');
    }
    const error = configError(() =>
      loadConfig({ env: { ...mysql, TRIBUTARY_SOURCE__URL: 'postgres://u:hunter2@h/db' } }),
    );
    assert.match(error.message, /TRIBUTARY_SOURCE__URL: source\.url: scheme `postgres:\/\/` does not match/);
    assert.doesNotMatch(error.message, /hunter2/);
    const garbage = configError(() =>
      loadConfig({ env: { ...minimalEnv, TRIBUTARY_SOURCE__URL: 'not a url hunter2' } }),
    );
    assert.match(garbage.message, /source\.url: not a valid URL/);
    assert.doesNotMatch(garbage.message, /hunter2/);
  });

  it('validates groups with alternatives: kafka.ssl, kafka.sasl, registry auth', () => {
    const bad = configError(() =>
      loadConfig({
        env: {
          ...minimalEnv,
          TRIBUTARY_KAFKA__SSL: '{"ca": "x", "bogus": 1}',
          TRIBUTARY_KAFKA__SASL: '{"mechanism": "gssapi", "username": "u", "password": "hunter2"}',
          TRIBUTARY_REGISTRY__USERNAME: 'u',
        },
      }),
    );
    assert.match(bad.message, /TRIBUTARY_KAFKA__SSL: unknown key `kafka\.ssl\.bogus`/);
    assert.match(bad.message, /TRIBUTARY_KAFKA__SASL: kafka\.sasl\.mechanism: expected one of `plain`/);
    assert.match(bad.message, /registry\.password: basic auth needs both/);
    assert.doesNotMatch(bad.message, /hunter2/);
  });

  it('checks column filters: schema.table.column globs, and exactly one of hash and replacement', () => {
    const bad = configError(() =>
      loadConfig({
        env: {
          ...minimalEnv,
          TRIBUTARY_COLUMNS__EXCLUDE: 'users.email',
          TRIBUTARY_COLUMNS__MASK:
            '[{"columns": ["public.users.ssn"], "hash": {"salt": "s"}, "replacement": "x"}]',
        },
      }),
    );
    assert.match(bad.message, /columns\.exclude\[0\]: expected `schema\.table\.column` globs/);
    assert.match(bad.message, /columns\.mask\[0\]: set exactly one of `hash` and `replacement`/);
  });

  it('reports invalid YAML with its line and without quoting the file', () => {
    const file = yamlFile('name: shop\nsource:\n  url: "postgres://u:hunter2@h\n  dialect: [\n');
    const error = configError(() => loadConfig({ file, env: {} }));
    assert.match(error.message, /invalid YAML/);
    assert.doesNotMatch(error.message, /hunter2/);
  });

  it('reports an unreadable config file', () => {
    const error = configError(() => loadConfig({ file: join(dir, 'absent.yaml'), env: {} }));
    assert.match(error.message, /cannot read config file .*absent\.yaml \(ENOENT\)/);
  });
});

describe('secrets', () => {
  it('source.password overrides the URL password', () => {
    const config = loadConfig({ env: { ...minimalEnv, TRIBUTARY_SOURCE__PASSWORD: 'p@ss:w/rd%' } });
    assert.equal(config.source.password, 'p@ss:w/rd%');
    assert.equal(new URL(config.source.url).password, encodeURIComponent('p@ss:w/rd%'));
    assert.equal(new URL(config.source.url).username, 'tributary');
  });

  it('reads password files, relative to the config file, ignoring the trailing newline', () => {
    yamlFile('from-file-secret\n', 'pg-password');
    yamlFile('kafka-secret\r\n', 'kafka-password');
    const file = yamlFile(
      minimalYaml
        .replace('dialect: postgres', 'dialect: postgres\n  passwordFile: pg-password')
        .replace(
          "brokers: ['127.0.0.1:19092']",
          "brokers: ['127.0.0.1:19092']\n  sasl: { mechanism: scram-sha-512, username: u, passwordFile: kafka-password }",
        ),
    );
    const config = loadConfig({ file, env: {} });
    assert.equal(config.source.password, 'from-file-secret');
    assert.equal(config.source.passwordFile, join(dir, 'pg-password'));
    assert.equal(config.source.url, 'postgres://tributary:from-file-secret@127.0.0.1:15432/tributary');
    assert.equal(config.kafka.sasl?.password, 'kafka-secret');
  });

  it('reads a password file named by env, relative to the working directory', () => {
    yamlFile('registry-secret', 'registry-password');
    const config = loadConfig({
      cwd: dir,
      env: {
        ...minimalEnv,
        TRIBUTARY_REGISTRY__USERNAME: 'u',
        TRIBUTARY_REGISTRY__PASSWORDFILE: 'registry-password',
      },
    });
    assert.equal(config.registry.password, 'registry-secret');
  });

  it('every connection takes an ssl group; its files resolve against the config file, and must be readable', () => {
    yamlFile('ca', 'tls-ca.pem');
    const file = yamlFile(
      minimalYaml
        .replace(
          'url: postgres://tributary:tributary@127.0.0.1:15432/tributary',
          'url: postgres://t@db/x\n  ssl: { ca: tls-ca.pem, verify: ca }',
        )
        .replace(
          'url: http://127.0.0.1:18081/apis/ccompat/v7',
          'url: https://r/apis/ccompat/v7\n  ssl: { ca: tls-ca.pem }',
        ),
    );
    const config = loadConfig({ file, env: {} });
    assert.deepEqual(config.source.ssl, { ca: join(dir, 'tls-ca.pem'), verify: 'ca' });
    assert.deepEqual(config.registry.ssl, { ca: join(dir, 'tls-ca.pem'), verify: 'full' });
    assert.throws(
      () =>
        loadConfig({
          file,
          env: { TRIBUTARY_SOURCE__SSL__KEY: 'nope.key', TRIBUTARY_SOURCE__SSL__CERT: 'nope.pem' },
        }),
      /source\.ssl\.cert: cannot read `.*nope\.pem` \(ENOENT\)/,
    );
  });

  it('a missing password file, or both password and passwordFile, is an error', () => {
    const missing = configError(() =>
      loadConfig({ env: { ...minimalEnv, TRIBUTARY_SOURCE__PASSWORD_FILE: join(dir, 'nope') } }),
    );
    assert.match(
      missing.message,
      /TRIBUTARY_SOURCE__PASSWORD_FILE: source\.passwordFile: cannot read `.*nope` \(ENOENT\)/,
    );
    const both = configError(() =>
      loadConfig({
        env: { ...minimalEnv, TRIBUTARY_SOURCE__PASSWORD: 'hunter2', TRIBUTARY_SOURCE__PASSWORDFILE: '/x' },
      }),
    );
    assert.match(both.message, /set only one of `source\.password` and `source\.passwordFile`/);
    assert.doesNotMatch(both.message, /hunter2/);
  });

  it('redactConfig hides every secret and keeps everything else', () => {
    const config = loadConfig({
      env: {
        ...minimalEnv,
        TRIBUTARY_SOURCE__URL: 'postgres://tributary:hunter1@127.0.0.1:15432/tributary',
        TRIBUTARY_KAFKA__SASL__MECHANISM: 'plain',
        TRIBUTARY_KAFKA__SASL__USERNAME: 'k',
        TRIBUTARY_KAFKA__SASL__PASSWORD: 'hunter2',
        TRIBUTARY_REGISTRY__URL: 'https://reg:hunter3@registry.example/apis',
        TRIBUTARY_REGISTRY__USERNAME: 'r',
        TRIBUTARY_REGISTRY__PASSWORD: 'hunter4',
      },
    });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of ['hunter1', 'hunter2', 'hunter3', 'hunter4'])
      assert.doesNotMatch(text, new RegExp(secret));
    const redacted = redactConfig(config);
    assert.equal(redacted.source.url, 'postgres://tributary:***@127.0.0.1:15432/tributary');
    assert.equal(redacted.source.password, '***');
    assert.equal(redacted.kafka.sasl?.password, '***');
    assert.equal(redacted.registry.password, '***');
    assert.equal(redacted.kafka.sasl?.username, 'k');
    assert.deepEqual(redacted.kafka.brokers, config.kafka.brokers);
    assert.equal(config.kafka.sasl?.password, 'hunter2', 'the original is untouched');
  });
});

describe('errors and outbox', () => {
  it('tolerance defaults to none, and the dead-letter topic to <prefix>.dlq', () => {
    const config = loadConfig({ env: { ...minimalEnv, TRIBUTARY_TOPICS__PREFIX: 'eu' } });
    assert.deepEqual(config.errors, { tolerance: 'none', deadLetterTopic: 'eu.dlq' });
    assert.deepEqual(config.outbox, []);
  });

  it("an outbox table takes Debezium's EventRouter defaults, and can be set from the environment as JSON", () => {
    const config = loadConfig({
      env: {
        ...minimalEnv,
        TRIBUTARY_ERRORS__TOLERANCE: 'all',
        TRIBUTARY_OUTBOX: '[{"table": "public.outbox"}]',
      },
    });
    assert.equal(config.errors.tolerance, 'all');
    assert.deepEqual(config.outbox, [
      {
        table: 'public.outbox',
        id: 'id',
        key: 'aggregateid',
        route: 'aggregatetype',
        payload: 'payload',
        topicPrefix: 'outbox.event',
        headers: [],
        tableTopic: false,
      },
    ]);
  });

  it('refuses an unknown tolerance, an unknown outbox key and a table listed twice', () => {
    const tolerance = configError(() =>
      loadConfig({ env: { ...minimalEnv, TRIBUTARY_ERRORS__TOLERANCE: 'some' } }),
    );
    assert.match(tolerance.message, /errors\.tolerance/);
    const unknown = configError(() =>
      loadConfig({
        env: { ...minimalEnv, TRIBUTARY_OUTBOX: '[{"table": "public.outbox", "routeBy": "x"}]' },
      }),
    );
    assert.match(unknown.message, /routeBy/);
    const twice = configError(() =>
      loadConfig({
        env: { ...minimalEnv, TRIBUTARY_OUTBOX: '[{"table": "public.outbox"}, {"table": "public.outbox"}]' },
      }),
    );
    assert.match(twice.message, /public\.outbox is listed twice/);
  });
});
