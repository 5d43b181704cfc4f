import { createHash } from 'node:crypto';

/** Defaults derived from the connector name, stable across restarts and hosts. */

/** `tributary_<name>` lower-cased, anything outside [a-z0-9_] turned into `_`, at most 63 characters. */
export function defaultSlot(name: string): string {
  return `tributary_${name.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

export function defaultPublication(name: string): string {
  return defaultSlot(name);
}

export function defaultOffsetsTopic(name: string): string {
  return `tributary-offsets-${name}`;
}

export function defaultClientId(name: string): string {
  return `tributary-${name}`;
}

/**
 * A MySQL replica server id in 2^31..2^32-2, from a hash of the name: far above
 * the small ids servers and ordinary replicas use, and the same on every start.
 */
export function defaultServerId(name: string): number {
  const hash = createHash('sha256').update(name).digest().readUInt32BE(0);
  return 0x80000000 + (hash % 0x7fffffff);
}
