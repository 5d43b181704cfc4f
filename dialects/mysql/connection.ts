import mysql from 'mysql2/promise';
import { isNetworkError, TributaryError } from '../../src/core/errors.ts';
import { redactUrl } from '../../src/core/redact.ts';

export interface MysqlConnectionOptions {
  url: string;
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
  try {
    const connection = await mysql.createConnection({
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
    throw mysqlError(error, `connecting to MySQL at ${redactUrl(options.url)}`);
  }
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
