import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the local stack (scripts/stack.sh) listens. */
export interface StackEnv {
  kafkaBrokers: string[];
  registryUrl: string;
  pgUrl: string;
  mysqlUrl: string;
}

const envFile = fileURLToPath(new URL('../../.stack/env', import.meta.url));

/**
 * Reads the stack's addresses from the environment (`npm test` sources
 * .stack/env) or, when a test file is run on its own, from .stack/env itself.
 */
export function stackEnv(): StackEnv {
  const vars = { ...readEnvFile(), ...process.env };
  const need = (name: string): string => {
    const value = vars[name];
    if (!value) throw new Error(`${name} is not set: start the stack with \`npm run stack:up\``);
    return value;
  };
  return {
    kafkaBrokers: need('KAFKA_BROKERS').split(','),
    registryUrl: need('SCHEMA_REGISTRY_URL'),
    pgUrl: need('PG_URL'),
    mysqlUrl: need('MYSQL_URL'),
  };
}

function readEnvFile(): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(envFile, 'utf8');
  } catch {
    return {};
  }
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

/** A name no other test run uses, for topics, slots, tables and databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
