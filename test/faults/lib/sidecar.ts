import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ConfigInput } from '../../../src/config/schema.ts';
import { freePort } from './private-stack.ts';

const CLI = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: string | null;
  at: number;
}

/**
 * `tributary run` as a child process with its log in a file and its HTTP
 * endpoints on a port of its own, so a test can read its metrics, signal it
 * and quote its last log lines.
 */
export class Sidecar {
  exit: Exit | null = null;
  readonly exited: Promise<Exit>;
  readonly logFile: string;
  readonly port: number;
  readonly startedAt: number;
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess, logFile: string, port: number, startedAt: number) {
    this.child = child;
    this.logFile = logFile;
    this.port = port;
    this.startedAt = startedAt;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve((this.exit = { code, signal, at: Date.now() }))),
    );
  }

  static async spawn(config: ConfigInput): Promise<Sidecar> {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-faults-'));
    const port = await freePort();
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      stringify({ ...config, http: { port, host: '127.0.0.1' }, log: { level: 'info', format: 'json' } }),
    );
    const logFile = join(dir, 'sidecar.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [CLI, 'run', '--config', file], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return new Sidecar(child, logFile, port, Date.now());
  }

  get running(): boolean {
    return this.exit === null;
  }

  get pid(): number {
    return this.child.pid!;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then the exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 45_000): Promise<Exit> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A counter or gauge of /metrics summed over its labels; null while the endpoint does not answer. */
  async metric(name: string): Promise<number | null> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/metrics`, {
        signal: AbortSignal.timeout(2_000),
      });
      const text = await response.text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').at(-1));
      }
      return sum;
    } catch {
      return null;
    }
  }

  /** Source transactions committed to Kafka since this process started. */
  async committed(): Promise<number> {
    return (await this.metric('tributary_source_transactions_total')) ?? 0;
  }

  /** The log's last lines (JSON lines; messages and codes only, for a report). */
  logTail(lines = 15): string {
    let text: string;
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
    return text
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => {
        try {
          const entry = JSON.parse(line) as {
            time?: number;
            level?: number;
            msg?: string;
            code?: string;
            err?: { message?: string };
          };
          const time = entry.time ? new Date(entry.time).toISOString().slice(11, 23) : '';
          return `${time} ${entry.level ?? ''} ${entry.code ?? ''} ${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim();
        } catch {
          return line;
        }
      })
      .join('\n');
  }

  /** Log lines (raw) matching a pattern. */
  logLines(pattern: RegExp): string[] {
    try {
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .filter((line) => pattern.test(line));
    } catch {
      return [];
    }
  }
}
