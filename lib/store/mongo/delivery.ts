/**
 * The delivery section of the store on MongoDB: lease terms (terms.ts), one
 * `delivery_errors` document per error whose status changes claim the error's
 * version first (claims.ts), the job listing and the purge.
 */
import type {
  DeliveryErrorDoc, DeliveryErrorListOptions, DeliveryErrorUpdate, DeliveryStore, FlowDeliveryState, JobSummary, ListOptions, ListPage,
} from '../store';
import { decodeValues, encodeValues } from '../cursor';
import { resolvedByHand, retryFinished, retryRequested, type ErrorTransition } from '../error-transitions';
import type { ErrorRow, JobRow, Models, ResourceRow } from './models';
import { insertUnlessTaken } from './errors';
import { claimVersion, sweepClaims } from './claims';
import type { Terms } from './terms';
import type { Queues } from './queues';
import { PURGE_MIN_AGE_MS, type SequenceHints } from './sequence';

function errorRow(doc: DeliveryErrorDoc, version: number): ErrorRow {
  return {
    _id: doc.id, flowId: doc.flowId, jobId: doc.jobId, status: doc.status, position: doc.position, retryRequestedAt: doc.retryRequestedAt,
    updatedAt: doc.updatedAt, version, json: JSON.stringify(doc),
  };
}

const toError = (row: { json: string }) => JSON.parse(row.json) as DeliveryErrorDoc;

export class MongoDelivery implements DeliveryStore {
  constructor(
    private readonly models: Models,
    private readonly terms: Terms,
    private readonly queues: Queues,
    private readonly hints: SequenceHints,
  ) {}

  async getFlowState(flowId: string): Promise<FlowDeliveryState | null> {
    const term = await this.terms.newest(flowId);
    if (!term) return null;
    return {
      cursor: { seq: term.cursorSeq, page: term.cursorPage },
      startSeq: term.startSeq,
      lease: term.owner && term.until ? { owner: term.owner, until: term.until, term: term.term } : null,
    };
  }

  acquireFlowLease(flowId: string, owner: string, now: string, until: string): Promise<number | null> {
    return this.terms.acquire(flowId, owner, now, until);
  }

  releaseFlowLease(flowId: string, owner: string): Promise<void> {
    return this.terms.release(flowId, owner);
  }

  insertError(error: DeliveryErrorDoc): Promise<boolean> {
    return insertUnlessTaken(() => this.models.errors.collection.insertOne(errorRow(error, 0) as any));
  }

  async getError(id: string): Promise<DeliveryErrorDoc | null> {
    const row = await this.models.errors.findById(id).lean<ErrorRow>();
    return row ? toError(row) : null;
  }

  async listErrors(flowId: string, options: DeliveryErrorListOptions): Promise<ListPage<DeliveryErrorDoc>> {
    const filter: Record<string, unknown> = { flowId };
    if (options.status) filter.status = options.status;
    if (options.after) {
      const [position, id] = decodeValues<[string, string]>(options.after, ['string', 'string']);
      filter.$or = [{ position: { $gt: position } }, { position, _id: { $gt: id } }];
    }
    const rows = await this.models.errors.find(filter).sort({ position: 1, _id: 1 }).limit(options.limit + 1).lean<ErrorRow[]>();
    const more = rows.length > options.limit;
    const kept = rows.slice(0, options.limit);
    const last = kept[kept.length - 1];
    return { items: kept.map(toError), nextCursor: more && last ? encodeValues([last.position, last._id]) : null };
  }

  /** A status change: of several writers changing the same version, the one whose claim is inserted first wins. */
  private async transition(id: string, { from, change }: ErrorTransition): Promise<boolean> {
    const row = await this.models.errors.findById(id).lean<ErrorRow>();
    if (!row || !from.includes(row.status as DeliveryErrorDoc['status'])) return false;
    if (!(await claimVersion(this.models, 'error', id, row.version))) return false;
    const next = change(toError(row));
    await this.models.errors.collection.replaceOne({ _id: id } as any, errorRow(next, row.version + 1) as any);
    return true;
  }

  requestRetry(id: string, at: string): Promise<boolean> {
    return this.transition(id, retryRequested(at));
  }

  async nextRetry(flowId: string): Promise<DeliveryErrorDoc | null> {
    const row = await this.models.errors.findOne({ flowId, status: 'retrying' }).sort({ retryRequestedAt: 1, position: 1, _id: 1 }).lean<ErrorRow>();
    return row ? toError(row) : null;
  }

  finishRetry(id: string, at: string, failure: DeliveryErrorUpdate | null): Promise<boolean> {
    return this.transition(id, retryFinished(at, failure));
  }

  resolveError(id: string, at: string): Promise<boolean> {
    return this.transition(id, resolvedByHand(at));
  }

  async errorsOfJobs(flowId: string, jobIds: readonly string[]): Promise<Array<Pick<DeliveryErrorDoc, 'id' | 'jobId' | 'pageIndex' | 'status'>>> {
    if (jobIds.length === 0) return [];
    const rows = await this.models.errors.find({ flowId, jobId: { $in: [...jobIds] } }).sort({ position: 1, _id: 1 }).lean<ErrorRow[]>();
    return rows.map((row) => {
      const doc = toError(row);
      return { id: doc.id, jobId: doc.jobId, pageIndex: doc.pageIndex, status: doc.status };
    });
  }

  async deleteFlowErrors(flowId: string): Promise<number> {
    return (await this.models.errors.deleteMany({ flowId })).deletedCount ?? 0;
  }

  async listJobs(listenerId: string, minSeq: number, options: ListOptions): Promise<ListPage<JobSummary>> {
    const seq: Record<string, number> = { $gt: minSeq };
    if (options.after) seq.$lt = decodeValues<[number]>(options.after, ['number'])[0];
    const rows = await this.models.jobs.find({ listenerId, seq }).sort({ seq: -1 }).limit(options.limit + 1).lean<JobRow[]>();
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map(summary);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeValues([last.seq]) : null };
  }

  /**
   * Safe on every instance at once (deletes are idempotent). Never deletes the
   * newest job of a listener, nor one younger than PURGE_MIN_AGE_MS (sequence.ts).
   */
  async purge(receivedBefore: string, limit: number): Promise<number> {
    const youngest = new Date(Date.now() - PURGE_MIN_AGE_MS).toISOString();
    const cut = receivedBefore < youngest ? receivedBefore : youngest;
    const old = await this.models.jobs.find({ receivedAt: { $lt: cut } }, { listenerId: 1, seq: 1, jobId: 1 }).limit(limit * 4).lean<JobRow[]>();
    const liveFlows = new Set((await this.models.flows.find({}, { _id: 1 }).lean<ResourceRow[]>()).map((flow) => flow._id));
    const byListener = new Map<string, JobRow[]>();
    for (const row of old) byListener.set(row.listenerId, [...(byListener.get(row.listenerId) ?? []), row]);
    const doomed: string[] = [];
    for (const [listenerId, rows] of byListener) {
      const bound = Math.min(await this.passedByAll(listenerId), (await this.hints.newest(listenerId)) - 1);
      const replayed = new Set(
        (await this.models.replays.find({ jobId: { $in: rows.map((row) => row.jobId) } }, { jobId: 1, flowId: 1 }).lean<Array<{ jobId: string; flowId: string }>>())
          .filter((replay) => liveFlows.has(replay.flowId))
          .map((replay) => replay.jobId),
      );
      // A job a live flow is still to replay stays.
      for (const row of rows) if (row.seq <= bound && !replayed.has(row.jobId) && doomed.length < limit) doomed.push(row._id);
    }
    const gone = await this.models.replays.find({}, { flowId: 1 }).lean<Array<{ _id: string; flowId: string }>>();
    const orphans = gone.filter((replay) => !liveFlows.has(replay.flowId)).map((replay) => replay._id);
    if (orphans.length > 0) await this.models.replays.deleteMany({ _id: { $in: orphans } });
    if (doomed.length > 0) await this.models.jobs.deleteMany({ _id: { $in: doomed } });
    await this.models.errors.deleteMany({ status: 'resolved', updatedAt: { $lt: receivedBefore } });
    await sweepClaims(this.models, Date.now());
    return doomed.length;
  }

  /** The seq every flow of the listener has passed (with no flow: the floor a first flow starts from). */
  private async passedByAll(listenerId: string): Promise<number> {
    const flows = await this.models.flows.find({ listenerId }, { _id: 1 }).lean<ResourceRow[]>();
    if (flows.length === 0) return this.queues.floor(listenerId);
    let bound = Number.MAX_SAFE_INTEGER;
    for (const flow of flows) {
      await this.terms.dropOld(flow._id);
      bound = Math.min(bound, (await this.terms.newest(flow._id))?.cursorSeq ?? 0);
    }
    return bound;
  }
}

function summary(row: JobRow): JobSummary {
  const doc = JSON.parse(row.json) as { requestId: string; recordCount: number; meta?: { oversized?: unknown[] } };
  const pages = JSON.parse(row.pages) as Array<{ count: number; traceKeys: string[] }>;
  return {
    id: row.jobId, seq: row.seq, requestId: doc.requestId, receivedAt: row.receivedAt, recordCount: doc.recordCount,
    pages: pages.map((page, index) => ({ index, count: page.count, traceKeys: page.traceKeys })),
    oversizedCount: Array.isArray(doc.meta?.oversized) ? doc.meta.oversized.length : 0,
  };
}
