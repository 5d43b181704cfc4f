/** Capped exponential backoff with jitter, for the run loop's retries. */
export interface BackoffSettings {
  /** The wait after the first failure. */
  initialDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
}

/**
 * The wait before attempt `failures + 1`: doubling from `initialDelayMs`,
 * capped at `maxDelayMs`, then drawn from its upper half so that sidecars
 * failing together (a broker restart) do not retry in lockstep.
 */
export function backoffDelay(failures: number, settings: BackoffSettings, random = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
