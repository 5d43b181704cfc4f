import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ConnectorTestContext } from '../../test/harness/connector-context.ts';
import { uniqueName } from '../../test/harness/stack.ts';
import { trackChild } from './cleanup.ts';
import type { BaselineFigure } from './figures.ts';
import type { EndOffsets } from './offsets.ts';

/**
 * The baselines: what the source and the sink manage on their own with the
 * same data, measured in the same run. Each runs a stock tool with its output
 * to /dev/null and reports in the scenario's unit.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command with stdout to /dev/null (or captured) and returns its wall seconds; fails on a non-zero exit. */
export async function timed(
  command: string,
  args: string[],
  options: { captureStdout?: boolean } = {},
): Promise<{ seconds: number; stdout: string }> {
  const devNull = options.captureStdout ? null : openSync('/dev/null', 'w');
  const started = performance.now();
  try {
    const child = spawn(command, args, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const code = await new Promise<number | string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal ?? -1));
    });
    if (code !== 0)
      throw new Error(`${command} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
    return { seconds: (performance.now() - started) / 1000, stdout };
  } finally {
    if (devNull !== null) closeSync(devNull);
  }
}

/** The newest Postgres bin dir of the Debian packages, as scripts/stack.sh finds it. */
export function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no Postgres client tools under ${base}`);
  return join(base, newest, 'bin');
}

/** Host, port, user, password and database of a mysql:// URL, as the mariadb clients take them. */
function mysqlArgs(url: string): string[] {
  const u = new URL(url);
  return [
    `--host=${u.hostname}`,
    `--port=${u.port || '3306'}`,
    `--user=${decodeURIComponent(u.username)}`,
    `--password=${decodeURIComponent(u.password)}`,
  ];
}

/** Reads the whole table as text, client-side, to /dev/null: rows/s. */
export async function rawTableRead(
  ctx: ConnectorTestContext,
  table: string,
  rows: number,
): Promise<BaselineFigure> {
  const select = `SELECT * FROM ${ctx.schema}.${table}`;
  const { tool, run } =
    ctx.dialect === 'postgres'
      ? {
          tool: 'COPY TO STDOUT',
          run: () =>
            timed(join(pgBinDir(), 'psql'), [ctx.url, '-X', '-q', '-c', `COPY (${select}) TO STDOUT`]),
        }
      : {
          tool: 'mariadb --quick',
          run: () =>
            timed('mariadb', [
              '--no-defaults',
              ...mysqlArgs(ctx.url),
              '--batch',
              '--quick',
              '--skip-column-names',
              '-e',
              select,
            ]),
        };
  const { seconds } = await run();
  return { kind: 'source', tool, figure: rows / seconds, seconds, detail: { rows } };
}

/**
 * The source's own change stream, positioned before a backlog: open it, commit
 * the backlog, then drain() reads the log to the backlog's end with the stock
 * client (pg_recvlogical with pgoutput, mariadb-binlog from the server).
 */
export interface RawChangeStream {
  drain(events: number): Promise<BaselineFigure>;
  close(): Promise<void>;
}

export async function openRawChangeStream(
  ctx: ConnectorTestContext,
  table: string,
): Promise<RawChangeStream> {
  return ctx.dialect === 'postgres' ? openPgRecvlogical(ctx, table) : openMariadbBinlog(ctx);
}

async function openPgRecvlogical(ctx: ConnectorTestContext, table: string): Promise<RawChangeStream> {
  const slot = `bench_raw_${ctx.name}`.slice(0, 63);
  const publication = slot;
  // The publication first: pgoutput looks it up as of each change it decodes.
  await ctx.sql(`CREATE PUBLICATION ${publication} FOR TABLE ${table}`);
  await ctx.sql(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
  return {
    drain: async (events) => {
      // The insert position covers every record of the committed backlog.
      const [row] = await ctx.sql<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      const lsn = row!.lsn;
      const { seconds } = await timed(join(pgBinDir(), 'pg_recvlogical'), [
        '-d',
        ctx.url,
        '--slot',
        slot,
        '--start',
        '--no-loop',
        '-o',
        'proto_version=1',
        '-o',
        `publication_names=${publication}`,
        `--endpos=${lsn}`,
        '-f',
        '-',
      ]);
      return {
        kind: 'source',
        tool: 'pg_recvlogical',
        figure: events / seconds,
        seconds,
        detail: { endLsn: lsn },
      };
    },
    // A slot left behind holds WAL on the shared server.
    close: async () => {
      await ctx.sql(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
        [slot],
      );
    },
  };
}

async function openMariadbBinlog(ctx: ConnectorTestContext): Promise<RawChangeStream> {
  const position = async () => {
    const [status] = await ctx.sql<{ File: string; Position: number | string }>('SHOW MASTER STATUS');
    if (!status) throw new Error('SHOW MASTER STATUS: the binlog is off');
    return { file: status.File, position: Number(status.Position) };
  };
  const start = await position();
  return {
    drain: async (events) => {
      const end = await position();
      const logs = (await ctx.sql<{ Log_name: string }>('SHOW BINARY LOGS')).map((l) => l.Log_name);
      const files = logs.slice(logs.indexOf(start.file), logs.indexOf(end.file) + 1);
      const { seconds } = await timed('mariadb-binlog', [
        '--no-defaults',
        '--read-from-remote-server',
        ...mysqlArgs(ctx.url),
        `--start-position=${start.position}`,
        `--stop-position=${end.position}`,
        ...files,
      ]);
      return {
        kind: 'source',
        tool: 'mariadb-binlog',
        figure: events / seconds,
        seconds,
        detail: { from: `${start.file}:${start.position}`, to: `${end.file}:${end.position}` },
      };
    },
    close: async () => {},
  };
}

/** Where the stack keeps Kafka's jars: $STACK_CACHE_DIR, else $STACK_DIR, else .stack (as scripts/stack.sh). */
export function kafkaLibs(): string {
  const dir = process.env.STACK_CACHE_DIR || process.env.STACK_DIR || join(ROOT, '.stack');
  return join(dir, 'kafka', 'libs');
}

/**
 * Kafka's own producer perf tool, transactional, writing as many records of
 * the scenario's mean size to a topic of its own: the sink's ceiling. Its
 * rate (JVM start left out, as the tool measures) is turned into the
 * scenario's unit: `events` over the time it took for `records`.
 */
export async function rawProducer(options: {
  offsets: EndOffsets;
  brokers: string[];
  records: number;
  recordBytes: number;
  events: number;
  transactionMs: number;
}): Promise<BaselineFigure | string> {
  const libs = kafkaLibs();
  if (!existsSync(libs)) return `raw producer: no Kafka jars in ${libs} (set STACK_CACHE_DIR or STACK_DIR)`;
  const topic = uniqueName('bench_producer');
  const recordSize = Math.max(1, Math.round(options.recordBytes));
  await options.offsets.admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  try {
    const { stdout, seconds } = await timed(
      'java',
      [
        '-Xmx512m',
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(options.records),
        '--record-size',
        String(recordSize),
        '--throughput',
        '-1',
        '--transactional-id',
        topic,
        '--transaction-duration-ms',
        String(options.transactionMs),
        '--producer-props',
        `bootstrap.servers=${options.brokers.join(',')}`,
        'acks=all',
      ],
      { captureStdout: true },
    );
    const recordsPerSecond = producerRate(stdout);
    const toolSeconds = options.records / recordsPerSecond;
    return {
      kind: 'producer',
      tool: 'ProducerPerformance',
      figure: options.events / toolSeconds,
      seconds: toolSeconds,
      detail: {
        records: options.records,
        recordSize,
        transactionMs: options.transactionMs,
        recordsPerSecond: Math.round(recordsPerSecond),
        wallSeconds: Number(seconds.toFixed(2)),
      },
    };
  } finally {
    await options.offsets.admin.deleteTopics({ topics: [topic] }).catch(() => {});
  }
}

/** The records/s of ProducerPerformance's final line ("N records sent, R records/sec (…)"). */
export function producerRate(output: string): number {
  const lines = output.split('\n').filter((line) => line.includes('records sent'));
  const match = /records sent, ([\d.]+) records\/sec/.exec(lines.at(-1) ?? '');
  if (!match) throw new Error(`no rate in ProducerPerformance output: ${output.slice(-300)}`);
  return Number(match[1]);
}
