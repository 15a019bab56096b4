import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock';
import { BucketMap, LeakyBucket } from '../../lib/ingest/leaky-bucket';

const CELIGO = { capacity: 1000, leakPerSecond: 300 };

function pour(bucket: LeakyBucket, times: number): number {
  let allowed = 0;
  for (let i = 0; i < times; i++) if (bucket.tryAdd().allowed) allowed++;
  return allowed;
}

describe('leaky bucket', () => {
  it('accepts a burst up to its capacity and refuses the next request', () => {
    const bucket = new LeakyBucket(CELIGO, new ManualClock());
    assert.equal(pour(bucket, 1000), 1000);
    const refused = bucket.tryAdd();
    assert.equal(refused.allowed, false);
    assert.equal(refused.remaining, 0);
    assert.equal(refused.level, 1000);
  });

  it('refuses the request after capacity and names the seconds to wait', () => {
    const bucket = new LeakyBucket({ capacity: 10, leakPerSecond: 0.5 }, new ManualClock());
    pour(bucket, 10);
    const refused = bucket.tryAdd();
    assert.equal(refused.allowed, false);
    // One unit drains in 2 s at 0.5 per second.
    assert.equal(refused.retryAfterSeconds, 2);
    assert.equal(refused.resetSeconds, 20);
  });

  it('asks for at least one whole second, even when the wait is shorter', () => {
    const bucket = new LeakyBucket(CELIGO, new ManualClock());
    pour(bucket, 1000);
    assert.equal(bucket.tryAdd().retryAfterSeconds, 1);
  });

  it('lets about 300 more through one second after a full burst of 1000', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket(CELIGO, clock);
    assert.equal(pour(bucket, 1001), 1000);
    clock.advanceSeconds(1);
    assert.equal(pour(bucket, 400), 300);
  });

  it('drains continuously, not once a second', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket(CELIGO, clock);
    pour(bucket, 1000);
    clock.advance(100);
    assert.equal(pour(bucket, 100), 30);
  });

  it('reports the remaining requests and the seconds until empty', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket(CELIGO, clock);
    pour(bucket, 599);
    const decision = bucket.tryAdd();
    assert.deepEqual(decision, { allowed: true, level: 600, remaining: 400, retryAfterSeconds: 0, resetSeconds: 2 });
    clock.advanceSeconds(2);
    assert.deepEqual(bucket.tryAdd(), { allowed: true, level: 1, remaining: 999, retryAfterSeconds: 0, resetSeconds: 1 });
  });

  it('does not change the level when it refuses', () => {
    const bucket = new LeakyBucket({ capacity: 2, leakPerSecond: 1 }, new ManualClock());
    pour(bucket, 5);
    assert.equal(bucket.fill(), 1);
    assert.equal(bucket.tryAdd().level, 2);
  });

  it('shows its fill from 0 to 1 as it drains', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket(CELIGO, clock);
    assert.equal(bucket.fill(), 0);
    pour(bucket, 500);
    assert.equal(bucket.fill(), 0.5);
    clock.advanceSeconds(1);
    assert.equal(bucket.fill(), 0.2);
    clock.advanceSeconds(10);
    assert.equal(bucket.fill(), 0);
  });

  it('takes several units at once', () => {
    const bucket = new LeakyBucket({ capacity: 10, leakPerSecond: 1 }, new ManualClock());
    assert.equal(bucket.tryAdd(8).allowed, true);
    assert.equal(bucket.tryAdd(3).allowed, false);
    assert.equal(bucket.tryAdd(2).allowed, true);
  });

  it('does not drain twice when the clock steps back', () => {
    const clock = new ManualClock(10_000);
    const bucket = new LeakyBucket({ capacity: 10, leakPerSecond: 1 }, clock);
    pour(bucket, 10);
    clock.set(5_000);
    assert.equal(bucket.tryAdd().allowed, false);
    clock.set(11_000);
    assert.equal(pour(bucket, 3), 1);
  });

  it('keeps the level when the limits change, capped at the new capacity', () => {
    const clock = new ManualClock();
    const bucket = new LeakyBucket({ capacity: 100, leakPerSecond: 10 }, clock);
    pour(bucket, 50);
    bucket.setLimits({ capacity: 200, leakPerSecond: 10 });
    assert.equal(bucket.tryAdd().level, 51);
    bucket.setLimits({ capacity: 20, leakPerSecond: 5 });
    const decision = bucket.tryAdd();
    assert.equal(decision.allowed, false);
    assert.equal(decision.level, 20);
    assert.equal(decision.retryAfterSeconds, 1);
  });

  it('refuses limits that could never admit or drain anything', () => {
    const clock = new ManualClock();
    assert.throws(() => new LeakyBucket({ capacity: 0, leakPerSecond: 1 }, clock), /capacity must be a positive number/);
    assert.throws(() => new LeakyBucket({ capacity: 1, leakPerSecond: 0 }, clock), /leakPerSecond must be a positive number/);
    assert.throws(() => new LeakyBucket(CELIGO, clock).tryAdd(0), /amount must be a positive number/);
  });
});

describe('bucket map', () => {
  it('keeps one bucket per listener', () => {
    const buckets = new BucketMap(new ManualClock());
    const limits = { capacity: 2, leakPerSecond: 1 };
    assert.equal(buckets.tryAdd('a', limits).allowed, true);
    assert.equal(buckets.tryAdd('a', limits).allowed, true);
    assert.equal(buckets.tryAdd('a', limits).allowed, false);
    assert.equal(buckets.tryAdd('b', limits).allowed, true);
    assert.equal(buckets.fill('a'), 1);
    assert.equal(buckets.fill('b'), 0.5);
    assert.equal(buckets.fill('unknown'), 0);
  });

  it('applies changed limits to the existing bucket, keeping its level', () => {
    const buckets = new BucketMap(new ManualClock());
    buckets.tryAdd('a', { capacity: 2, leakPerSecond: 1 });
    buckets.tryAdd('a', { capacity: 2, leakPerSecond: 1 });
    const decision = buckets.tryAdd('a', { capacity: 3, leakPerSecond: 1 });
    assert.equal(decision.allowed, true);
    assert.equal(decision.level, 3);
  });

  it('drops buckets that have drained, and only those, on its periodic sweep', () => {
    const clock = new ManualClock();
    const buckets = new BucketMap(clock, { sweepIntervalMs: 60_000 });
    buckets.tryAdd('idle', { capacity: 10, leakPerSecond: 1 });
    buckets.tryAdd('busy', { capacity: 1000, leakPerSecond: 1 });
    for (let i = 0; i < 500; i++) buckets.tryAdd('busy', { capacity: 1000, leakPerSecond: 1 });
    clock.advanceSeconds(59);
    buckets.tryAdd('other', { capacity: 10, leakPerSecond: 10 });
    assert.equal(buckets.size, 3);
    clock.advanceSeconds(1);
    buckets.tryAdd('busy', { capacity: 1000, leakPerSecond: 1 });
    assert.equal(buckets.size, 1);
    assert.ok(buckets.fill('busy') > 0.4);
  });

  it('forgets a deleted listener', () => {
    const buckets = new BucketMap(new ManualClock());
    buckets.tryAdd('a', CELIGO);
    buckets.delete('a');
    assert.equal(buckets.size, 0);
  });
});
