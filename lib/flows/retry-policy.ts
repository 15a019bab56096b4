/**
 * When to try a failed request again (SPEC §11): exponential backoff with full
 * jitter, as described in "Exponential Backoff And Jitter" (AWS Architecture
 * Blog, 2015): the n-th retry waits a uniformly random time in
 * [0, min(maxSeconds, 1 s × 2^(n-1))). Randomness keeps many pages that failed
 * together from hammering a recovering destination in lockstep.
 *
 * `Retry-After` (RFC 9110 §10.2.3) is a floor: the wait is never shorter than
 * the destination asked. `retry.attempts` counts retries after the first try;
 * `retry.maxSeconds` bounds the whole window from the first try: a retry that
 * could not start inside it is not made, and the page becomes an error.
 */
export const BASE_DELAY_MS = 1000;

export interface RetrySettings {
  attempts: number;
  maxSeconds: number;
}

export interface RetryQuestion {
  /** Which retry this would be: 1 for the first retry. */
  retry: number;
  /** Clock time of the first try. */
  startedAt: number;
  now: number;
  retryAfterMs?: number | undefined;
  settings: RetrySettings;
  /** A number in [0, 1); Math.random in production. */
  random: () => number;
}

/** Milliseconds to wait before the retry, or null when no retry may be made. */
export function retryDelay(question: RetryQuestion): number | null {
  const { retry, startedAt, now, retryAfterMs, settings, random } = question;
  if (retry > settings.attempts) return null;
  const windowMs = settings.maxSeconds * 1000;
  const ceiling = Math.min(windowMs, BASE_DELAY_MS * 2 ** (retry - 1));
  let delay = Math.floor(random() * ceiling);
  if (retryAfterMs !== undefined) delay = Math.max(delay, retryAfterMs);
  if (now + delay > startedAt + windowMs) return null;
  return delay;
}
