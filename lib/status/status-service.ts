/**
 * `GET /api/v1/listeners/{id}/status` (SPEC §14, beyond): one look at a
 * listener's health for support staff: recent traffic by status, how full its
 * limiter is, what waits in each flow's queue, and its debug session.
 */
import type { Clock } from '../clock';
import type { DebugService, DebugState } from '../debug/debug-service';
import type { BucketMap } from '../ingest/leaky-bucket';
import type { ListenerService } from '../listeners/listener-service';
import type { Store } from '../store/store';
import { flowWaiting, type FlowWaiting } from '../flows/flow-service';
import type { HourCounts, TrafficTracker } from './traffic';
import type { Attachment } from '../attach/attach-schema';

export interface ListenerStatus {
  listenerId: string;
  /** The last request of any outcome this instance saw (null since a restart until one arrives). */
  lastRequestAt: string | null;
  /** The last accepted request, from the listener's sample (kept across restarts). */
  lastAcceptedAt: string | null;
  lastHour: HourCounts;
  limiter: { fill: number; capacity: number; leakPerSecond: number };
  flows: Array<{ id: string; name: string; enabled: boolean; queueDepth: number; maxQueuedJobs: number } & FlowWaiting>;
  debug: DebugState;
  /** With `attach`: where the webhook stands with the partner (`failed` carries its answer). */
  attach?: Attachment | null;
}

export class StatusService {
  constructor(
    private readonly listeners: ListenerService,
    private readonly traffic: TrafficTracker,
    private readonly buckets: BucketMap,
    private readonly store: Store,
    private readonly debug: DebugService,
    private readonly clock: Clock,
  ) {}

  async status(listenerId: string): Promise<ListenerStatus> {
    const state = await this.listeners.getState(listenerId);
    const now = this.clock.now();
    const [flows, sample] = await Promise.all([this.store.flows.byListener(listenerId), this.store.getSample(listenerId)]);
    const depths = await Promise.all(flows.map((flow) => this.store.queueDepth(flow.id)));
    const waiting = await Promise.all(flows.map((flow) => flowWaiting(this.store, flow.id, now)));
    const lastRequestAt = this.traffic.lastRequestAt(listenerId);
    const { capacity, leakPerSecond } = state.settings.limits;
    return {
      listenerId,
      lastRequestAt: lastRequestAt === undefined ? null : new Date(lastRequestAt).toISOString(),
      lastAcceptedAt: sample?.receivedAt ?? null,
      lastHour: this.traffic.lastHour(listenerId, now),
      limiter: { fill: this.buckets.fill(listenerId), capacity, leakPerSecond },
      flows: flows.map((flow, index) => ({
        id: flow.id, name: flow.name, enabled: flow.enabled, queueDepth: depths[index]!, maxQueuedJobs: flow.maxQueuedJobs, ...waiting[index]!,
      })),
      debug: this.debug.state(listenerId),
      ...(state.settings.attach ? { attach: state.attachment } : {}),
    };
  }
}
