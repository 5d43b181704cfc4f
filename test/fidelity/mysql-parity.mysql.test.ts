/**
 * MariaDB: random values of every documented column type agree between the
 * snapshot (`r`), the stream (`c`) and the database's own text. See parity.ts;
 * FIDELITY_SEED and FIDELITY_VALUES vary the run.
 */
import { test } from 'node:test';
import type mysql from 'mysql2/promise';
import { MysqlTestContext } from '../harness/mysql-context.ts';
import { MYSQL_COLUMNS } from './mysql-columns.ts';
import { runParity } from './parity.ts';
import { fidelitySettings } from './random.ts';

const { seed, values } = fidelitySettings();

test(`MariaDB: snapshot, stream and database agree on ${values} random values of every column type (seed ${seed})`, async () => {
  await using ctx = await MysqlTestContext.open();
  await runParity(
    {
      ctx,
      isNull: (c) => `${c} IS NULL`,
      quote: (name) => `\`${name.replaceAll('`', '``')}\``,
      execute: async (sql) => {
        try {
          await ctx.db.query(sql);
        } catch (error) {
          // The error carries the whole statement, which can be megabytes long.
          const failed = error as { sql?: string };
          if (failed.sql) failed.sql = `${failed.sql.slice(0, 500)}…`;
          throw error;
        }
      },
      texts: async (select) => {
        // Without typeCast the text protocol's bytes are the server's text of every value.
        const [rows] = await ctx.db.query<mysql.RowDataPacket[][]>({
          sql: select,
          rowsAsArray: true,
          typeCast: false,
        });
        return (rows as unknown as Array<Array<Buffer | null>>).map((row) =>
          row.map((value) => (value === null ? null : value.toString('utf8'))),
        );
      },
      tableOptions: 'DEFAULT CHARSET = utf8mb4',
      // Zero dates, dates the month lacks and enum labels it lacks need a permissive session;
      // TIMESTAMP literals and text are UTC.
      prepare: ["SET SESSION sql_mode = 'ALLOW_INVALID_DATES'", "SET SESSION time_zone = '+00:00'"],
      warnsPerColumn: true,
    },
    MYSQL_COLUMNS,
  );
});
