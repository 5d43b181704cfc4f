/**
 * Where our registered schemas may differ from Debezium's for the same table,
 * and why. README.md's "Debezium compatibility" section lists the same
 * entries; the schema-diff tests fail on any other difference, and on an entry
 * that no longer occurs.
 */
import type { AllowedDifference } from './avro-compare.ts';

export const POSTGRES_ALLOWED: readonly AllowedDifference[] = [];

export const MYSQL_ALLOWED: readonly AllowedDifference[] = [];
