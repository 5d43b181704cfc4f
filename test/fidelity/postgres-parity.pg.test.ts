/**
 * PostgreSQL: random values of every documented column type agree between
 * the snapshot (`r`), the stream (`c`) and the database's own text. See
 * parity.ts; FIDELITY_SEED and FIDELITY_VALUES vary the run.
 */
import { test } from 'node:test';
import { PgTestContext } from '../harness/pg-context.ts';
import { runParity } from './parity.ts';
import { PG_COLUMNS, PG_PREPARE } from './pg-columns.ts';
import { fidelitySettings } from './random.ts';

const { seed, values } = fidelitySettings();
/** Every column as the server's text, never pg's JS conversions. */
const TEXT = { getTypeParser: () => (value: string) => value };

test(`PostgreSQL: snapshot, stream and database agree on ${values} random values of every column type (seed ${seed})`, async () => {
  await using ctx = await PgTestContext.open();
  await runParity(
    {
      ctx,
      isNull: (c) => `${c} IS NOT DISTINCT FROM NULL`,
      quote: (name) => `"${name.replaceAll('"', '""')}"`,
      execute: async (sql) => {
        try {
          await ctx.db.query(sql);
        } catch (error) {
          // Show where in the generated statement the server stopped (its position counts characters).
          const at = Number((error as { position?: string }).position ?? 1) - 1;
          const characters = [...sql];
          const before = characters.slice(Math.max(0, at - 200), at).join('');
          const after = characters.slice(at, at + 100).join('');
          throw new Error(`${(error as Error).message} at …${before}⟪here⟫${after}…`, { cause: error });
        }
      },
      texts: async (select) =>
        (await ctx.db.query<Array<string | null>>({ text: select, rowMode: 'array', types: TEXT })).rows,
      prepare: PG_PREPARE,
      beforeRead: ['SET IntervalStyle = iso_8601'],
      warnsPerColumn: false,
    },
    PG_COLUMNS,
  );
});
