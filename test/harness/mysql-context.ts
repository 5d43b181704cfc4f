import mysql from 'mysql2/promise';
import { ConnectorTestContext, type Sql } from './connector-context.ts';
import { mysqlSsl } from '../../dialects/mysql/connection.ts';
import { stackEnv, stackTls, uniqueName, type StackEnv } from './stack.ts';

/** `$1`-style placeholders (shared test SQL) to mysql2's `?`. */
function sqlOf(connection: mysql.Connection): Sql {
  return async <Row>(text: string, params: unknown[] = []) => {
    const [rows] = await connection.query(text.replace(/\$\d+/g, '?'), params);
    return (Array.isArray(rows) ? rows : []) as Row[];
  };
}

/** On the secured stack, TLS verified against its CA. */
async function open(url: string, env: StackEnv): Promise<mysql.Connection> {
  const ssl = mysqlSsl(stackTls(env));
  return mysql.createConnection({
    uri: url,
    ...(ssl ? { ssl } : {}),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
}

/** A fresh MariaDB database and a connector name of its own. */
export class MysqlTestContext extends ConnectorTestContext {
  readonly dialect = 'mysql';
  readonly db: mysql.Connection;
  readonly sql: Sql;
  private readonly database: string;

  private constructor(name: string, url: string, db: mysql.Connection, env: StackEnv) {
    super(name, url, env);
    this.database = name;
    this.db = db;
    this.sql = sqlOf(db);
  }

  /** On the shared stack, or on `env`'s servers. */
  static async open(env: StackEnv = stackEnv()): Promise<MysqlTestContext> {
    const name = uniqueName('t');
    const admin = await open(env.mysqlUrl, env);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(env.mysqlUrl);
    url.pathname = `/${name}`;
    return new MysqlTestContext(name, url.toString(), await open(url.toString(), env), env);
  }

  get schema(): string {
    return this.database;
  }

  /** Every test context reads the binlog with a replica server id of its own. */
  private readonly serverId = 10_000 + Math.floor(Math.random() * 1_000_000);

  protected override sourceDefaults() {
    return { serverId: this.serverId };
  }

  async session(): Promise<{ sql: Sql; end(): Promise<void> }> {
    const connection = await open(this.url, this.env);
    // A server that goes away (fault tests restart it) fails the next query; an idle session must not crash the test.
    connection.on('error', () => {});
    return { sql: sqlOf(connection), end: () => connection.end() };
  }

  async insertSeries(table: string, count: number, values: string, first = 1): Promise<void> {
    // MariaDB's sequence engine: seq_A_to_B is a table of A..B.
    const last = first + count - 1;
    await this.db.query(
      `INSERT INTO ${table} SELECT ${values} FROM (SELECT seq AS g FROM seq_${first}_to_${last}) s`,
    );
  }

  protected async dropDatabase(): Promise<void> {
    await this.db.query(`DROP DATABASE IF EXISTS ${this.database}`).catch(() => {});
    await this.db.end().catch(() => {});
  }
}
