import { stackEnv } from '../../test/harness/stack.ts';
import { openRawChangeStream, rawProducer, rawTableRead } from './baselines.ts';
import { openContext } from './context.ts';
import type { BaselineFigure, Dialect, PhaseFigures, ScenarioResult, TributaryFigures } from './figures.ts';
import type { KeyCheckResult } from './key-check.ts';
import type { EndOffsets } from './offsets.ts';
import { runDebezium, type DebeziumResult } from '../debezium.ts';
import { measureLatency } from '../latency.ts';
import type { BenchOptions } from './options.ts';
import { progress } from './progress.ts';
import { runManyTables, runTributaryPhase, STREAM_ONLY, takeStreamPosition } from './tributary.ts';
import {
  commitBacklog,
  createSmallTables,
  createTableSql,
  insertBacklog,
  loadRows,
  mixedBacklog,
  mixedExistingRows,
  NARROW,
  updateBacklog,
  WIDE,
  type Backlog,
} from './workloads.ts';

/** What every scenario of one dialect shares. */
export interface BenchRun {
  dialect: Dialect;
  options: BenchOptions;
  offsets: EndOffsets;
  /** Figures scenarios leave for later ones (the drain rate the latency scenario's rates derive from). */
  drainRate?: number;
  /** Debezium's run on this dialect, shared by the scenarios it is a baseline of. */
  debezium?: Promise<DebeziumResult | string>;
}

export interface Scenario {
  name: string;
  description: string;
  /** Left out of --quick runs unless named with --scenario. */
  fullRunOnly?: boolean;
  run(bench: BenchRun): Promise<ScenarioResult>;
}

const TABLE = 'bench_rows';

/** Collects a scenario's baselines; one that cannot run is noted, not fatal. */
class Baselines {
  readonly figures: BaselineFigure[] = [];
  readonly skipped: string[] = [];

  async add(what: string, run: () => Promise<BaselineFigure | string | null>): Promise<void> {
    try {
      const figure = await run();
      if (typeof figure === 'string') this.skipped.push(figure);
      else if (figure) this.figures.push(figure);
    } catch (error) {
      this.skipped.push(`${what}: ${(error as Error).message}`);
    }
  }

  /** Kafka's producer with the records the phase wrote (their count and mean size). */
  producer(bench: BenchRun, figures: TributaryFigures): Promise<void> {
    return this.add('raw producer', () =>
      rawProducer({
        offsets: bench.offsets,
        brokers: stackEnv().kafkaBrokers,
        records: figures.records,
        recordBytes: figures.meanRecordBytes,
        events: figures.events,
        transactionMs: bench.options.producerTransactionMs,
      }),
    );
  }

  /** Debezium's phase as a baseline (its own key check must have passed), with its startup, memory and CPU. */
  debezium(phase: PhaseFigures | undefined, knobs: Record<string, string>): void {
    if (!phase) return;
    if (!phase.keysChecked) {
      this.skipped.push('debezium: its key check failed');
      return;
    }
    this.figures.push({
      kind: 'debezium',
      tool: 'Debezium',
      figure: phase.rate,
      seconds: phase.seconds,
      detail: {
        'startup s': phase.startupSeconds.toFixed(1),
        'rate after startup': Math.round(phase.events / (phase.seconds - phase.startupSeconds)),
        'peak RSS MiB': Math.round(phase.peakRssMiB),
        'CPU s/1k': phase.cpuSecondsPer1k.toFixed(3),
        ...knobs,
      },
    });
  }
}

function outcome(
  bench: BenchRun,
  scenario: string,
  unit: string,
  tributary: { figures: TributaryFigures; keys: KeyCheckResult },
  baselines: Baselines,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  const { figures, keys } = tributary;
  return {
    scenario,
    dialect: bench.dialect,
    ok: keys.ok,
    ...(keys.ok ? {} : { failure: keys.problems.slice(0, 5).join('; ') }),
    figure: figures.rate,
    unit,
    count: figures.events,
    baselines: baselines.figures,
    skipped: baselines.skipped,
    tributary: figures,
    ...extra,
  };
}

/** Debezium once per dialect, on a narrow table of its own: `rows` rows, then a backlog of `rows` inserts in 100-row transactions. */
function debeziumRun(bench: BenchRun): Promise<DebeziumResult | string> {
  bench.debezium ??= (async () => {
    await using ctx = await openContext(bench.dialect, bench.offsets);
    const rows = bench.options.rows;
    await ctx.sql(createTableSql(bench.dialect, TABLE, NARROW));
    await loadRows(ctx, TABLE, NARROW, rows, { label: 'debezium' });
    // Awaited here: the context must outlive the run.
    return await runDebezium({
      dialect: bench.dialect,
      table: TABLE,
      context: ctx,
      offsets: bench.offsets,
      snapshotRows: rows,
      makeBacklog: async () => {
        const backlog = insertBacklog(TABLE, NARROW, rows + 1, rows, 100);
        await commitBacklog(ctx, backlog);
        return backlog.events;
      },
    });
  })().catch((error: unknown) => `debezium: ${(error as Error).message}`);
  return bench.debezium;
}

async function debeziumBaseline(
  bench: BenchRun,
  baselines: Baselines,
  phase: 'snapshot' | 'drain',
): Promise<PhaseFigures | undefined> {
  if (!bench.options.withDebezium) return undefined;
  const result = await debeziumRun(bench);
  if (typeof result === 'string') {
    baselines.skipped.push(result);
    return undefined;
  }
  baselines.debezium(result[phase], result.knobs);
  return result[phase];
}

async function snapshot(
  bench: BenchRun,
  name: string,
  columns: typeof NARROW,
  rows: number,
): Promise<ScenarioResult> {
  await using ctx = await openContext(bench.dialect, bench.offsets);
  const label = `${bench.dialect} ${name}`;
  await ctx.sql(createTableSql(bench.dialect, TABLE, columns));
  ctx.tables.push(TABLE);
  await loadRows(ctx, TABLE, columns, rows, { chunk: columns === WIDE ? 10_000 : 100_000, label });
  const baselines = new Baselines();
  await baselines.add('raw table read', () => rawTableRead(ctx, TABLE, rows));
  const tributary = await runTributaryPhase({
    ctx,
    offsets: bench.offsets,
    label,
    expectation: { topic: ctx.topic(TABLE), firstId: 1, lastId: rows },
    events: rows,
  });
  await baselines.producer(bench, tributary.figures);
  const debezium = columns === NARROW ? await debeziumBaseline(bench, baselines, 'snapshot') : undefined;
  return outcome(bench, name, 'rows/s', tributary, baselines, debezium ? { debezium } : {});
}

/**
 * A backlog drain: the sidecar takes its position and stops, the backlog is
 * committed, the source's own client reads it (baseline), then the sidecar
 * starts again and drains it.
 */
async function drain(
  bench: BenchRun,
  name: string,
  workload: { existingRows: number; backlog: (table: string) => Backlog; debezium?: boolean },
): Promise<ScenarioResult> {
  await using ctx = await openContext(bench.dialect, bench.offsets);
  const label = `${bench.dialect} ${name}`;
  await ctx.sql(createTableSql(bench.dialect, TABLE, NARROW));
  ctx.tables.push(TABLE);
  if (workload.existingRows > 0) await loadRows(ctx, TABLE, NARROW, workload.existingRows, { label });
  await takeStreamPosition(ctx);
  const backlog = workload.backlog(TABLE);
  const baselines = new Baselines();
  const stream = await openRawChangeStream(ctx, TABLE);
  try {
    progress(label, `committing ${backlog.events} changes in ${backlog.transactions} transactions`);
    await commitBacklog(ctx, backlog);
    await baselines.add('raw change stream', () => stream.drain(backlog.events));
  } finally {
    await stream.close();
  }
  const tributary = await runTributaryPhase({
    ctx,
    offsets: bench.offsets,
    label,
    expectation: { topic: ctx.topic(TABLE), firstId: 1, lastId: backlog.events, tombstones: backlog.deletes },
    events: backlog.events,
    overrides: STREAM_ONLY,
  });
  await baselines.producer(bench, tributary.figures);
  const debezium = workload.debezium ? await debeziumBaseline(bench, baselines, 'drain') : undefined;
  return outcome(bench, name, 'events/s', tributary, baselines, debezium ? { debezium } : {});
}

function insertDrain(
  name: string,
  txRows: number,
  description: string,
  options: { debezium?: boolean; fullRunOnly?: boolean } = {},
): Scenario {
  const { debezium = false, fullRunOnly = false } = options;
  return {
    name,
    description,
    fullRunOnly,
    run: async (bench) => {
      const rows = bench.options.rows;
      const result = await drain(bench, name, {
        existingRows: 0,
        backlog: (table) => insertBacklog(table, NARROW, 1, rows, txRows),
        debezium,
      });
      if (result.ok && txRows === 100) bench.drainRate = result.figure ?? undefined;
      return result;
    },
  };
}

/** Steady-rate commit-to-visible latency at these shares of the drain ceiling. */
const LATENCY_SHARES = [0.25, 0.5, 0.9];

async function latency(bench: BenchRun): Promise<ScenarioResult> {
  const base = {
    scenario: 'latency',
    dialect: bench.dialect,
    unit: 'ms p99 at 50%',
    count: 0,
    baselines: [],
  };
  const ceiling = bench.options.ceiling ?? bench.drainRate;
  if (!ceiling) {
    return {
      ...base,
      ok: true,
      figure: null,
      skipped: ['no ceiling: run drain-insert-tx100 first or pass --ceiling'],
    };
  }
  const levels = [];
  for (const share of LATENCY_SHARES) {
    const ratePerSecond = Math.round(ceiling * share);
    progress(`${bench.dialect} latency`, `${ratePerSecond} changes/s for ${bench.options.latencySeconds} s`);
    const figures = await measureLatency({
      dialect: bench.dialect,
      ratePerSecond,
      seconds: bench.options.latencySeconds,
    });
    levels.push({ share, ratePerSecond, ...figures });
  }
  const half = levels.find((l) => l.share === 0.5)!;
  return {
    ...base,
    ok: true,
    figure: half.p99,
    count: levels.reduce((n, l) => n + l.samples, 0),
    skipped: [],
    target: '<= 100 ms',
    latency: levels,
  };
}

async function smallTables(bench: BenchRun): Promise<ScenarioResult> {
  await using ctx = await openContext(bench.dialect, bench.offsets);
  const { smallTables: count, smallTableRows: rows } = bench.options;
  const tables = await createSmallTables(ctx, count, rows);
  ctx.tables.push(...tables);
  const tributary = await runManyTables({
    ctx,
    offsets: bench.offsets,
    label: `${bench.dialect} small-tables`,
    expectations: tables.map((table) => ({ topic: ctx.topic(table), firstId: 1, lastId: rows })),
    rowsPerTable: rows,
  });
  const { figures, keys } = tributary;
  return {
    ...outcome(bench, 'small-tables', 's', tributary, new Baselines(), { target: '<= 10 s' }),
    figure: figures.seconds,
    ...(keys.ok ? {} : { failure: keys.problems.slice(0, 5).join('; ') }),
    readySeconds: tributary.readySeconds,
  };
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'snapshot-narrow',
    description: 'snapshot of N rows of 5 columns (~100 B)',
    run: (bench) => snapshot(bench, 'snapshot-narrow', NARROW, bench.options.rows),
  },
  {
    name: 'snapshot-wide',
    description: 'snapshot of N/10 rows of 30 columns of mixed types (~2 KB)',
    run: (bench) => snapshot(bench, 'snapshot-wide', WIDE, bench.options.wideRows),
  },
  {
    name: 'small-tables',
    description: 'many tables of 5 rows: seconds until /readyz and every row in Kafka',
    run: smallTables,
  },
  insertDrain('drain-insert-tx100', 100, 'backlog of N inserts, 100 rows a source transaction', {
    debezium: true,
  }),
  {
    name: 'latency',
    description: 'commit-to-visible latency at 25/50/90% of the drain-insert-tx100 rate (bench/latency.ts)',
    run: latency,
  },
  insertDrain('drain-insert-tx1', 1, 'backlog of N inserts, one row a source transaction', {
    fullRunOnly: true,
  }),
  insertDrain('drain-insert-tx10k', 10_000, 'backlog of N inserts, 10,000 rows a source transaction', {
    fullRunOnly: true,
  }),
  {
    name: 'drain-update',
    description: 'backlog of N updates (every row once, full before images), 100 a transaction',
    run: (bench) =>
      drain(bench, 'drain-update', {
        existingRows: bench.options.rows,
        backlog: (table) => updateBacklog(table, bench.options.rows, 100),
      }),
  },
  {
    name: 'drain-mixed',
    description: 'backlog of N changes: 50 inserts, 30 updates, 20 deletes a transaction',
    run: (bench) =>
      drain(bench, 'drain-mixed', {
        existingRows: mixedExistingRows(bench.options.rows),
        backlog: (table) => mixedBacklog(table, NARROW, bench.options.rows),
      }),
  },
];
