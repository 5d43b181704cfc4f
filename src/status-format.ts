import type { IncrementalState } from './core/incremental-snapshot.ts';

/** What `connectorStatus` reports, as the terminal summary reads it. */
export interface StatusReport {
  connector: string;
  dialect: string;
  state: string;
  committedAt: string | null;
  offset: Record<string, unknown> | null;
  snapshot: { tablesCompleted: number; table: string | null } | null;
  incremental: IncrementalState | null;
  source: Record<string, unknown>;
}

/** A text progress bar: `[#########.........]  45%`. */
export function progressBar(done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
}

function position(offset: Record<string, unknown> | null): string {
  if (!offset) return 'none';
  const { snapshot: _snapshot, incremental: _incremental, ...at } = offset;
  return Object.entries(at)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** The readable summary `tributary status` prints on a terminal. */
export function formatStatus(status: StatusReport): string {
  const lines = [`${status.connector} (${status.dialect}): ${status.state}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(12)}${text}`);
  row(
    'committed',
    status.committedAt ? `${status.committedAt}  at ${position(status.offset)}` : 'nothing yet',
  );
  const lag = status.source.lagBytes;
  if (typeof lag === 'number')
    row('lag', `${lag.toLocaleString('en-US')} bytes of source log not yet committed`);
  if (status.snapshot) {
    row(
      'snapshot',
      `${status.snapshot.tablesCompleted} tables read${status.snapshot.table ? `, reading ${status.snapshot.table}` : ''}`,
    );
  }
  const inc = status.incremental;
  if (inc) {
    const current = inc.tables[0];
    if (current) {
      row(
        're-snapshot',
        `${current.table}  ${progressBar(inc.rows, inc.total ?? 0)}  ${inc.rows.toLocaleString('en-US')}/${(inc.total ?? 0).toLocaleString('en-US')} rows`,
      );
    }
    const tablesTotal = inc.done.length + inc.tables.length;
    row(
      '',
      `tables ${progressBar(inc.done.length, tablesTotal, 10)}  ${inc.done.length}/${tablesTotal} done (signal ${inc.id})`,
    );
  }
  return lines.join('\n');
}
