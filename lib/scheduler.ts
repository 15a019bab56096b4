/**
 * Timers behind an interface, beside the injected Clock (lib/clock.ts): backoff
 * between retries, import timeouts, rate-limit pacing, afterFlow waits and the
 * delivery engine's poll all sleep through a Scheduler, so tests move time
 * instead of waiting for it.
 */
import type { Clock } from './clock';
import { ManualClock } from './clock';

export interface SleepOptions {
  /** Ends the sleep early: the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** What the sleep is for (`backoff`, `timeout`, `rate-limit`, `poll`, `afterFlow`); a ManualScheduler lets tests find it by this. */
  reason?: string;
}

export interface Scheduler {
  /** Resolves after `ms` of this scheduler's time (at once for 0 or less). */
  sleep(ms: number, options?: SleepOptions): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Real timers. They are unref'd: a pending backoff never keeps the process alive on its own. */
export const realScheduler: Scheduler = {
  sleep(ms, options = {}) {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** A sleep waiting on a ManualScheduler, as tests see it. */
export interface PendingSleep {
  reason: string;
  /** Clock time at which it ends. */
  due: number;
  /** What was asked for. */
  ms: number;
}

interface Sleeper extends PendingSleep {
  order: number;
  resolve: () => void;
}

interface Watcher {
  reason: string | undefined;
  resolve: (sleep: PendingSleep) => void;
}

/**
 * Sleeps that end only when a test moves time with `advance`, which moves the
 * ManualClock too (clock and timers must agree: a backoff of 10 s is over when
 * the clock says 10 s passed, not before).
 */
export class ManualScheduler implements Scheduler {
  private sleepers: Sleeper[] = [];
  private watchers: Watcher[] = [];
  private counter = 0;

  constructor(readonly clock: ManualClock) {}

  sleep(ms: number, options: SleepOptions = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { reason: options.reason ?? 'sleep', due: this.clock.now() + ms, ms, order: this.counter++, resolve };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortReason(signal!));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      const ready = this.watchers.filter((w) => w.reason === undefined || w.reason === sleeper.reason);
      this.watchers = this.watchers.filter((w) => !ready.includes(w));
      for (const watcher of ready) watcher.resolve(this.view(sleeper));
    });
  }

  /** The sleeps waiting now, earliest end first. */
  pending(reason?: string): PendingSleep[] {
    return this.sorted()
      .filter((s) => reason === undefined || s.reason === reason)
      .map((s) => this.view(s));
  }

  /** Resolves with the first sleep (waiting now, or the next one to start) for `reason`. */
  next(reason?: string): Promise<PendingSleep> {
    const [waiting] = this.pending(reason);
    if (waiting) return Promise.resolve(waiting);
    return new Promise((resolve) => this.watchers.push({ reason, resolve }));
  }

  /** Moves the clock by `ms` and ends every sleep now due, earliest first. */
  advance(ms: number): void {
    this.clock.advance(ms);
    const now = this.clock.now();
    const due = this.sorted().filter((s) => s.due <= now);
    this.sleepers = this.sleepers.filter((s) => !due.includes(s));
    for (const sleeper of due) sleeper.resolve();
  }

  /** Waits for the next sleep for `reason`, then moves time exactly to its end. */
  async advanceToNext(reason?: string): Promise<PendingSleep> {
    const sleep = await this.next(reason);
    this.advance(Math.max(0, sleep.due - this.clock.now()));
    return sleep;
  }

  private sorted(): Sleeper[] {
    return [...this.sleepers].sort((a, b) => a.due - b.due || a.order - b.order);
  }

  private view(sleeper: Sleeper): PendingSleep {
    return { reason: sleeper.reason, due: sleeper.due, ms: sleeper.ms };
  }
}

/** The scheduler that matches a clock: a ManualClock's time moves only when told, so its timers must too. */
export function schedulerFor(clock: Clock): Scheduler {
  return clock instanceof ManualClock ? new ManualScheduler(clock) : realScheduler;
}
