/**
 * Which listeners are being debugged, in memory, kept current by the listener
 * service's change notifications (the same feed the ingest registry uses).
 *
 * A session is identified by the `debugUntil` it was started with: starting
 * again sets a new `debugUntil`, hence a new session with its own entry count.
 * Stopping (or the clock passing `debugUntil`) ends it; the ended session is kept
 * so the logs endpoint can still say whether it hit the cap.
 */
import type { ListenerObserver, ListenerState } from '../listeners/listener-service';
import type { Store } from '../store/store';

export interface DebugSession {
  readonly listenerId: string;
  /** The session's `debugUntil` as stored (ISO-8601): its identity. */
  readonly key: string;
  /** Capture stops at this clock time (ms); 0 once stopped early. */
  untilMs: number;
  /** Entries captured so far (this instance), for the per-session cap. */
  count: number;
  /** True once a request went unrecorded because the cap was reached. */
  capped: boolean;
}

export class DebugSessions implements ListenerObserver {
  /**
   * The latest `untilMs` of any session. A request arriving at or after it cannot
   * belong to a session: the capture observer's whole cost when nobody debugs is
   * this one comparison.
   */
  latestUntil = 0;
  private readonly byListener = new Map<string, DebugSession>();

  listenerChanged(state: ListenerState): void {
    const current = this.byListener.get(state.id);
    if (state.deletedAt !== null || state.debugUntil === null) {
      if (current) current.untilMs = 0;
    } else if (!current || current.key !== state.debugUntil) {
      this.byListener.set(state.id, { listenerId: state.id, key: state.debugUntil, untilMs: Date.parse(state.debugUntil), count: 0, capped: false });
    } else {
      current.untilMs = Date.parse(state.debugUntil);
    }
    this.recomputeLatest();
  }

  /** The session recording a request to `listenerId` that arrived at `at` (ms), if any. */
  capturing(listenerId: string, at: number): DebugSession | undefined {
    const session = this.byListener.get(listenerId);
    return session !== undefined && at < session.untilMs ? session : undefined;
  }

  /** The listener's current or most recent session (this process's view). */
  latest(listenerId: string): DebugSession | undefined {
    return this.byListener.get(listenerId);
  }

  /**
   * Loads the running sessions at start-up, with the entries each already has,
   * so a restart mid-session neither loses the cap nor forgets the session.
   */
  async warm(states: readonly ListenerState[], store: Store): Promise<void> {
    for (const state of states) this.listenerChanged(state);
    for (const session of this.byListener.values()) {
      if (session.untilMs > 0) session.count = Math.max(session.count, await store.debugLogs.countSession(session.listenerId, session.key));
    }
  }

  private recomputeLatest(): void {
    let latest = 0;
    for (const session of this.byListener.values()) if (session.untilMs > latest) latest = session.untilMs;
    this.latestUntil = latest;
  }
}
