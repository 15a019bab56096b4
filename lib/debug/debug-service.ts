/**
 * Debug sessions for the admin API (SPEC §13): start for 1–60 minutes, stop,
 * read the captured entries newest first. The session itself lives in the
 * listener's `debugUntil` (so it survives a restart and is seen by the ingest
 * path through the usual change notifications).
 */
import type { Clock } from '../clock';
import type { ListenerService } from '../listeners/listener-service';
import type { DebugLogEntry, ListPage, Store } from '../store/store';
import type { DebugCapture } from './debug-capture';
import type { DebugSessions } from './debug-sessions';

export const DEFAULT_DEBUG_MINUTES = 15;

export interface DebugState {
  active: boolean;
  /** End of the running session; null when none runs. */
  debugUntil: string | null;
  secondsLeft: number;
  /** Entries the current (or most recent) session has captured. */
  entries: number;
  maxEntries: number;
  /** True when that session reached `maxEntries` and stopped recording. */
  capped: boolean;
}

export type DebugEntryView = { id: string; session: string; capturedAt: string; expiresAt: string } & Record<string, unknown>;

export interface DebugLogListPage extends ListPage<DebugEntryView> {
  capped: boolean;
  debug: DebugState;
}

export class DebugService {
  constructor(
    private readonly listeners: ListenerService,
    private readonly sessions: DebugSessions,
    private readonly capture: DebugCapture,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly maxEntries: number,
  ) {}

  /** Starts a new session (a running one is replaced, with a fresh entry count). 404 for an unknown listener. */
  async start(listenerId: string, minutes = DEFAULT_DEBUG_MINUTES): Promise<{ debugUntil: string }> {
    const debugUntil = new Date(this.clock.now() + minutes * 60_000).toISOString();
    await this.listeners.setDebugUntil(listenerId, debugUntil);
    return { debugUntil };
  }

  async stop(listenerId: string): Promise<void> {
    await this.listeners.setDebugUntil(listenerId, null);
  }

  state(listenerId: string): DebugState {
    const now = this.clock.now();
    const session = this.sessions.latest(listenerId);
    const active = session !== undefined && now < session.untilMs;
    return {
      active,
      debugUntil: active ? session.key : null,
      secondsLeft: active ? Math.ceil((session.untilMs - now) / 1000) : 0,
      entries: session?.count ?? 0,
      maxEntries: this.maxEntries,
      capped: session !== undefined && (session.capped || session.count >= this.maxEntries),
    };
  }

  async logs(listenerId: string, options: { limit: number; before?: string | undefined }): Promise<DebugLogListPage> {
    await this.listeners.getState(listenerId);
    // Entries captured a moment ago are still queued for the next write; include them.
    await this.capture.flush();
    const listPage = await this.store.debugLogs.list(listenerId, options);
    const debug = this.state(listenerId);
    return { items: listPage.items.map(toView), nextCursor: listPage.nextCursor, capped: debug.capped, debug };
  }
}

function toView(entry: DebugLogEntry): DebugEntryView {
  return { id: entry.id, session: entry.session, capturedAt: entry.capturedAt, expiresAt: entry.expiresAt, ...entry.data };
}
