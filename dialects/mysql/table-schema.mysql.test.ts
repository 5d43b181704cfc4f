/**
 * Table versions against MariaDB: the binlog's TABLE_MAP version of a table
 * and the same version given its catalog defaults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MysqlTestContext } from '../../test/harness/mysql-context.ts';
import { binlogRow, tableFromCatalog, withCatalogDefaults } from './table-schema.ts';

test('a table version given its catalog defaults keeps its parsers: a lossy column warns once, not once per version', async () => {
  await using ctx = await MysqlTestContext.open();
  await ctx.db.query("CREATE TABLE t (id int PRIMARY KEY, d date NOT NULL DEFAULT '2000-01-01')");
  const warnings: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TributaryTypeWarning') warnings.push(warning.message);
  };
  process.on('warning', onWarning);
  try {
    const table = await tableFromCatalog(ctx.db, { schema: ctx.schema, table: 't' });
    const withDefaults = await withCatalogDefaults(ctx.db, table);
    assert.equal(withDefaults.schema.columns[1]!.default, 10957, 'the default, 2000-01-01, in days');
    // The binlog reader uses either version for the TABLE_MAPs of one table version.
    assert.deepEqual(binlogRow(table, { id: 1, d: '0000-00-00' }), { id: 1, d: null });
    assert.deepEqual(binlogRow(withDefaults, { id: 2, d: '2024-02-30' }), { id: 2, d: null });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, [
      'DATE value 0000-00-00 is not a calendar date; sent as null (column d; further losses in this column are not reported)',
    ]);
  } finally {
    process.off('warning', onWarning);
  }
});
