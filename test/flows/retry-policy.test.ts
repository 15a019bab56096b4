import assert from 'node:assert/strict';
import { retryDelay, type RetryQuestion } from '../../lib/flows/retry-policy';
import { normalizeRetry } from '../../lib/imports/retry-schedule';

const T = Date.UTC(2026, 0, 1);
const spread = { policy: 'spread', attempts: 3, maxSeconds: 360 } as const;
const ask = (overrides: Partial<RetryQuestion>): number | null =>
  retryDelay({ retry: 1, startedAt: T, now: T, settings: spread, random: () => 0, ...overrides });

describe('retry policy', () => {
  describe('spread (the default)', () => {
    it('puts 3 retries at about 28 s, 111 s and 360 s after the first try', () => {
      // Each retry asked right after the previous one was due: the wait is the gap between due times.
      const due = [1, 2, 3].map((retry) => ask({ retry }));
      assert.deepEqual(due, [27_692, 110_769, 360_000]);
      const waits = [1, 2, 3].map((retry, i) => ask({ retry, now: T + (i === 0 ? 0 : due[i - 1]!) }));
      assert.deepEqual(waits, [27_692, 83_077, 249_231]);
    });

    it('jitters each due time down by at most 20 %', () => {
      assert.equal(ask({ retry: 1, random: () => 0.999 }), Math.round(27_692.3 * (1 - 0.2 * 0.999)));
      assert.equal(ask({ retry: 3, random: () => 0.5 }), 324_000);
    });

    it('does not wait for a due time already past (a slow try)', () => {
      assert.equal(ask({ retry: 1, now: T + 40_000 }), 0);
    });
  });

  it('follows an explicit schedule to the millisecond, delay after delay', () => {
    const settings = { policy: 'schedule', attempts: 4, maxSeconds: 604_800, delays: [5, 300, 1800, 7200] } as const;
    assert.deepEqual([1, 2, 3, 4].map((retry) => ask({ retry, settings, random: () => 0.9 })), [5000, 300_000, 1_800_000, 7_200_000]);
    assert.equal(ask({ retry: 5, settings }), null);
  });

  it('doubles an exponential wait up to its cap, jittered down', () => {
    const settings = { policy: 'exponential', attempts: 10, maxSeconds: 604_800, baseSeconds: 30, capSeconds: 600 } as const;
    assert.deepEqual([1, 2, 3, 5, 6, 10].map((retry) => ask({ retry, settings })), [30_000, 60_000, 120_000, 480_000, 600_000, 600_000]);
    assert.equal(ask({ retry: 2, settings, random: () => 0.5 }), 54_000);
  });

  it('makes no retry beyond retry.attempts', () => {
    assert.equal(ask({ retry: 4 }), null);
    assert.equal(ask({ retry: 1, settings: { policy: 'spread', attempts: 0, maxSeconds: 360 } }), null);
  });

  it('waits at least what Retry-After asks', () => {
    assert.equal(ask({ retryAfterMs: 60_000 }), 60_000);
    assert.equal(ask({ retryAfterMs: 10 }), 27_692, 'a shorter Retry-After does not shorten the wait');
  });

  it('makes no retry that could not start inside retry.maxSeconds from the first try', () => {
    assert.equal(ask({ retryAfterMs: 400_000 }), null);
    const schedule = { policy: 'schedule', attempts: 1, maxSeconds: 10, delays: [10] } as const;
    assert.equal(ask({ settings: schedule, now: T + 1 }), null);
    assert.equal(ask({ settings: schedule }), 10_000);
  });
});

describe('retry settings', () => {
  it('fills the spread defaults, and reads settings stored before policies as spread', () => {
    assert.deepEqual(normalizeRetry({}).settings, { policy: 'spread', attempts: 3, maxSeconds: 360 });
    assert.deepEqual(normalizeRetry({ attempts: 5, maxSeconds: 3600 }).settings, { policy: 'spread', attempts: 5, maxSeconds: 3600 });
  });

  it('takes a schedule from its delays, and refuses one longer than 7 days or than maxSeconds', () => {
    assert.deepEqual(normalizeRetry({ delays: [5, 300] }).settings, { policy: 'schedule', attempts: 2, maxSeconds: 604_800, delays: [5, 300] });
    const week = normalizeRetry({ policy: 'schedule', delays: Array.from({ length: 50 }, () => 12_096) });
    assert.deepEqual(week.errors, [], '50 retries over exactly 7 days');
    assert.deepEqual(normalizeRetry({ policy: 'schedule', delays: [604_800, 1] }).errors.map((e) => e.path), ['/retry/delays']);
    assert.deepEqual(normalizeRetry({ delays: [60, 60], maxSeconds: 100 }).errors.map((e) => e.path), ['/retry/delays']);
    assert.deepEqual(normalizeRetry({ delays: [60], attempts: 3 }).errors.map((e) => e.path), ['/retry/attempts']);
    assert.deepEqual(normalizeRetry({ policy: 'schedule' }).errors.map((e) => e.path), ['/retry/delays']);
  });

  it('refuses settings of another policy, and a cap below the base', () => {
    assert.deepEqual(normalizeRetry({ policy: 'spread', baseSeconds: 5 }).errors.map((e) => e.path), ['/retry/baseSeconds']);
    assert.deepEqual(normalizeRetry({ policy: 'exponential', baseSeconds: 60, capSeconds: 30 }).errors.map((e) => e.path), ['/retry/capSeconds']);
  });
});
