import type { ConnectorTestContext } from '../../test/harness/connector-context.ts';
import { MysqlTestContext } from '../../test/harness/mysql-context.ts';
import { PgTestContext } from '../../test/harness/pg-context.ts';
import { stackEnv } from '../../test/harness/stack.ts';
import { track } from './cleanup.ts';
import { forEachLimit } from './concurrently.ts';
import type { Dialect } from './figures.ts';
import type { EndOffsets } from './offsets.ts';

/** A harness context for one scenario, and the tables whose topics and subjects it leaves behind. */
export interface ScenarioContext extends ConnectorTestContext {
  /** Tables whose topics' subjects are deleted with the context. */
  tables: string[];
}

/**
 * A database of its own for one scenario (the harness context: unique
 * database, connector name and topics). Disposing it deletes the topics and
 * registry subjects the run made and drops the database, and with it the
 * replication slots left in it.
 */
export async function openContext(dialect: Dialect, offsets: EndOffsets): Promise<ScenarioContext> {
  const ctx = dialect === 'mysql' ? await MysqlTestContext.open() : await PgTestContext.open();
  const dropDatabase = ctx[Symbol.asyncDispose].bind(ctx);
  const scenario: ScenarioContext = Object.assign(ctx, {
    tables: [] as string[],
    [Symbol.asyncDispose]: async () => {
      await offsets.deleteTopicsOf(ctx.name).catch(() => {});
      await deleteSubjects(scenario.tables.map((table) => ctx.topic(table))).catch(() => {});
      await dropDatabase();
    },
  });
  return track(scenario);
}

/** Deletes the key and value subjects of `topics` (soft, then permanently), a few requests at a time. */
async function deleteSubjects(topics: string[], concurrency = 16): Promise<void> {
  const env = stackEnv();
  if (env.secure) return;
  const subjects = topics.flatMap((topic) => [`${topic}-key`, `${topic}-value`]);
  await forEachLimit(subjects, concurrency, async (subject) => {
    const url = `${env.registryUrl}/subjects/${encodeURIComponent(subject)}`;
    for (const suffix of ['', '?permanent=true']) {
      const response = await fetch(`${url}${suffix}`, { method: 'DELETE' }).catch(() => null);
      await response?.arrayBuffer();
    }
  });
}
