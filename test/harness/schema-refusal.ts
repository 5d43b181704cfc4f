import assert from 'node:assert/strict';
import { TributaryError } from '../../src/core/errors.ts';

/**
 * Awaits a connector's failure and checks it is a final SCHEMA_REFUSED error
 * whose message matches every pattern of `what`. With `timeoutMs`, fails when
 * the connector has not stopped by then.
 */
export async function expectRefusal(
  failure: Promise<unknown>,
  what: RegExp[],
  timeoutMs?: number,
): Promise<TributaryError> {
  let timer: NodeJS.Timeout | undefined;
  const error =
    timeoutMs === undefined
      ? await failure
      : await Promise.race([
          failure,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error('the connector did not stop on the refused schema')),
              timeoutMs,
            );
          }),
        ]).finally(() => clearTimeout(timer));
  assert.ok(
    error instanceof TributaryError,
    `the connector stops with a TributaryError, not ${String(error)}`,
  );
  assert.equal(error.code, 'SCHEMA_REFUSED');
  assert.equal(error.retriable, false, 'a refused schema is final: no retry loop');
  for (const pattern of what) assert.match(error.message, pattern);
  return error;
}
