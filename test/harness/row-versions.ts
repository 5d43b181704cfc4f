import assert from 'node:assert/strict';
import type { ConnectorTestContext, Sql } from './connector-context.ts';
import type { SeenEvent } from './kafka-events.ts';

/**
 * A workload whose every change is checkable: `items(id, v, note)` where each
 * update bumps `v` by one. In Kafka, the streamed events of a key must then
 * carry consecutive versions (no gap: nothing lost; no repeat: nothing twice),
 * and the last event of each key must equal the table.
 */
export const ITEMS_DDL = 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL, note text)';

export async function loadItems(ctx: ConnectorTestContext, count: number): Promise<void> {
  await ctx.insertSeries('items', count, `g, 0, CONCAT('row ', g)`);
}

/** Random small transactions (updates, inserts, deletes) until stop(). */
export class ItemsWriter {
  transactions = 0;
  private running = true;
  private readonly done: Promise<void>;
  private nextId: number;

  constructor(ctx: ConnectorTestContext, options: { idRange: number; firstNewId: number; pauseMs?: number }) {
    this.nextId = options.firstNewId;
    this.done = this.loop(ctx, options.idRange, options.pauseMs ?? 0);
  }

  private async loop(ctx: ConnectorTestContext, idRange: number, pauseMs: number): Promise<void> {
    const session = await ctx.session();
    const client = { query: session.sql };
    try {
      while (this.running) {
        const pick = () => 1 + Math.floor(Math.random() * idRange);
        await client.query('BEGIN');
        for (let i = 0; i < 3; i++) await client.query('UPDATE items SET v = v + 1 WHERE id = $1', [pick()]);
        if (Math.random() < 0.5)
          await client.query(`INSERT INTO items VALUES ($1, 0, 'new')`, [this.nextId++]);
        if (Math.random() < 0.2) await client.query('DELETE FROM items WHERE id = $1', [pick()]);
        await client.query('COMMIT');
        this.transactions += 1;
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    } finally {
      await session.end();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

interface KeyHistory {
  reads: number;
  events: Array<{ op: string; before: number | null; after: number | null }>;
}

/**
 * Checks the events of `items` against the table: per key, at most one `r`;
 * streamed versions consecutive (after a `r` at version n, the stream goes on
 * from n+1, except after a resumed snapshot, whose reads may be newer: then
 * the streamed versions alone must be consecutive); deletes end a key; and
 * the last image of every key equals the table.
 */
export async function assertItemsMatch(
  events: SeenEvent[],
  sql: Sql,
  options: { resumedSnapshot?: boolean } = {},
): Promise<void> {
  const history = new Map<number, KeyHistory>();
  const last = new Map<number, Record<string, unknown> | null>();
  for (const event of events) {
    if (!event.value) continue;
    const { op, before, after } = event.value;
    const id = Number((after ?? before)!.id);
    let h = history.get(id);
    if (!h) history.set(id, (h = { reads: 0, events: [] }));
    if (op === 'r') h.reads += 1;
    h.events.push({ op, before: before ? Number(before.v) : null, after: after ? Number(after.v) : null });
    last.set(id, after);
  }
  const problems: string[] = [];
  for (const [id, h] of history) {
    if (h.reads > 1) problems.push(`id ${id}: ${h.reads} snapshot reads`);
    let version: number | null = null;
    let deleted = false;
    for (const e of h.events) {
      if (deleted) problems.push(`id ${id}: ${e.op} after a delete`);
      if (e.op === 'r') {
        version = e.after;
        continue;
      }
      if (e.op === 'c') {
        // After a resumed snapshot, a row created after the original snapshot
        // point may have been read already; the stream then replays its create.
        if (version !== null && !options.resumedSnapshot)
          problems.push(`id ${id}: create after version ${version}`);
        version = Math.max(version ?? 0, e.after!);
        continue;
      }
      const expectedBefore = version;
      const streamedBefore = e.before;
      const consecutive = expectedBefore === null || streamedBefore === expectedBefore;
      // A resumed snapshot may have read a newer version than the stream replays.
      const replayed =
        options.resumedSnapshot &&
        expectedBefore !== null &&
        streamedBefore !== null &&
        streamedBefore < expectedBefore;
      if (!consecutive && !replayed)
        problems.push(`id ${id}: ${e.op} from v${streamedBefore} after v${expectedBefore}`);
      if (e.op === 'u') {
        if (e.after !== (streamedBefore ?? 0) + 1)
          problems.push(`id ${id}: update v${streamedBefore} → v${e.after}`);
        version = replayed ? Math.max(version ?? 0, e.after!) : e.after;
      } else if (e.op === 'd') {
        deleted = true;
      }
    }
  }
  const rows = await sql<{ id: number; v: number; note: string | null }>('SELECT id, v, note FROM items');
  const table = new Map(rows.map((r) => [r.id, r]));
  for (const [id, row] of table) {
    const image = last.get(id);
    if (!image) problems.push(`id ${id}: in the table (v${row.v}) but no event`);
    else if (Number(image.v) !== row.v || image.note !== row.note)
      problems.push(`id ${id}: last event v${String(image.v)}, table v${row.v}`);
  }
  for (const [id, image] of last) {
    if (image && !table.has(id))
      problems.push(`id ${id}: deleted in the table but its last event is not a delete`);
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
}
