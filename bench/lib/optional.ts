import { existsSync } from 'node:fs';
import type { ConnectorTestContext } from '../../test/harness/connector-context.ts';
import type { Dialect, PhaseFigures } from './figures.ts';

/**
 * Modules of the suite that live in their own files and may not be there:
 * bench/debezium.ts (Debezium as a baseline, `--with-debezium`) and
 * bench/latency.ts (steady-rate commit-to-visible latency). Each is loaded
 * when its file exists; the scenario that needs it says "not run" otherwise.
 */

export interface DebeziumOptions {
  dialect: Dialect;
  /** Unqualified table name. */
  table: string;
  /** The schema (Postgres) or database (MariaDB) as the harness context names it (`ctx.schema`). */
  database: string;
  /** The harness context the table lives in: its URL, connector name and SQL sessions. */
  context: ConnectorTestContext;
  snapshotRows: number;
  /** Commits the backlog while Debezium is stopped; returns its event count. */
  makeBacklog: () => Promise<number>;
}

export interface DebeziumResult {
  snapshot: PhaseFigures;
  drain: PhaseFigures;
  knobs: Record<string, string>;
}

export type RunDebezium = (options: DebeziumOptions) => Promise<DebeziumResult>;

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export type MeasureLatency = (options: {
  dialect: Dialect;
  ratePerSecond: number;
  seconds: number;
}) => Promise<LatencyFigures>;

async function load<T>(file: string, name: string): Promise<T | null> {
  const url = new URL(`../${file}`, import.meta.url);
  if (!existsSync(url)) return null;
  const module = (await import(url.href)) as Record<string, unknown>;
  const value = module[name];
  if (typeof value !== 'function') throw new Error(`bench/${file} does not export a function ${name}`);
  return value as T;
}

export const loadDebezium = (): Promise<RunDebezium | null> =>
  load<RunDebezium>('debezium.ts', 'runDebezium');
export const loadLatency = (): Promise<MeasureLatency | null> =>
  load<MeasureLatency>('latency.ts', 'measureLatency');
