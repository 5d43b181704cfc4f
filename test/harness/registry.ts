import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tlsOptions } from '../../src/core/tls.ts';
import { stackEnv, stackRegistryOptions } from './stack.ts';

/**
 * One HTTP call to a registry: on the secured stack with its CA and the
 * `tributary` user (fetch cannot be given a CA of its own).
 */
async function call(url: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  const options = stackRegistryOptions(stackEnv());
  const secure = url.startsWith('https:');
  const headers: Record<string, string> = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (secure && options.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      { method, headers, ...(secure ? tlsOptions(options.ssl ?? true) : {}) },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

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
  const { status, text } = await call(`${baseUrl}${path}`, method, body);
  assert.ok(status >= 200 && status < 300, `${method} ${path}: HTTP ${status} ${text}`);
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
  const response = await call(
    `${stackEnv().registryUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions/latest`,
    'GET',
  );
  assert.equal(response.status, 200, `the registry has no ${topic}-value subject`);
  const envelope = JSON.parse((JSON.parse(response.text) as { schema: string }).schema) as {
    fields: Array<{ name: string; type: unknown }>;
  };
  const before = envelope.fields.find((f) => f.name === 'before')!.type as unknown[];
  const value = before[1] as { fields: Array<{ name: string; type: unknown }> };
  return new Map(value.fields.map((f) => [f.name, f.type]));
}
