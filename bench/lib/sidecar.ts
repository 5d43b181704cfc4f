import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { configFile, freePort } from '../../test/harness/cli.ts';
import type { ConfigOverrides, ConnectorTestContext } from '../../test/harness/connector-context.ts';
import { processUsage, type ProcessUsage } from './proc-stats.ts';
import { trackChild } from './cleanup.ts';

const BIN = fileURLToPath(new URL('../../bin/tributary', import.meta.url));
/** Longest a stopping sidecar may take to finish its transaction and exit before it is killed. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * `tributary run` as a child process of its own (the CLI, as users run it),
 * so its memory and CPU are its own: read from /proc while it runs.
 */
export class Sidecar {
  /** performance.now() when the process was spawned. */
  readonly startedAt: number;
  private readonly child: ChildProcess;
  private readonly port: number;
  private exit: { code: number | null; signal: string | null } | null = null;
  private readonly exited: Promise<void>;

  private constructor(child: ChildProcess, port: number, startedAt: number) {
    this.child = child;
    this.port = port;
    this.startedAt = startedAt;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  /** Starts the sidecar on `ctx`'s database, logging warnings (BENCH_SIDECAR_LOG: another level) to stderr, serving HTTP on a free port. */
  static async start(ctx: ConnectorTestContext, overrides: ConfigOverrides = {}): Promise<Sidecar> {
    const port = await freePort();
    const file = configFile(
      ctx.configInput({
        ...overrides,
        http: { port, host: '127.0.0.1' },
        log: { level: (process.env.BENCH_SIDECAR_LOG as 'warn' | undefined) ?? 'warn', format: 'json' },
      }),
    );
    const startedAt = performance.now();
    // bin/tributary, as users start it (it execs node: the pid stays the one sampled).
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile per sidecar run, written there on exit (open it in Chrome's DevTools).
    const profileDir = process.env.BENCH_CPU_PROF;
    const child = spawn(BIN, ['run', '--config', file], {
      stdio: ['ignore', 'ignore', 'inherit'],
      ...(profileDir
        ? { env: { ...process.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } }
        : {}),
    });
    trackChild(child);
    return new Sidecar(child, port, startedAt);
  }

  /** Seconds since the spawn. */
  elapsed(now = performance.now()): number {
    return (now - this.startedAt) / 1000;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Throws when the process has exited (it must run until stop()). */
  assertRunning(): void {
    if (this.exit) {
      throw new Error(
        `the sidecar exited (code ${this.exit.code ?? this.exit.signal}) before the run was complete`,
      );
    }
  }

  usage(): ProcessUsage | null {
    return processUsage(this.pid);
  }

  async ready(): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/readyz`, {
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** Waits until /readyz answers 200 (streaming, snapshot committed); returns the seconds since the spawn. */
  async waitReady(timeoutMs = 300_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.assertRunning();
      if (await this.ready()) return this.elapsed();
      if (performance.now() > deadline)
        throw new Error(`the sidecar was not ready within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  /**
   * SIGTERM (the sidecar finishes its open transaction), then waits for the
   * exit; returns the usage read just before the signal (VmHWM: the peak).
   */
  async stop(): Promise<ProcessUsage | null> {
    const usage = this.usage();
    if (!this.exit) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return usage;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
