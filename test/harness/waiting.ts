import type { RunningConnector } from './connector-context.ts';
import type { EventCollector, SeenEvent } from './kafka-events.ts';

/** Waits for events, failing at once with the connector's own error if it stops meanwhile. */
export async function waitOrFail(
  connector: RunningConnector,
  events: EventCollector,
  done: (seen: SeenEvent[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<SeenEvent[]> {
  return Promise.race([
    events.waitFor(done, timeoutMs, what),
    connector.done.then(() => {
      throw new Error(`the connector stopped while waiting for ${what}`);
    }),
  ]);
}

/** The connector's outcome, observed from the start so a failure is never an unhandled rejection. */
export function outcome(connector: RunningConnector): { settled: () => boolean; failure: Promise<unknown> } {
  let settled = false;
  const failure = connector.done.then(
    () => {
      settled = true;
      return null;
    },
    (error: unknown) => {
      settled = true;
      return error;
    },
  );
  return { settled: () => settled, failure };
}
