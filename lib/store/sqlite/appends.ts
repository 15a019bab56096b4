/**
 * Job appends of the embedded store (Store.appendJob). The appends of one batch
 * number their jobs in memory from the listener's sequence read once per batch;
 * the batch's end writes the final sequence number and inserts every job and page
 * row with a few multi-row INSERTs, all inside the batch's one transaction.
 */
import type { AppendResult, DedupClaim, NewJob, StoredResponse } from '../store';
import { QueueFullError } from '../store';
import type { Database, Statement } from './driver';
import type { ListenerQueueRow } from './resource-collections';
import type { WriteBatch } from './write-batch';

/** SQLite allows 32,766 parameters per statement; 50 rows of 6 stay far below. */
const MAX_ROWS_PER_INSERT = 50;

interface BatchQueue {
  lastSeq: number;
  floorSeq: number;
  flows: FlowQueueRow[];
  dirty: boolean;
}

interface FlowQueueRow {
  id: string;
  max_queued: number;
  cursor_seq: number;
  cursor_page: number;
}

export class SqliteAppends {
  /** Job and page rows of the batch being built, inserted by writeJobs before the commit. */
  private pendingJobRows: unknown[][] = [];
  private pendingPageRows: unknown[][] = [];
  private readonly multiInserts = new Map<string, Statement>();
  /** Queue state read once per listener per batch; sequence numbers written at the batch's end. */
  private readonly batchQueues = new Map<string, BatchQueue>();
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Database, private readonly batch: WriteBatch, private readonly unattachedLimit: number) {
    this.batch.afterEachBatch(() => this.batchQueues.clear());
    // A failed batch must not leave its rows for the next one.
    this.batch.afterEachBatch(() => {
      this.pendingJobRows = [];
      this.pendingPageRows = [];
    });
    this.statements = {
      listenerQueue: db.prepare('SELECT last_seq, floor_seq FROM listeners WHERE id = ?'),
      flowQueues: db.prepare('SELECT id, max_queued, cursor_seq, cursor_page FROM flows WHERE listener_id = ?'),
      bumpSeq: db.prepare('UPDATE listeners SET last_seq = ? WHERE id = ?'),
      findDedup: db.prepare('SELECT expires_at, response FROM dedup WHERE listener_id = ? AND key = ?'),
      // Claims the key unless a live claim holds it (expires_at after this job's arrival): 0 changes then.
      claimDedup: db.prepare(
        'INSERT INTO dedup (listener_id, key, expires_at, response) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (listener_id, key) DO UPDATE SET expires_at = excluded.expires_at, response = excluded.response ' +
          'WHERE dedup.expires_at <= ?',
      ),
    };
    this.batch.onEachBatch(() => this.writeSequences());
    this.batch.onEachBatch(() => this.writeJobs());
  }

  append(job: NewJob, options: { dedup?: DedupClaim } = {}): Promise<AppendResult> {
    const { statements } = this;
    const jobDoc = JSON.stringify({ ...job, pages: undefined, pageCount: job.pages.length });
    return this.batch.run((): AppendResult => {
      const { dedup } = options;
      const queue = this.batchQueue(job.listenerId);
      const full = this.queueFull(queue);
      if (full) {
        // A live duplicate is answered as one even when the queue is full (as on MongoDB).
        const original = dedup ? this.liveClaim(job.listenerId, dedup.key, job.receivedAt) : undefined;
        if (original) return { status: 'duplicate', response: original };
        throw full;
      }
      // The claim is the last check and the only change: one statement where a lookup and a write were
      // (the ingest path looked the key up before building the job; this catches the requests in between).
      if (dedup && statements.claimDedup.run(job.listenerId, dedup.key, dedup.expiresAt, JSON.stringify(dedup.response), job.receivedAt).changes === 0) {
        return { status: 'duplicate', response: this.liveClaim(job.listenerId, dedup.key, job.receivedAt)! };
      }
      const seq = queue.lastSeq + 1;
      // Rows are inserted together at the end of the batch (writeJobs): one statement for many jobs.
      this.pendingJobRows.push([job.id, job.listenerId, seq, job.receivedAt, jobDoc]);
      job.pages.forEach((page, index) => {
        this.pendingPageRows.push([
          job.id, index, page.count, JSON.stringify(page.traceKeys), page.dataUris ? JSON.stringify(page.dataUris) : null,
          page.recordsJson,
        ]);
      });
      queue.lastSeq = seq;
      queue.dirty = true;
      return { status: 'accepted', seq };
      // The claim is the only change and comes after every check: no savepoint is needed.
    }, { isolated: false });
  }

  /** The refusal when a flow (or, with none, the listener) is at its limit. */
  private queueFull(queue: BatchQueue): QueueFullError | undefined {
    if (queue.flows.length === 0) {
      const waiting = queue.lastSeq - queue.floorSeq;
      if (waiting >= this.unattachedLimit) return new QueueFullError(null, waiting);
    }
    for (const flow of queue.flows) {
      const depth = queue.lastSeq - flow.cursor_seq;
      if (depth >= flow.max_queued) return new QueueFullError(flow.id, depth);
    }
    return undefined;
  }

  /** The response stored with a claim on `key` still live at `at`. */
  private liveClaim(listenerId: string, key: string, at: string): StoredResponse | undefined {
    const row = this.statements.findDedup.get(listenerId, key) as { expires_at: string; response: string } | undefined;
    return row && row.expires_at > at ? (JSON.parse(row.response) as StoredResponse) : undefined;
  }

  /**
   * A listener's sequence and its flows' cursors, read once per batch: the
   * batch's appends then number their jobs in memory, and `writeSequences`
   * stores the final number before the commit. Dropped after every batch.
   */
  private batchQueue(listenerId: string): BatchQueue {
    let queue = this.batchQueues.get(listenerId);
    if (!queue) {
      const row = this.statements.listenerQueue.get(listenerId) as ListenerQueueRow | undefined;
      if (!row) throw new Error(`listener ${listenerId} does not exist`);
      const flows = this.statements.flowQueues.all(listenerId) as FlowQueueRow[];
      queue = { lastSeq: row.last_seq, floorSeq: row.floor_seq, flows, dirty: false };
      this.batchQueues.set(listenerId, queue);
    }
    return queue;
  }

  /** See FlowCollection.settleQueue. */
  settleQueue(listenerId: string): void {
    const queue = this.batchQueues.get(listenerId);
    if (!queue) return;
    if (queue.dirty) this.statements.bumpSeq.run(queue.lastSeq, listenerId);
    this.batchQueues.delete(listenerId);
  }

  private writeJobs(): void {
    this.insertRows('jobs (id, listener_id, seq, received_at, doc)', 5, this.pendingJobRows);
    this.insertRows('job_pages (job_id, page_index, record_count, trace_keys, data_uris, records)', 6, this.pendingPageRows);
    this.pendingJobRows = [];
    this.pendingPageRows = [];
  }

  /** Multi-row INSERTs, up to MAX_ROWS_PER_INSERT rows each, statements cached by row count. */
  private insertRows(target: string, columns: number, rows: unknown[][]): void {
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + MAX_ROWS_PER_INSERT);
      const key = `${target}|${chunk.length}`;
      let statement = this.multiInserts.get(key);
      if (!statement) {
        const row = `(${new Array(columns).fill('?').join(', ')})`;
        statement = this.db.prepare(`INSERT INTO ${target} VALUES ${new Array(chunk.length).fill(row).join(', ')}`);
        this.multiInserts.set(key, statement);
      }
      statement.run(...chunk.flat());
    }
  }

  private writeSequences(): void {
    for (const [listenerId, queue] of this.batchQueues) {
      if (queue.dirty) this.statements.bumpSeq.run(queue.lastSeq, listenerId);
    }
  }
}
