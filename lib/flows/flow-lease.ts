/**
 * One instance's hold on one flow's lease (SPEC §17): taken before delivering,
 * renewed when half of it has run out, stretched to cover a request about to be
 * sent, released when the worker stops. The store's conditional update decides
 * who holds it; this only avoids a write per page while it is comfortably held.
 */
import type { Clock } from '../clock';
import type { Store } from '../store/store';

const iso = (ms: number) => new Date(ms).toISOString();

export class FlowLease {
  private until = 0;
  private renewAt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly flowId: string,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** True while this instance holds the lease for at least `extraMs` more (taking or renewing it as needed). */
  async hold(extraMs: number): Promise<boolean> {
    const now = this.clock.now();
    if (now < this.renewAt && now + extraMs < this.until) return true;
    const until = now + this.leaseMs + extraMs;
    const held = await this.store.delivery.acquireFlowLease(this.flowId, this.owner, iso(now), iso(until));
    this.until = held ? until : 0;
    this.renewAt = held ? now + this.leaseMs / 2 : 0;
    return held;
  }

  /** Gives the lease up (if held), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.until === 0) return;
    this.until = 0;
    this.renewAt = 0;
    await this.store.delivery.releaseFlowLease(this.flowId, this.owner);
  }
}
