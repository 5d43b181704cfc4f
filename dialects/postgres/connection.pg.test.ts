import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stackEnv } from '../../test/harness/stack.ts';
import { catalogPool } from './connection.ts';

test('the catalog connection commits synchronously on a server that does not: its snapshot watermarks reach the stream without waiting for the WAL writer', async () => {
  const pool = catalogPool({ url: stackEnv().pgUrl });
  try {
    const server = await pool.query<{ setting: string }>(
      "SELECT reset_val AS setting FROM pg_settings WHERE name = 'synchronous_commit'",
    );
    // The local stack runs with synchronous_commit = off, as many busy servers do.
    assert.equal(server.rows[0]?.setting, 'off');
    const session = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    assert.equal(session.rows[0]?.synchronous_commit, 'on');
  } finally {
    await pool.end();
  }
});
