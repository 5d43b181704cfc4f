/**
 * Import this first in a test file that runs on the secured stack: it brings
 * the stack up (a no-op when it runs; a lock keeps parallel test files from
 * starting it twice) and points the harness at it through the environment,
 * before any harness module reads it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stackDir = process.env.SECURE_STACK_DIR ?? `${root}.stack-secure`;

// -o: the servers `up` starts must not inherit the lock, or it stays held as
// long as they run and the next test file waits on it forever.
execFileSync('flock', ['-o', `${stackDir}.lock`, 'bash', `${root}scripts/stack.sh`, 'up'], {
  env: { ...process.env, STACK_SECURE: '1', STACK_DIR: stackDir },
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (const line of readFileSync(`${stackDir}/env`, 'utf8').split('\n')) {
  const match = /^export\s+([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
  if (match) process.env[match[1]!] = match[2]!;
}
