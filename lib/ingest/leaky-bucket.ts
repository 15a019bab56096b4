/**
 * The limiter (SPEC §6): an exact leaky bucket per listener, plus whatever
 * instance-wide bucket the caller keeps, built on the `limiter` package's
 * TokenBucket.
 *
 * Each accepted request pours one unit into the bucket; the level drains
 * continuously at `leakPerSecond`. A request is accepted when the level plus its
 * amount still fits under `capacity`. Celigo's figures are the defaults:
 * capacity 1000, leak 300 per second. That is limiter's token bucket of size
 * `capacity` refilled `leakPerSecond` tokens a second, seen from the other side:
 * level = capacity − tokens. TokenBucket keeps the tokens and takes them
 * (`tryRemoveTokens`); the headers (`Retry-After`, `RateLimit-*`) are computed
 * here from its state, exactly.
 *
 * limiter reads `performance.now()` itself; `ClockedTokenBucket` overrides its
 * public `drip()` with the same refill on the injected `Clock`, so tests move
 * time instead of sleeping and the numbers stay exact.
 */
import { TokenBucket } from 'limiter';
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

/** Float noise from continuous draining must not refuse a request that fits exactly. */
const EPSILON = 1e-9;

/** limiter's TokenBucket, refilled on an injected clock. */
class ClockedTokenBucket extends TokenBucket {
  private readonly clock: Clock;

  constructor(limits: BucketLimits, clock: Clock) {
    super({ bucketSize: limits.capacity, tokensPerInterval: limits.leakPerSecond, interval: 1000 });
    this.clock = clock;
    // A new bucket is empty of requests: full of tokens.
    this.content = limits.capacity;
    this.lastDrip = clock.now();
  }

  /** The refill limiter does on `performance.now()`, on the clock. A clock that steps back (NTP) refills nothing twice later. */
  override drip(): boolean {
    const now = this.clock.now();
    if (now <= this.lastDrip) return false;
    const before = this.content;
    let content = Math.min(this.bucketSize, this.content + ((now - this.lastDrip) / this.interval) * this.tokensPerInterval);
    // Snap float noise to the whole token it stands for, so `tryRemoveTokens` compares exactly.
    if (Math.abs(content - Math.round(content)) < EPSILON) content = Math.round(content);
    this.content = content;
    this.lastDrip = now;
    return Math.floor(content) > Math.floor(before);
  }
}

export class LeakyBucket {
  private readonly tokens: ClockedTokenBucket;

  constructor(limits: BucketLimits, clock: Clock) {
    assertLimits(limits);
    this.tokens = new ClockedTokenBucket(limits, clock);
  }

  private get capacity(): number {
    return this.tokens.bucketSize;
  }

  private get leakPerSecond(): number {
    return this.tokens.tokensPerInterval;
  }

  private get level(): number {
    return this.tokens.bucketSize - this.tokens.content;
  }

  /** Pours `amount` units in if they fit. */
  tryAdd(amount = 1): BucketDecision {
    if (!(amount > 0) || !Number.isFinite(amount)) throw new RangeError(`amount must be a positive number, got ${amount}`);
    this.tokens.drip(); // tryRemoveTokens skips the refill for an amount over the capacity
    const allowed = this.tokens.tryRemoveTokens(amount);
    const level = this.level;
    // More than the capacity never fits; the bucket being empty is the best answer we have.
    const overflow = amount > this.capacity ? level : level + amount - this.capacity;
    return {
      allowed,
      level,
      remaining: Math.max(0, Math.floor(this.capacity - level + EPSILON)),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(overflow / this.leakPerSecond - EPSILON)),
      resetSeconds: Math.max(0, Math.ceil(level / this.leakPerSecond - EPSILON)),
    };
  }

  /** How full the bucket is now, 0..1 (the listener status endpoint). */
  fill(): number {
    this.tokens.drip();
    return Math.min(1, this.level / this.capacity);
  }

  /** True when the bucket has drained completely: it is then the same as a new one. */
  isEmpty(): boolean {
    this.tokens.drip();
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
    this.tokens.drip();
    const level = Math.min(this.level, limits.capacity);
    this.tokens.bucketSize = limits.capacity;
    this.tokens.tokensPerInterval = limits.leakPerSecond;
    this.tokens.content = limits.capacity - level;
  }

  hasLimits(limits: BucketLimits): boolean {
    return limits.capacity === this.capacity && limits.leakPerSecond === this.leakPerSecond;
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
