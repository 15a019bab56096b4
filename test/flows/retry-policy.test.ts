import assert from 'node:assert/strict';
import { retryDelay, type RetryQuestion } from '../../lib/flows/retry-policy';

const T = Date.UTC(2026, 0, 1);
const ask = (overrides: Partial<RetryQuestion>): number | null =>
  retryDelay({ retry: 1, startedAt: T, now: T, settings: { attempts: 3, maxSeconds: 360 }, random: () => 0.999, ...overrides });

describe('retry policy', () => {
  it('doubles the ceiling of the random wait with each retry (full jitter)', () => {
    assert.deepEqual([1, 2, 3].map((retry) => ask({ retry })), [999, 1998, 3996]);
    assert.deepEqual([1, 2, 3].map((retry) => ask({ retry, random: () => 0 })), [0, 0, 0]);
  });

  it('never waits longer than retry.maxSeconds for one retry', () => {
    assert.equal(ask({ retry: 12, settings: { attempts: 20, maxSeconds: 60 } }), 59_940);
  });

  it('makes no retry beyond retry.attempts', () => {
    assert.equal(ask({ retry: 4 }), null);
    assert.equal(ask({ retry: 1, settings: { attempts: 0, maxSeconds: 360 } }), null);
  });

  it('waits at least what Retry-After asks', () => {
    assert.equal(ask({ retryAfterMs: 30_000 }), 30_000);
    assert.equal(ask({ retryAfterMs: 10 }), 999, 'a shorter Retry-After does not shorten the backoff');
  });

  it('makes no retry that could not start inside retry.maxSeconds from the first try', () => {
    assert.equal(ask({ now: T + 359_500 }), null);
    assert.equal(ask({ now: T + 359_000 }), 999);
    assert.equal(ask({ retryAfterMs: 400_000 }), null);
  });
});
