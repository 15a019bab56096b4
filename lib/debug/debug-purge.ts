/**
 * The background task that deletes debug log entries once they expire
 * (`debug.retentionHours` after capture). Expiry is ours to enforce: no store
 * relies on a database TTL feature.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { PeriodicTask } from '../periodic-task';
import type { Store } from '../store/store';

const DEFAULT_INTERVAL_MS = 60_000;

export class DebugPurge extends PeriodicTask {
  constructor(store: Store, clock: Clock, logger: Logger, intervalMs = DEFAULT_INTERVAL_MS) {
    super('debug-log purge', () => store.debugLogs.purgeExpired(new Date(clock.now()).toISOString()), logger, intervalMs);
  }
}
