/**
 * The schema registry as Tributary uses it: register a schema once per
 * process, decode framed messages, and turn failures into TributaryErrors.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RegistryConfig, TlsConfig } from '../config/schema.ts';
import { Semaphore } from '../core/semaphore.ts';
import { tlsOptions } from '../core/tls.ts';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
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

/**
 * Registrations sent at once. A registry serialises its writes, but a
 * snapshot of many tables registers two subjects each, and waiting requests
 * keep it busy between writes (Apicurio on two cores: 143-259 registrations/s
 * with 8 in flight, 222-265/s with 32).
 */
const REGISTRATIONS_IN_FLIGHT = 32;

/** How long an idle registry connection stays open. */
const IDLE_CONNECTION_MS = 4_000;

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
  readonly #registrations = new Semaphore(REGISTRATIONS_IN_FLIGHT);

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
    // Connections kept open while in use (a snapshot of many tables registers
    // schemas by the thousand), closed after a few idle seconds: well before a
    // server would close them under a request.
    const keepAlive = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
    this.#agent = this.url.startsWith('https:')
      ? new HttpsAgent({ ...keepAlive, ...tlsOptions(options.ssl ?? true) })
      : new HttpAgent(keepAlive);
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

  /**
   * One POST per new schema, at most REGISTRATIONS_IN_FLIGHT at a time: a
   * snapshot of many tables registers two subjects per table, and the
   * registry serialises its writes anyway. The subject's compatibility level
   * is read only to explain a refusal.
   */
  async #register(subject: string, schemaJson: string): Promise<number> {
    const context = { url: this.url, user: this.#user, subject };
    await this.#registrations.acquire();
    try {
      const path = `/subjects/${encodeURIComponent(subject)}/versions`;
      const body = (await this.#call(path, JSON.stringify({ schema: schemaJson }))) as {
        id?: unknown;
      } | null;
      if (typeof body?.id !== 'number') throw new Error(`POST ${path}: the answer has no schema id`);
      return body.id;
    } catch (error) {
      const compatibility =
        (error as { status?: number }).status === 409
          ? await this.#compatibility(`/config/${encodeURIComponent(subject)}`)
              .catch(() => null)
              .then((level) => level ?? this.#globalCompatibility())
          : null;
      throw registryError(error, { ...context, compatibility });
    } finally {
      this.#registrations.release();
    }
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
    return this.#call(path);
  }

  /**
   * GET `path`, or POST `body` to it: the JSON answer (null when not JSON, or
   * for a GET not found). A failure carries the HTTP status and the
   * registry's message (a GET's prefixed with its path).
   */
  async #call(path: string, body?: string): Promise<unknown> {
    const response = await this.#request(path, body);
    const text = response.text;
    if (response.status === 404 && body === undefined) return null;
    if (response.status < 200 || response.status >= 300) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      message ||= `HTTP ${response.status}`;
      throw Object.assign(new Error(body === undefined ? `GET ${path}: ${message}` : message), {
        status: response.status,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null; // not JSON: nothing to read
    }
  }

  /** GET (or POST `body`) over the client's agent (fetch cannot take TLS settings per connection). */
  #request(path: string, body?: string): Promise<{ status: number; text: string }> {
    const url = new URL(`${this.url}${path}`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const method = body === undefined ? 'GET' : 'POST';
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            accept: 'application/vnd.schemaregistry.v1+json, application/json',
            ...(body === undefined
              ? {}
              : {
                  'content-type': 'application/vnd.schemaregistry.v1+json',
                  'content-length': Buffer.byteLength(body),
                }),
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
      outgoing.end(body);
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

/** The client the `registry` config group describes: URL, basic auth, TLS. */
export function registryFromConfig(config: RegistryConfig): SchemaRegistryClient {
  return new SchemaRegistryClient({
    url: config.url,
    ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
    ssl: config.ssl,
  });
}
