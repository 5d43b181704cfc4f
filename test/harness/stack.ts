import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegistryOptions } from '../../src/avro/registry.ts';

/** Where the local stack (scripts/stack.sh) listens. */
export interface StackEnv {
  kafkaBrokers: string[];
  registryUrl: string;
  pgUrl: string;
  mysqlUrl: string;
  /** The secured stack (STACK_SECURE=1): its CA and credentials; undefined on the plain stack. */
  secure?: SecureStackEnv;
}

export interface SecureStackEnv {
  caFile: string;
  /** The connector's Kafka user: no ACL until a test grants them. */
  kafkaUser: { username: string; password: string };
  /** A Kafka super user, for the tests' own clients. */
  kafkaAdmin: { username: string; password: string };
  registryPassword: string;
  /** The registry user that may only read. */
  registryReaderPassword: string;
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
    ...(vars.STACK_SECURE === '1'
      ? {
          secure: {
            caFile: need('STACK_CA_FILE'),
            kafkaUser: { username: need('KAFKA_SASL_USERNAME'), password: need('KAFKA_SASL_PASSWORD') },
            kafkaAdmin: { username: need('KAFKA_ADMIN_USERNAME'), password: need('KAFKA_ADMIN_PASSWORD') },
            registryPassword: need('SCHEMA_REGISTRY_PASSWORD'),
            registryReaderPassword: need('SCHEMA_REGISTRY_READER_PASSWORD'),
          },
        }
      : {}),
  };
}

/** The TLS settings every client of the secured stack uses (verify-full against its CA); undefined on the plain stack. */
export function stackTls(env: StackEnv): { ca: string; verify: 'full' } | undefined {
  return env.secure ? { ca: env.secure.caFile, verify: 'full' } : undefined;
}

/** Registry client options: the URL, and on the secured stack the `tributary` user and TLS. */
export function stackRegistryOptions(env: StackEnv): RegistryOptions {
  return {
    url: env.registryUrl,
    ...(env.secure
      ? { username: 'tributary', password: env.secure.registryPassword, ssl: stackTls(env) }
      : {}),
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
