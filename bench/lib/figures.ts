/**
 * The shapes every part of the benchmark reports in: one phase of a CDC tool
 * (Tributary or Debezium), one baseline, one scenario's result.
 */

export type Dialect = 'postgres' | 'mysql';

/** What a CDC tool did in one phase (a snapshot, or draining a backlog). */
export interface PhaseFigures {
  /** Change events the phase wrote (tombstones not counted). */
  events: number;
  /** From the tool's start until its last event was committed in Kafka. */
  seconds: number;
  /** From the tool's start until its first record reached Kafka. */
  startupSeconds: number;
  /** events / seconds. */
  rate: number;
  peakRssMiB: number;
  /** CPU seconds (user + system) of the tool's process, from its start to the last commit, per 1,000 events. */
  cpuSecondsPer1k: number;
  /** Every expected key was read exactly once by a read_committed consumer. */
  keysChecked: boolean;
}

/** Tributary's phase, with what the sidecar runner measures beside the common figures. */
export interface TributaryFigures extends PhaseFigures {
  /** Events per second from the first record in Kafka to the last commit. */
  rateAfterFirst: number;
  /** Median resident memory while records were being written. */
  steadyRssMiB: number;
  cpuSeconds: number;
  /** Kafka records the phase wrote (events plus tombstones) and their mean key + value size. */
  records: number;
  meanRecordBytes: number;
}

/** What the baselines are: the source's own log or table reader, Kafka's producer, Debezium. */
export type BaselineKind = 'source' | 'producer' | 'debezium';

export interface BaselineFigure {
  kind: BaselineKind;
  /** The command or tool, e.g. `pg_recvlogical`. */
  tool: string;
  /** In the scenario's unit (events/s or rows/s). */
  figure: number;
  seconds: number;
  /** The tool's own settings and figures worth keeping (record size, transaction length, its own rate). */
  detail: Record<string, string | number>;
}

export interface ScenarioResult {
  scenario: string;
  dialect: Dialect;
  ok: boolean;
  /** Why the scenario failed: wrong keys, an error. */
  failure?: string;
  /** The headline figure, in `unit`; null when the run failed before one was measured. */
  figure: number | null;
  unit: string;
  /** Rows or events the scenario moved. */
  count: number;
  /** Figures of the baselines that ran; a baseline that could not run is a `skipped` note. */
  baselines: BaselineFigure[];
  skipped: string[];
  tributary?: TributaryFigures;
  /** Debezium's own phase figures, when it ran. */
  debezium?: PhaseFigures;
  /** A target the figure is held against, e.g. `<= 10 s`. */
  target?: string;
  /** small-tables: seconds until /readyz answered. */
  readySeconds?: number;
  /** latency: the figures at each share of the drain ceiling. */
  latency?: LatencyLevel[];
}

/** Milliseconds from a source COMMIT returned to its row visible to a read_committed consumer. */
export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

/** Commit-to-visible latency at one steady rate, a share of the drain ceiling. */
export interface LatencyLevel extends LatencyFigures {
  share: number;
  ratePerSecond: number;
}

/** The scenario's figure over each baseline's (a higher figure is better for rates). */
export function ratios(
  result: Pick<ScenarioResult, 'figure' | 'baselines'>,
): Partial<Record<BaselineKind, number>> {
  const out: Partial<Record<BaselineKind, number>> = {};
  if (result.figure === null) return out;
  for (const baseline of result.baselines) {
    if (baseline.figure > 0) out[baseline.kind] = result.figure / baseline.figure;
  }
  return out;
}

export const MIB = 1024 * 1024;

/** A figure for people: thousands separated, a few significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The one stdout line of a scenario. */
export function summaryLine(result: ScenarioResult): string {
  const head = `${result.dialect} ${result.scenario}:`;
  if (!result.ok) {
    const figure = result.figure === null ? '' : ` (${formatNumber(result.figure)} ${result.unit})`;
    return `${head} FAILED${figure}: ${result.failure ?? 'unknown failure'}`;
  }
  if (result.figure === null) return `${head} not run (${result.skipped.join('; ')})`;
  const parts = [`${head} ${formatNumber(result.figure)} ${result.unit}`];
  const ratio = ratios(result);
  const ratioText = result.baselines
    .map((b) => `x${(ratio[b.kind] ?? NaN).toFixed(2)} ${b.tool} (${formatNumber(b.figure)})`)
    .join(', ');
  if (ratioText) parts.push(ratioText);
  if (result.target) parts.push(`target ${result.target}`);
  if (result.readySeconds !== undefined) parts.push(`ready ${result.readySeconds.toFixed(1)} s`);
  for (const level of result.latency ?? []) {
    parts.push(
      `${Math.round(level.share * 100)}% (${formatNumber(level.ratePerSecond)}/s): p50 ${formatNumber(level.p50)} p95 ${formatNumber(level.p95)} p99 ${formatNumber(level.p99)} max ${formatNumber(level.max)} ms`,
    );
  }
  const t = result.tributary;
  if (t) {
    parts.push(
      `startup ${t.startupSeconds.toFixed(1)} s, after first ${formatNumber(t.rateAfterFirst)}/s, total ${t.seconds.toFixed(1)} s`,
      `RSS peak ${Math.round(t.peakRssMiB)} MiB steady ${Math.round(t.steadyRssMiB)} MiB`,
      `CPU ${t.cpuSecondsPer1k.toFixed(3)} s/1k`,
    );
  }
  if (t) parts.push(`keys ok (${result.count})`);
  if (result.skipped.length > 0) parts.push(`not run: ${result.skipped.join('; ')}`);
  return parts.join(' | ');
}
