import { parseArgs } from 'node:util';
import type { Dialect } from './figures.ts';

export const USAGE = `npm run bench -- [options]

  --dialect postgres|mysql|both   which databases (default both)
  --quick                         small sizes: 50,000 rows, 5,000 wide rows, 200 small tables
  --rows N                        narrow rows and backlog events (default 1,000,000); wide rows are N/10
  --tables N                      tables of the small-tables scenario (default 1,000)
  --scenario NAME[,NAME]          run only these scenarios (repeatable)
  --with-debezium                 run Debezium (bench/debezium.ts) on the same workloads as a baseline
  --producer-tx-ms MS             transaction length of the raw producer baseline (default 100)
  --ceiling N                     events/s the latency scenario's rates are fractions of
                                  (default: this run's drain-insert-tx100 figure)
  --latency-seconds S             seconds per latency rate (default 60, quick 10)
  --list                          list the scenarios and exit`;

export interface BenchOptions {
  dialects: Dialect[];
  quick: boolean;
  rows: number;
  wideRows: number;
  smallTables: number;
  /** Rows of each small table. */
  smallTableRows: number;
  scenarios: string[] | null;
  withDebezium: boolean;
  producerTransactionMs: number;
  ceiling: number | null;
  latencySeconds: number;
  list: boolean;
  help: boolean;
}

const QUICK_ROWS = 50_000;
const QUICK_TABLES = 200;
const FULL_ROWS = 1_000_000;
const FULL_TABLES = 1_000;

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not ${text}`);
  return value;
}

/** The command line (BENCH_ROWS and BENCH_DIALECT still work as defaults). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = {}): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      dialect: { type: 'string' },
      quick: { type: 'boolean' },
      rows: { type: 'string' },
      tables: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'with-debezium': { type: 'boolean' },
      'producer-tx-ms': { type: 'string' },
      ceiling: { type: 'string' },
      'latency-seconds': { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const dialect = values.dialect ?? env.BENCH_DIALECT ?? 'both';
  if (!['postgres', 'mysql', 'both'].includes(dialect)) {
    throw new Error(`--dialect must be postgres, mysql or both, not ${dialect}`);
  }
  const quick = values.quick ?? false;
  const rows = positiveInt('--rows', values.rows ?? env.BENCH_ROWS) ?? (quick ? QUICK_ROWS : FULL_ROWS);
  if (rows < 100) throw new Error('--rows must be at least 100 (the backlogs commit 100-row transactions)');
  const scenarios = values.scenario
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    dialects: dialect === 'both' ? ['postgres', 'mysql'] : [dialect as Dialect],
    quick,
    rows,
    wideRows: Math.max(1, Math.floor(rows / 10)),
    smallTables: positiveInt('--tables', values.tables) ?? (quick ? QUICK_TABLES : FULL_TABLES),
    smallTableRows: 5,
    scenarios: scenarios && scenarios.length > 0 ? scenarios : null,
    withDebezium: values['with-debezium'] ?? false,
    producerTransactionMs: positiveInt('--producer-tx-ms', values['producer-tx-ms']) ?? 100,
    ceiling: positiveInt('--ceiling', values.ceiling) ?? null,
    latencySeconds: positiveInt('--latency-seconds', values['latency-seconds']) ?? (quick ? 10 : 60),
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
