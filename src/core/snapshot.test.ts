import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { SourceMessage } from './change-event.ts';
import { snapshotMessages, type SnapshotTable } from './snapshot.ts';

function table(name: string, chunks: number[][]): SnapshotTable<number> {
  return {
    schema: {
      id: { schema: 's', table: name },
      columns: [{ name: 'id', type: { kind: 'int32' }, nullable: false, sourceType: 'int' }],
      primaryKey: ['id'],
    },
    async *chunks(resumeKey) {
      for (const chunk of chunks) {
        const rows = chunk.filter((id) => resumeKey === undefined || id > (resumeKey[0] as number));
        if (rows.length > 0) yield rows;
      }
    },
    toRow: (id) => ({ id }),
    keyOf: (id) => [id],
  };
}

async function markers(
  tables: Array<SnapshotTable<number>>,
  progress: Parameters<typeof snapshotMessages>[0]['progress'] = null,
): Promise<string[]> {
  const seen: string[] = [];
  for await (const message of snapshotMessages({
    tables,
    streamOffset: { at: 1 },
    progress,
    sourceFor: (schema, snapshot) => ({ snapshot, table: schema.id.table }),
    logger: pino({ level: 'silent' }),
  }) as AsyncGenerator<SourceMessage>) {
    if (message.kind === 'change')
      seen.push(`${message.source['table'] as string}:${message.source['snapshot'] as string}`);
  }
  return seen;
}

test('snapshot rows carry Debezium’s markers: the snapshot’s ends, then each table’s', async () => {
  assert.deepEqual(await markers([table('a', [[1, 2], [3]]), table('b', [[1]]), table('c', [[1, 2]])]), [
    'a:first',
    'a:true',
    'a:last_in_data_collection',
    'b:last_in_data_collection',
    'c:first_in_data_collection',
    'c:last',
  ]);
  assert.deepEqual(await markers([table('only', [[1]])]), ['only:last']);
});

test('a resumed snapshot marks no first row again where rows were already sent', async () => {
  const tables = [table('a', [[1, 2], [3]]), table('b', [[1, 2]])];
  assert.deepEqual(await markers(tables, { completed: [], table: 's.a', lastKey: [2] }), [
    'a:last_in_data_collection',
    'b:first_in_data_collection',
    'b:last',
  ]);
  assert.deepEqual(await markers(tables, { completed: ['s.a'] }), ['b:first_in_data_collection', 'b:last']);
});

test('each table’s schema is announced, to be prepared, before its rows; an empty table’s plainly', async () => {
  const seen: string[] = [];
  for await (const message of snapshotMessages({
    tables: [table('a', [[1, 2], [3]]), table('empty', []), table('b', [[1]])],
    streamOffset: { at: 1 },
    progress: null,
    sourceFor: (schema, snapshot) => ({ snapshot, table: schema.id.table }),
    logger: pino({ level: 'silent' }),
    readAheadRows: 100,
  })) {
    if (message.kind === 'schema')
      seen.push(`${message.prepare ? 'prepare' : 'schema'} ${message.table.id.table}`);
    if (message.kind === 'change') seen.push(`${message.source['table'] as string}`);
  }
  const at = (entry: string) => seen.indexOf(entry);
  assert.ok(at('prepare a') >= 0 && at('prepare a') < at('a'), seen.join(', '));
  assert.ok(at('prepare b') >= 0 && at('prepare b') < at('b'), seen.join(', '));
  assert.ok(at('schema empty') >= 0, seen.join(', '));
  assert.equal(seen.filter((entry) => entry.startsWith('prepare')).length, 2, 'each table announced once');
  assert.deepEqual(
    seen.filter((entry) => !entry.includes(' ')),
    ['a', 'a', 'a', 'b'],
  );
});
