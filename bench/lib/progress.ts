import { performance } from 'node:perf_hooks';

/** When each label last printed progress to a stderr that is not a terminal. */
const lastLogged = new Map<string, number>();

/** A progress line on stderr: rewritten in place on a terminal, one line every 10 s to a file or pipe. */
export function progress(label: string, text: string): void {
  if (process.stderr.isTTY) {
    process.stderr.write(`  ${label}: ${text}\x1b[K\r`);
    return;
  }
  const now = performance.now();
  if (now - (lastLogged.get(label) ?? -Infinity) < 10_000) return;
  lastLogged.set(label, now);
  process.stderr.write(`  ${label}: ${text}\n`);
}

/** Clears a progress line left on a terminal. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\x1b[K');
}
