import assert from 'node:assert/strict';

/** Checks a decoded Kafka value's JS type, then renders it for comparison with the database's text. */
export type Decoded = (value: unknown) => unknown;

/** A string, kept as is. */
export const str: Decoded = (v) => {
  assert.equal(typeof v, 'string', `expected a string, got ${typeof v}`);
  return v;
};

/** An integer number, as decimal text. */
export const int: Decoded = (v) => {
  assert.ok(Number.isInteger(v), `expected an integer number, got ${typeof v} ${String(v)}`);
  return String(v);
};

/** A bigint, as decimal text. */
export const big: Decoded = (v) => {
  assert.equal(typeof v, 'bigint', `expected a bigint, got ${typeof v}`);
  return String(v);
};

/** A number, kept as is. */
export const num: Decoded = (v) => {
  assert.equal(typeof v, 'number', `expected a number, got ${typeof v}`);
  return v;
};

/** Bytes (a Buffer), as lower-case hex. */
export const hex: Decoded = (v) => {
  assert.ok(Buffer.isBuffer(v), `expected a Buffer, got ${typeof v}`);
  return v.toString('hex');
};

/** A value of one row and column where Kafka and the database disagree. */
export interface Mismatch {
  row: number;
  column: string;
  kafka: unknown;
  database: unknown;
}
