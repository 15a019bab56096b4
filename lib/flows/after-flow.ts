/**
 * `response.mode = afterFlow` (SPEC §12): the webhook's response waits until
 * every flow of the listener has passed the job. Success hands each import's
 * answer to the response template as `imports`; an error in any flow is a
 * failure (500); no outcome within `timeoutSeconds` is a timeout (202, the job
 * still completes).
 *
 * The wait is in-process: with several instances sharing a store, a flow whose
 * lease another instance holds is seen passing the job only through the store
 * check made when the wait starts, so such a request ends in the timeout (202).
 */
import type { Scheduler } from '../scheduler';
import type { FlowDoc, Store } from '../store/store';
import type { AfterFlowWaiter } from '../ingest/accept';
import type { RuntimeListener } from '../ingest/runtime-listener';
import { responseBodyValue } from '../imports/import-response';
import type { ImportResult } from './page-delivery';

/** What the delivery worker reports about each job. */
export interface JobProgress {
  /** A page of the job went through the flow's imports. */
  pageDone(flowId: string, jobId: string, pageIndex: number, results: readonly ImportResult[]): void;
  /** The flow recorded an error for the job. */
  jobFailed(flowId: string, jobId: string): void;
  /** The flow's cursor passed the job. */
  jobPassed(flowId: string, jobId: string): void;
}

/** One import's answers for the job, as the response template sees it under `imports`. */
export interface AfterFlowImport {
  id: string;
  name: string;
  flowId: string;
  /** The last answer's status, body (parsed when JSON) and kept headers. */
  status: number | null;
  headers: Record<string, string>;
  body: unknown;
  /** Every answer, page by page (and record by record in record mode). */
  responses: Array<{ page: number; record: number | null; status: number | null; body: unknown }>;
}

type Outcome = { status: 'done'; imports: AfterFlowImport[] } | { status: 'failed' | 'timeout' };

class Waiting {
  readonly remaining: Set<string>;
  readonly imports = new Map<string, AfterFlowImport & { order: number }>();
  settled = false;
  readonly promise: Promise<Outcome>;
  private resolve!: (outcome: Outcome) => void;

  constructor(readonly flows: FlowDoc[]) {
    this.remaining = new Set(flows.map((f) => f.id));
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }

  settle(status: 'done' | 'failed' | 'timeout'): void {
    if (this.settled) return;
    this.settled = true;
    if (status !== 'done') return this.resolve({ status });
    const imports = [...this.imports.values()].sort((a, b) => a.order - b.order).map(({ order: _order, ...rest }) => rest);
    this.resolve({ status, imports });
  }

  passed(flowId: string): void {
    this.remaining.delete(flowId);
    if (this.remaining.size === 0) this.settle('done');
  }
}

export interface AfterFlowDeps {
  store: Store;
  scheduler: Scheduler;
  /** Wakes the listener's flow workers: the job was just appended. */
  wake(listenerId: string): void;
}

/** Progress reported for an expected job before its wait began. */
interface EarlyProgress {
  pages: Array<{ flowId: string; pageIndex: number; results: readonly ImportResult[] }>;
  passed: string[];
  failed: boolean;
}

export class AfterFlowTracker implements AfterFlowWaiter, JobProgress {
  private readonly waiting = new Map<string, Waiting>();
  private readonly early = new Map<string, EarlyProgress>();

  constructor(private readonly deps: AfterFlowDeps) {}

  /**
   * Call before the job is appended: a committed job is visible to the flows
   * before its append resolves (the fsync comes after the commit), so a fast
   * flow may deliver it before `wait` starts; its progress is kept until then.
   */
  expect(jobId: string): void {
    this.early.set(jobId, { pages: [], passed: [], failed: false });
  }

  /** The job expected was not appended after all. */
  forget(jobId: string): void {
    this.early.delete(jobId);
  }

  async wait(jobId: string, listener: RuntimeListener, timeoutMs: number): Promise<Outcome> {
    const flows = await this.deps.store.flows.byListener(listener.id);
    const early = this.early.get(jobId);
    this.early.delete(jobId);
    if (flows.length === 0) return { status: 'done', imports: [] };
    const entry = new Waiting(flows);
    this.waiting.set(jobId, entry);
    for (const page of early?.pages ?? []) this.pageDone(page.flowId, jobId, page.pageIndex, page.results);
    if (early?.failed) entry.settle('failed');
    for (const flowId of early?.passed ?? []) entry.passed(flowId);
    const timer = new AbortController();
    try {
      this.deps.wake(listener.id);
      this.deps.scheduler.sleep(timeoutMs, { signal: timer.signal, reason: 'afterFlow' }).then(() => entry.settle('timeout'), () => undefined);
      await this.alreadyPassed(jobId, entry);
      return await entry.promise;
    } finally {
      timer.abort();
      this.waiting.delete(jobId);
    }
  }

  /** A flow may have passed the job before the wait began (or on another instance). */
  private async alreadyPassed(jobId: string, entry: Waiting): Promise<void> {
    const job = await this.deps.store.getJob(jobId);
    if (!job) return;
    for (const flow of entry.flows) {
      const state = await this.deps.store.delivery.getFlowState(flow.id);
      if (!state || state.cursor.seq < job.seq) continue;
      const errors = await this.deps.store.delivery.errorsOfJobs(flow.id, [jobId]);
      if (errors.some((e) => e.status !== 'resolved')) entry.settle('failed');
      else entry.passed(flow.id);
    }
  }

  pageDone(flowId: string, jobId: string, pageIndex: number, results: readonly ImportResult[]): void {
    this.early.get(jobId)?.pages.push({ flowId, pageIndex, results });
    const entry = this.waiting.get(jobId);
    if (!entry) return;
    const flowOrder = entry.flows.findIndex((f) => f.id === flowId);
    for (const result of results) {
      const key = `${flowId}|${result.importIndex}`;
      let kept = entry.imports.get(key);
      if (!kept) {
        kept = { id: result.importId, name: result.name, flowId, status: null, headers: {}, body: null, responses: [], order: flowOrder * 1000 + result.importIndex };
        entry.imports.set(key, kept);
      }
      for (const request of result.requests) {
        const body = request.response ? responseBodyValue(request.response) : null;
        kept.responses.push({ page: pageIndex, record: request.recordIndex, status: request.response?.status ?? null, body });
        kept.status = request.response?.status ?? null;
        kept.headers = request.response?.headers ?? {};
        kept.body = body;
      }
    }
  }

  jobFailed(_flowId: string, jobId: string): void {
    const early = this.early.get(jobId);
    if (early) early.failed = true;
    this.waiting.get(jobId)?.settle('failed');
  }

  jobPassed(flowId: string, jobId: string): void {
    this.early.get(jobId)?.passed.push(flowId);
    this.waiting.get(jobId)?.passed(flowId);
  }
}
