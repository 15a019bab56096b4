/**
 * `rateLimit.perSecond` of an import: requests are spaced 1/perSecond seconds
 * apart, on the injected clock and scheduler. No burst: a destination that allows
 * 10 requests a second usually counts them over a sliding window, and ten at
 * once followed by silence trips such limits.
 *
 * One pacer per import, shared by every flow that uses the import, and one per
 * connection, shared by every import that names it. Each caller
 * reserves the next free slot, so waiting callers go in the order they asked.
 */
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';

/** Anything that makes a sender wait its turn. */
export interface Pacer {
  /** Resolves when this caller may send; rejects when `signal` aborts the wait. */
  take(signal?: AbortSignal): Promise<void>;
}

export class RequestPacer implements Pacer {
  private nextFree = 0;
  private readonly intervalMs: number;

  constructor(perSecond: number, private readonly clock: Clock, private readonly scheduler: Scheduler) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when this caller may send; rejects when `signal` aborts the wait. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextFree);
    this.nextFree = slot + this.intervalMs;
    if (slot > now) await this.scheduler.sleep(slot - now, { signal, reason: 'rate-limit' });
  }
}
