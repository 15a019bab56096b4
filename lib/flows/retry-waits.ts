/**
 * A flow's stored retry wait (SPEC §11): written before every backoff so that
 * the next attempt time survives a restart, cleared when the request is done,
 * and read back once when a worker (re)takes its flow, to resume the schedule
 * where it stopped instead of starting it over.
 *
 * One wait per flow is enough: a flow has one request in flight at a time.
 */
import type { RetryWait, ScheduleStore } from '../store/store';

/** What a request is, for matching a stored wait: where it comes from and its idempotency key. */
export function unitKey(source: string, key: string | null): string {
  return `${source}|${key ?? ''}`;
}

export class RetryWaits {
  /** The wait read back from the store and not used yet; undefined until read. */
  private restored: RetryWait | null | undefined;

  constructor(private readonly store: ScheduleStore, private readonly flowId: string) {}

  /** The lease was lost or the worker restarted: read the stored wait again before the next request. */
  forget(): void {
    this.restored = undefined;
  }

  /** The stored wait for this request, once; null when there is none or it is another request's. */
  async take(unit: string): Promise<RetryWait | null> {
    if (this.restored === undefined) this.restored = await this.store.getRetryWait(this.flowId);
    if (this.restored?.unit !== unit) return null;
    const wait = this.restored;
    this.restored = null;
    return wait;
  }

  save(wait: RetryWait): Promise<void> {
    return this.store.setRetryWait(this.flowId, wait);
  }

  clear(): Promise<void> {
    return this.store.setRetryWait(this.flowId, null);
  }

  /**
   * A page from `source` finished: a restored wait of that page that no request
   * claimed (its import left the flow, its template now fails) is cleared, so
   * status does not show a wait nobody will keep.
   */
  async pageDone(source: string, jobId: string, pageIndex: number): Promise<void> {
    const wait = this.restored;
    if (!wait || wait.jobId !== jobId || wait.pageIndex !== pageIndex || !wait.unit.startsWith(`${source}|`)) return;
    this.restored = null;
    await this.clear();
  }
}
