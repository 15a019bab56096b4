/**
 * When to try a failed request again (SPEC §11), for the three policies of
 * lib/imports/retry-schedule.ts:
 *
 * - `spread`: retry n is due `maxSeconds × (3^n − 1) / (3^N − 1)` after the
 *   first try (N = attempts), so the last one lands on `maxSeconds`; with the
 *   defaults that is ~28 s, ~111 s and 360 s.
 * - `schedule`: the n-th listed delay after the failure, exactly as configured.
 * - `exponential`: `min(capSeconds, baseSeconds × 2^(n-1))` after the failure.
 *
 * Spread and exponential waits are jittered down by up to 20 % ("Exponential
 * Backoff And Jitter", AWS Architecture Blog, 2015), so pages that failed
 * together do not return together. An explicit schedule is kept to the second.
 *
 * `Retry-After` (RFC 9110 §10.2.3) on a 429 or 503 is a floor: the wait is
 * never shorter than the destination asked. No retry starts later than
 * `maxSeconds` after the first try: when it could not, the page becomes an error.
 */
import type { RetrySettings } from '../imports/retry-schedule';

/** The largest share by which a spread or exponential wait is shortened at random. */
export const JITTER = 0.2;

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

const jittered = (ms: number, random: () => number) => Math.round(ms * (1 - JITTER * random()));

/** The wait the policy itself asks for, before Retry-After and the window. */
function policyDelay(question: RetryQuestion): number {
  const { retry, startedAt, now, settings, random } = question;
  switch (settings.policy) {
    case 'schedule':
      return Math.round(settings.delays[retry - 1]! * 1000);
    case 'exponential':
      return jittered(Math.min(settings.capSeconds, settings.baseSeconds * 2 ** (retry - 1)) * 1000, random);
    default: {
      const share = (3 ** retry - 1) / (3 ** settings.attempts - 1);
      const dueAfterStart = jittered(settings.maxSeconds * 1000 * share, random);
      return Math.max(0, startedAt + dueAfterStart - now);
    }
  }
}

/** Milliseconds to wait before the retry, or null when no retry may be made. */
export function retryDelay(question: RetryQuestion): number | null {
  const { retry, startedAt, now, retryAfterMs, settings } = question;
  if (retry > settings.attempts) return null;
  let delay = policyDelay(question);
  if (retryAfterMs !== undefined) delay = Math.max(delay, retryAfterMs);
  if (now + delay > startedAt + settings.maxSeconds * 1000) return null;
  return delay;
}
