/**
 * Failed authentications per client address (hardening issue #11, finding 4).
 * After `maxFailures` requests with a missing or unknown API key within
 * `windowSeconds`, the address gets 429 + Retry-After for every admin request
 * until the window that began with its first failure ends, whatever key it sends
 * then, so guessing keys and making the server hash them costs the guesser.
 *
 * Fixed windows per address, in memory, on the injected clock: one instance
 * counts alone (behind several instances a guesser gets maxFailures per instance).
 * The map is bounded: when full, the oldest windows are dropped first.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';

export interface FailedAuthLimits {
  maxFailures: number;
  windowSeconds: number;
}

const MAX_TRACKED_ADDRESSES = 100_000;

export class FailedAuthLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(private readonly limits: FailedAuthLimits, private readonly clock: Clock) {}

  /** Throws ERR_TOO_MANY_FAILED_AUTHENTICATIONS while `address` is held off. */
  check(address: string): void {
    const window = this.current(address);
    if (!window || window.failures < this.limits.maxFailures) return;
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + this.limits.windowSeconds * 1000 - this.clock.now()) / 1000));
    throw new AppError(
      'ERR_TOO_MANY_FAILED_AUTHENTICATIONS',
      `${window.failures} requests from this address had no valid API key within ${this.limits.windowSeconds} s; try again in ${retryAfter} s`,
      { headers: { 'Retry-After': String(retryAfter) } },
    );
  }

  /** Counts one missing or unknown key from `address`. */
  fail(address: string): void {
    const window = this.current(address);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(address, { startedAt: this.clock.now(), failures: 1 });
  }

  private current(address: string): { startedAt: number; failures: number } | undefined {
    const window = this.windows.get(address);
    if (window && this.clock.now() - window.startedAt >= this.limits.windowSeconds * 1000) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }
}
