import type { ConfigOverrides, ConnectorTestContext } from '../../harness/connector-context.ts';
import { MysqlTestContext } from '../../harness/mysql-context.ts';
import { PgTestContext } from '../../harness/pg-context.ts';
import { check, type CheckReport } from './checker.ts';
import { Ledger, LedgerWriter, tableDdl, WORKLOAD_TABLES } from './ledger.ts';
import { waitForTopics } from '../../harness/kafka-events.ts';
import { kafkaOf, Observer, rereadTopics } from './observer.ts';
import type { PrivateStack } from './private-stack.ts';
import { Sidecar } from './sidecar.ts';

export type Dialect = 'postgres' | 'mysql';

export const BIG_TABLE = 'fbig';

export interface LaneOptions {
  /** Rows per workload table loaded before the sidecar starts. */
  initialRows?: number;
  /** Rows of an extra table the snapshot reads (no later changes). */
  bigRows?: number;
  overrides?: ConfigOverrides;
}

/**
 * One dialect's share of a scenario: a database of its own on the private
 * stack, the sidecar streaming it, a ledger writer and a read_committed
 * observer of the captured topics.
 */
export class Lane {
  readonly ledger = new Ledger();
  sidecar!: Sidecar;
  observer!: Observer;
  writer: LedgerWriter | null = null;
  /** Every sidecar process this lane ran, for reports and for cleanup. */
  readonly sidecars: Sidecar[] = [];
  /** Observations worth a line in the scenario's report. */
  readonly notes: string[] = [];
  readonly dialect: Dialect;
  readonly ctx: ConnectorTestContext;
  private readonly options: Required<Pick<LaneOptions, 'initialRows' | 'bigRows'>> & LaneOptions;
  private readonly tables: string[];

  private constructor(
    dialect: Dialect,
    ctx: ConnectorTestContext,
    options: Required<Pick<LaneOptions, 'initialRows' | 'bigRows'>> & LaneOptions,
  ) {
    this.dialect = dialect;
    this.ctx = ctx;
    this.options = options;
    this.tables = [...WORKLOAD_TABLES, ...(options.bigRows > 0 ? [BIG_TABLE] : [])];
  }

  static async open(dialect: Dialect, stack: PrivateStack, options: LaneOptions = {}): Promise<Lane> {
    const ctx =
      dialect === 'postgres' ? await PgTestContext.open(stack.env) : await MysqlTestContext.open(stack.env);
    // The context's own connection dies with a database restart; it must not crash the test then.
    if (ctx instanceof PgTestContext) ctx.db.on('error', () => {});
    else if (ctx instanceof MysqlTestContext) ctx.db.on('error', () => {});
    const lane = new Lane(dialect, ctx, { initialRows: 100, bigRows: 0, ...options });
    for (const table of lane.tables) {
      await ctx.sql(tableDdl(table));
      const rows = table === BIG_TABLE ? lane.options.bigRows : lane.options.initialRows;
      // In steps: MariaDB's sequence engine and one huge statement are both slow on a loaded machine.
      for (let first = 1; first <= rows; first += 100_000) {
        await ctx.insertSeries(table, Math.min(100_000, rows - first + 1), `g, 0, 'loaded'`, first);
      }
      lane.ledger.recordLoad(table, rows);
    }
    return lane;
  }

  /** Runs SQL on a session of its own: the context's connection does not outlive a database restart. */
  async query<Row = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    const session = await this.ctx.session();
    try {
      return await session.sql<Row>(text, params);
    } finally {
      await session.end().catch(() => {});
    }
  }

  topic(table: string): string {
    return this.ctx.topic(table);
  }

  get topics(): string[] {
    return this.tables.map((t) => this.topic(t));
  }

  /** Starts a sidecar for this lane's connector (a second one, for the fencing scenario). */
  async spawn(): Promise<Sidecar> {
    const sidecar = await Sidecar.spawn(
      this.ctx.configInput({
        ...this.options.overrides,
        source: { heartbeatIntervalMs: 1000, ...this.options.overrides?.source },
      }),
    );
    this.sidecars.push(sidecar);
    return sidecar;
  }

  async start(): Promise<void> {
    this.sidecar = await this.spawn();
  }

  async openObserver(timeoutMs = 120_000): Promise<void> {
    await waitForTopics(kafkaOf(this.ctx.env), this.topics, timeoutMs);
    this.observer = await Observer.open(this.ctx.env, this.topics);
  }

  /** Snapshot reads seen, all tables. */
  snapshotReads(): number {
    return this.observer.reads;
  }

  get loadedRows(): number {
    return this.options.initialRows * WORKLOAD_TABLES.length + this.options.bigRows;
  }

  async waitSnapshot(timeoutMs: number): Promise<void> {
    await this.observer.waitFor(
      () => this.snapshotReads() >= this.loadedRows,
      timeoutMs,
      `the ${this.dialect} snapshot`,
    );
  }

  startWriter(pauseMs = 10): void {
    this.writer = new LedgerWriter(this.ctx, this.ledger, this.options.initialRows, pauseMs);
  }

  /** Stops the writer and waits until its last change is seen: everything committed before is in Kafka or lost. */
  async finish(timeoutMs: number): Promise<CheckReport> {
    const sentinel = await this.writer!.stop();
    const topic = this.topic(sentinel.table);
    await this.observer.waitFor(
      () => this.observer.has(topic, sentinel.id, 'c', 0),
      timeoutMs,
      `the ${this.dialect} writer's last change`,
    );
    const report = check(this.ledger, (t) => this.topic(t), await rereadTopics(this.ctx.env, this.topics));
    const live = this.observer.count();
    if (live !== report.seen)
      this.notes.push(`${this.dialect}: the live consumer saw ${live} events, a new one ${report.seen}`);
    return report;
  }

  async close(): Promise<void> {
    for (const sidecar of this.sidecars) sidecar.kill('SIGKILL');
    await this.writer?.stop().catch(() => {});
    await this.observer?.[Symbol.asyncDispose]();
    await this.ctx[Symbol.asyncDispose]().catch(() => {});
  }
}
