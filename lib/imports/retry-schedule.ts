/**
 * An import's `retry` settings (SPEC §11): which failed requests are tried
 * again, and when. Three policies, all counting `attempts` as retries after the
 * first try and never starting a retry later than `maxSeconds` after it:
 *
 * - `spread` (the default): the retries are spread over `maxSeconds`, each
 *   about three times as far from the first try as the one before. The defaults
 *   (3 retries over 360 s) give ~28 s, ~1.8 min and 6 min: the seed's "three
 *   times within six minutes".
 * - `schedule`: an explicit list of waits (seconds after the previous failure),
 *   up to 50 of them and 7 days in all, as Svix and Hookdeck publish theirs.
 * - `exponential`: `baseSeconds × 2^(n-1)`, capped at `capSeconds`.
 *
 * This file validates and fills defaults; lib/flows/retry-policy.ts computes
 * the waits. It does not know about Retry-After (the policy does).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from '../errors';

/** 7 days: the longest a page may keep being retried. */
export const MAX_RETRY_WINDOW_SECONDS = 604_800;
export const MAX_RETRY_ATTEMPTS = 50;

export const RetrySettingsInputSchema = Type.Object(
  {
    policy: Type.Optional(Type.Union([Type.Literal('spread'), Type.Literal('schedule'), Type.Literal('exponential')], {
      description: 'spread (default): retries spread over maxSeconds; schedule: the waits in `delays`; exponential: baseSeconds doubling up to capSeconds',
    })),
    attempts: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RETRY_ATTEMPTS, description: 'retries after the first try (default 3; for a schedule, the number of delays)' })),
    maxSeconds: Type.Optional(Type.Integer({
      minimum: 1, maximum: MAX_RETRY_WINDOW_SECONDS, description: 'no retry starts later than this after the first try (default 360; 604800 for schedule and exponential)',
    })),
    delays: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: MAX_RETRY_WINDOW_SECONDS }), {
      minItems: 1, maxItems: MAX_RETRY_ATTEMPTS, description: 'schedule: seconds to wait after each failed try, in order',
    })),
    baseSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'exponential: the first wait (default 30)' })),
    capSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'exponential: the longest wait (default 3600)' })),
  },
  { additionalProperties: false, default: {} },
);

export type RetrySettingsInput = Static<typeof RetrySettingsInputSchema>;

export type RetrySettings =
  | { policy: 'spread'; attempts: number; maxSeconds: number }
  | { policy: 'schedule'; attempts: number; maxSeconds: number; delays: readonly number[] }
  | { policy: 'exponential'; attempts: number; maxSeconds: number; baseSeconds: number; capSeconds: number };

const fieldsOf: Record<RetrySettings['policy'], readonly string[]> = {
  spread: ['attempts', 'maxSeconds'],
  schedule: ['attempts', 'maxSeconds', 'delays'],
  exponential: ['attempts', 'maxSeconds', 'baseSeconds', 'capSeconds'],
};

/**
 * Fills the policy's defaults and checks what the schema cannot: fields of
 * another policy, a schedule longer than 7 days or than its own `maxSeconds`.
 * Settings stored before policies existed (`{attempts, maxSeconds}`) read as `spread`.
 */
export function normalizeRetry(input: RetrySettingsInput, path = '/retry'): { settings: RetrySettings; errors: FieldError[] } {
  const policy = input.policy ?? (input.delays ? 'schedule' : 'spread');
  const errors: FieldError[] = [];
  for (const field of Object.keys(input)) {
    if (field !== 'policy' && !fieldsOf[policy].includes(field)) errors.push({ path: `${path}/${field}`, message: `is not a setting of the ${policy} policy` });
  }
  if (policy === 'spread') {
    return { settings: { policy, attempts: input.attempts ?? 3, maxSeconds: input.maxSeconds ?? 360 }, errors };
  }
  if (policy === 'exponential') {
    const settings = {
      policy, attempts: input.attempts ?? 8, maxSeconds: input.maxSeconds ?? MAX_RETRY_WINDOW_SECONDS,
      baseSeconds: input.baseSeconds ?? 30, capSeconds: input.capSeconds ?? 3600,
    } as const;
    if (settings.capSeconds < settings.baseSeconds) errors.push({ path: `${path}/capSeconds`, message: 'must be at least baseSeconds' });
    return { settings, errors };
  }
  const delays = input.delays ?? [];
  if (delays.length === 0) errors.push({ path: `${path}/delays`, message: 'is required by the schedule policy: a list of waits in seconds' });
  if (input.attempts !== undefined && input.attempts !== delays.length) {
    errors.push({ path: `${path}/attempts`, message: `must equal the number of delays (${delays.length}), or be left out` });
  }
  const total = delays.reduce((sum, delay) => sum + delay, 0);
  const maxSeconds = input.maxSeconds ?? MAX_RETRY_WINDOW_SECONDS;
  if (total > maxSeconds) errors.push({ path: `${path}/delays`, message: `add up to ${total} s, more than maxSeconds (${maxSeconds} s; at most 7 days)` });
  return { settings: { policy, attempts: delays.length, maxSeconds, delays }, errors };
}

/**
 * A PATCH of `retry`: one that names `policy` or `delays` replaces the policy
 * whole (merging `{delays}` into a spread's fields would contradict it); one
 * that only changes `attempts` or `maxSeconds` changes them within the current
 * policy, so a form that shows only those two keeps a schedule it does not show.
 */
export function patchRetry(current: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if ('policy' in patch || 'delays' in patch) return patch;
  const base = current && typeof current === 'object' ? current : {};
  return { ...base, ...patch };
}
