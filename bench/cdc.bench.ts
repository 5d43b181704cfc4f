/**
 * `npm run bench`: Tributary's throughput, startup, memory and CPU on both
 * dialects, beside baselines measured in the same run on the same data (the
 * source's own readers, Kafka's producer, Debezium with --with-debezium).
 * Every run checks that each expected key reached Kafka exactly once.
 *
 *   npm run bench -- --quick                          every scenario, small sizes
 *   npm run bench -- --dialect mysql --scenario drain-update --rows 200000
 *
 * Progress goes to stderr; stdout gets one line per scenario. Results are
 * written to bench/results/<date>-<dialect>.json and .md. Exits non-zero
 * when a scenario failed. Runs on the stack the environment names
 * (KAFKA_BROKERS, ...), else on the local one (.stack/env).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isInterrupted, releaseOnSignals } from './lib/cleanup.ts';
import { summaryLine, type Dialect, type ScenarioResult } from './lib/figures.ts';
import { EndOffsets } from './lib/offsets.ts';
import { endProgress } from './lib/progress.ts';
import { parseOptions, USAGE, type BenchOptions } from './lib/options.ts';
import { writeReport, type RunInfo } from './lib/report.ts';
import { SCENARIOS, type BenchRun, type Scenario } from './lib/scenarios.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url));

function selectedScenarios(options: BenchOptions): Scenario[] {
  if (!options.scenarios) return SCENARIOS;
  const unknown = options.scenarios.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  return SCENARIOS.filter((s) => options.scenarios!.includes(s.name));
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function notRun(scenario: Scenario, dialect: Dialect, why: string): ScenarioResult {
  return {
    scenario: scenario.name,
    dialect,
    ok: true,
    figure: null,
    unit: '',
    count: 0,
    baselines: [],
    skipped: [why],
  };
}

async function runDialect(
  dialect: Dialect,
  scenarios: Scenario[],
  options: BenchOptions,
): Promise<ScenarioResult[]> {
  await using offsets = await EndOffsets.open();
  const bench: BenchRun = { dialect, options, offsets };
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const started = performance.now();
    let result: ScenarioResult;
    try {
      if (options.quick && scenario.fullRunOnly && !options.scenarios) {
        result = notRun(scenario, dialect, '--quick; name it with --scenario to run it');
      } else {
        process.stderr.write(`${dialect} ${scenario.name}: ${scenario.description}\n`);
        result = await scenario.run(bench);
      }
    } catch (error) {
      result = {
        scenario: scenario.name,
        dialect,
        ok: false,
        failure: (error as Error).message,
        figure: null,
        unit: '',
        count: 0,
        baselines: [],
        skipped: [],
      };
    }
    // Interrupted: the signal handler releases everything and exits; no result to print or write.
    if (isInterrupted()) await new Promise(() => {});
    endProgress();
    if (result.figure !== null || !result.ok) {
      process.stderr.write(
        `${dialect} ${scenario.name}: done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
    console.log(summaryLine(result));
    results.push(result);
  }
  return results;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(20)} ${s.description}`);
    return 0;
  }
  let scenarios: Scenario[];
  try {
    scenarios = selectedScenarios(options);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  releaseOnSignals();
  const date = new Date().toISOString().slice(0, 10);
  let failed = false;
  for (const dialect of options.dialects) {
    const results = await runDialect(dialect, scenarios, options);
    failed ||= results.some((r) => !r.ok);
    const info: RunInfo = {
      date,
      dialect,
      commit: gitCommit(),
      quick: options.quick,
      rows: options.rows,
      wideRows: options.wideRows,
      smallTables: options.smallTables,
      producerTransactionMs: options.producerTransactionMs,
      node: process.version,
      cpus: availableParallelism(),
    };
    const files = writeReport(RESULTS_DIR, info, results);
    process.stderr.write(`wrote ${files.join(' and ')}\n`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
