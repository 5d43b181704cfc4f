import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { StatusData } from '../../src/observe/status-page.ts';
import { exitOf, type ConfigOverrides, type ConnectorTestContext } from '../harness/connector-context.ts';
import { loadPage, testOutput } from '../harness/browser.ts';
import { CLI, contextConfigFile, freePort, until } from '../harness/cli.ts';
import { EventCollector } from '../harness/kafka-events.ts';
import { waitOrFail } from '../harness/waiting.ts';

const run = promisify(execFile);

/** Runs a command on a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
async function onTerminal(command: string[], seconds: number, capture: string): Promise<string> {
  const line = ['timeout', '-s', 'INT', String(seconds), ...command].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', line, capture], { stdio: 'ignore' });
  await exitOf(child);
  return readFileSync(capture, 'utf8');
}

export function statusAndTerminalSuite(open: () => Promise<ConnectorTestContext>): void {
  test('the status page shows the snapshot, the re-snapshot and streaming in headless Chromium; status --watch follows a re-snapshot', async (t) => {
    await using ctx = await open();
    await ctx.sql('CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)');
    await ctx.insertSeries('items', 5000, 'g, g');
    const port = await freePort();
    const overrides: ConfigOverrides = {
      http: { port, host: '127.0.0.1' },
      // One Kafka transaction per small chunk: a snapshot slow enough to watch.
      batch: { maxEvents: 1 },
      source: { snapshot: { chunkSize: 10, incrementalChunkSize: 25 } },
    };
    const file = contextConfigFile(ctx, overrides);
    const child = ctx.spawn(overrides);
    const base = `http://127.0.0.1:${port}`;
    const status = async () => (await (await fetch(`${base}/status`)).json()) as StatusData;
    const table = `${ctx.schema}.items`;
    const shot = (phase: string) => testOutput(`status-page-${ctx.dialect}-${phase}.png`);

    await until('the snapshot under way', async () =>
      (await status()).state === 'snapshot' ? true : undefined,
    );
    const during = await loadPage(`${base}/`, shot('snapshot'));
    assert.match(during, /class="state snapshot"/);
    assert.match(during, /Initial snapshot/);
    assert.match(during, new RegExp(`0 of 1 tables, reading ${table}`));
    assert.match(during, /http-equiv="refresh"/, 'the page refreshes itself');
    assert.doesNotMatch(during, /<(script|link)[^>]+(src|href)=/, 'no external assets');

    await until('streaming', async () => ((await status()).state === 'streaming' ? true : undefined));
    await ctx.sql('INSERT INTO items VALUES (5001, 1)');
    await until('the insert counted', async () =>
      (await status()).events.find((e) => e.table === table)?.total === 5001 ? true : undefined,
    );
    const streaming = await loadPage(`${base}/`, shot('streaming'));
    assert.match(streaming, /class="state streaming"/);
    assert.match(streaming, new RegExp(`<td>${table}</td><td class="num">5,001</td><td>r 5,000, c 1</td>`));
    assert.match(streaming, /Committed position: /);
    assert.match(streaming, /<svg class="chart"/);
    assert.match(streaming, /No errors\./);

    // status --watch on a terminal follows a re-snapshot from start to end: the watch starts
    // first (a cold CLI start takes seconds on a busy machine, longer than a small re-snapshot).
    const capture = testOutput(`status-watch-${ctx.dialect}.txt`);
    const watchCommand = [process.execPath, CLI, 'status', '--watch', '--config', file];
    const watching = onTerminal(watchCommand, 300, capture);
    const frames = () => readFileSync(capture, 'utf8');
    await until('the first status --watch frame', async () =>
      /: streaming/.test(frames()) ? true : undefined,
    );
    await run(process.execPath, [CLI, 'snapshot', table, '--config', file]);
    await until(
      'the re-snapshot under way',
      async () => ((await status()).incremental?.rows ?? 0) > 0 || undefined,
    );
    const resnapshot = await loadPage(`${base}/`, shot('resnapshot'));
    assert.match(resnapshot, new RegExp(`Re-snapshot ${table}`));
    assert.match(resnapshot, /role="progressbar"/);
    await until(
      'the re-snapshot to finish',
      async () => ((await status()).incremental === null ? true : undefined),
      180_000,
    );
    const lastFrame = () => frames().slice(frames().lastIndexOf('\x1b[H'));
    await until('status --watch to show the end of the re-snapshot', async () =>
      /: streaming\r?\n[^]*lag/.test(lastFrame()) && !/re-snapshot/.test(lastFrame()) ? true : undefined,
    );
    // Ctrl-C, as a person at the terminal would stop it (the pattern matches the CLI only).
    await run('pkill', ['-INT', '-f', `^${watchCommand.join(' ')}`]);
    await watching;
    assert.match(frames(), new RegExp(`re-snapshot ${table}\\s+\\[#*\\.*\\]\\s+\\d+%`));
    t.diagnostic(`status page screenshots: ${shot('snapshot')}, ${shot('streaming')}, ${shot('resnapshot')}`);
    t.diagnostic(`status --watch capture: ${capture}`);

    child.kill('SIGTERM');
    assert.equal(await exitOf(child), 0);
  });

  test('status is readable on a terminal and JSON when piped; tail prints ISO-8601 times and exact decimals; no TimeoutNegativeWarning', async () => {
    await using ctx = await open();
    const datetime = ctx.dialect === 'postgres' ? 'timestamp(6)' : 'datetime(6)';
    await ctx.sql(`CREATE TABLE t (id int PRIMARY KEY, at ${datetime}, day date, amount decimal(30,10))`);
    await ctx.sql(
      `INSERT INTO t VALUES (1, '2024-02-29 23:59:59.123456', '1969-07-20', 12345678901234567890.0123456789)`,
    );
    const file = contextConfigFile(ctx, {});
    const connector = ctx.start();
    await using events = await EventCollector.open([ctx.topic('t')]);
    await waitOrFail(connector, events, (seen) => seen.length >= 1, 'the snapshot');

    const piped = await run(process.execPath, [CLI, 'status', '--config', file]);
    assert.equal((JSON.parse(piped.stdout) as { state: string }).state, 'streaming');
    assert.doesNotMatch(piped.stderr, /TimeoutNegativeWarning/);
    const terminal = await onTerminal(
      [process.execPath, CLI, 'status', '--config', file],
      30,
      testOutput(`status-${ctx.dialect}.txt`),
    );
    assert.match(terminal, new RegExp(`${ctx.name} \\(${ctx.dialect}\\): streaming`));
    assert.match(terminal, /committed {3}\d{4}-\d\d-\d\dT/);

    const tail = spawn(process.execPath, [CLI, 'tail', ctx.topic('t'), '--from-beginning', '--config', file]);
    let stdout = '';
    let stderr = '';
    tail.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    tail.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until('the tailed event', async () => (/\n}\n/.test(stdout) ? true : undefined), 60_000);
    tail.kill('SIGINT');
    await exitOf(tail);
    await connector.stop();
    const printed = JSON.parse(stdout.slice(0, stdout.indexOf('\n}\n') + 2)) as {
      value: { after: Record<string, unknown>; ts_ms: string; source: { ts_ms: string } };
    };
    assert.deepEqual(printed.value.after, {
      id: 1,
      at: '2024-02-29T23:59:59.123456',
      day: '1969-07-20',
      amount: '12345678901234567890.0123456789',
    });
    assert.match(printed.value.ts_ms, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.doesNotMatch(stderr, /TimeoutNegativeWarning/, "kafkajs's negative timeout warning is silenced");
  });
}
