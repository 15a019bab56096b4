/**
 * The limiter stage (SPEC §6): the instance-wide bucket, then the listener's.
 * RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) go on every
 * response, describing the listener's bucket when there is one.
 */
import { AppError } from '../errors';
import type { BucketDecision, BucketMap, LeakyBucket } from './leaky-bucket';
import type { RuntimeListener } from './runtime-listener';

export function rateLimitHeaders(capacity: number, decision: BucketDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(capacity),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
}

export interface LimitResult {
  headers: Record<string, string>;
  /** Set when the request must be refused with 429. */
  error: AppError | undefined;
  /** Which bucket refused, for metrics. */
  refusedBy: 'instance' | 'listener' | undefined;
}

export function applyLimits(
  instance: LeakyBucket,
  instanceCapacity: number,
  buckets: BucketMap,
  listener: RuntimeListener,
): LimitResult {
  const overall = instance.tryAdd();
  const limits = listener.settings.limits;
  if (!overall.allowed) {
    const headers = rateLimitHeaders(instanceCapacity, overall);
    return { headers, refusedBy: 'instance', error: refuse(overall, headers, 'this hookport instance is over its overall rate limit') };
  }
  const decision = buckets.tryAdd(listener.id, limits);
  const headers = rateLimitHeaders(limits.capacity, decision);
  if (!decision.allowed) {
    return {
      headers,
      refusedBy: 'listener',
      error: refuse(decision, headers, `this listener accepts bursts of ${limits.capacity} and ${limits.leakPerSecond} requests per second`),
    };
  }
  return { headers, refusedBy: undefined, error: undefined };
}

function refuse(decision: BucketDecision, headers: Record<string, string>, detail: string): AppError {
  return new AppError('ERR_RATE_LIMITED', `${detail}; retry in ${decision.retryAfterSeconds} s`, {
    headers: { ...headers, 'Retry-After': String(decision.retryAfterSeconds) },
  });
}
