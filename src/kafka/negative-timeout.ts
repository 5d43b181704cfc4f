/**
 * kafkajs 2.2.4's request queue schedules its throttle check with
 * `setTimeout(fn, throttledUntil - Date.now())` while `throttledUntil` is still
 * -1, a large negative delay. Node 24 clamps it to 1 ms (what kafkajs meant)
 * and prints a TimeoutNegativeWarning at every start. This drops exactly that
 * warning, recognised by the request queue in its stack; every other warning,
 * other TimeoutNegativeWarnings included, is printed as before.
 */
const REQUEST_QUEUE = /kafkajs[\\/]src[\\/]network[\\/]requestQueue/;

let installed = false;

export function silenceKafkaJsNegativeTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type =
      typeof warning === 'string'
        ? typeof rest[0] === 'string'
          ? rest[0]
          : (rest[0] as { type?: string } | undefined)?.type
        : warning.name;
    if (type === 'TimeoutNegativeWarning' && REQUEST_QUEUE.test(new Error().stack ?? '')) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
