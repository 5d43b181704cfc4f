/**
 * The compatibility scenario both dialects run: Tributary and Debezium's own
 * connector capture the same tables; Debezium's JDBC sink mirrors both into a
 * second database, through the snapshot, inserts, updates, deletes and a key
 * change. One Connect worker per test file carries Debezium's connector and
 * the sink.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AllowedDifference } from './avro-compare.ts';
import {
  assertOnlyAllowedDifferences,
  waitUntilEqual,
  withoutLossy,
  type MirrorColumn,
  type Rows,
} from './mirror.ts';
import { avroConverters, ConnectWorker, type ConnectorConfig } from '../harness/connect-worker.ts';
import type { ConnectorTestContext, RunningConnector } from '../harness/connector-context.ts';
import { drain } from '../harness/drain.ts';
import { outcome } from '../harness/waiting.ts';

/** What a dialect supplies to the scenario. */
export interface CompatDialect<Context extends ConnectorTestContext> {
  open(): Promise<Context>;
  /** Creates the mirror database and returns the sink's connection settings for it. */
  openMirror(ctx: Context): Promise<ConnectorConfig>;
  dropMirror(ctx: Context): Promise<void>;
  /** Debezium's own source connector on the test database, topics under `prefix`, both tables captured. */
  debeziumSource(ctx: Context, prefix: string, workDir: string): ConnectorConfig;
  /** The source table's rows as text. */
  sourceRows(ctx: Context, table: string): Promise<Rows>;
  /** A mirror table's rows as text (the same rendering). */
  mirrorRows(ctx: Context, table: string): Promise<Rows>;
  /** A mirror table's column descriptions from information_schema, in column order. */
  mirrorColumnTypes(ctx: Context, table: string): Promise<Array<Record<string, unknown>>>;
  /** SQL statements creating the mirrored table `types` and the schema-diff table `all_types`, with their rows. */
  setupSql: readonly string[];
  /** SQL statements of the streaming phase: inserts, updates, deletes, a key change. */
  changesSql: readonly string[];
}

/** The JDBC sink's connection to another database of the server a stack URL names. */
export function sinkConnection(
  url: string,
  scheme: 'postgresql' | 'mariadb',
  database: string,
): ConnectorConfig {
  const server = new URL(url);
  return {
    'connection.url': `jdbc:${scheme}://${server.hostname}:${server.port}/${database}`,
    'connection.username': server.username,
    'connection.password': server.password,
  };
}

export function compatScenario<Context extends ConnectorTestContext>(options: {
  dialect: CompatDialect<Context>;
  columns: readonly MirrorColumn[];
  allowed: readonly AllowedDifference[];
}): void {
  const { dialect, columns } = options;
  let ctx: Context;
  let worker: ConnectWorker | undefined;
  let tributary: RunningConnector;
  let tributaryOutcome: ReturnType<typeof outcome>;
  let dbzPrefix: string;
  const dbzTopic = (table: string) => `${dbzPrefix}.${ctx.schema}.${table}`;
  const mirrorTable = (topic: string) => topic.replace(/\./g, '_');

  before(async () => {
    ctx = await dialect.open();
    dbzPrefix = `${ctx.name}_dbz`;
    for (const statement of dialect.setupSql) await ctx.sql(statement);
    const mirrorConnection = await dialect.openMirror(ctx);
    const sink = (topic: string): ConnectorConfig => ({
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      ...mirrorConnection,
      'insert.mode': 'upsert',
      'delete.enabled': 'true',
      'primary.key.mode': 'record_key',
      'schema.evolution': 'basic',
      topics: topic,
      ...avroConverters({ register: false }),
    });
    tributary = ctx.start({ topics: { prefix: ctx.name, transactionMetadata: true } });
    tributaryOutcome = outcome(tributary);
    worker = await ConnectWorker.start((workDir) => ({
      debezium: {
        ...dialect.debeziumSource(ctx, dbzPrefix, workDir),
        'provide.transaction.metadata': 'true',
        ...avroConverters({ register: true }),
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '1',
      },
      // One sink per topic, so a failure on ours leaves Debezium's mirror (the control) going.
      'sink-ours': sink(ctx.topic('types')),
      'sink-debezium': sink(dbzTopic('types')),
    }));
  });

  after(async () => {
    await worker?.stop();
    if (ctx) {
      await dialect.dropMirror(ctx).catch(() => {});
      await ctx[Symbol.asyncDispose]();
    }
  });

  /** Throws at once, with Connect's trace, if Debezium's connector or a sink failed, or Tributary stopped. */
  const healthy = (sinks: readonly string[]) => async () => {
    for (const name of ['debezium', ...sinks]) await worker!.assertHealthy(name);
    if (tributaryOutcome.settled())
      throw new Error(`Tributary stopped: ${String(await tributaryOutcome.failure)}`);
  };
  const source = () => dialect.sourceRows(ctx, 'types');

  /** The control: the mirror of Debezium's topic equals the source on the columns Debezium keeps exactly. */
  const debeziumMirrorEqualsSource = (phase: string) =>
    waitUntilEqual(
      () =>
        dialect.mirrorRows(ctx, mirrorTable(dbzTopic('types'))).then((rows) => withoutLossy(columns, rows)),
      () => source().then((rows) => withoutLossy(columns, rows)),
      healthy(['sink-debezium']),
      `${phase}: the mirror of Debezium's topic equals the source (the control)`,
    );

  const ourMirrorEqualsSource = (phase: string) =>
    waitUntilEqual(
      () => dialect.mirrorRows(ctx, mirrorTable(ctx.topic('types'))),
      source,
      healthy(['sink-debezium', 'sink-ours']),
      `${phase}: the mirror of Tributary's topic equals the source`,
    );

  test('the JDBC sink mirrors the snapshot, then inserts, updates, deletes and a key change, exactly', async () => {
    await debeziumMirrorEqualsSource('snapshot');
    await ourMirrorEqualsSource('snapshot');
    for (const statement of dialect.changesSql) await ctx.sql(statement);
    await debeziumMirrorEqualsSource('streaming');
    await ourMirrorEqualsSource('streaming');
  });

  test('our events carry Debezium’s ops, snapshot markers, tombstones and transaction blocks, in its order', async () => {
    await debeziumMirrorEqualsSource('events');
    await ourMirrorEqualsSource('events');
    const summary = async (topic: string) =>
      (await drain(topic)).map(({ key, value }) => ({
        key: key ? String(key.id) : null,
        op: value?.op ?? 'tombstone',
        snapshot: value ? String(value.source.snapshot) : null,
        transaction: value?.transaction
          ? [value.transaction.total_order, value.transaction.data_collection_order].map(String)
          : null,
      }));
    assert.deepEqual(await summary(ctx.topic('types')), await summary(dbzTopic('types')));
  });

  test('the sink creates the same column types from our topic as from Debezium’s', async () => {
    await debeziumMirrorEqualsSource('column types');
    const lossy = new Set(columns.filter((c) => c.debeziumLossy).map((c) => c.name));
    const describe = async (topic: string) =>
      (await dialect.mirrorColumnTypes(ctx, mirrorTable(topic))).filter(
        (c) => !lossy.has(String(c.column_name)),
      );
    assert.deepEqual(await describe(ctx.topic('types')), await describe(dbzTopic('types')));
  });

  test('our registered schemas (tables, transaction topic) differ from Debezium’s only as documented', async () => {
    // Every type (including those the sink cannot mirror even from Debezium's topics), and
    // the BEGIN/END events of the streaming phase's transactions.
    await assertOnlyAllowedDifferences(
      [
        { ours: ctx.topic('all_types'), debezium: dbzTopic('all_types') },
        { ours: ctx.topic('types'), debezium: dbzTopic('types') },
        { ours: `${ctx.name}.transaction`, debezium: `${dbzPrefix}.transaction` },
      ],
      options.allowed,
    );
  });
}
