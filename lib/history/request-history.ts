/**
 * The always-on request history (issue 13): for every request to a known
 * listener, what happened — time, method, status, outcome code, reason, job id,
 * duration — without headers or bodies, so it is safe to keep with no debug
 * session running. The store keeps the newest `keepPerListener` per listener.
 *
 * Records are written in the background, one store write per event-loop turn
 * for all the requests of that turn; they are not part of any 2xx guarantee.
 * A deleted listener's history is removed with it.
 */
import { timeOrderedId } from '../ids';
import type { Logger } from '../logger';
import type { Exchange, IngestObserver } from '../ingest/exchange';
import type { ListenerState } from '../listeners/listener-service';
import type { RequestRecord, Store } from '../store/store';

/** Records waiting for the store beyond this are dropped (and counted): the history never holds up ingest. */
const MAX_PENDING = 10_000;
const MAX_REASON = 300;

function reasonOf(exchange: Exchange): string | null {
  let reason: string | undefined;
  if (exchange.verification && !exchange.verification.ok) reason = exchange.verification.reason ?? 'verification failed';
  else if (exchange.parse && !exchange.parse.ok) reason = exchange.parse.error ?? 'malformed body';
  else if (exchange.rateLimitedBy) reason = `${exchange.rateLimitedBy} rate limit`;
  if (reason === undefined) return null;
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
}

export class RequestHistory implements IngestObserver {
  private pending: RequestRecord[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  /** Records dropped because the store fell behind (see MAX_PENDING). */
  dropped = 0;

  constructor(
    private readonly store: Store,
    private readonly keepPerListener: number,
    private readonly logger: Logger,
  ) {}

  observe(exchange: Exchange): void {
    const listener = exchange.listener;
    if (!listener || listener.deleted) return;
    if (this.pending.length >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    this.pending.push({
      id: timeOrderedId(exchange.receivedAt),
      listenerId: listener.id,
      requestId: exchange.requestId,
      receivedAt: new Date(exchange.receivedAt).toISOString(),
      method: exchange.req.method ?? '',
      status: exchange.response.status,
      outcome: exchange.outcome,
      reason: reasonOf(exchange),
      jobId: exchange.jobId ?? null,
      durationMs: Math.round(exchange.durationMs * 10) / 10,
    });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Writes what is pending; resolves when every write so far is done. */
  flush(): Promise<void> {
    this.scheduled = false;
    const records = this.pending;
    this.pending = [];
    if (records.length > 0) {
      this.writing = this.writing.then(() =>
        this.store.requestHistory.append(records, this.keepPerListener).catch((error) => {
          this.logger.warn({ err: error, records: records.length }, 'request history: records not written');
        }),
      );
    }
    return this.writing;
  }

  /** A listener observer: a deleted listener's history goes with it. */
  listenerChanged(state: ListenerState): void {
    if (state.deletedAt === null) return;
    this.pending = this.pending.filter((record) => record.listenerId !== state.id);
    this.writing = this.writing.then(() =>
      this.store.requestHistory.deleteListener(state.id).then(
        () => undefined,
        (error) => this.logger.warn({ err: error, listenerId: state.id }, 'request history: not purged'),
      ),
    );
  }
}
