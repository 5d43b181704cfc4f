import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { stackEnv } from '../../test/harness/stack.ts';
import { catalogPool } from './connection.ts';

test('the catalog connection commits synchronously on a server that does not: its snapshot watermarks reach the stream without waiting for the WAL writer', async () => {
  const url = stackEnv().pgUrl;
  // The local stack runs with synchronous_commit = off, as many busy servers do.
  const plain = new pg.Client({ connectionString: url });
  await plain.connect();
  try {
    assert.equal((await plain.query('SHOW synchronous_commit')).rows[0]?.synchronous_commit, 'off');
  } finally {
    await plain.end();
  }
  const pool = catalogPool({ url });
  try {
    const session = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    assert.equal(session.rows[0]?.synchronous_commit, 'on');
  } finally {
    await pool.end();
  }
});
