import assert from 'node:assert/strict';
import { stackEnv } from './stack.ts';

/** Calls the shared stack's schema registry REST API; asserts the call succeeded and returns its JSON body. */
export async function registryRequest(method: string, path: string, body?: unknown): Promise<unknown> {
  return registryRequestAt(stackEnv().registryUrl, method, path, body);
}

/** The same on the registry at `baseUrl` (a private stack's). */
export async function registryRequestAt(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** Sets a subject's compatibility rule through the Confluent API, and checks the registry took it. */
export async function setCompatibility(subject: string, level: 'FULL' | 'BACKWARD' | 'NONE'): Promise<void> {
  await registryRequest('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  const read = (await registryRequest('GET', `/config/${encodeURIComponent(subject)}`)) as {
    compatibilityLevel?: string;
  };
  assert.equal(read.compatibilityLevel, level, `the registry applies ${level} to ${subject}`);
}

/** The version numbers registered under a subject. */
export async function subjectVersions(subject: string): Promise<unknown> {
  return registryRequest('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
}

/** The schema registered under a schema id, parsed from its JSON text. */
export async function schemaById(schemaId: number): Promise<unknown> {
  const { schema } = (await registryRequest('GET', `/schemas/ids/${schemaId}`)) as { schema: string };
  return JSON.parse(schema) as unknown;
}

/** The fields of the row record in the latest value schema of a topic: name → Avro type. */
export async function latestValueSchema(topic: string): Promise<Map<string, unknown>> {
  const response = await fetch(
    `${stackEnv().registryUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions/latest`,
  );
  assert.equal(response.status, 200, `the registry has no ${topic}-value subject`);
  const envelope = JSON.parse(((await response.json()) as { schema: string }).schema) as {
    fields: Array<{ name: string; type: unknown }>;
  };
  const before = envelope.fields.find((f) => f.name === 'before')!.type as unknown[];
  const value = before[1] as { fields: Array<{ name: string; type: unknown }> };
  return new Map(value.fields.map((f) => [f.name, f.type]));
}
