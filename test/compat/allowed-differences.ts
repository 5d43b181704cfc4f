/**
 * Where our registered schemas may differ from Debezium's for the same table,
 * and why. README.md's "Debezium compatibility" section lists the same
 * entries (a unit test checks it); the schema-diff tests fail on any other
 * difference, and on an entry that no longer occurs.
 *
 * Paths name the record and field of the test tables (see the test files):
 * `Value.<column>` is the column's field in the row record.
 */
import type { AllowedDifference } from './avro-compare.ts';

export const POSTGRES_ALLOWED: readonly AllowedDifference[] = [
  {
    path: 'Value.iv',
    reason:
      "`interval` is `io.debezium.time.Interval`, the ISO-8601 string of Debezium's `interval.handling.mode=string`: its default `MicroDuration` counts a month as 30 days",
  },
  {
    path: 'Value.vbt',
    reason:
      "`bit varying(n)` is a string of `0`/`1`, one per bit: Debezium's `Bits` bytes carry the declared length, not the value's, so `B'101'` and `B'0101'` arrive alike",
  },
];

export const MYSQL_ALLOWED: readonly AllowedDifference[] = [
  {
    path: 'Value.biu',
    reason:
      "`bigint unsigned` is a `Decimal` of scale 0, as Debezium's `bigint.unsigned.handling.mode=precise` sends it: its default `long` sends 18446744073709551615 as -1",
  },
  ...['d_nn', 'dt_nn', 'ts_nn'].map((column) => ({
    path: `Value.${column}`,
    reason:
      'NOT NULL `date`, `datetime` and `timestamp` columns are optional, with no `connect.default`: zero dates are sent as null, where Debezium sends the epoch, which collides with 1970-01-01',
  })),
];
