/**
 * The limiter (SPEC §6): an exact leaky bucket per listener, plus whatever
 * instance-wide bucket the caller keeps.
 *
 * Each accepted request pours one unit into the bucket; the level drains
 * continuously at `leakPerSecond`. A request is accepted when the level plus its
 * amount still fits under `capacity`. Celigo's figures are the defaults:
 * capacity 1000, leak 300 per second.
 *
 * Why not the `limiter` package (installed): it reads `Date.now()` itself and has
 * no clock to inject, so tests would have to sleep and the numbers for
 * `Retry-After` / `RateLimit-*` headers could not be computed exactly. This is the
 * same arithmetic on an injected `Clock`, in a few lines.
 */
import type { Clock } from '../clock';

export interface BucketLimits {
  /** The most units the bucket holds (requests in a burst). */
  capacity: number;
  /** Units drained per second. */
  leakPerSecond: number;
}

export interface BucketDecision {
  allowed: boolean;
  /** The level after this request (unchanged when refused). */
  level: number;
  /** Whole requests that would still be accepted now (`RateLimit-Remaining`). */
  remaining: number;
  /** Whole seconds until this request would fit (`Retry-After`); at least 1 when refused, 0 when allowed. */
  retryAfterSeconds: number;
  /** Whole seconds until the bucket is empty (`RateLimit-Reset`). */
  resetSeconds: number;
}

/** Float noise from continuous leaking must not refuse a request that fits exactly. */
const EPSILON = 1e-9;

export class LeakyBucket {
  private capacity: number;
  private leakPerSecond: number;
  private level = 0;
  private updatedAt: number;

  constructor(limits: BucketLimits, private readonly clock: Clock) {
    assertLimits(limits);
    this.capacity = limits.capacity;
    this.leakPerSecond = limits.leakPerSecond;
    this.updatedAt = clock.now();
  }

  /** Pours `amount` units in if they fit. */
  tryAdd(amount = 1): BucketDecision {
    if (!(amount > 0) || !Number.isFinite(amount)) throw new RangeError(`amount must be a positive number, got ${amount}`);
    this.leak();
    const allowed = this.level + amount <= this.capacity + EPSILON;
    if (allowed) this.level += amount;
    // More than the capacity never fits; the bucket being empty is the best answer we have.
    const overflow = amount > this.capacity ? this.level : this.level + amount - this.capacity;
    return {
      allowed,
      level: this.level,
      remaining: Math.max(0, Math.floor(this.capacity - this.level + EPSILON)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(overflow / this.leakPerSecond - EPSILON)),
      resetSeconds: this.resetSeconds(),
    };
  }

  /** How full the bucket is now, 0..1 (the listener status endpoint). */
  fill(): number {
    this.leak();
    return Math.min(1, this.level / this.capacity);
  }

  /** True when the bucket has drained completely: it is then the same as a new one. */
  isEmpty(): boolean {
    this.leak();
    return this.level <= EPSILON;
  }

  /**
   * New limits for a listener whose settings changed. The level drained so far is
   * kept (a burst is not forgiven by editing the listener) but capped at the new
   * capacity, so shrinking the bucket cannot block a listener for longer than a
   * full bucket of the new size would.
   */
  setLimits(limits: BucketLimits): void {
    assertLimits(limits);
    this.leak();
    this.capacity = limits.capacity;
    this.leakPerSecond = limits.leakPerSecond;
    this.level = Math.min(this.level, this.capacity);
  }

  hasLimits(limits: BucketLimits): boolean {
    return limits.capacity === this.capacity && limits.leakPerSecond === this.leakPerSecond;
  }

  private resetSeconds(): number {
    return Math.max(0, Math.ceil(this.level / this.leakPerSecond - EPSILON));
  }

  private leak(): void {
    const now = this.clock.now();
    // A clock that steps back (NTP) must not drain the same interval twice later.
    if (now <= this.updatedAt) return;
    this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.leakPerSecond);
    this.updatedAt = now;
  }
}

export interface BucketMapOptions {
  /** How often (by the clock) drained buckets are dropped. Default 60 s. */
  sweepIntervalMs?: number;
}

/**
 * One bucket per listener id, created on first use. Buckets that have drained
 * completely are dropped on a periodic sweep — an empty bucket behaves exactly like
 * a new one, so nothing is lost — which keeps memory proportional to the listeners
 * that received traffic recently.
 */
export class BucketMap {
  private readonly buckets = new Map<string, LeakyBucket>();
  private readonly sweepIntervalMs: number;
  private lastSweep: number;

  constructor(private readonly clock: Clock, options: BucketMapOptions = {}) {
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.lastSweep = clock.now();
  }

  /** Pours into the listener's bucket, applying `limits` first if they changed. */
  tryAdd(listenerId: string, limits: BucketLimits, amount = 1): BucketDecision {
    this.maybeSweep();
    let bucket = this.buckets.get(listenerId);
    if (!bucket) {
      bucket = new LeakyBucket(limits, this.clock);
      this.buckets.set(listenerId, bucket);
    } else if (!bucket.hasLimits(limits)) {
      bucket.setLimits(limits);
    }
    return bucket.tryAdd(amount);
  }

  /** The listener's fill, 0..1; 0 for a listener without a bucket. */
  fill(listenerId: string): number {
    return this.buckets.get(listenerId)?.fill() ?? 0;
  }

  /** Forget a deleted listener. */
  delete(listenerId: string): void {
    this.buckets.delete(listenerId);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops every bucket that has drained. Runs by itself every `sweepIntervalMs`. */
  sweep(): void {
    this.lastSweep = this.clock.now();
    for (const [listenerId, bucket] of this.buckets) {
      if (bucket.isEmpty()) this.buckets.delete(listenerId);
    }
  }

  private maybeSweep(): void {
    if (this.clock.now() - this.lastSweep >= this.sweepIntervalMs) this.sweep();
  }
}

function assertLimits({ capacity, leakPerSecond }: BucketLimits): void {
  if (!(capacity > 0) || !Number.isFinite(capacity)) throw new RangeError(`capacity must be a positive number, got ${capacity}`);
  if (!(leakPerSecond > 0) || !Number.isFinite(leakPerSecond)) throw new RangeError(`leakPerSecond must be a positive number, got ${leakPerSecond}`);
}
