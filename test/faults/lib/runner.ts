import { clean, type CheckReport } from './checker.ts';
import { Lane, type Dialect, type LaneOptions } from './lane.ts';
import type { PrivateStack } from './private-stack.ts';
import type { Exit } from './sidecar.ts';

export const DIALECTS: Dialect[] = ['postgres', 'mysql'];

/** How long faults last; CI keeps them short, the soak uses the issue's durations. */
export interface Timing {
  kafkaPauseMs: number;
  registryPauseMs: number;
  kafkaDownMs: number;
  /** SIGKILLs of the sidecar in the kill scenario. */
  kills: number;
  /** Rows of the table whose snapshot the kill scenario interrupts. */
  bigRows: number;
  /** Random waits are drawn from [0, jitterMs) on top of fixed ones. */
  jitterMs: number;
}

const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;

/** CI timing, overridable by FAULTS_* variables. */
export function timingFromEnv(): Timing {
  return {
    kafkaPauseMs: seconds('FAULTS_KAFKA_PAUSE_S', 30),
    registryPauseMs: seconds('FAULTS_REGISTRY_PAUSE_S', 10),
    kafkaDownMs: seconds('FAULTS_KAFKA_DOWN_S', 15),
    kills: Number(process.env.FAULTS_KILLS ?? 20),
    bigRows: Number(process.env.FAULTS_BIG_ROWS ?? 20_000),
    jitterMs: Number(process.env.FAULTS_JITTER_MS ?? 1_000),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const jitter = (timing: Timing) => Math.floor(Math.random() * timing.jitterMs);

/** One fault injected, and how long the sidecar took to commit again after it ended. */
export interface Recovery {
  fault: string;
  dialect: Dialect;
  ms: number;
}

export interface LaneResult {
  dialect: Dialect;
  report: CheckReport;
  /** The exit of a SIGTERM at the end: 0 expected. */
  stop: Exit;
  /** Sidecars that ended on their own during the scenario (fenced, crashed). */
  unexpectedExits: Array<Exit & { log: string }>;
  log: string;
}

export interface ScenarioResult {
  name: string;
  lanes: LaneResult[];
  recoveries: Recovery[];
  faults: Record<string, number>;
  notes: string[];
  ms: number;
}

/** What a scenario's fault step gets: the stack, the lanes, and ways to record what happened. */
export class FaultRun {
  readonly recoveries: Recovery[] = [];
  readonly faults: Record<string, number> = {};
  readonly notes: string[] = [];
  /** Sidecars the scenario stops or kills itself (their exits are expected). */
  readonly expectedExits = new Set<number>();
  readonly stack: PrivateStack;
  readonly lanes: Lane[];
  readonly timing: Timing;

  constructor(stack: PrivateStack, lanes: Lane[], timing: Timing) {
    this.stack = stack;
    this.lanes = lanes;
    this.timing = timing;
  }

  fault(kind: string, count = 1): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + count;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /**
   * Waits until each lane's sidecar commits a source transaction written
   * after `endedAt` (the end of the fault), and records how long that took.
   * Fails if a sidecar exits meanwhile or does not recover in `timeoutMs`.
   */
  async recovered(fault: string, endedAt: number, lanes = this.lanes, timeoutMs = 120_000): Promise<void> {
    await Promise.all(
      lanes.map(async (lane) => {
        const sidecar = lane.sidecar;
        const writes = lane.writer?.transactions ?? 0;
        const before = await sidecar.committed();
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (!sidecar.running)
            throw new Error(`${lane.dialect}: the sidecar exited after ${fault}:\n${sidecar.logTail()}`);
          const written = (lane.writer?.transactions ?? 1) > writes;
          if (written && (await sidecar.committed()) > before) break;
          if (Date.now() > deadline)
            throw new Error(
              `${lane.dialect}: no commit within ${timeoutMs} ms after ${fault}:\n${sidecar.logTail()}`,
            );
          await sleep(100);
        }
        this.recoveries.push({ fault, dialect: lane.dialect, ms: Math.max(0, Date.now() - endedAt) });
      }),
    );
  }

  /** Fails if a sidecar the scenario did not stop has exited. */
  assertRunning(): void {
    for (const lane of this.lanes) {
      if (!lane.sidecar.running)
        throw new Error(
          `${lane.dialect}: the sidecar exited (${JSON.stringify(lane.sidecar.exit)}):\n${lane.sidecar.logTail()}`,
        );
    }
  }
}

export interface Scenario {
  name: string;
  /** A product bug the scenario shows and that is not fixed yet: CI reports the scenario as todo. */
  knownIssue?: string;
  /** Options of each lane (tables, config). */
  lane?: (timing: Timing) => LaneOptions;
  /** Runs while the snapshot is under way (the writer has not started). */
  duringSnapshot?: (run: FaultRun) => Promise<void>;
  /** The faults, injected while the writer writes and the sidecar streams. */
  inject: (run: FaultRun) => Promise<void>;
}

/**
 * Runs a scenario on both dialects at once on a private stack: fresh
 * databases and connectors, a snapshot, then the writer and the faults; then
 * the writer's last change must arrive and the ledger must match what a
 * read_committed consumer saw; and a SIGTERM must stop each sidecar with 0.
 */
export async function runScenario(
  stack: PrivateStack,
  scenario: Scenario,
  timing: Timing,
  dialects: Dialect[] = DIALECTS,
): Promise<ScenarioResult> {
  const started = Date.now();
  const laneOptions = scenario.lane?.(timing) ?? {};
  const lanes = await Promise.all(dialects.map((d) => Lane.open(d, stack, laneOptions)));
  const run = new FaultRun(stack, lanes, timing);
  try {
    for (const lane of lanes) await lane.start();
    await Promise.all(lanes.map((lane) => lane.openObserver()));
    if (scenario.duringSnapshot) await scenario.duringSnapshot(run);
    await Promise.all(lanes.map((lane) => lane.waitSnapshot(300_000)));
    for (const lane of lanes) lane.startWriter();
    // Streaming has begun once a change written now is committed.
    await run.recovered('start', Date.now());
    run.recoveries.length = 0;

    await scenario.inject(run);

    await sleep(1_000 + jitter(timing));
    const results: LaneResult[] = [];
    for (const lane of lanes) {
      const report = await lane.finish(180_000);
      if (process.env.FAULTS_KEEP_STACK) console.error(`${lane.dialect} topics: ${lane.topics.join(' ')}`);
      const unexpectedExits = lane.sidecars
        .filter((s) => s.exit && !run.expectedExits.has(s.pid))
        .map((s) => ({ ...s.exit!, log: s.logTail(8) }));
      const stop = await lane.sidecar.stop();
      results.push({ dialect: lane.dialect, report, stop, unexpectedExits, log: lane.sidecar.logTail(10) });
    }
    return {
      name: scenario.name,
      lanes: results,
      recoveries: run.recoveries,
      faults: run.faults,
      notes: [...run.notes, ...lanes.flatMap((lane) => lane.notes)],
      ms: Date.now() - started,
    };
  } finally {
    // A failed scenario may leave servers paused or stopped: the next one needs them.
    for (const service of stack.brokers) stack.resume(service);
    stack.resume('registry');
    await stack.up().catch((error: unknown) => console.error(error));
    await Promise.all(lanes.map((lane) => lane.close()));
  }
}

/** Problems with a scenario's outcome, empty when it passed. */
export function failures(result: ScenarioResult): string[] {
  const problems: string[] = [];
  for (const lane of result.lanes) {
    const r = lane.report;
    if (!clean(r))
      problems.push(
        `${lane.dialect}: ${r.lost} lost, ${r.duplicated} duplicated, ${r.outOfOrder} out of order, ${r.unexpected} unexpected\n  ${r.problems.join('\n  ')}`,
      );
    if (lane.stop.code !== 0)
      problems.push(
        `${lane.dialect}: SIGTERM ended with ${JSON.stringify(lane.stop)}; last log lines:\n${lane.log}`,
      );
    for (const exit of lane.unexpectedExits)
      problems.push(
        `${lane.dialect}: a sidecar exited on its own (${exit.code ?? exit.signal}):\n${exit.log}`,
      );
  }
  return problems;
}

/** One line per lane and recovery, for the test log and the soak. */
export function summary(result: ScenarioResult): string {
  const lines = [`${result.name} (${(result.ms / 1000).toFixed(0)} s)`];
  for (const lane of result.lanes) {
    const r = lane.report;
    const recoveries = result.recoveries
      .filter((x) => x.dialect === lane.dialect)
      .map((x) => `${x.fault} ${(x.ms / 1000).toFixed(1)} s`)
      .join(', ');
    lines.push(
      `  ${lane.dialect.padEnd(8)} committed ${r.committed}, seen ${r.seen}, lost ${r.lost}, duplicated ${r.duplicated}, out of order ${r.outOfOrder}; exit ${lane.stop.code ?? lane.stop.signal}; recovery: ${recoveries || '-'}`,
    );
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
