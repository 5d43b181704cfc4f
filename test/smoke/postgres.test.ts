import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { stackEnv, uniqueName } from '../harness/stack.ts';

const env = stackEnv();

test('a pgoutput slot streams an insert through pg-logical-replication', async () => {
  const table = uniqueName('smoke');
  const client = new pg.Client({ connectionString: env.pgUrl });
  await client.connect();
  await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
  await client.query(`CREATE PUBLICATION ${table} FOR TABLE ${table}`);
  await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [table]);

  const service = new LogicalReplicationService(
    { connectionString: env.pgUrl },
    { acknowledge: { auto: false, timeoutSeconds: 0 } },
  );
  try {
    const inserted = new Promise<{ tag: string; new: Record<string, unknown> }>((resolve, reject) => {
      service.on('data', (_lsn: string, message: { tag: string; new: Record<string, unknown> }) => {
        if (message.tag === 'insert') resolve(message);
      });
      service.on('error', reject);
    });
    void service
      .subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [table] }), table)
      .catch(() => {});
    await client.query(`INSERT INTO ${table} VALUES (1, 'hello')`);
    const message = await inserted;
    assert.equal(message.tag, 'insert');
    assert.deepEqual({ ...message.new }, { id: 1, note: 'hello' });
  } finally {
    await service.stop();
    await client.query(`SELECT pg_drop_replication_slot($1)`, [table]).catch(() => {});
    await client.query(`DROP PUBLICATION IF EXISTS ${table}`);
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  }
});
