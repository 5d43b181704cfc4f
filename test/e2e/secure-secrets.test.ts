import '../harness/secure-stack.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, configFile, freePort, runCli } from '../harness/cli.ts';
import { grantKafkaAcls } from '../harness/connector-context.ts';
import { PgTestContext } from '../harness/pg-context.ts';
import { stackEnv } from '../harness/stack.ts';

/**
 * Secrets from the environment, files and URLs never appear in anything the
 * sidecar prints or serves: startup at debug level, failures, check, status,
 * tail, /metrics and the other HTTP endpoints.
 */
const env = stackEnv();
const secure = env.secure!;

/** Runs `tributary ARGS` until `until(output)` holds, then stops it with `signal`; returns all it printed. */
async function runUntil(
  args: string[],
  childEnv: NodeJS.ProcessEnv,
  until: (output: string) => Promise<boolean> | boolean,
  signal: NodeJS.Signals,
): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  while (!(await until(output))) {
    assert.ok(Date.now() < deadline, `tributary ${args.join(' ')} never got there:\n${output}`);
    assert.equal(child.exitCode, null, `tributary ${args.join(' ')} exited early:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill(signal);
  await exited;
  return output;
}

test('no secret from the environment, a file or a URL is ever printed or served', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.grantKafkaAcls();
  // `tail` reads the change topics through groups of its own.
  await grantKafkaAcls([
    { resource: 'topic', name: `${ctx.name}.`, pattern: 'prefixed', operations: ['Read'], reason: 'tail' },
    { resource: 'group', name: 'tributary-tail-', pattern: 'prefixed', operations: ['Read'], reason: 'tail' },
  ]);
  await ctx.sql('CREATE TABLE orders (id int PRIMARY KEY, item text)');
  await ctx.sql(`INSERT INTO orders VALUES (1, 'apple')`);

  const dbPassword = decodeURIComponent(new URL(ctx.url).password);
  const wrongPassword = `wrong-${Math.random().toString(36).slice(2)}`;
  const secrets = [dbPassword, secure.kafkaUser.password, secure.registryPassword, wrongPassword];
  // The forms a leak could take: as is, percent-encoded, and inside a basic-auth header.
  const forms = secrets.flatMap((secret) => [
    secret,
    encodeURIComponent(secret),
    Buffer.from(`tributary:${secret}`).toString('base64'),
  ]);

  const dir = mkdtempSync(join(tmpdir(), 'tributary-secrets-'));
  const kafkaPasswordFile = join(dir, 'kafka-password');
  writeFileSync(kafkaPasswordFile, `${secure.kafkaUser.password}\n`);
  const port = await freePort();
  const input = ctx.configInput({
    kafka: {
      brokers: env.kafkaBrokers,
      ssl: { ca: secure.caFile },
      sasl: { mechanism: 'scram-sha-512', username: 'tributary', passwordFile: kafkaPasswordFile },
    },
    registry: { url: env.registryUrl, username: 'tributary', ssl: { ca: secure.caFile } },
    http: { port, host: '127.0.0.1' },
    log: { level: 'debug', format: 'json' },
  });
  // The source URL (with its password) and the registry password come from the environment.
  const { url: _url, ...source } = input.source!;
  const file = configFile({ ...input, source } as typeof input);
  const childEnv = (url: string): NodeJS.ProcessEnv => ({
    ...process.env,
    TRIBUTARY_SOURCE__URL: url,
    TRIBUTARY_REGISTRY__PASSWORD: secure.registryPassword,
  });
  const goodEnv = childEnv(ctx.url);
  const transcript: Array<[string, string]> = [];
  const record = (what: string, text: string): void => void transcript.push([what, text]);

  // Startup and streaming at debug level, and every HTTP endpoint while it runs.
  const base = `http://127.0.0.1:${port}`;
  record(
    'run (debug)',
    await runUntil(
      ['run', '--config', file],
      goodEnv,
      async () => {
        const ready = await fetch(`${base}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (!ready) return false;
        for (const path of ['/metrics', '/healthz', '/readyz']) {
          record(`GET ${path}`, await fetch(`${base}${path}`).then((r) => r.text()));
        }
        return true;
      },
      'SIGTERM',
    ),
  );
  for (const command of ['check', 'status']) {
    const result = await runCli([command, '--config', file], { env: goodEnv });
    assert.equal(result.code, 0, `${command}: ${result.stdout}${result.stderr}`);
    record(command, result.stdout + result.stderr);
  }
  record(
    'tail',
    await runUntil(
      ['tail', '--config', file, ctx.topic('orders'), '--from-beginning'],
      goodEnv,
      (output) => output.includes('apple'),
      'SIGINT',
    ),
  );

  // Failures: a wrong password, an unreachable host.
  const wrongUrl = new URL(ctx.url);
  wrongUrl.password = wrongPassword;
  const wrong = await runCli(['run', '--config', file], { env: childEnv(wrongUrl.href) });
  assert.match(wrong.stderr, /refused the login: wrong password or unknown user/);
  record('run with a wrong password', wrong.stdout + wrong.stderr);
  const unreachableUrl = new URL(ctx.url);
  unreachableUrl.port = String(await freePort());
  for (const command of ['check', 'run']) {
    const result = await runCli([command, '--config', file], {
      env: { ...childEnv(unreachableUrl.href), TRIBUTARY_RETRY__GIVE_UP_AFTER_MS: '1' },
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /unreachable/);
    record(`${command} with an unreachable database`, result.stdout + result.stderr);
  }

  for (const [what, text] of transcript) {
    assert.ok(text.length > 0, `${what} printed something`);
    for (const form of forms) assert.ok(!text.includes(form), `${what} printed a secret:\n${text}`);
  }
  assert.ok(
    transcript.some(([what, text]) => what === 'run (debug)' && text.includes('"level":20')),
    'the run logged at debug level',
  );
});
