import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect as connectMysql } from '../../dialects/mysql/connection.ts';
import { connect as connectPg } from '../../dialects/postgres/connection.ts';
import { stackEnv } from '../harness/stack.ts';

/**
 * The stack requires passwords (scram-sha-256 in pg_hba.conf, a password for
 * every MariaDB account): a wrong one fails, with one line naming the server
 * and the user.
 */
const env = stackEnv();

function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.href;
}

/** Matches an error whose message matches `pattern`. */
function message(pattern: string): { message: RegExp } {
  return { message: new RegExp(pattern) };
}

function hostPort(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port}`.replaceAll('.', '\\.');
}

test('PostgreSQL refuses a wrong password and an unknown user, on normal and replication connections', async () => {
  const where = hostPort(env.pgUrl);
  const user = new URL(env.pgUrl).username;
  for (const replication of [false, true]) {
    await assert.rejects(
      connectPg({ url: withCredentials(env.pgUrl, user, 'not-the-password') }, replication),
      message(
        `^PostgreSQL at ${where} \\(user ${user}\\) refused the login: wrong password or unknown user \\(28P01\\)$`,
      ),
    );
  }
  await assert.rejects(
    connectPg({ url: withCredentials(env.pgUrl, 'nobody_here', 'whatever') }),
    message(
      `^PostgreSQL at ${where} \\(user nobody_here\\) refused the login: wrong password or unknown user`,
    ),
  );
  const client = await connectPg({ url: env.pgUrl });
  await client.end();
});

test('MariaDB refuses a wrong password and an unknown user', async () => {
  const where = hostPort(env.mysqlUrl);
  const user = new URL(env.mysqlUrl).username;
  const refused = (who: string) =>
    message(`^MySQL at ${where} \\(user ${who}\\) refused the login: wrong password, unknown user`);
  await assert.rejects(
    connectMysql({ url: withCredentials(env.mysqlUrl, user, 'not-the-password') }),
    refused(user),
  );
  await assert.rejects(
    connectMysql({ url: withCredentials(env.mysqlUrl, 'nobody_here', 'x') }),
    refused('nobody_here'),
  );
  await assert.rejects(connectMysql({ url: withCredentials(env.mysqlUrl, user, '') }), refused(user));
  const connection = await connectMysql({ url: env.mysqlUrl });
  await connection.end();
});
