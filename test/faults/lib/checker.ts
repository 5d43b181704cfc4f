import { keyOf, type Ledger, type LedgerEntry } from './ledger.ts';
import type { ObservedChange } from './observer.ts';

export interface CheckReport {
  /** Changes the ledger holds (rows loaded before the start count once each). */
  committed: number;
  /** Events the consumer saw. */
  seen: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Events matching no committed change. */
  unexpected: number;
  /** The first problems, per key, for the failure message. */
  problems: string[];
}

/**
 * Compares what a read_committed consumer saw with the ledger, per key. Rows
 * loaded before the sidecar started must each be read once by the snapshot
 * (op `r`, v 0); every later change must be streamed once, in commit order.
 * The writer starts once the snapshot is over, so nothing committed is
 * covered by both.
 */
export function check(
  ledger: Ledger,
  topicOf: (table: string) => string,
  observed: ObservedChange[][],
): CheckReport {
  const report: CheckReport = {
    committed: ledger.entries.length,
    seen: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    unexpected: 0,
    problems: [],
  };
  const tableOfTopic = new Map<string, string>();
  const tables = new Set(ledger.entries.map((e) => e.table));
  for (const table of tables) tableOfTopic.set(topicOf(table), table);

  const seenByKey = new Map<string, ObservedChange[]>();
  for (const changes of observed) {
    for (const change of changes) {
      report.seen += 1;
      const table = tableOfTopic.get(change.topic);
      if (table === undefined) continue;
      const key = keyOf(table, change.id);
      let list = seenByKey.get(key);
      if (!list) seenByKey.set(key, (list = []));
      list.push(change);
    }
  }

  const problem = (key: string, text: string) => {
    if (report.problems.length < 20) report.problems.push(`${key}: ${text}`);
  };
  const keys = new Set([...ledger.byKey.keys(), ...seenByKey.keys()]);
  for (const key of keys) {
    const entries: LedgerEntry[] = ledger.byKey.get(key) ?? [];
    const seen = seenByKey.get(key) ?? [];
    const loaded = entries[0]?.committedAt === 0;
    const delivered = new Set<number>();
    let highest = -1;
    for (const change of seen) {
      // A snapshot read stands for the loaded insert; everything else is matched by (op, v).
      const op = change.op === 'r' ? 'c' : change.op;
      const index = entries.findIndex((e) => e.op === op && e.v === change.v);
      if (index < 0 || (change.op === 'r') !== (loaded && index === 0)) {
        report.unexpected += 1;
        problem(key, `unexpected ${change.op} v${change.v} at offset ${change.offset}`);
        continue;
      }
      if (delivered.has(index)) {
        report.duplicated += 1;
        problem(key, `${change.op} v${change.v} twice (offset ${change.offset})`);
        continue;
      }
      if (index < highest) {
        report.outOfOrder += 1;
        problem(key, `${change.op} v${change.v} after a later change`);
      }
      delivered.add(index);
      highest = Math.max(highest, index);
    }
    for (let index = 0; index < entries.length; index++) {
      if (delivered.has(index)) continue;
      report.lost += 1;
      problem(key, `${entries[index]!.op} v${entries[index]!.v} never seen`);
    }
  }
  return report;
}

export function clean(report: CheckReport): boolean {
  return report.lost + report.duplicated + report.outOfOrder + report.unexpected === 0;
}
