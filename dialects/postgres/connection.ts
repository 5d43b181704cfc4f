import pg from 'pg';
import { isNetworkError, TributaryError } from '../../src/core/errors.ts';
import type { TlsConfig } from '../../src/config/schema.ts';
import { describeEndpoint, tlsError, tlsOptions, type Endpoint } from '../../src/core/tls.ts';

export interface PgConnectionOptions {
  url: string;
  /** Overrides the URL's password (from env or a file). */
  password?: string | undefined;
  /** TLS to the server (source.ssl); a URL's own sslmode=… parameters take precedence. */
  ssl?: TlsConfig | undefined;
}

/**
 * Every session Tributary opens pins the settings that shape value text, so
 * the type parsers always see ISO dates and UTC offsets, whatever the server's
 * defaults. The walsender formats pgoutput values with these settings too.
 */
const SESSION_OPTIONS =
  '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=3 -c lc_monetary=C -c bytea_output=hex';

export function clientConfig(options: PgConnectionOptions, replication = false): pg.ClientConfig {
  const ssl = tlsOptions(options.ssl);
  return {
    connectionString: options.url,
    ...(ssl ? { ssl } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    options: SESSION_OPTIONS,
    application_name: 'tributary',
    ...(replication ? { replication: 'database' } : {}),
  } as pg.ClientConfig;
}

export async function connect(options: PgConnectionOptions, replication = false): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(options, replication));
  // An idle connection that drops must not crash the process: the next query fails instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw (
      loginError(error, options) ?? pgError(error, `connecting to ${describeEndpoint(endpointOf(options))}`)
    );
  }
  return client;
}

/** Host, port and user of the server `options` names, for messages (never the password). */
export function endpointOf(options: PgConnectionOptions): Endpoint {
  const url = URL.parse(options.url);
  return {
    service: 'PostgreSQL',
    host: url?.hostname || 'localhost',
    port: url?.port || 5432,
    user: url?.username ? decodeURIComponent(url.username) : undefined,
    group: 'source',
  };
}

/** A refused login or TLS handshake, as one line naming the server and user; undefined for other failures. */
function loginError(error: unknown, options: PgConnectionOptions): TributaryError | undefined {
  const endpoint = endpointOf(options);
  const tls = tlsError(error, endpoint);
  if (tls) return tls;
  const where = describeEndpoint(endpoint);
  const usesTls = Boolean(options.ssl) || /[?&]ssl(mode)?=(?!disable|false)/.test(options.url);
  switch ((error as { code?: string }).code) {
    case '28P01': // invalid_password: the server says the same for an unknown user
      return new TributaryError(`${where} refused the login: wrong password or unknown user (28P01)`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'check the user and password in source.url (or source.password / source.passwordFile)',
        cause: error,
      });
    case '28000': // invalid_authorization_specification: no pg_hba.conf line lets this connection in
      return usesTls
        ? new TributaryError(`${where} refused the connection: pg_hba.conf has no line for it (28000)`, {
            code: 'SOURCE_PRIVILEGE',
            fix: 'add a hostssl line for this user and database (and one for `replication`) to pg_hba.conf',
            cause: error,
          })
        : new TributaryError(
            `${where} refused a connection without TLS: pg_hba.conf has no line for it, so the server likely requires TLS (28000)`,
            {
              code: 'SOURCE_PRIVILEGE',
              fix: 'set source.ssl (e.g. source.ssl: { ca: /path/to/ca.pem }), or allow the connection in pg_hba.conf',
              cause: error,
            },
          );
    default:
      return undefined;
  }
}

/** What catalog lookups need of a connection: a client, or the on-demand pool below. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** How long the catalog connection may sit idle before it closes. */
const CATALOG_IDLE_MS = 2_000;

/**
 * A catalog connection that exists only while it is used: one connection at
 * most, closed after a short idle time. A smart shutdown of the server waits
 * for every regular session to end, so a connection held open while we stream
 * would hold that shutdown open for as long as we run.
 */
export function catalogPool(options: PgConnectionOptions): pg.Pool & Queryable {
  const config = clientConfig(options);
  const pool = new pg.Pool({
    ...config,
    // What this connection writes (an incremental snapshot's watermarks) is
    // waited for in the stream: on a server with synchronous_commit off, a
    // commit reaches the walsender only when the WAL writer flushes it, up to
    // wal_writer_delay (200 ms) later, once per snapshot chunk.
    options: `${config.options} -c synchronous_commit=on`,
    max: 1,
    idleTimeoutMillis: CATALOG_IDLE_MS,
  });
  // An idle connection that drops must not crash the process: the next query reconnects or fails.
  pool.on('error', () => {});
  // The pool connects inside a query: a refused login or TLS handshake is reported as connect() does.
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = (async (...args: unknown[]) => {
    try {
      return await query(...args);
    } catch (error) {
      throw loginError(error, options) ?? error;
    }
  }) as typeof pool.query;
  return pool;
}

/** Query options that keep every column as the server's text, never pg's JS conversions. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteTable(id: { schema: string; table: string }): string {
  return `${quoteIdent(id.schema)}.${quoteIdent(id.table)}`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Classifies a pg error by SQLSTATE or socket code, never by message text. */
export function pgError(error: unknown, doing: string): TributaryError {
  if (error instanceof TributaryError) return error;
  const e = error as { code?: string; message?: string };
  const detail = e.message ?? String(error);
  switch (isNetworkError(e.code) ? 'network' : e.code) {
    case 'network':
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '53300': // too_many_connections
      return new TributaryError(`PostgreSQL is unreachable while ${doing}: ${detail}`, {
        code: 'SOURCE_UNREACHABLE',
        retriable: true,
        fix: 'check that the server runs and that source.url names the right host and port',
        cause: error,
      });
    case '28P01':
    case '28000':
      return new TributaryError(`PostgreSQL refused the login while ${doing}: ${detail}`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'check the user and password in source.url (or source.password / source.passwordFile) and pg_hba.conf, which must allow replication connections for this user',
        cause: error,
      });
    case '3D000':
      return new TributaryError(`the database in source.url does not exist (${detail})`, {
        code: 'SOURCE_SETTING',
        fix: 'name an existing database in source.url',
        cause: error,
      });
    case '42501':
      return new TributaryError(`PostgreSQL denied a privilege while ${doing}: ${detail}`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'grant the user REPLICATION, SELECT on the captured tables, and CREATE on the database (or create the publication yourself); setting REPLICA IDENTITY needs table ownership',
        cause: error,
      });
    default:
      return new TributaryError(`PostgreSQL failed while ${doing}: ${detail}`, {
        code: 'SOURCE_FAILED',
        retriable: true,
        cause: error,
      });
  }
}
