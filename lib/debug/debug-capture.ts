/**
 * The debug capture observer (SPEC §13). The ingest handler calls `observe`
 * for every request after its response is written.
 *
 * When no listener is being debugged, `observe` costs one comparison and
 * allocates nothing: the hot path is benchmarked. When one is, the exchange is
 * queued as is; building the redacted entry and writing it happen on a later
 * turn of the event loop, batched into the store's write batch, so neither
 * delays any webhook response.
 */
import type { Exchange, IngestObserver } from '../ingest/exchange';
import type { RuntimeListener } from '../ingest/runtime-listener';
import type { Logger } from '../logger';
import type { DebugLogEntry, Store } from '../store/store';
import { buildEntryData } from './debug-entry';
import type { DebugSession, DebugSessions } from './debug-sessions';
import { debugEntryId } from './entry-id';

export interface DebugCaptureOptions {
  /** Config `debug.maxEntries`: entries per session. */
  maxEntries: number;
  /** Config `debug.retentionHours`: an entry expires this long after capture. */
  retentionHours: number;
}

interface Pending {
  id: string;
  session: string;
  exchange: Exchange;
  listener: RuntimeListener;
}

export class DebugCapture implements IngestObserver {
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly retentionMs: number;

  constructor(
    private readonly sessions: DebugSessions,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: DebugCaptureOptions,
  ) {
    this.retentionMs = options.retentionHours * 3_600_000;
  }

  observe(exchange: Exchange): void {
    if (exchange.receivedAt >= this.sessions.latestUntil) return;
    const listener = exchange.listener;
    if (listener === undefined || this.closed) return;
    const session = this.sessions.capturing(listener.id, exchange.receivedAt);
    if (session === undefined) return;
    if (!this.admit(session)) return;
    // The id is taken now, so entries keep the order the requests were answered in.
    this.pending.push({ id: debugEntryId(exchange.receivedAt), session: session.key, exchange, listener });
    this.writing ??= this.drain();
  }

  /** Resolves when every entry captured so far is committed (the logs endpoint reads its own writes). */
  flush(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  /** Writes what is queued and captures nothing more (services.close, before the store closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Whether the session may record one more entry; counts it if so. */
  private admit(session: DebugSession): boolean {
    if (session.count >= this.options.maxEntries) {
      session.capped = true;
      return false;
    }
    session.count++;
    return true;
  }

  private async drain(): Promise<void> {
    // Let the current turn finish: the requests answered in it are written together.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const entries = await Promise.all(batch.map((item) => this.toEntry(item)));
        await this.store.debugLogs.append(entries);
      } catch (error) {
        this.logger.warn({ err: error, entries: batch.length }, 'could not store debug log entries');
      }
    }
    // Cleared in the same synchronous step as the last emptiness check, so no entry can be left waiting.
    this.writing = undefined;
  }

  private async toEntry(item: Pending): Promise<DebugLogEntry> {
    const capturedAt = item.exchange.receivedAt;
    return {
      id: item.id,
      listenerId: item.listener.id,
      session: item.session,
      capturedAt: new Date(capturedAt).toISOString(),
      expiresAt: new Date(capturedAt + this.retentionMs).toISOString(),
      data: (await buildEntryData(item.exchange, item.listener)) as unknown as Record<string, unknown>,
    };
  }
}
