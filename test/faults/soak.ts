/**
 * `npm run soak -- --minutes N`: runs every fault scenario, in a random order
 * each round, with the fault durations and random moments, on private
 * stacks, until N minutes have passed; prints running totals after each
 * scenario. Not part of `npm test`.
 */
import { parseArgs } from 'node:util';
import { PrivateStack } from './lib/private-stack.ts';
import { failures, runScenario, summary, type Scenario, type Timing } from './lib/runner.ts';
import { SCENARIOS } from './lib/scenarios.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  console.error('usage: npm run soak -- --minutes N');
  process.exit(2);
}

const timing: Timing = {
  kafkaPauseMs: 30_000,
  registryPauseMs: 30_000,
  kafkaDownMs: 60_000,
  kills: 20,
  bigRows: Number(process.env.FAULTS_BIG_ROWS ?? 1_000_000),
  jitterMs: 5_000,
};

const totals = {
  scenarios: 0,
  failed: 0,
  faults: {} as Record<string, number>,
  changes: 0,
  lost: 0,
  duplicated: 0,
  outOfOrder: 0,
  longestRecovery: { ms: 0, fault: '-' },
};

function printTotals(elapsedMs: number): void {
  const faults = Object.entries(totals.faults)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  console.log(
    [
      `--- totals after ${(elapsedMs / 60_000).toFixed(1)} min: ${totals.scenarios} scenarios, ${totals.failed} failed`,
      `    faults injected: ${faults || '-'}`,
      `    changes checked ${totals.changes}, lost ${totals.lost}, duplicated ${totals.duplicated}, out of order ${totals.outOfOrder}`,
      `    longest recovery ${(totals.longestRecovery.ms / 1000).toFixed(1)} s (${totals.longestRecovery.fault})`,
    ].join('\n'),
  );
}

const shuffle = <T>(items: T[]): T[] =>
  items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

const started = Date.now();
const deadline = started + minutes * 60_000;
const stacks = new Map<1 | 3, Promise<PrivateStack>>();
const stackFor = (nodes: 1 | 3) => {
  if (!stacks.has(nodes)) stacks.set(nodes, PrivateStack.start({ kafkaNodes: nodes }));
  return stacks.get(nodes)!;
};

let stopping = false;
process.once('SIGINT', () => (stopping = true));

try {
  while (Date.now() < deadline && !stopping) {
    for (const scenario of shuffle(Object.values(SCENARIOS) as Scenario[])) {
      if (Date.now() >= deadline || stopping) break;
      const stack = await stackFor(scenario === SCENARIOS.leaderKill ? 3 : 1);
      totals.scenarios += 1;
      try {
        const result = await runScenario(stack, scenario, timing);
        console.log(summary(result));
        const problems = failures(result);
        if (problems.length > 0) {
          totals.failed += 1;
          console.log(`FAILED: ${problems.join('\n')}`);
        }
        for (const [kind, n] of Object.entries(result.faults))
          totals.faults[kind] = (totals.faults[kind] ?? 0) + n;
        for (const lane of result.lanes) {
          totals.changes += lane.report.committed;
          totals.lost += lane.report.lost;
          totals.duplicated += lane.report.duplicated;
          totals.outOfOrder += lane.report.outOfOrder;
        }
        for (const r of result.recoveries) {
          if (r.ms > totals.longestRecovery.ms)
            totals.longestRecovery = { ms: r.ms, fault: `${r.fault}, ${r.dialect}` };
        }
      } catch (error) {
        totals.failed += 1;
        console.log(`FAILED: ${scenario.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      printTotals(Date.now() - started);
    }
  }
} finally {
  for (const stack of stacks.values()) await (await stack)[Symbol.asyncDispose]();
}
process.exitCode = totals.failed > 0 || totals.lost + totals.duplicated + totals.outOfOrder > 0 ? 1 : 0;
