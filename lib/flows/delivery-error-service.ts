/**
 * A flow's delivery errors for the admin API: list, read, resubmit, resolve
 * (the documents themselves are built by delivery-error-docs.ts, when the
 * flow's worker records a failure).
 *
 * A resubmitted error is not sent from the API request: it turns `retrying` and
 * the flow's worker sends it before the next page of its queue (several in the
 * order they were resubmitted, then queue order), through the import that failed
 * and the imports after it, under the same lease, rate limit and retry policy as
 * any page. So a retry never overtakes a page in flight and never runs twice at
 * once. A disabled flow keeps its resubmitted errors until it is enabled.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { DeliveryErrorDoc, DeliveryErrorStatus, ListPage, Store } from '../store/store';
import type { FlowService } from './flow-service';

export type ErrorView = Omit<DeliveryErrorDoc, 'retryData' | 'position'> & { hasRetryData: boolean };
export type ErrorDetailView = ErrorView & { records: unknown[] | null };

export interface RetryReport {
  retried: string[];
  skipped: Array<{ id: string; reason: string }>;
}

const RETRY_ALL_LIMIT = 10_000;

function view(doc: DeliveryErrorDoc): ErrorView {
  const { retryData, position: _position, ...rest } = doc;
  return { ...rest, hasRetryData: retryData !== null };
}

export class DeliveryErrorService {
  constructor(
    private readonly store: Store,
    private readonly flows: FlowService,
    private readonly clock: Clock,
    private readonly wakeFlow: (flowId: string) => void,
  ) {}

  async list(flowId: string, options: { limit: number; after?: string | undefined; status?: DeliveryErrorStatus | undefined }): Promise<ListPage<ErrorView>> {
    await this.flows.getDoc(flowId);
    const listPage = await this.store.delivery.listErrors(flowId, options);
    return { items: listPage.items.map(view), nextCursor: listPage.nextCursor };
  }

  async get(flowId: string, errorId: string): Promise<ErrorDetailView> {
    const doc = await this.find(flowId, errorId);
    return { ...view(doc), records: doc.retryData ? (JSON.parse(doc.retryData.recordsJson) as unknown[]) : null };
  }

  /** Open and resolved errors may be resubmitted. @throws ERR_NOT_FOUND for another flow's error; ERR_CONFLICT when it is already retrying or has nothing to send. */
  async retry(flowId: string, errorId: string): Promise<ErrorView> {
    const doc = await this.find(flowId, errorId);
    const problem = await this.retryProblem(doc);
    if (problem) throw new AppError('ERR_CONFLICT', problem);
    if (!(await this.store.delivery.requestRetry(doc.id, this.now()))) throw new AppError('ERR_CONFLICT', `error ${doc.id} is already retrying`);
    this.wakeFlow(flowId);
    return view((await this.store.delivery.getError(doc.id))!);
  }

  /** Resubmits the given errors (open or resolved), or every open error of the flow, in queue order. */
  async retryMany(flowId: string, ids: string[] | undefined): Promise<RetryReport> {
    await this.flows.getDoc(flowId);
    const report: RetryReport = { retried: [], skipped: [] };
    let docs: DeliveryErrorDoc[];
    if (ids) {
      docs = [];
      for (const id of new Set(ids)) {
        const doc = await this.store.delivery.getError(id);
        if (doc && doc.flowId === flowId) docs.push(doc);
        else report.skipped.push({ id, reason: 'no such error in this flow' });
      }
    } else {
      docs = await this.allOpen(flowId);
    }
    docs.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : a.id < b.id ? -1 : 1));
    const at = this.now();
    for (const doc of docs) {
      const problem = await this.retryProblem(doc);
      if (problem) report.skipped.push({ id: doc.id, reason: problem });
      else if (await this.store.delivery.requestRetry(doc.id, at)) report.retried.push(doc.id);
      else report.skipped.push({ id: doc.id, reason: 'already retrying' });
    }
    if (report.retried.length > 0) this.wakeFlow(flowId);
    return report;
  }

  /** Closes an open error by hand (dealt with outside hookport). */
  async resolve(flowId: string, errorId: string): Promise<ErrorView> {
    const doc = await this.find(flowId, errorId);
    if (!(await this.store.delivery.resolveError(doc.id, this.now()))) throw new AppError('ERR_CONFLICT', `error ${doc.id} is ${doc.status}, not open`);
    return view((await this.store.delivery.getError(doc.id))!);
  }

  private async find(flowId: string, errorId: string): Promise<DeliveryErrorDoc> {
    await this.flows.getDoc(flowId);
    const doc = await this.store.delivery.getError(errorId);
    if (!doc || doc.flowId !== flowId) throw new AppError('ERR_NOT_FOUND', `no error ${errorId} in flow ${flowId}`);
    return doc;
  }

  private async retryProblem(doc: DeliveryErrorDoc): Promise<string | undefined> {
    if (doc.status === 'retrying') return `error ${doc.id} is already retrying`;
    if (doc.retryData) return undefined;
    if (doc.pageIndex === null) {
      return doc.kind === 'mapping'
        ? 'a record whose records.output mapping failed was never stored: fix the mapping; the partner’s next request is mapped anew'
        : 'a record too large for any page was never stored: there is nothing to send';
    }
    const job = await this.store.getJob(doc.jobId);
    if (!job?.pages[doc.pageIndex]) return 'the listener does not store retry data and the job is no longer kept';
    return undefined;
  }

  private async allOpen(flowId: string): Promise<DeliveryErrorDoc[]> {
    const docs: DeliveryErrorDoc[] = [];
    let after: string | undefined;
    do {
      const listPage = await this.store.delivery.listErrors(flowId, { limit: 500, after, status: 'open' });
      docs.push(...listPage.items);
      after = listPage.nextCursor ?? undefined;
    } while (after && docs.length < RETRY_ALL_LIMIT);
    return docs;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
