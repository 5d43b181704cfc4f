import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where tests keep what a person may want to look at afterwards (screenshots, captures). */
export const TEST_OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

export function testOutput(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

/**
 * Loads a page in headless Chromium (Debian's `chromium`, installed by
 * .ci/run): returns the DOM after scripts ran, and saves a screenshot.
 */
export async function loadPage(url: string, screenshot: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'tributary-chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox', // tests run as root
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    '--window-size=1000,1100',
  ];
  try {
    const { stdout } = await run('chromium', [...flags, '--dump-dom', url], { maxBuffer: 16 * 1024 * 1024 });
    await run('chromium', [...flags, `--screenshot=${screenshot}`, url]);
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
