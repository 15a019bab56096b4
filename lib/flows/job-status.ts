/**
 * `GET /flows/{id}/jobs`: the jobs a flow has (those that arrived after it was
 * created and are still kept), newest first, each with its pages' status.
 * Derived from the flow's cursor and its errors; nothing extra is stored per page.
 *
 * Page status: `delivered` (passed, no error left open), `failed` (passed with an
 * open or retrying error), `delivering` (the page at the cursor of an enabled
 * flow), `queued`. A job is `failed` when any of its pages (or a record too
 * large for a page) has an unresolved error, else the state of its pages.
 */
import type { FlowCursor, FlowDoc, JobSummary, ListOptions, ListPage, RetryWait, Store } from '../store/store';

/** `waiting`: the page at the cursor is waiting for its next attempt (a stored retry wait). */
export type PageStatus = 'queued' | 'delivering' | 'waiting' | 'delivered' | 'failed';

/** What a waiting page shows about its retry. */
export interface PageRetry {
  attempts: number;
  nextAttemptAt: string;
  lastError: RetryWait['lastError'];
}

export interface JobView {
  id: string;
  seq: number;
  requestId: string;
  receivedAt: string;
  recordCount: number;
  status: PageStatus;
  /** Unresolved errors of the job (open or retrying). */
  errors: number;
  pages: Array<{ index: number; recordCount: number; traceKeys: string[]; status: PageStatus; errors: number } & Partial<PageRetry>>;
}

function pageStatus(flow: FlowDoc, cursor: FlowCursor, job: JobSummary, index: number, errors: number): PageStatus {
  const passed = job.seq <= cursor.seq || (job.seq === cursor.seq + 1 && index < cursor.page);
  if (passed) return errors > 0 ? 'failed' : 'delivered';
  const atCursor = job.seq === cursor.seq + 1 && index === cursor.page;
  return atCursor && flow.enabled && flow.imports.length > 0 ? 'delivering' : 'queued';
}

function jobStatus(pages: JobView['pages'], passed: boolean, errors: number): PageStatus {
  if (errors > 0 && (passed || pages.some((p) => p.status === 'failed'))) return 'failed';
  if (passed) return 'delivered';
  if (pages.some((p) => p.status === 'waiting')) return 'waiting';
  if (pages.some((p) => p.status === 'delivering' || p.status === 'delivered' || p.status === 'failed')) return 'delivering';
  return 'queued';
}

export async function listFlowJobs(store: Store, flow: FlowDoc, options: ListOptions): Promise<ListPage<JobView>> {
  const state = await store.delivery.getFlowState(flow.id);
  if (!state) return { items: [], nextCursor: null };
  const listPage = await store.delivery.listJobs(flow.listenerId, state.startSeq, options);
  const errors = await store.delivery.errorsOfJobs(flow.id, listPage.items.map((job) => job.id));
  const wait = await store.schedule.getRetryWait(flow.id);
  const open = errors.filter((e) => e.status !== 'resolved');
  const items = listPage.items.map((job): JobView => {
    const mine = open.filter((e) => e.jobId === job.id);
    const pages = job.pages.map((p) => {
      const count = mine.filter((e) => e.pageIndex === p.index).length;
      const status = pageStatus(flow, state.cursor, job, p.index, count);
      const view = { index: p.index, recordCount: p.count, traceKeys: p.traceKeys, status, errors: count };
      // Only the queue's own try shows here; a resubmitted error or a replay waits under its own name (flow retryWait).
      if (status !== 'delivering' || wait?.jobId !== job.id || wait.pageIndex !== p.index || !wait.unit.startsWith('page|')) return view;
      return { ...view, status: 'waiting' as const, attempts: wait.attempts, nextAttemptAt: wait.nextAttemptAt, lastError: wait.lastError };
    });
    const passed = job.seq <= state.cursor.seq;
    return {
      id: job.id, seq: job.seq, requestId: job.requestId, receivedAt: job.receivedAt, recordCount: job.recordCount,
      status: jobStatus(pages, passed, mine.length), errors: mine.length, pages,
    };
  });
  return { items, nextCursor: listPage.nextCursor };
}
