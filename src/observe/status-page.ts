import type { Config } from '../config/schema.ts';
import type { IncrementalState } from '../core/incremental-snapshot.ts';
import type { SnapshotProgress } from '../core/snapshot.ts';
import type { RecentError, RunState } from '../run.ts';
import type { Metrics } from './metrics.ts';

/** How often lag is sampled for the chart, and how much of it is kept. */
const SAMPLE_MS = 5_000;
const SAMPLES = 120; // ten minutes
/** The page reloads itself this often. */
const REFRESH_SECONDS = 2;

interface LagSample {
  at: number;
  seconds: number;
  bytes: number;
}

/** Everything the status page shows, also served as JSON at /status. */
export interface StatusData {
  connector: string;
  dialect: string;
  state: 'starting' | 'snapshot' | 'streaming' | 'retrying';
  problem: string | null;
  position: Record<string, unknown> | null;
  lastCommitAt: string | null;
  lag: { seconds: number; bytes: number; history: LagSample[] };
  events: Array<{ table: string; total: number; byOp: Record<string, number> }>;
  snapshot: {
    tablesTotal: number;
    tablesCompleted: number;
    table: string | null;
    rowsRead: Record<string, number>;
  } | null;
  incremental: IncrementalState | null;
  errors: RecentError[];
}

async function gaugeValue(metric: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await metric.get()).values[0]?.value ?? 0;
}

/** The connector's state for people: an HTML page at `/`, refreshing itself, with no external assets. */
export class StatusBoard {
  private readonly history: LagSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly config: Config;
  private readonly metrics: Metrics;
  private readonly state: RunState;

  constructor(config: Config, metrics: Metrics, state: RunState) {
    this.config = config;
    this.metrics = metrics;
    this.state = state;
  }

  start(): this {
    const sample = () => {
      void Promise.all([gaugeValue(this.metrics.lagSeconds), gaugeValue(this.metrics.lagBytes)]).then(
        ([seconds, bytes]) => {
          this.history.push({ at: Date.now(), seconds, bytes });
          if (this.history.length > SAMPLES) this.history.shift();
        },
      );
    };
    sample();
    this.timer = setInterval(sample, SAMPLE_MS).unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async data(): Promise<StatusData> {
    const { state, metrics, config } = this;
    const { snapshot: progress, incremental: _incremental, ...position } = state.offset ?? {};
    const events = new Map<string, { table: string; total: number; byOp: Record<string, number> }>();
    for (const { labels, value } of (await metrics.events.get()).values) {
      const table = String(labels.table);
      const entry = events.get(table) ?? { table, total: 0, byOp: {} };
      entry.total += value;
      entry.byOp[String(labels.op)] = (entry.byOp[String(labels.op)] ?? 0) + value;
      events.set(table, entry);
    }
    const rowsRead: Record<string, number> = {};
    for (const { labels, value } of (await metrics.snapshotRows.get()).values)
      rowsRead[String(labels.table)] = value;
    const tables = new Map(
      (await metrics.snapshotTables.get()).values.map((v) => [String(v.labels.state), v.value]),
    );
    const inSnapshot = progress !== undefined || (!state.offset && !state.streaming);
    const snapshotProgress = progress as SnapshotProgress | undefined;
    return {
      connector: config.name,
      dialect: config.source.dialect,
      state: state.problem
        ? 'retrying'
        : state.streaming
          ? 'streaming'
          : state.offset
            ? 'snapshot'
            : 'starting',
      problem: state.problem ?? null,
      position: state.offset ? position : null,
      lastCommitAt: state.lastCommitAt ? new Date(state.lastCommitAt).toISOString() : null,
      lag: {
        seconds: await gaugeValue(metrics.lagSeconds),
        bytes: await gaugeValue(metrics.lagBytes),
        history: [...this.history],
      },
      events: [...events.values()].sort((a, b) => a.table.localeCompare(b.table)),
      snapshot:
        inSnapshot || tables.has('total')
          ? {
              tablesTotal: tables.get('total') ?? 0,
              tablesCompleted: state.streaming ? (tables.get('total') ?? 0) : (tables.get('completed') ?? 0),
              table: snapshotProgress?.table ?? null,
              rowsRead,
            }
          : null,
      incremental: state.incremental ?? null,
      errors: [...(state.errors ?? [])].reverse(),
    };
  }

  async html(): Promise<string> {
    return renderStatusPage(await this.data());
  }
}

const escape = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function bar(label: string, done: number, total: number, detail: string): string {
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return `<div class="progress" data-label="${escape(label)}" data-percent="${percent}">
  <div class="label">${escape(label)} <span>${escape(detail)}</span></div>
  <div class="track" role="progressbar" aria-valuenow="${percent}" aria-valuemin="0" aria-valuemax="100"><div class="fill" style="width:${percent}%"></div></div>
</div>`;
}

/** A small inline SVG line chart of one series. */
function chart(samples: LagSample[], pick: (s: LagSample) => number, unit: string): string {
  const width = 300;
  const height = 60;
  if (samples.length < 2) return `<svg class="chart" width="${width}" height="${height}"></svg>`;
  const values = samples.map(pick);
  const max = Math.max(...values, 1e-9);
  const points = values
    .map(
      (v, i) =>
        `${((i / (values.length - 1)) * width).toFixed(1)},${(height - (v / max) * (height - 4) - 2).toFixed(1)}`,
    )
    .join(' ');
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-label="${escape(unit)} over the last ${Math.round((samples.length * SAMPLE_MS) / 60000)} minutes">
  <polyline fill="none" stroke="#2b6cb0" stroke-width="2" points="${points}"/>
  <text x="2" y="12" font-size="10" fill="#555">max ${escape(max.toLocaleString('en-US'))} ${escape(unit)}</text>
</svg>`;
}

export function renderStatusPage(data: StatusData): string {
  const position = data.position
    ? Object.entries(data.position)
        .map(([k, v]) => `${escape(k)} <code>${escape(v)}</code>`)
        .join(', ')
    : 'nothing committed yet';
  const snapshot = data.snapshot
    ? bar(
        'Initial snapshot',
        data.snapshot.tablesCompleted,
        data.snapshot.tablesTotal,
        `${data.snapshot.tablesCompleted} of ${data.snapshot.tablesTotal} tables` +
          (data.snapshot.table ? `, reading ${data.snapshot.table}` : ''),
      ) +
      Object.entries(data.snapshot.rowsRead)
        .map(
          ([table, rows]) =>
            `<div class="rows">${escape(table)}: ${rows.toLocaleString('en-US')} rows read</div>`,
        )
        .join('')
    : '<p>No initial snapshot in this run.</p>';
  const inc = data.incremental;
  const resnapshot = inc
    ? (inc.tables[0]
        ? bar(
            `Re-snapshot ${inc.tables[0].table}`,
            inc.rows,
            inc.total ?? 0,
            `${inc.rows.toLocaleString('en-US')} of ${(inc.total ?? 0).toLocaleString('en-US')} rows`,
          )
        : '') +
      bar(
        'Re-snapshot tables',
        inc.done.length,
        inc.done.length + inc.tables.length,
        `${inc.done.length} of ${inc.done.length + inc.tables.length} tables (signal ${inc.id})`,
      )
    : '<p>No re-snapshot running. Start one with <code>tributary snapshot TABLE...</code>.</p>';
  const events = data.events.length
    ? `<table><thead><tr><th>table</th><th>events</th><th>by op</th></tr></thead><tbody>${data.events
        .map(
          (e) =>
            `<tr><td>${escape(e.table)}</td><td class="num">${e.total.toLocaleString('en-US')}</td><td>${Object.entries(
              e.byOp,
            )
              .map(([op, n]) => `${escape(op)} ${n.toLocaleString('en-US')}`)
              .join(', ')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>No events yet.</p>';
  const errors = data.errors.length
    ? `<ul class="errors">${data.errors
        .map(
          (e) =>
            `<li><time>${new Date(e.at).toISOString()}</time> <b>${escape(e.code)}</b> ${escape(e.message)}${e.fix ? `<div class="fix">Fix: ${escape(e.fix)}</div>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '<p>No errors.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>Tributary ${escape(data.connector)}: ${escape(data.state)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 60em; }
h1 { font-size: 1.4em; margin: 0 0 .3em; } h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
.state { display: inline-block; padding: .1em .6em; border-radius: 1em; color: #fff; background: #718096; }
.state.streaming { background: #2f855a; } .state.snapshot { background: #2b6cb0; } .state.retrying { background: #c53030; }
.progress { margin: .4em 0; } .progress .label span { color: #555; }
.track { background: #e2e8f0; height: 12px; border-radius: 6px; overflow: hidden; width: 30em; }
.fill { background: #3182ce; height: 100%; }
table { border-collapse: collapse; } td, th { padding: .2em .8em .2em 0; text-align: left; } .num { text-align: right; }
.errors li { margin-bottom: .4em; } .fix { color: #2f855a; }
.lag { display: flex; gap: 2em; } code { background: #f1f1f1; padding: 0 .2em; }
</style>
</head>
<body>
<h1>${escape(data.connector)} <small>(${escape(data.dialect)})</small> <span class="state ${escape(data.state)}" id="state">${escape(data.state)}</span></h1>
${data.problem ? `<p class="problem">Retrying: ${escape(data.problem)}</p>` : ''}
<p id="position">Committed position: ${position}${data.lastCommitAt ? ` at ${escape(data.lastCommitAt)}` : ''}</p>
<h2>Lag</h2>
<div class="lag">
<div id="lag-seconds">${escape(data.lag.seconds.toFixed(3))} s<br>${chart(data.lag.history, (s) => s.seconds, 's')}</div>
<div id="lag-bytes">${escape(data.lag.bytes.toLocaleString('en-US'))} bytes<br>${chart(data.lag.history, (s) => s.bytes, 'bytes')}</div>
</div>
<h2>Snapshots</h2>
<div id="snapshots">${snapshot}${resnapshot}</div>
<h2>Events per table</h2>
<div id="events">${events}</div>
<h2>Recent errors</h2>
<div id="errors">${errors}</div>
</body>
</html>
`;
}
