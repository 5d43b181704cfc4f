import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ConfigInput } from '../../src/config/schema.ts';
import type { ConfigOverrides, ConnectorTestContext } from './connector-context.ts';

export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface CliResult {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Writes `config` to a YAML file of its own and returns its path. */
export function configFile(config: ConfigInput): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-cli-')), 'config.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** Runs the CLI to its end (or `timeoutMs`, then SIGTERM); never throws for a non-zero exit. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: string }) | null;
        resolve({ code: failure ? (failure.signal ?? failure.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it gives a value (errors count as not yet). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The test context's configuration as a YAML file, for CLI commands. */
export function contextConfigFile(ctx: ConnectorTestContext, overrides: ConfigOverrides = {}): string {
  return configFile(ctx.configInput(overrides));
}

/** Waits until the instance serving HTTP on `port` is ready (streaming). */
export function untilReady(port: number): Promise<true> {
  return until('readiness', async () =>
    (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined,
  );
}
