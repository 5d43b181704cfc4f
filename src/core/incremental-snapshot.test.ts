import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { AsyncQueue } from './async-queue.ts';
import type { SourceMessage, SourceOffset } from './change-event.ts';
import {
  executeSnapshotData,
  SIGNAL,
  withIncrementalSnapshots,
  type IncrementalSource,
  type IncrementalState,
} from './incremental-snapshot.ts';
import type { Row, TableSchema } from './schema.ts';

const items: TableSchema = {
  id: { schema: 's', table: 'items' },
  primaryKey: ['id'],
  columns: [
    { name: 'id', type: { kind: 'int32' }, nullable: false, sourceType: 'int' },
    { name: 'v', type: { kind: 'int32' }, nullable: false, sourceType: 'int' },
  ],
};
const signals = { schema: 's', table: 'signals' };

/**
 * An in-memory source log: signal rows written by the snapshot land in the
 * log only when the test releases them, so the test decides what the stream
 * delivers between a chunk's read and its watermarks.
 */
function fakeSource(table: Map<number, number>) {
  const log = new AsyncQueue<SourceMessage>(1000);
  const held: SourceMessage[][] = [];
  let lsn = 0;
  const transaction = (messages: SourceMessage[]): SourceMessage[] => [
    { kind: 'begin', txId: null, commitTimeMs: 0 },
    ...messages,
    { kind: 'commit', offset: { lsn: ++lsn } },
  ];
  const signal = (id: string, type: string, data: string | null): SourceMessage => ({
    kind: 'change',
    op: 'c',
    table: signals,
    before: null,
    after: { id, type, data },
    source: {},
  });
  const source: IncrementalSource = {
    signalTable: signals,
    writeSignal: async (id, type, data) => {
      held.push(transaction([signal(id, type, data)]));
    },
    clearWindows: async () => {},
    table: async () => ({
      schema: items,
      count: async () => table.size,
      maxKey: async () => [Math.max(...table.keys())],
      read: async (after, upTo, _where, limit) =>
        [...table.entries()]
          .filter(([id]) => (after === null || id > (after[0] as number)) && id <= (upTo[0] as number))
          .sort(([a], [b]) => a - b)
          .slice(0, limit)
          .map(([id, v]) => ({ row: { id, v } as Row, key: [id] })),
    }),
    sourceFor: (_table, at) => ({ ...at, snapshot: 'incremental' }),
    close: async () => {},
  };
  return {
    source,
    /** Delivers the oldest signal transaction written and not yet delivered. */
    releaseOne: async () => {
      for (const m of held.shift() ?? []) await log.push(m);
    },
    write: async (messages: SourceMessage[]) => {
      for (const m of transaction(messages)) await log.push(m);
    },
    signal,
    stream: {
      [Symbol.asyncIterator]: () => log[Symbol.asyncIterator](),
      acknowledge: async () => {},
      close: async () => log.end(),
    },
  };
}

async function take(iterator: AsyncIterator<SourceMessage>, until: (m: SourceMessage) => boolean) {
  const seen: SourceMessage[] = [];
  for (;;) {
    const next = await iterator.next();
    assert.ok(!next.done, 'the stream ended early');
    seen.push(next.value);
    if (until(next.value)) return seen;
  }
}

test('a chunk counts as progress only once its rows are emitted, and a row changed inside its window is not re-read', async () => {
  const table = new Map([
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  const fake = fakeSource(table);
  const wrapped = withIncrementalSnapshots(fake.stream, fake.source, {
    chunkSize: 2,
    offset: null,
    accepts: () => true,
    logger: pino({ level: 'silent' }),
  });
  const messages = wrapped[Symbol.asyncIterator]();
  const committed = (m: SourceMessage) => m.kind === 'commit';
  const progress = (m: SourceMessage) =>
    (m as { offset?: SourceOffset }).offset?.incremental as IncrementalState | undefined;

  await fake.write([fake.signal('ad-hoc', SIGNAL.executeSnapshot, executeSnapshotData(['s.items'], null))]);
  await take(messages, committed);
  // The first chunk (keys 1 and 2) is read now; key 2 changes after its low watermark.
  const pending = take(messages, committed);
  await new Promise((resolve) => setImmediate(resolve));
  await fake.releaseOne(); // the low watermark
  await pending;
  await fake.write([
    {
      kind: 'change',
      op: 'u',
      table: items.id,
      before: { id: 2, v: 20 },
      after: { id: 2, v: 21 },
      source: {},
    },
  ]);
  const update = await take(messages, committed);
  await fake.releaseOne(); // the high watermark
  assert.deepEqual(progress(update.at(-1)!)!.lastKey, null, 'no progress before the chunk is emitted');

  const closing = await take(messages, committed);
  const reads = closing.filter((m) => m.kind === 'change' && m.op === 'r');
  assert.deepEqual(
    reads.map((m) => (m as { after: Row }).after),
    [{ id: 1, v: 10 }],
    'key 2 changed inside the window: the stream version stands',
  );
  assert.equal(reads[0]!.kind === 'change' && reads[0]!.source.snapshot, 'incremental');
  assert.deepEqual(progress(closing.at(-1)!)!.lastKey, [2], 'the chunk commits with its progress');
  await wrapped.close();
});
