/**
 * The background task that deletes debug log entries once they expire
 * (`debug.retentionHours` after capture). Expiry is ours to enforce: no store
 * relies on a database TTL feature. Time comes from the injected clock; the
 * timer only decides how often to look.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

const DEFAULT_INTERVAL_MS = 60_000;

export class DebugPurge {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    // The purge never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Waits for a purge in progress, so the store is not closed under it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes what has expired by the clock's now; resolves with how many entries went. Never rejects. */
  runOnce(): Promise<number> {
    this.running ??= this.store.debugLogs
      .purgeExpired(new Date(this.clock.now()).toISOString())
      .then((deleted) => {
        if (deleted > 0) this.logger.debug({ deleted }, 'purged expired debug log entries');
        return deleted;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not purge debug log entries');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
