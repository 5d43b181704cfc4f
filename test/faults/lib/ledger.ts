import type { ConnectorTestContext, Sql } from '../../harness/connector-context.ts';

/**
 * The fault suite's workload: tables `(id, v, note)` where an insert writes
 * v = 0 and every update bumps v by one, ids are never reused, and a writer
 * records each committed change in a ledger. A change is then identified by
 * (table, id, op, v), so a consumer's events can be matched one to one.
 */
export const WORKLOAD_TABLES = ['fa', 'fb', 'fc'] as const;

export const tableDdl = (table: string) =>
  `CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL, note text)`;

export type ChangeOp = 'c' | 'u' | 'd';

export interface LedgerEntry {
  table: string;
  id: number;
  op: ChangeOp;
  /** The row's version after the change (before it, for a delete). */
  v: number;
  committedAt: number;
}

export const keyOf = (table: string, id: number) => `${table}:${id}`;

/** Every committed change, per key in commit order. */
export class Ledger {
  readonly byKey = new Map<string, LedgerEntry[]>();
  /** Committed changes in commit order (all keys). */
  readonly entries: LedgerEntry[] = [];

  record(changes: Omit<LedgerEntry, 'committedAt'>[], committedAt = Date.now()): void {
    for (const change of changes) {
      const entry = { ...change, committedAt };
      this.entries.push(entry);
      const key = keyOf(change.table, change.id);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push(entry);
    }
  }

  /** Rows loaded before the sidecar starts: one insert each. */
  recordLoad(table: string, count: number): void {
    this.record(
      Array.from({ length: count }, (_, i) => ({ table, id: i + 1, op: 'c' as const, v: 0 })),
      0,
    );
  }
}

/** How long the writer waits for its database to come back before it gives up. */
const RECONNECT_LIMIT_MS = 300_000;

/** Reconnecting session: a database restart makes the writer wait, not fail. */
async function connect(ctx: ConnectorTestContext) {
  const deadline = Date.now() + RECONNECT_LIMIT_MS;
  for (;;) {
    try {
      return await ctx.session();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

interface Planned {
  table: string;
  id: number;
  op: ChangeOp;
  v: number;
}

/**
 * Random small transactions over the workload tables (1 to 4 changes each,
 * inserts, updates and deletes) until stop(). A transaction whose COMMIT got
 * no answer (the server went away) is looked up after reconnecting, so the
 * ledger holds exactly what the database committed.
 */
export class LedgerWriter {
  transactions = 0;
  failures = 0;
  private running = true;
  private readonly done: Promise<void>;
  private readonly versions = new Map<string, number>();
  private readonly alive = new Map<string, number[]>();
  private nextId = 1_000_000;
  private readonly ctx: ConnectorTestContext;
  private readonly ledger: Ledger;
  private readonly pauseMs: number;

  constructor(ctx: ConnectorTestContext, ledger: Ledger, initialRows: number, pauseMs = 10) {
    this.ctx = ctx;
    this.ledger = ledger;
    this.pauseMs = pauseMs;
    for (const table of WORKLOAD_TABLES) {
      const ids = Array.from({ length: initialRows }, (_, i) => i + 1);
      this.alive.set(table, ids);
      for (const id of ids) this.versions.set(keyOf(table, id), 0);
    }
    this.done = this.loop();
  }

  private plan(): Planned[] {
    const changes: Planned[] = [];
    const touched = new Set<string>();
    const count = 1 + Math.floor(Math.random() * 4);
    for (let i = 0; i < count; i++) {
      const table = WORKLOAD_TABLES[Math.floor(Math.random() * WORKLOAD_TABLES.length)]!;
      const ids = this.alive.get(table)!;
      const roll = Math.random();
      if (roll < 0.25 || ids.length < 10) {
        changes.push({ table, id: this.nextId++, op: 'c', v: 0 });
        continue;
      }
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const key = keyOf(table, id);
      if (touched.has(key)) continue;
      touched.add(key);
      const v = this.versions.get(key)!;
      changes.push(roll < 0.85 ? { table, id, op: 'u', v: v + 1 } : { table, id, op: 'd', v });
    }
    return changes;
  }

  private apply(changes: Planned[]): void {
    for (const change of changes) {
      const key = keyOf(change.table, change.id);
      const ids = this.alive.get(change.table)!;
      if (change.op === 'd') {
        this.versions.delete(key);
        ids.splice(ids.indexOf(change.id), 1);
      } else {
        this.versions.set(key, change.v);
        if (change.op === 'c') ids.push(change.id);
      }
    }
  }

  private async loop(): Promise<void> {
    let session = await connect(this.ctx);
    try {
      while (this.running) {
        const changes = this.plan();
        let commitSent = false;
        try {
          await session.sql('BEGIN');
          for (const c of changes) await statement(session.sql, c);
          commitSent = true;
          await session.sql('COMMIT');
          this.ledger.record(changes);
          this.apply(changes);
          this.transactions += 1;
        } catch {
          this.failures += 1;
          await session.end().catch(() => {});
          session = await connect(this.ctx);
          if (commitSent && (await this.resolve(changes[0]!))) {
            this.ledger.record(changes);
            this.apply(changes);
            this.transactions += 1;
          }
        }
        if (this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    } finally {
      await session.end().catch(() => {});
    }
  }

  private stopped: Promise<LedgerEntry> | null = null;

  /** Whether a transaction whose COMMIT got no answer took effect; asks until the database answers. */
  private async resolve(first: Planned): Promise<boolean> {
    const deadline = Date.now() + RECONNECT_LIMIT_MS;
    for (;;) {
      const session = await connect(this.ctx);
      try {
        return await committed(session.sql, first);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await session.end().catch(() => {});
      }
    }
  }

  /** Commits one last insert and returns it: once seen, everything before it was delivered. */
  stop(): Promise<LedgerEntry> {
    return (this.stopped ??= this.finish());
  }

  private async finish(): Promise<LedgerEntry> {
    this.running = false;
    await this.done;
    const session = await connect(this.ctx);
    try {
      const sentinel: Planned = { table: WORKLOAD_TABLES[0], id: -1, op: 'c', v: 0 };
      await statement(session.sql, sentinel);
      this.ledger.record([sentinel]);
      return this.ledger.entries.at(-1)!;
    } finally {
      await session.end();
    }
  }
}

async function statement(sql: Sql, change: Planned): Promise<void> {
  if (change.op === 'c')
    await sql(`INSERT INTO ${change.table} (id, v, note) VALUES ($1, 0, 'new')`, [change.id]);
  else if (change.op === 'u') await sql(`UPDATE ${change.table} SET v = v + 1 WHERE id = $1`, [change.id]);
  else await sql(`DELETE FROM ${change.table} WHERE id = $1`, [change.id]);
}

/** Whether a transaction whose COMMIT went unanswered took effect, judged by its first change. */
async function committed(sql: Sql, first: Planned): Promise<boolean> {
  const rows = await sql<{ v: number }>(`SELECT v FROM ${first.table} WHERE id = $1`, [first.id]);
  if (first.op === 'd') return rows.length === 0;
  return rows.length === 1 && Number(rows[0]!.v) === first.v;
}
