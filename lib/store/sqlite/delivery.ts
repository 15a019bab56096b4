/**
 * The delivery section of the store in SQLite (migration `030-delivery`): flow
 * leases on the flows table beside the cursor, one `delivery_errors` row per
 * error, the job listing and the purge. Writes go through the store's
 * WriteBatch like every other write.
 */
import type {
  DeliveryErrorDoc, DeliveryErrorListOptions, DeliveryErrorUpdate, DeliveryStore, FlowDeliveryState, JobSummary, ListOptions, ListPage,
} from '../store';
import { decodeValues, encodeValues } from '../cursor';
import { resolvedByHand, retryFinished, retryRequested, type ErrorTransition } from '../error-transitions';
import type { Database, Statement } from './driver';
import { JobPurge } from './job-purge';
import type { WriteBatch } from './write-batch';

interface FlowStateRow {
  cursor_seq: number;
  cursor_page: number;
  start_seq: number;
  lease_owner: string | null;
  lease_until: string | null;
  lease_term: number;
}

interface ErrorRow {
  id: string;
  position: string;
  doc: string;
}

interface JobRow {
  id: string;
  seq: number;
  received_at: string;
  doc: string;
}

function prepare(db: Database) {
  return {
    flowState: db.prepare('SELECT cursor_seq, cursor_page, start_seq, lease_owner, lease_until, lease_term FROM flows WHERE id = ?'),
    renewLease: db.prepare('UPDATE flows SET lease_until = ? WHERE id = ? AND lease_owner = ?'),
    takeLease: db.prepare(
      'UPDATE flows SET lease_owner = ?, lease_until = ?, lease_term = lease_term + 1 WHERE id = ? AND (lease_owner IS NULL OR lease_until <= ?)',
    ),
    releaseLease: db.prepare('UPDATE flows SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?'),
    insertError: db.prepare(
      'INSERT INTO delivery_errors (id, flow_id, job_id, status, position, retry_requested_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO NOTHING',
    ),
    getError: db.prepare('SELECT doc FROM delivery_errors WHERE id = ?'),
    updateError: db.prepare('UPDATE delivery_errors SET status = ?, retry_requested_at = ?, updated_at = ?, doc = ? WHERE id = ?'),
    nextRetry: db.prepare(
      "SELECT doc FROM delivery_errors WHERE flow_id = ? AND status = 'retrying' ORDER BY retry_requested_at, position, id LIMIT 1",
    ),
    deleteFlowErrors: db.prepare('DELETE FROM delivery_errors WHERE flow_id = ?'),
    deleteJob: db.prepare('DELETE FROM jobs WHERE id = ?'),
    purgeOrphanReplays: db.prepare('DELETE FROM replays WHERE flow_id NOT IN (SELECT id FROM flows)'),
    deletePages: db.prepare('DELETE FROM job_pages WHERE job_id = ?'),
    purgeErrors: db.prepare(
      "DELETE FROM delivery_errors WHERE rowid IN (SELECT rowid FROM delivery_errors WHERE status = 'resolved' AND updated_at < ? LIMIT ?)",
    ),
    jobsFirst: db.prepare('SELECT id, seq, received_at, doc FROM jobs WHERE listener_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?'),
    jobsAfter: db.prepare(
      'SELECT id, seq, received_at, doc FROM jobs WHERE listener_id = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
    pageSummaries: db.prepare('SELECT page_index, record_count, trace_keys FROM job_pages WHERE job_id = ? ORDER BY page_index'),
  } satisfies Record<string, Statement>;
}

export class SqliteDelivery implements DeliveryStore {
  private readonly s: ReturnType<typeof prepare>;

  private readonly jobPurge: JobPurge;

  constructor(private readonly db: Database, private readonly batch: WriteBatch) {
    this.s = prepare(db);
    this.jobPurge = new JobPurge(db);
  }

  async getFlowState(flowId: string): Promise<FlowDeliveryState | null> {
    const row = this.s.flowState.get(flowId) as FlowStateRow | undefined;
    if (!row) return null;
    return {
      cursor: { seq: row.cursor_seq, page: row.cursor_page },
      startSeq: row.start_seq,
      lease: row.lease_owner && row.lease_until ? { owner: row.lease_owner, until: row.lease_until, term: row.lease_term } : null,
    };
  }

  /** One batch write: renew when `owner` holds it, else take it as the next term when free or expired. */
  acquireFlowLease(flowId: string, owner: string, now: string, until: string): Promise<number | null> {
    return this.batch.run(() => {
      const held = this.s.renewLease.run(until, flowId, owner).changes > 0 || this.s.takeLease.run(owner, until, flowId, now).changes > 0;
      return held ? (this.s.flowState.get(flowId) as FlowStateRow).lease_term : null;
    });
  }

  releaseFlowLease(flowId: string, owner: string): Promise<void> {
    return this.batch.run(() => {
      this.s.releaseLease.run(flowId, owner);
    });
  }

  insertError(error: DeliveryErrorDoc): Promise<boolean> {
    const doc = JSON.stringify(error);
    return this.batch.run(
      () =>
        this.s.insertError.run(error.id, error.flowId, error.jobId, error.status, error.position, error.retryRequestedAt, error.updatedAt, doc)
          .changes > 0,
    );
  }

  async getError(id: string): Promise<DeliveryErrorDoc | null> {
    const row = this.s.getError.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as DeliveryErrorDoc) : null;
  }

  async listErrors(flowId: string, options: DeliveryErrorListOptions): Promise<ListPage<DeliveryErrorDoc>> {
    const where = ['flow_id = ?'];
    const params: unknown[] = [flowId];
    if (options.status) {
      where.push('status = ?');
      params.push(options.status);
    }
    if (options.after) {
      const [position, id] = decodeValues<[string, string]>(options.after, ['string', 'string']);
      where.push('(position > ? OR (position = ? AND id > ?))');
      params.push(position, position, id);
    }
    const rows = this.db
      .prepare(`SELECT id, position, doc FROM delivery_errors WHERE ${where.join(' AND ')} ORDER BY position, id LIMIT ?`)
      .all(...params, options.limit + 1) as ErrorRow[];
    const more = rows.length > options.limit;
    const kept = rows.slice(0, options.limit);
    const last = kept[kept.length - 1];
    return { items: kept.map((row) => JSON.parse(row.doc) as DeliveryErrorDoc), nextCursor: more && last ? encodeValues([last.position, last.id]) : null };
  }

  /** Read, check and write inside one batch write: nothing else runs between them. */
  private transition(id: string, { from, change }: ErrorTransition): Promise<boolean> {
    return this.batch.run(() => {
      const row = this.s.getError.get(id) as { doc: string } | undefined;
      if (!row) return false;
      const current = JSON.parse(row.doc) as DeliveryErrorDoc;
      if (!from.includes(current.status)) return false;
      const next = change(current);
      this.s.updateError.run(next.status, next.retryRequestedAt, next.updatedAt, JSON.stringify(next), id);
      return true;
    });
  }

  requestRetry(id: string, at: string): Promise<boolean> {
    return this.transition(id, retryRequested(at));
  }

  async nextRetry(flowId: string): Promise<DeliveryErrorDoc | null> {
    const row = this.s.nextRetry.get(flowId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as DeliveryErrorDoc) : null;
  }

  finishRetry(id: string, at: string, failure: DeliveryErrorUpdate | null): Promise<boolean> {
    return this.transition(id, retryFinished(at, failure));
  }

  resolveError(id: string, at: string): Promise<boolean> {
    return this.transition(id, resolvedByHand(at));
  }

  async errorsOfJobs(flowId: string, jobIds: readonly string[]): Promise<Array<Pick<DeliveryErrorDoc, 'id' | 'jobId' | 'pageIndex' | 'status'>>> {
    if (jobIds.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT doc FROM delivery_errors WHERE flow_id = ? AND job_id IN (${jobIds.map(() => '?').join(', ')}) ORDER BY position, id`)
      .all(flowId, ...jobIds) as Array<{ doc: string }>;
    return rows.map((row) => {
      const doc = JSON.parse(row.doc) as DeliveryErrorDoc;
      return { id: doc.id, jobId: doc.jobId, pageIndex: doc.pageIndex, status: doc.status };
    });
  }

  deleteFlowErrors(flowId: string): Promise<number> {
    return this.batch.run(() => this.s.deleteFlowErrors.run(flowId).changes);
  }

  async listJobs(listenerId: string, minSeq: number, options: ListOptions): Promise<ListPage<JobSummary>> {
    const rows = (
      options.after
        ? this.s.jobsAfter.all(listenerId, minSeq, decodeValues<[number]>(options.after, ['number'])[0], options.limit + 1)
        : this.s.jobsFirst.all(listenerId, minSeq, options.limit + 1)
    ) as JobRow[];
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map((row) => this.summary(row));
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeValues([last.seq]) : null };
  }

  private summary(row: JobRow): JobSummary {
    const doc = JSON.parse(row.doc) as { requestId: string; recordCount: number; meta?: { oversized?: unknown[] } };
    const pages = (this.s.pageSummaries.all(row.id) as Array<{ page_index: number; record_count: number; trace_keys: string }>).map((page) => ({
      index: page.page_index,
      count: page.record_count,
      traceKeys: JSON.parse(page.trace_keys) as string[],
    }));
    return {
      id: row.id, seq: row.seq, requestId: doc.requestId, receivedAt: row.received_at, recordCount: doc.recordCount, pages,
      oversizedCount: Array.isArray(doc.meta?.oversized) ? doc.meta.oversized.length : 0,
    };
  }

  purge(receivedBefore: string, limit: number): Promise<number> {
    return this.batch.run(() => {
      const ids = this.jobPurge.next(receivedBefore, limit);
      for (const id of ids) {
        this.s.deletePages.run(id);
        this.s.deleteJob.run(id);
      }
      this.s.purgeErrors.run(receivedBefore, limit);
      this.s.purgeOrphanReplays.run();
      return ids.length;
    });
  }
}
