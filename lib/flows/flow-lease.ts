/**
 * One instance's hold on one flow's lease (SPEC §17): taken before delivering,
 * renewed when half of it has run out, stretched to cover a request about to be
 * sent, released when the worker stops. The store decides who holds it (a
 * takeover is a new term, won by one instance); this only avoids a write per page
 * while it is comfortably held. The worker checks the term against the store's
 * before each page and calls `lost()` when it changed, so a holder whose lease was
 * taken over stops before its next page.
 */
import type { Clock } from '../clock';
import type { Store } from '../store/store';

const iso = (ms: number) => new Date(ms).toISOString();

export class FlowLease {
  private until = 0;
  private renewAt = 0;
  private term: number | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly flowId: string,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * The term this instance holds for at least `extraMs` more (taking or renewing
   * the lease as needed), or null while another instance holds it.
   */
  async hold(extraMs: number): Promise<number | null> {
    const now = this.clock.now();
    if (this.term !== null && now < this.renewAt && now + extraMs < this.until) return this.term;
    const until = now + this.leaseMs + extraMs;
    const term = await this.store.delivery.acquireFlowLease(this.flowId, this.owner, iso(now), iso(until));
    this.term = term;
    this.until = term !== null ? until : 0;
    this.renewAt = term !== null ? now + this.leaseMs / 2 : 0;
    return term;
  }

  /** The store says another term began: forget the hold, ask the store again next time. */
  lost(): void {
    this.term = null;
    this.until = 0;
    this.renewAt = 0;
  }

  /** Gives the lease up (if held), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.until === 0) return;
    this.lost();
    await this.store.delivery.releaseFlowLease(this.flowId, this.owner);
  }
}
