import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { EventCollector } from '../harness/kafka-events.ts';
import { exitOf, PgTestContext } from '../harness/pg-context.ts';
import { stackEnv } from '../harness/stack.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const env = stackEnv();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A bootstrap address for the stack's Kafka that refuses connections until
 * opened. The broker advertises its own address, so once a client has
 * bootstrapped it talks to the broker directly: this models a Kafka that is
 * down when the sidecar starts, without touching the shared broker.
 */
async function closedBootstrap(port: number): Promise<{ open(): Promise<void>; close(): Promise<void> }> {
  const [host, brokerPort] = env.kafkaBrokers[0]!.split(':') as [string, string];
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  return {
    open: () =>
      new Promise((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(brokerPort), host);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => {});
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    },
  };
}

function spawnCli(config: object): { child: ChildProcess; output: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-outage-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, stringify(config));
  const child = spawn(process.execPath, [CLI, 'run', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

async function readyz(port: number): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('Kafka unreachable at start: retried with one line per attempt and /readyz saying why, then it streams once Kafka is back', async () => {
  await using ctx = await PgTestContext.open();
  await ctx.sql('CREATE TABLE items (id int PRIMARY KEY, note text)');
  await ctx.sql(`INSERT INTO items VALUES (1, 'before')`);
  const kafkaPort = await freePort();
  const httpPort = await freePort();
  const bootstrap = await closedBootstrap(kafkaPort);
  const { child, output } = spawnCli(
    ctx.configInput({
      kafka: { brokers: [`127.0.0.1:${kafkaPort}`] },
      http: { port: httpPort, host: '127.0.0.1' },
      log: { level: 'info', format: 'json' },
      retry: { initialDelayMs: 200, maxDelayMs: 2_000 },
    }),
  );
  try {
    const notReady = await until('/readyz to name the unreachable Kafka', async () => {
      const answer = await readyz(httpPort);
      return answer?.body.includes('Kafka') ? answer : undefined;
    });
    assert.equal(notReady.status, 503);
    assert.match(
      notReady.body,
      new RegExp(`not ready: Kafka is unreachable at 127\\.0\\.0\\.1:${kafkaPort}`),
    );
    const attempts = output()
      .split('\n')
      .filter((line) => line.includes('"code":"KAFKA_UNREACHABLE"'));
    assert.ok(attempts.length >= 1, 'each attempt logs a line');
    assert.match(attempts[0]!, /"retryInMs":\d+,"attempt":1/);

    await bootstrap.open();
    await until('/readyz to say ready', async () =>
      (await readyz(httpPort))?.status === 200 ? true : undefined,
    );
    await ctx.sql(`INSERT INTO items VALUES (2, 'after')`);
    await using events = await EventCollector.open([ctx.topic('items')]);
    await events.waitFor(
      (seen) => seen.some((e) => e.key?.id === 2),
      60_000,
      'the row written after recovery',
    );
    assert.deepEqual(
      events.changes().map((e) => [e.value.op, e.key?.id]),
      [
        ['r', 1],
        ['c', 2],
      ],
    );

    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0, 'a stop after the recovery is clean');
    assert.doesNotMatch(output(), /shutdown took too long/);
    assert.doesNotMatch(output(), /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
  } finally {
    child.kill('SIGKILL');
    await bootstrap.close();
  }
});

test('with retry.giveUpAfterMs, a Kafka that stays unreachable ends in exit 1 and one message with the fix', async () => {
  await using ctx = await PgTestContext.open();
  const { child, output } = spawnCli(
    ctx.configInput({
      kafka: { brokers: ['127.0.0.1:1'] },
      retry: { initialDelayMs: 100, maxDelayMs: 500, giveUpAfterMs: 1 },
      log: { level: 'error', format: 'json' },
    }),
  );
  assert.equal(await exitOf(child), 1);
  assert.match(
    output(),
    /^tributary: gave up after \d+ s of failures \(retry\.giveUpAfterMs\): Kafka is unreachable at 127\.0\.0\.1:1: .*ECONNREFUSED.*\n {2}fix: /m,
  );
  assert.doesNotMatch(output(), /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
  assert.doesNotMatch(output(), /unexpected failure/);
});
