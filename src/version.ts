import { readFileSync } from 'node:fs';

/** Tributary's version, as `source.version` of every event. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
