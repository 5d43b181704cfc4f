import mysql from 'mysql2/promise';
import { isNetworkError, TributaryError } from '../../src/core/errors.ts';
import type { TlsConfig } from '../../src/config/schema.ts';
import { describeEndpoint, tlsError, tlsOptions, verifiesHost, type Endpoint } from '../../src/core/tls.ts';

export interface MysqlConnectionOptions {
  url: string;
  /** TLS to the server (source.ssl). */
  ssl?: TlsConfig | undefined;
}

/**
 * mysql2's TLS settings from source.ssl. mysql2 checks the host name only for
 * a host given by name (`verifyIdentity`); for an IP address Node checks the
 * certificate against `localhost`.
 */
export function mysqlSsl(ssl: TlsConfig | undefined): mysql.SslOptions | undefined {
  const tls = tlsOptions(ssl);
  if (!tls) return undefined;
  return {
    ...(tls.ca ? { ca: tls.ca as string } : {}),
    ...(tls.cert ? { cert: tls.cert as string } : {}),
    ...(tls.key ? { key: tls.key as string } : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    verifyIdentity: verifiesHost(ssl),
  };
}

/** Host, port and user of the server `url` names, for messages (never the password). */
export function mysqlEndpoint(url: string): Endpoint {
  const { host, port, user } = endpointOf(url);
  return { service: 'MySQL', host, port, user, group: 'source' };
}

/** Host, port and credentials from a mysql:// (or mariadb://) URL. */
export function endpointOf(url: string): {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | null;
} {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : null,
  };
}

/** A connection whose values keep their exact text: big numbers and dates as strings, UTC session. */
export async function connect(
  options: MysqlConnectionOptions,
  extra: mysql.ConnectionOptions = {},
): Promise<mysql.Connection> {
  const endpoint = endpointOf(options.url);
  const ssl = mysqlSsl(options.ssl);
  try {
    const connection = await mysql.createConnection({
      ...(ssl ? { ssl } : {}),
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      password: endpoint.password,
      ...(endpoint.database ? { database: endpoint.database } : {}),
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...extra,
    });
    // An idle connection that drops must not crash the process: the next query fails instead.
    connection.on('error', () => {});
    await connection.query("SET time_zone = '+00:00'");
    return connection;
  } catch (error) {
    throw (
      loginError(error, options) ??
      mysqlError(error, `connecting to ${describeEndpoint(mysqlEndpoint(options.url))}`)
    );
  }
}

/** A refused login or TLS handshake, as one line naming the server and user; undefined for other failures. */
export function loginError(error: unknown, options: MysqlConnectionOptions): TributaryError | undefined {
  const endpoint = mysqlEndpoint(options.url);
  const e = error as { code?: string; errno?: number; reason?: unknown; cert?: unknown };
  // mysql2 overwrites a TLS error's code with HANDSHAKE_SSL_ERROR: a host name
  // mismatch still carries Node's `reason` and `cert`; any other failure is a
  // certificate the CA settings do not accept.
  const tlsCode =
    e.code !== 'HANDSHAKE_SSL_ERROR'
      ? undefined
      : e.reason !== undefined && e.cert !== undefined
        ? 'ERR_TLS_CERT_ALTNAME_INVALID'
        : 'CERT_UNTRUSTED';
  const tls = tlsError(tlsCode ? { code: tlsCode, cause: error } : error, endpoint);
  if (tls) return tls;
  const where = describeEndpoint(endpoint);
  if (e.code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new TributaryError(`${where} does not offer TLS, and source.ssl asks for it`, {
      code: 'TLS_FAILED',
      fix: 'enable TLS on the server (ssl_cert, ssl_key), or turn source.ssl off',
      cause: error,
    });
  }
  if (e.errno !== 1045 && e.errno !== 1698) return undefined;
  // MySQL answers 1045 alike for a wrong password, an unknown user and an
  // account that REQUIRE SSL reached without TLS.
  return options.ssl
    ? new TributaryError(`${where} refused the login: wrong password or unknown user (${e.errno})`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'check the user and password in source.url (or source.password / source.passwordFile)',
        cause: error,
      })
    : new TributaryError(
        `${where} refused the login: wrong password, unknown user, or the account requires TLS (${e.errno})`,
        {
          code: 'SOURCE_PRIVILEGE',
          fix: 'check the user and password in source.url (or source.password / source.passwordFile); if the account REQUIRE SSL, set source.ssl (e.g. source.ssl: { ca: /path/to/ca.pem })',
          cause: error,
        },
      );
}

/** Identifier quoting with backticks. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

export function quoteTable(id: { schema: string; table: string }): string {
  return `${quoteIdent(id.schema)}.${quoteIdent(id.table)}`;
}

/** Classifies a mysql2 error by its errno or socket code, never by message text. */
export function mysqlError(error: unknown, doing: string): TributaryError {
  if (error instanceof TributaryError) return error;
  const e = error as { code?: string; errno?: number; message?: string };
  const detail = e.message ?? String(error);
  switch (isNetworkError(e.code) ? 'network' : e.code) {
    case 'network':
    case 'PROTOCOL_CONNECTION_LOST':
      return new TributaryError(`MySQL is unreachable while ${doing}: ${detail}`, {
        code: 'SOURCE_UNREACHABLE',
        retriable: true,
        fix: 'check that the server runs and that source.url names the right host and port',
        cause: error,
      });
  }
  switch (e.errno) {
    case 1045: // ER_ACCESS_DENIED_ERROR
    case 1698: // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
      return new TributaryError(`MySQL refused the login while ${doing}: ${detail}`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'check the user and password in source.url (or source.password / source.passwordFile)',
        cause: error,
      });
    case 1049: // ER_BAD_DB_ERROR
      return new TributaryError(`the database in source.url does not exist (${detail})`, {
        code: 'SOURCE_SETTING',
        fix: 'name an existing database in source.url',
        cause: error,
      });
    case 1044: // ER_DBACCESS_DENIED_ERROR
    case 1142: // ER_TABLEACCESS_DENIED_ERROR
    case 1227: // ER_SPECIFIC_ACCESS_DENIED_ERROR
      return new TributaryError(`MySQL denied a privilege while ${doing}: ${detail}`, {
        code: 'SOURCE_PRIVILEGE',
        fix: 'GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO <user>',
        cause: error,
      });
    case 1236: // ER_MASTER_FATAL_ERROR_READING_BINLOG: position purged or unknown
      return new TributaryError(`the binlog position to resume from is no longer on the server (${detail})`, {
        code: 'SOURCE_POSITION_LOST',
        fix: 'take a new snapshot: `tributary reset --config <file>` clears the committed offset, then `tributary run` snapshots again; keep binlogs longer (binlog_expire_logs_seconds / expire_logs_days) than the sidecar may be down',
        cause: error,
      });
    case 1053: // ER_SERVER_SHUTDOWN
    case 1040: // ER_CON_COUNT_ERROR
    case 2013: // CR_SERVER_LOST
      return new TributaryError(`MySQL is unreachable while ${doing}: ${detail}`, {
        code: 'SOURCE_UNREACHABLE',
        retriable: true,
        cause: error,
      });
    default:
      return new TributaryError(`MySQL failed while ${doing}: ${detail}`, {
        code: 'SOURCE_FAILED',
        retriable: true,
        cause: error,
      });
  }
}
