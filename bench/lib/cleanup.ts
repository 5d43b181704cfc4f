import type { ChildProcess } from 'node:child_process';

/**
 * What a run holds on shared servers (databases with replication slots,
 * topics) and the processes it started. Normal ends release them through
 * `await using`; an interrupted run (Ctrl-C) releases them here, since a
 * replication slot left behind holds WAL on the server.
 */
const resources = new Set<AsyncDisposable>();
const children = new Set<ChildProcess>();

/** Registers `resource` until it is disposed; returns it, its disposal made once-only (a signal and its owner may both ask). */
export function track<T extends AsyncDisposable>(resource: T): T & AsyncDisposable {
  resources.add(resource);
  const dispose = resource[Symbol.asyncDispose].bind(resource);
  let disposed: PromiseLike<void> | null = null;
  return Object.assign(resource, {
    [Symbol.asyncDispose]: () => {
      resources.delete(resource);
      disposed ??= dispose();
      return disposed;
    },
  });
}

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

let interrupted = false;

/** Whether a signal is ending the run: what fails now fails because of it, and must not be reported. */
export function isInterrupted(): boolean {
  return interrupted;
}

async function releaseAll(signal: string): Promise<void> {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping child processes and dropping what this run created\n`);
  for (const child of children) child.kill('SIGKILL');
  for (const resource of [...resources]) {
    try {
      await resource[Symbol.asyncDispose]();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${String(error)}\n`);
    }
  }
  process.exit(130);
}

export function releaseOnSignals(): void {
  process.once('SIGINT', () => void releaseAll('SIGINT'));
  process.once('SIGTERM', () => void releaseAll('SIGTERM'));
}
