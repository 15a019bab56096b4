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
import type { AfterFlowWaiter } from '../ingest/ingest-handler';
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

/**
 * One job's progress through its flows. It may start recording before the
 * wait knows the listener's flows: a worker already busy when the job was
 * appended can deliver it before the wait begins (see AfterFlowTracker.early).
 */
class Waiting {
  private flows: FlowDoc[] | undefined;
  private remaining: Set<string> | undefined;
  private readonly passedEarly = new Set<string>();
  readonly imports = new Map<string, AfterFlowImport & { importIndex: number }>();
  settled = false;
  readonly promise: Promise<Outcome>;
  private resolve!: (outcome: Outcome) => void;

  constructor() {
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }

  /** The listener's flows are known: the job is done once each of them passed it. */
  start(flows: FlowDoc[]): void {
    this.flows = flows;
    this.remaining = new Set(flows.map((f) => f.id).filter((id) => !this.passedEarly.has(id)));
    if (this.remaining.size === 0) this.settle('done');
  }

  settle(status: 'done' | 'failed' | 'timeout'): void {
    if (this.settled) return;
    this.settled = true;
    if (status !== 'done') return this.resolve({ status });
    const order = (i: AfterFlowImport & { importIndex: number }) => (this.flows ?? []).findIndex((f) => f.id === i.flowId) * 1000 + i.importIndex;
    const imports = [...this.imports.values()].sort((a, b) => order(a) - order(b)).map(({ importIndex: _importIndex, ...rest }) => rest);
    this.resolve({ status, imports });
  }

  passed(flowId: string): void {
    if (!this.remaining) {
      this.passedEarly.add(flowId);
      return;
    }
    this.remaining.delete(flowId);
    if (this.remaining.size === 0) this.settle('done');
  }
}

/** Progress of this many jobs nobody waits for yet is kept, in case a wait for one begins. */
const EARLY_JOBS = 64;

export interface AfterFlowDeps {
  store: Store;
  scheduler: Scheduler;
  /** Wakes the listener's flow workers: the job was just appended. */
  wake(listenerId: string): void;
}

export class AfterFlowTracker implements AfterFlowWaiter, JobProgress {
  private readonly waiting = new Map<string, Waiting>();
  /** Recent jobs' progress reported before any wait for them began, oldest first (at most EARLY_JOBS). */
  private readonly early = new Map<string, Waiting>();

  constructor(private readonly deps: AfterFlowDeps) {}

  async wait(jobId: string, listener: RuntimeListener, timeoutMs: number): Promise<Outcome> {
    const entry = this.early.get(jobId) ?? new Waiting();
    this.early.delete(jobId);
    this.waiting.set(jobId, entry);
    const flows = await this.deps.store.flows.byListener(listener.id).catch((error: unknown) => {
      this.waiting.delete(jobId);
      throw error;
    });
    if (flows.length === 0) {
      this.waiting.delete(jobId);
      return { status: 'done', imports: [] };
    }
    entry.start(flows);
    const timer = new AbortController();
    try {
      this.deps.wake(listener.id);
      this.deps.scheduler.sleep(timeoutMs, { signal: timer.signal, reason: 'afterFlow' }).then(() => entry.settle('timeout'), () => undefined);
      await this.alreadyPassed(jobId, entry, flows);
      return await entry.promise;
    } finally {
      timer.abort();
      this.waiting.delete(jobId);
    }
  }

  /** A flow may have passed the job before the wait began (or on another instance). */
  private async alreadyPassed(jobId: string, entry: Waiting, flows: readonly FlowDoc[]): Promise<void> {
    const job = await this.deps.store.getJob(jobId);
    if (!job) return;
    for (const flow of flows) {
      const state = await this.deps.store.delivery.getFlowState(flow.id);
      if (!state || state.cursor.seq < job.seq) continue;
      const errors = await this.deps.store.delivery.errorsOfJobs(flow.id, [jobId]);
      if (errors.some((e) => e.status !== 'resolved')) entry.settle('failed');
      else entry.passed(flow.id);
    }
  }

  /** The job's entry: the wait's, or one kept for a wait that may begin. */
  private entryFor(jobId: string): Waiting {
    const entry = this.waiting.get(jobId) ?? this.early.get(jobId);
    if (entry) return entry;
    const created = new Waiting();
    this.early.set(jobId, created);
    if (this.early.size > EARLY_JOBS) this.early.delete(this.early.keys().next().value!);
    return created;
  }

  pageDone(flowId: string, jobId: string, pageIndex: number, results: readonly ImportResult[]): void {
    const entry = this.entryFor(jobId);
    for (const result of results) {
      const key = `${flowId}|${result.importIndex}`;
      let kept = entry.imports.get(key);
      if (!kept) {
        kept = { id: result.importId, name: result.name, flowId, status: null, headers: {}, body: null, responses: [], importIndex: result.importIndex };
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
    this.entryFor(jobId).settle('failed');
  }

  jobPassed(flowId: string, jobId: string): void {
    this.entryFor(jobId).passed(flowId);
  }
}
