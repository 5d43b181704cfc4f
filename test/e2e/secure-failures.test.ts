import '../harness/secure-stack.ts';
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { test } from 'node:test';
import type { ConfigInput } from '../../src/config/schema.ts';
import { configFile, runCli } from '../harness/cli.ts';
import { PgTestContext, type RunningConnector } from '../harness/pg-context.ts';
import { stackEnv } from '../harness/stack.ts';

/**
 * Every authentication and TLS failure on the secured stack, as `tributary
 * check` prints it: one line naming the connection (host, port, user), then
 * the fix.
 */
const env = stackEnv();
const secure = env.secure!;
const tls = { ca: secure.caFile };
const [broker] = env.kafkaBrokers;
const registry = new URL(env.registryUrl);
const pg = new URL(env.pgUrl);
const mysql = new URL(env.mysqlUrl);
/** A name of this machine the certificate does not carry (it names 127.0.0.1 and localhost). */
const otherName = hostname();

function withUrl(url: URL, change: { user?: string; password?: string; host?: string }): string {
  const copy = new URL(url);
  if (change.user !== undefined) copy.username = change.user;
  if (change.password !== undefined) copy.password = change.password;
  if (change.host !== undefined) copy.hostname = change.host;
  return copy.href;
}

type Change = {
  source?: Partial<NonNullable<ConfigInput['source']>>;
  kafka?: Partial<NonNullable<ConfigInput['kafka']>>;
  registry?: Partial<NonNullable<ConfigInput['registry']>>;
};

function config(change: Change): ConfigInput {
  return {
    name: 'secure-check',
    source: { dialect: 'postgres', url: env.pgUrl, ssl: tls, ...change.source },
    kafka: {
      brokers: env.kafkaBrokers,
      ssl: tls,
      sasl: { mechanism: 'scram-sha-512', ...secure.kafkaUser },
      ...change.kafka,
    },
    registry: {
      url: env.registryUrl,
      username: 'tributary',
      password: secure.registryPassword,
      ssl: tls,
      ...change.registry,
    },
    http: { port: 0 },
  };
}

/** The lines `check` prints for each connection: `✗ source: …` and its `fix:` line. */
async function check(change: Change): Promise<Record<'source' | 'kafka' | 'registry', string>> {
  const result = await runCli(['check', '--config', configFile(config(change))]);
  assert.equal(result.code, result.stdout.includes('✗') ? 1 : 0, result.stderr);
  const lines = result.stdout.split('\n');
  const of = (connection: string): string => {
    const at = lines.findIndex(
      (line) => line.startsWith(`✗ ${connection}: `) || line === `ok: ${connection}`,
    );
    assert.ok(at !== -1, `no line for ${connection} in:\n${result.stdout}`);
    return lines[at]!.startsWith('ok') ? 'ok' : `${lines[at]}\n${lines[at + 1]}`;
  };
  return { source: of('source'), kafka: of('kafka'), registry: of('registry') };
}

/** The error a run ends with. */
function failureOf(connector: RunningConnector): Promise<Error & { code?: string; fix?: string }> {
  return connector.done.then(
    () => assert.fail('the run ends with an error'),
    (error: Error & { code?: string; fix?: string }) => error,
  );
}

const pgAt = `PostgreSQL at ${pg.hostname}:${pg.port}`;
const mysqlAt = `MySQL at ${mysql.hostname}:${mysql.port}`;
const kafkaAt = `Kafka at ${broker}`;
const registryAt = `schema registry at ${env.registryUrl}`;

test('the secured stack passes check with the right credentials and CA', async () => {
  assert.deepEqual(await check({}), { source: 'ok', kafka: 'ok', registry: 'ok' });
});

test('wrong passwords: PostgreSQL, Kafka SASL and the registry each name the connection and the user', async () => {
  const lines = await check({
    source: { url: withUrl(pg, { password: 'wrong-pw' }) },
    kafka: { sasl: { mechanism: 'scram-sha-512', username: 'tributary', password: 'wrong-pw' } },
    registry: { password: 'wrong-pw' },
  });
  assert.equal(
    lines.source,
    `✗ source: ${pgAt} (user tributary) refused the login: wrong password or unknown user (28P01)\n` +
      '  fix: check the user and password in source.url (or source.password / source.passwordFile)',
  );
  assert.match(
    lines.kafka,
    new RegExp(
      `^✗ kafka: ${kafkaAt} \\(user tributary\\) refused the SASL scram-sha-512 login: wrong password or unknown user`,
    ),
  );
  assert.match(lines.kafka, /\n {2}fix: check kafka\.sasl\.username and kafka\.sasl\.password/);
  assert.equal(
    lines.registry,
    `✗ registry: ${registryAt} (user tributary) refused the credentials (HTTP 401): GET /config: Unauthorized: missing or wrong credentials\n` +
      '  fix: check registry.username and registry.password (or registry.passwordFile)',
  );
});

test('unknown users, a SASL mechanism the broker does not enable, and no registry credentials', async () => {
  const lines = await check({
    source: { url: withUrl(pg, { user: 'nobody_here' }) },
    kafka: { sasl: { mechanism: 'scram-sha-256', ...secure.kafkaUser } },
    registry: { username: undefined, password: undefined },
  });
  assert.match(
    lines.source,
    new RegExp(`^✗ source: ${pgAt} \\(user nobody_here\\) refused the login: wrong password or unknown user`),
  );
  assert.equal(
    lines.kafka,
    `✗ kafka: ${kafkaAt} (user tributary): the broker does not enable the SASL mechanism scram-sha-256\n` +
      '  fix: set kafka.sasl.mechanism to one the listener enables (its sasl.enabled.mechanisms), e.g. scram-sha-512',
  );
  assert.match(
    lines.registry,
    new RegExp(`^✗ registry: ${registryAt} \\(no credentials\\) refused the credentials \\(HTTP 401\\)`),
  );
  assert.match(
    lines.registry,
    /fix: the registry asks for basic auth: set registry\.username and registry\.password/,
  );
});

test('a server that requires TLS, and certificates from a CA the client does not trust', async () => {
  const lines = await check({ source: { ssl: false }, kafka: { ssl: true }, registry: { ssl: true } });
  assert.equal(
    lines.source,
    `✗ source: ${pgAt} (user tributary) refused a connection without TLS: pg_hba.conf has no line for it, so the server likely requires TLS (28000)\n` +
      '  fix: set source.ssl (e.g. source.ssl: { ca: /path/to/ca.pem }), or allow the connection in pg_hba.conf',
  );
  assert.match(
    lines.kafka,
    new RegExp(
      `^✗ kafka: ${kafkaAt} \\(user tributary\\): TLS failed, the server's certificate is not trusted`,
    ),
  );
  assert.match(lines.kafka, /fix: set kafka\.ssl\.ca to the PEM file of the CA/);
  assert.match(
    lines.registry,
    new RegExp(
      `^✗ registry: schema registry at ${registry.hostname}:${registry.port} \\(user tributary\\): TLS failed, the server's certificate is not trusted`,
    ),
  );
});

test('host name mismatches: the certificate does not name the host connected to', async () => {
  assert.equal((await lookup(otherName)).address, '127.0.0.1', `${otherName} resolves to this machine`);
  const lines = await check({
    source: { url: withUrl(pg, { host: otherName }) },
    kafka: { brokers: [`${otherName}:${broker!.split(':')[1]}`] },
    registry: { url: withUrl(registry, { host: otherName }) },
  });
  const mismatch = (group: string) =>
    `does not name the host ${otherName} (ERR_TLS_CERT_ALTNAME_INVALID)\n  fix: connect with a host name the certificate names, or set ${group}.ssl.verify: ca to check only that a trusted CA signed it`;
  assert.equal(
    lines.source,
    `✗ source: PostgreSQL at ${otherName}:${pg.port} (user tributary): TLS failed, the server's certificate ${mismatch('source')}`,
  );
  assert.equal(
    lines.kafka,
    `✗ kafka: Kafka at ${otherName}:${broker!.split(':')[1]} (user tributary): TLS failed, the server's certificate ${mismatch('kafka')}`,
  );
  assert.equal(
    lines.registry,
    `✗ registry: schema registry at ${otherName}:${registry.port} (user tributary): TLS failed, the server's certificate ${mismatch('registry')}`,
  );
  const verifyCaOnly = await check({
    source: { url: withUrl(pg, { host: otherName }), ssl: { ...tls, verify: 'ca' } },
  });
  assert.equal(verifyCaOnly.source, 'ok', 'verify: ca accepts the certificate whatever host it names');
});

test('MySQL: wrong password, an account that requires TLS, an untrusted CA and a host name mismatch', async () => {
  const mysqlCheck = async (source: Change['source']) =>
    (await check({ source: { dialect: 'mysql', url: env.mysqlUrl, ssl: tls, ...source } })).source;
  assert.equal(
    await mysqlCheck({ url: withUrl(mysql, { password: 'wrong-pw' }) }),
    `✗ source: ${mysqlAt} (user tributary) refused the login: wrong password or unknown user (1045)\n` +
      '  fix: check the user and password in source.url (or source.password / source.passwordFile)',
  );
  assert.equal(
    await mysqlCheck({ ssl: false }),
    `✗ source: ${mysqlAt} (user tributary) refused the login: wrong password, unknown user, or the account requires TLS (1045)\n` +
      '  fix: check the user and password in source.url (or source.password / source.passwordFile); if the account REQUIRE SSL, set source.ssl (e.g. source.ssl: { ca: /path/to/ca.pem })',
  );
  assert.match(
    await mysqlCheck({ ssl: true }),
    new RegExp(
      `^✗ source: ${mysqlAt} \\(user tributary\\): TLS failed, the server's certificate is not trusted`,
    ),
  );
  assert.match(
    await mysqlCheck({ url: withUrl(mysql, { host: otherName }) }),
    new RegExp(
      `^✗ source: MySQL at ${otherName}:${mysql.port} \\(user tributary\\): TLS failed, the server's certificate does not name the host`,
    ),
  );
  assert.equal(await mysqlCheck({}), 'ok');
});

test('a missing Kafka ACL on the topics stops the run with the ACL to add', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.grantKafkaAcls({ except: 'topic' });
  await ctx.sql('CREATE TABLE t (id int PRIMARY KEY)');
  const failure = await failureOf(ctx.start());
  assert.equal(failure.code, 'AUTH_FAILED');
  assert.match(
    failure.message,
    new RegExp(
      `^${kafkaAt} \\(user tributary\\): an ACL is missing, the broker denied access to topic ${ctx.name}\\.\\* or topic tributary-offsets-${ctx.name} \\(TOPIC_AUTHORIZATION_FAILED\\)$`,
    ),
  );
  assert.match(
    failure.fix ?? '',
    new RegExp(
      `kafka-acls --add --allow-principal 'User:tributary' --operation Create --operation Write --operation Describe --operation DescribeConfigs --topic '${ctx.name}\\.' --resource-pattern-type prefixed`,
    ),
  );
});

// kafkajs hides why FindCoordinator failed: the run retries, naming both likely ACLs.
for (const missing of ['transactional-id'] as const) {
  test(`a missing Kafka ACL on the ${missing} is retried with the ACLs to add`, async () => {
    await using ctx = await PgTestContext.open();
    await ctx.grantKafkaAcls({ except: missing });
    await ctx.sql('CREATE TABLE t (id int PRIMARY KEY)');
    const failure = await failureOf(ctx.start({ retry: { initialDelayMs: 10, giveUpAfterMs: 1 } }));
    assert.equal(failure.code, 'AUTH_FAILED');
    assert.match(
      failure.message,
      new RegExp(
        `${kafkaAt} \\(user tributary\\) found no coordinator for the transactional id tributary-${ctx.name} or the group tributary-reader-\\*: an ACL is likely missing`,
      ),
    );
    assert.match(
      failure.fix ?? '',
      new RegExp(`--operation Write --operation Describe --transactional-id 'tributary-${ctx.name}'`),
    );
    assert.match(
      failure.fix ?? '',
      /--operation Read --group 'tributary-reader-' --resource-pattern-type prefixed/,
    );
  });
}

test('a registry user that may only read gets a 403 naming the subject when the run registers a schema', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.grantKafkaAcls();
  await ctx.sql('CREATE TABLE t (id int PRIMARY KEY)');
  await ctx.sql('INSERT INTO t VALUES (1)');
  const failure = await failureOf(
    ctx.start({
      registry: {
        url: env.registryUrl,
        username: 'reader',
        password: secure.registryReaderPassword,
        ssl: tls,
      },
    }),
  );
  assert.match(
    failure.message,
    new RegExp(
      `^${registryAt} \\(user reader\\) forbade the request for subject ${ctx.topic('t')}-(key|value) \\(HTTP 403\\)`,
    ),
  );
});
