import pg from 'pg';
import { ConnectorTestContext, type Sql } from './connector-context.ts';
import { tlsOptions } from '../../src/core/tls.ts';
import { stackEnv, stackTls, uniqueName, type StackEnv } from './stack.ts';

export { exitOf, type ConfigOverrides, type RunningConnector } from './connector-context.ts';

/** On the secured stack, TLS verified against its CA. */
function clientConfig(url: string, env: StackEnv): pg.ClientConfig {
  const ssl = tlsOptions(stackTls(env));
  return { connectionString: url, ...(ssl ? { ssl } : {}) };
}

function sqlOf(client: pg.Client): Sql {
  return async <Row>(text: string, params: unknown[] = []) =>
    (await client.query(text, params)).rows as Row[];
}

/** A fresh Postgres database (tables in `public`) and a connector name of its own. */
export class PgTestContext extends ConnectorTestContext {
  readonly dialect = 'postgres';
  readonly db: pg.Client;
  readonly sql: Sql;
  private readonly database: string;

  private constructor(name: string, url: string, db: pg.Client, env: StackEnv) {
    super(name, url, env);
    this.database = name;
    this.db = db;
    this.sql = sqlOf(db);
  }

  /** On the shared stack, or on `env`'s servers. */
  static async open(env: StackEnv = stackEnv()): Promise<PgTestContext> {
    const name = uniqueName('t');
    const admin = new pg.Client(clientConfig(env.pgUrl, env));
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(env.pgUrl);
    url.pathname = `/${name}`;
    const db = new pg.Client(clientConfig(url.toString(), env));
    await db.connect();
    return new PgTestContext(name, url.toString(), db, env);
  }

  get schema(): string {
    return 'public';
  }

  async session(): Promise<{ sql: Sql; end(): Promise<void> }> {
    const client = new pg.Client(clientConfig(this.url, this.env));
    // A server that goes away (fault tests restart it) fails the next query; an idle session must not crash the test.
    client.on('error', () => {});
    await client.connect();
    return { sql: sqlOf(client), end: () => client.end() };
  }

  async insertSeries(table: string, count: number, values: string, first = 1): Promise<void> {
    await this.db.query(`INSERT INTO ${table} SELECT ${values} FROM generate_series($1::int, $2::int) g`, [
      first,
      first + count - 1,
    ]);
  }

  protected async dropDatabase(): Promise<void> {
    await this.db.end().catch(() => {});
    const admin = new pg.Client(clientConfig(this.env.pgUrl, this.env));
    await admin.connect();
    try {
      await admin.query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active',
        [this.database],
      );
      await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
