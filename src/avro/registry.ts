/**
 * The schema registry as Tributary uses it: register a schema once per
 * process, decode framed messages, and turn failures into TributaryErrors.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RegistryConfig, TlsConfig } from '../config/schema.ts';
import { tlsOptions } from '../core/tls.ts';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { avroTypeOptions } from './logical-types.ts';
import { registryError } from './registry-errors.ts';

export interface RegistryOptions {
  /** Base URL of the Confluent-compatible API. `host` is accepted as an alias. */
  url?: string;
  host?: string;
  username?: string;
  password?: string;
  /** `{ username, password }`, an alternative to the two fields above. */
  auth?: { username: string; password: string };
  /** Retries of the client's HTTP middleware (defaults: 3 retries within 5 s). */
  retry?: { retries?: number; initialRetryTimeInSecs?: number; maxRetryTimeInSecs?: number };
  /** Timeout of the compatibility lookups, ms. */
  timeoutMs?: number;
  /** TLS settings of an https:// URL (registry.ssl). */
  ssl?: TlsConfig | undefined;
}

/** sha-256 of the schema text: any change, even of a property, is a new schema. */
export function schemaFingerprint(schemaJson: string): string {
  return createHash('sha256').update(schemaJson).digest('hex');
}

export class SchemaRegistryClient {
  readonly url: string;
  readonly #client: SchemaRegistry;
  readonly #authorization: string | undefined;
  readonly #user: string | undefined;
  /** One agent for both clients, carrying the TLS settings. */
  readonly #agent: HttpAgent;
  readonly #timeoutMs: number;
  readonly #ids = new Map<string, Promise<number>>();

  constructor(options: RegistryOptions) {
    const url = options.url ?? options.host;
    if (!url) throw new TypeError('SchemaRegistryClient needs a url');
    this.url = url.replace(/\/+$/, '');
    const auth =
      options.auth ??
      (options.username !== undefined
        ? { username: options.username, password: options.password ?? '' }
        : undefined);
    this.#authorization =
      auth && `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    this.#user = auth?.username;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#agent = this.url.startsWith('https:')
      ? new HttpsAgent({ ...tlsOptions(options.ssl ?? true) })
      : new HttpAgent();
    this.#client = new SchemaRegistry(
      {
        host: this.url,
        agent: this.#agent,
        ...(auth ? { auth } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      },
      { [SchemaType.AVRO]: avroTypeOptions() },
    );
  }

  /** The id of `schemaJson` under `subject`, registering it the first time this process asks. */
  register(subject: string, schemaJson: string): Promise<number> {
    const key = `${subject}\n${schemaFingerprint(schemaJson)}`;
    let id = this.#ids.get(key);
    if (!id) {
      id = this.#register(subject, schemaJson);
      this.#ids.set(key, id);
      id.catch(() => this.#ids.delete(key));
    }
    return id;
  }

  async #register(subject: string, schemaJson: string): Promise<number> {
    const context = { url: this.url, user: this.#user, subject };
    for (let attempt = 1; ; attempt += 1) {
      let level: string | null;
      try {
        level = await this.#compatibility(`/config/${encodeURIComponent(subject)}`);
      } catch (error) {
        throw registryError(error, context);
      }
      try {
        if (!isNamedSchema(schemaJson)) return await this.#registerUnnamed(subject, schemaJson);
        // The client refuses to register when the subject's level differs from
        // the one it is given, and would set BACKWARD on new subjects: give it
        // the subject's own level and leave the configuration alone.
        const { id } = await this.#client.register(
          { type: SchemaType.AVRO, schema: schemaJson },
          { subject, compatibility: (level ?? COMPATIBILITY.BACKWARD) as COMPATIBILITY, updateConfig: false },
        );
        return id;
      } catch (error) {
        const name = (error as Error | null)?.name;
        if (name === 'ConfluentSchemaRegistryCompatibilityError' && attempt < 3) continue; // level changed meanwhile
        const compatibility =
          (error as { status?: number }).status === 409
            ? (level ?? (await this.#globalCompatibility()))
            : null;
        throw registryError(error, { ...context, compatibility });
      }
    }
  }

  /** The client registers named schemas only; a primitive or union one (an outbox key or payload) goes straight to the API. */
  async #registerUnnamed(subject: string, schemaJson: string): Promise<number> {
    const response = await this.#request(`/subjects/${encodeURIComponent(subject)}/versions`, {
      method: 'POST',
      body: JSON.stringify({ schema: schemaJson }),
    });
    let body: { id?: unknown; message?: unknown } = {};
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      // not JSON: the status says what went wrong
    }
    if (response.status < 200 || response.status >= 300 || typeof body.id !== 'number') {
      throw Object.assign(new Error(String(body.message ?? `HTTP ${response.status}`)), {
        status: response.status,
      });
    }
    return body.id;
  }

  /**
   * The compatibility level that applies to `subject`: its own, else the
   * registry's global one; null when neither can be read.
   */
  async compatibilityLevel(subject: string): Promise<string | null> {
    try {
      return (
        (await this.#compatibility(`/config/${encodeURIComponent(subject)}`)) ??
        (await this.#globalCompatibility())
      );
    } catch (error) {
      throw registryError(error, { url: this.url, user: this.#user, subject });
    }
  }

  /** Reads the registry's global config: proves the URL, TLS and credentials, or throws why not. */
  async ping(): Promise<void> {
    try {
      await this.#get('/config');
    } catch (error) {
      throw registryError(error, { url: this.url, user: this.#user });
    }
  }

  /** The schema text of the latest version registered under `subject`, or null when it has none. */
  async latestSchema(subject: string): Promise<string | null> {
    try {
      const body = (await this.#get(`/subjects/${encodeURIComponent(subject)}/versions/latest`)) as {
        schema?: unknown;
      } | null;
      return typeof body?.schema === 'string' ? body.schema : null;
    } catch (error) {
      throw registryError(error, { url: this.url, user: this.#user, subject });
    }
  }

  /** The schema registered under `id`, parsed. */
  async schemaById(id: number): Promise<unknown> {
    try {
      const body = (await this.#get(`/schemas/ids/${id}`)) as { schema?: unknown } | null;
      if (typeof body?.schema !== 'string')
        throw Object.assign(new Error(`no schema ${id}`), { status: 404 });
      return JSON.parse(body.schema) as unknown;
    } catch (error) {
      throw registryError(error, { url: this.url, user: this.#user });
    }
  }

  async #globalCompatibility(): Promise<string | null> {
    return this.#compatibility('/config').catch(() => null);
  }

  /** GET a `/config` resource: its level, or null when the registry has none (404). */
  async #compatibility(path: string): Promise<string | null> {
    const body = (await this.#get(path)) as { compatibilityLevel?: unknown; compatibility?: unknown } | null;
    const level = body?.compatibilityLevel ?? body?.compatibility;
    return typeof level === 'string' ? level.toUpperCase() : null;
  }

  /** GET a resource of the Confluent API: its JSON body, null when not found (404) or not JSON. */
  async #get(path: string): Promise<unknown> {
    const response = await this.#request(path);
    const text = response.text;
    if (response.status === 404) return null;
    if (response.status < 200 || response.status >= 300) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw Object.assign(new Error(`GET ${path}: ${message || `HTTP ${response.status}`}`), {
        status: response.status,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null; // not JSON: nothing to read
    }
  }

  /** A request over the client's agent, so it uses the registry's TLS settings (fetch cannot take them per connection). */
  #request(path: string, post?: { method: 'POST'; body: string }): Promise<{ status: number; text: string }> {
    const url = new URL(`${this.url}${path}`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const method = post?.method ?? 'GET';
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            accept: 'application/vnd.schemaregistry.v1+json, application/json',
            ...(post ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}),
            ...(this.#authorization ? { authorization: this.#authorization } : {}),
          },
          timeout: this.#timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(Object.assign(new Error(`${method} ${path} timed out`), { name: 'TimeoutError' })),
      );
      outgoing.on('error', (error) => reject(new Error('fetch failed', { cause: error })));
      outgoing.end(post?.body);
    });
  }

  /**
   * Decodes a Confluent-framed Avro message with its writer schema, fetched by
   * id: longs and timestamps come back as bigints, bytes as Buffers, decimals
   * as exact text, field names as in the schema.
   */
  async decode(buffer: Buffer): Promise<unknown> {
    try {
      return await this.#client.decode(buffer);
    } catch (error) {
      // HTTP failures fetching the schema; a malformed message stays as it is.
      if (typeof (error as { status?: unknown }).status === 'number')
        throw registryError(error, { url: this.url, user: this.#user });
      throw error;
    }
  }
}

function isNamedSchema(schemaJson: string): boolean {
  const schema = JSON.parse(schemaJson) as unknown;
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) && 'name' in schema;
}

/** The client the `registry` config group describes: URL, basic auth, TLS. */
export function registryFromConfig(config: RegistryConfig): SchemaRegistryClient {
  return new SchemaRegistryClient({
    url: config.url,
    ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
    ssl: config.ssl,
  });
}
