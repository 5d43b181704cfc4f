import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { AsyncQueue } from './async-queue.ts';
import type { SourceMessage, SourceOffset } from './change-event.ts';
import { runPipeline, type EventSink, type OutgoingRecord } from './pipeline.ts';
import type { TableSchema } from './schema.ts';

const items: TableSchema = {
  id: { schema: 's', table: 'items' },
  primaryKey: ['id'],
  columns: [{ name: 'id', type: { kind: 'int32' }, nullable: false, sourceType: 'int' }],
};

/** A pipeline over an in-memory source log, with a sink that records each commit. */
function pipelineOver(maxDelayMs: number) {
  const log = new AsyncQueue<SourceMessage>(1000);
  const commits: Array<{ offset: SourceOffset; records: number }> = [];
  let open: OutgoingRecord[] = [];
  const sink: EventSink = {
    add: async (records) => void open.push(...records),
    commit: async (offset) => {
      commits.push({ offset, records: open.length });
      open = [];
    },
  };
  const controller = new AbortController();
  const done = runPipeline({
    name: 'test',
    version: '0',
    dialect: { connector: 'postgresql' },
    stream: {
      [Symbol.asyncIterator]: () => log[Symbol.asyncIterator](),
      acknowledge: async () => {},
      close: async () => log.end(),
    },
    encoders: {
      forTable: async () => ({
        topic: 'items',
        nullKeys: false,
        encodeKey: (row) => Buffer.from(String(row.id)),
        encodeValue: () => Buffer.from('v'),
      }),
    },
    sink,
    batch: { maxEvents: 10_000, maxBytes: 1 << 30, maxDelayMs },
    tombstones: true,
    logger: pino({ level: 'silent' }),
    signal: controller.signal,
  });
  return {
    commits,
    /** Queues a one-row source transaction committing at `offset`. */
    write: async (id: number, offset: SourceOffset) => {
      for (const message of [
        { kind: 'begin', txId: String(id), commitTimeMs: 0 },
        { kind: 'change', op: 'c', table: items.id, before: null, after: { id }, source: {} },
        { kind: 'commit', offset },
      ] satisfies SourceMessage[]) {
        await log.push(message);
      }
    },
    stop: async () => {
      controller.abort();
      await done;
    },
    schema: () => log.push({ kind: 'schema', table: items }),
  };
}

/** Lets every pending callback, I/O and setImmediate run a few times over (never the mocked timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

test('streaming, a batch commits as soon as the source has nothing more ready, without waiting for batch.maxDelayMs', async (t) => {
  // The deadline's timer never fires unless ticked.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const pipeline = pipelineOver(1000);
  await pipeline.schema();
  // Three transactions ready at once (a backlog) share one Kafka transaction.
  await pipeline.write(1, { lsn: 1 });
  await pipeline.write(2, { lsn: 2 });
  await pipeline.write(3, { lsn: 3 });
  await settle();
  assert.deepEqual(pipeline.commits, [{ offset: { lsn: 3 }, records: 3 }]);

  await pipeline.write(4, { lsn: 4 });
  await settle();
  assert.deepEqual(pipeline.commits.at(-1), { offset: { lsn: 4 }, records: 1 });
  await pipeline.stop();
});

test('a snapshot batch still waits for batch.maxDelayMs when the next read is not ready yet', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const pipeline = pipelineOver(1000);
  await pipeline.schema();
  await pipeline.write(1, { lsn: 1, snapshot: { completed: ['s.items'] } });
  await settle();
  assert.deepEqual(pipeline.commits, [], 'committed before the deadline');

  t.mock.timers.tick(1000);
  await settle();
  assert.equal(pipeline.commits.length, 1);
  await pipeline.stop();
});
