import assert from 'node:assert/strict';
import { test } from 'node:test';
import mysql from 'mysql2/promise';
import ZongJi, { type AnyBinlogEvent, type WriteRowsEvent } from '@vlasky/zongji';
import { stackEnv, uniqueName } from '../harness/stack.ts';

const env = stackEnv();

test('the MariaDB binlog delivers a row event for an insert', async () => {
  const table = uniqueName('smoke');
  const url = new URL(env.mysqlUrl);
  const connection = await mysql.createConnection(env.mysqlUrl);
  await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, note VARCHAR(50), at DATETIME(6))`);

  const zongji = new ZongJi({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dateStrings: true,
  });
  try {
    const rows = new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      zongji.on('binlog', (event: AnyBinlogEvent) => {
        if (event.getTypeName() === 'WriteRows') resolve((event as WriteRowsEvent).rows);
      });
      zongji.on('error', reject);
    });
    const ready = new Promise<void>((resolve) => zongji.on('ready', () => resolve()));
    zongji.start({
      serverId: 4000 + Math.floor(Math.random() * 1000),
      startAtEnd: true,
      includeEvents: ['tablemap', 'writerows'],
      includeSchema: { [url.pathname.slice(1)]: [table] },
    });
    await ready;
    await connection.query(`INSERT INTO ${table} VALUES (1, 'hello', '2038-01-19 03:14:07.123456')`);
    assert.deepEqual(await rows, [{ id: 1, note: 'hello', at: '2038-01-19 03:14:07.123456' }]);
  } finally {
    zongji.stop();
    await connection.query(`DROP TABLE IF EXISTS ${table}`);
    await connection.end();
  }
});
