import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ConfigOverrides, ConnectorTestContext } from './connector-context.ts';

/** The CLI entry point, for tests that run `tributary` commands as a user would. */
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

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
export function configFile(ctx: ConnectorTestContext, overrides: ConfigOverrides = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-config-')), 'config.yaml');
  writeFileSync(file, stringify(ctx.configInput(overrides)));
  return file;
}

/** Waits until the instance serving HTTP on `port` is ready (streaming). */
export function untilReady(port: number): Promise<true> {
  return until('readiness', async () =>
    (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined,
  );
}
