/**
 * Replay (SPEC §11): deliver retained jobs again to a chosen flow — one job, or
 * every job of a listener that arrived in a time range — for a destination
 * that lost data or a flow added after the fact.
 *
 * Nothing is sent from the API request. Each job becomes a replay queued for the
 * flow behind what the flow had waiting when it was asked for (its listener's
 * newest job then), in arrival order; the flow's worker sends a replay's pages
 * when its cursor gets there, before later jobs. A replayed request carries
 * `Hookport-Replay: true` and the idempotency key (and Standard Webhooks
 * `webhook-id`) a delivery of that page through that flow always carries, so a
 * destination recognises what it has seen. Its failures are errors of their own.
 * A job waiting to be replayed is kept from the purge until it has been.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import { randomId } from '../ids';
import { invalid } from '../schema';
import type { ReplayDoc, Store } from '../store/store';
import type { FlowService } from './flow-service';

/** What a replay request may name: a job, or a time range of a listener (the flow's own by default). */
export interface ReplayRequest {
  jobId?: string;
  listenerId?: string;
  from?: string;
  to?: string;
}

export interface ReplayReport {
  flowId: string;
  /** The jobs queued, in the order they will be sent. */
  replayed: Array<{ jobId: string; seq: number; receivedAt: string }>;
}

/** At most this many jobs per replay request: a wider range is refused, to be split. */
export const REPLAY_LIMIT = 10_000;

export class FlowReplays {
  constructor(
    private readonly store: Store,
    private readonly flows: FlowService,
    private readonly clock: Clock,
    private readonly wakeFlow: (flowId: string) => void,
  ) {}

  /**
   * @throws ERR_NOT_FOUND (no such flow, job or listener), ERR_INVALID_REQUEST (neither a job nor a
   * whole range), ERR_UNPROCESSABLE (more than REPLAY_LIMIT jobs in the range).
   */
  async replay(flowId: string, request: ReplayRequest): Promise<ReplayReport> {
    const flow = await this.flows.getDoc(flowId);
    const jobs = await this.jobsFor(flow.listenerId, request);
    const afterSeq = await this.store.lastSeq(flow.listenerId);
    const requestedAt = new Date(this.clock.now()).toISOString();
    const replays: ReplayDoc[] = jobs.map((job) => ({ id: randomId(), flowId, jobId: job.jobId, afterSeq, page: 0, requestedAt }));
    await this.store.schedule.enqueueReplays(replays);
    if (replays.length > 0) this.wakeFlow(flowId);
    return { flowId, replayed: jobs };
  }

  private async jobsFor(flowListenerId: string, request: ReplayRequest): Promise<ReplayReport['replayed']> {
    const { jobId, from, to } = request;
    if (jobId !== undefined) {
      if (from !== undefined || to !== undefined || request.listenerId !== undefined) {
        throw invalid([{ path: '/jobId', message: 'names one job: leave out listenerId, from and to' }]);
      }
      const job = await this.store.getJob(jobId);
      if (!job) throw new AppError('ERR_NOT_FOUND', `no job ${jobId}: it never existed or is no longer kept`);
      return [{ jobId: job.id, seq: job.seq, receivedAt: job.receivedAt }];
    }
    if (from === undefined || to === undefined) {
      throw invalid([{ path: from === undefined ? '/from' : '/to', message: 'is required: give a jobId, or a time range with from and to' }]);
    }
    if (Date.parse(from) >= Date.parse(to)) throw invalid([{ path: '/to', message: 'must be later than from' }]);
    const listenerId = request.listenerId ?? flowListenerId;
    if (!(await this.store.listeners.get(listenerId))) throw new AppError('ERR_NOT_FOUND', `no listener ${listenerId}`);
    return this.inRange(listenerId, Date.parse(from), Date.parse(to));
  }

  /** The listener's kept jobs received in [from, to), oldest first. Jobs are listed newest first, so the walk stops below `from`. */
  private async inRange(listenerId: string, from: number, to: number): Promise<ReplayReport['replayed']> {
    const found: ReplayReport['replayed'] = [];
    let after: string | undefined;
    do {
      const listPage = await this.store.delivery.listJobs(listenerId, 0, { limit: 500, after });
      for (const job of listPage.items) {
        const at = Date.parse(job.receivedAt);
        if (at < from) return finish(found);
        if (at >= to) continue;
        found.push({ jobId: job.id, seq: job.seq, receivedAt: job.receivedAt });
        if (found.length > REPLAY_LIMIT) {
          throw new AppError('ERR_UNPROCESSABLE', `more than ${REPLAY_LIMIT} jobs arrived in this range: replay it in shorter ranges`);
        }
      }
      after = listPage.nextCursor ?? undefined;
    } while (after);
    return finish(found);
  }
}

function finish(found: ReplayReport['replayed']): ReplayReport['replayed'] {
  return found.sort((a, b) => a.seq - b.seq);
}
