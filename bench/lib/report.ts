import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumber, ratios, type BaselineKind, type Dialect, type ScenarioResult } from './figures.ts';

/** How the run was made, written beside its figures. */
export interface RunInfo {
  date: string;
  dialect: Dialect;
  commit: string;
  quick: boolean;
  rows: number;
  wideRows: number;
  smallTables: number;
  producerTransactionMs: number;
  node: string;
  cpus: number;
}

const KINDS: Array<{ kind: BaselineKind; title: string }> = [
  { kind: 'source', title: 'x raw source' },
  { kind: 'producer', title: 'x raw producer' },
  { kind: 'debezium', title: 'x Debezium' },
];

const cell = (value: number | undefined, digits = 2): string =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);

/** The run as a Markdown page: one table of the scenarios, one of the baselines. */
export function markdown(info: RunInfo, results: ScenarioResult[]): string {
  const lines = [
    `# Benchmark ${info.date}, ${info.dialect}`,
    '',
    `Commit ${info.commit}; ${info.quick ? 'quick run; ' : ''}${formatNumber(info.rows)} narrow rows and backlog events, ` +
      `${formatNumber(info.wideRows)} wide rows, ${info.smallTables} small tables; Node ${info.node}, ${info.cpus} CPUs. ` +
      `Ratios are Tributary's figure over the baseline's, measured in the same run on the same data.`,
    '',
    `| scenario | figure | unit | ${KINDS.map((k) => k.title).join(' | ')} | startup s | peak RSS MiB | steady RSS MiB | CPU s/1k | keys |`,
    `| --- | ---: | --- | ${KINDS.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | --- |`,
  ];
  for (const result of results) {
    const ratio = ratios(result);
    const t = result.tributary;
    const figure = result.figure === null ? (result.ok ? 'not run' : 'FAILED') : formatNumber(result.figure);
    const keys = !result.ok ? `FAILED: ${result.failure ?? ''}` : t ? 'ok' : '-';
    lines.push(
      `| ${result.scenario} | ${figure} | ${result.unit} | ${KINDS.map((k) => cell(ratio[k.kind])).join(' | ')} | ` +
        `${cell(t?.startupSeconds, 1)} | ${cell(t?.peakRssMiB, 0)} | ${cell(t?.steadyRssMiB, 0)} | ${cell(t?.cpuSecondsPer1k, 3)} | ${keys.replace(/\|/g, '/')} |`,
    );
  }
  const baselines = results.flatMap((r) =>
    r.baselines.map((b) => ({ scenario: r.scenario, unit: r.unit, ...b })),
  );
  if (baselines.length > 0) {
    lines.push(
      '',
      '## Baselines',
      '',
      '| scenario | kind | tool | figure | unit | seconds | detail |',
      '| --- | --- | --- | ---: | --- | ---: | --- |',
    );
    for (const b of baselines) {
      const detail = Object.entries(b.detail)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');
      lines.push(
        `| ${b.scenario} | ${b.kind} | ${b.tool} | ${formatNumber(b.figure)} | ${b.unit} | ${cell(b.seconds)} | ${detail} |`,
      );
    }
  }
  const notes = results.flatMap((r) => r.skipped.map((s) => `- ${r.scenario}: ${s}`));
  if (notes.length > 0) lines.push('', '## Not run', '', ...notes);
  const latency = results.flatMap((r) => r.latency ?? []);
  if (latency.length > 0) {
    lines.push(
      '',
      '## Latency (ms, commit to visible)',
      '',
      '| share of ceiling | rate/s | p50 | p95 | p99 | max | samples |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const l of latency) {
      lines.push(
        `| ${Math.round(l.share * 100)}% | ${formatNumber(l.ratePerSecond)} | ${cell(l.p50, 1)} | ${cell(l.p95, 1)} | ${cell(l.p99, 1)} | ${cell(l.max, 1)} | ${l.samples} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes <dir>/<date>-<dialect>.json and .md; returns their paths. */
export function writeReport(dir: string, info: RunInfo, results: ScenarioResult[]): string[] {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${info.date}-${info.dialect}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...info, results }, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(info, results));
  return [`${base}.json`, `${base}.md`];
}
