/**
 * The embedded store: one SQLite file in WAL mode. Reads run directly (they are
 * synchronous and fast); every write goes through the WriteBatch so the writes of
 * one event-loop turn share one transaction and one fsync.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  AppendResult, ApiKeyDoc, ConnectionDoc, DedupClaim, FlowCursor, FlowDoc, ImportDoc, JobDoc, ListenerDoc, NewJob, Sample, Store,
  StoredPage, StoredResponse,
} from '../store';
import { QueueFullError } from '../store';
import { SqliteCollection } from './collection';
import { SqliteDebugLogs } from './debug-logs';
import { SqliteRequestHistory } from './request-history';
import { SqliteDelivery } from './delivery';
import { SqliteSchedule } from './schedule';
import { openDatabase, type Database, type Statement } from './driver';
import { migrate } from './migrations';
import { WriteBatch } from './write-batch';
import { WalSync } from './wal-sync';

/** SQLite allows 32,766 parameters per statement; 50 rows of 6 stay far below. */
const MAX_ROWS_PER_INSERT = 50;

interface BatchQueue {
  lastSeq: number;
  floorSeq: number;
  flows: FlowQueueRow[];
  dirty: boolean;
}

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests that need no restart. */
  file: string;
  /**
   * FULL: a write resolves after the WAL is fsync'd (survives power loss).
   * NORMAL: after the commit (survives a process crash, not power loss).
   * Either way SQLite itself runs synchronous=NORMAL; the fsync is ours, off the event loop.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How many jobs a listener with no flow keeps for its first flow. */
  unattachedLimit?: number;
}

interface ListenerQueueRow {
  last_seq: number;
  floor_seq: number;
}

interface FlowQueueRow {
  id: string;
  max_queued: number;
  cursor_seq: number;
  cursor_page: number;
}

class ListenerCollection extends SqliteCollection<ListenerDoc> {
  private readonly allStatement = this.db.prepare('SELECT * FROM listeners ORDER BY created_at, id');

  async all(): Promise<ListenerDoc[]> {
    return (this.allStatement.all() as any[]).map((row) => this.toDoc(row));
  }

  async markDeleted(id: string, at: string): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, deletedAt: at, updatedAt: at }))) !== null;
  }

  async setDebugUntil(id: string, until: string | null): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, debugUntil: until }))) !== null;
  }

  async setAttachment(id: string, attachment: Record<string, unknown> | null): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, attachment }))) !== null;
  }
}

class ApiKeyCollection extends SqliteCollection<ApiKeyDoc> {
  private readonly byHash = this.db.prepare('SELECT * FROM api_keys WHERE key_hash = ?');
  private readonly countStatement = this.db.prepare('SELECT COUNT(*) AS n FROM api_keys');

  async findByHash(keyHash: string): Promise<ApiKeyDoc | null> {
    const row = this.byHash.get(keyHash) as any;
    return row ? this.toDoc(row) : null;
  }

  async count(): Promise<number> {
    return (this.countStatement.get() as { n: number }).n;
  }
}

class ImportCollection extends SqliteCollection<ImportDoc> {
  private readonly byConnectionStatement = this.db.prepare('SELECT * FROM imports WHERE connection_id = ? ORDER BY created_at, id');

  async byConnection(connectionId: string): Promise<ImportDoc[]> {
    return (this.byConnectionStatement.all(connectionId) as any[]).map((row) => this.toDoc(row));
  }
}

class ConnectionCollection extends SqliteCollection<ConnectionDoc> {
  private readonly byUidStatement = this.db.prepare('SELECT * FROM connections WHERE uid = ?');

  async byUid(uid: string): Promise<ConnectionDoc | null> {
    const row = this.byUidStatement.get(uid) as any;
    return row ? this.toDoc(row) : null;
  }

  private readonly reserveStatement = this.db.prepare(
    'UPDATE connections SET next_slot_at = MAX(next_slot_at, ?) + ? WHERE id = ? RETURNING next_slot_at',
  );

  reserveSlot(id: string, now: number, intervalMs: number): Promise<number | null> {
    return this.batch.run(() => {
      const row = this.reserveStatement.get(now, intervalMs, id) as { next_slot_at: number } | undefined;
      return row ? row.next_slot_at - intervalMs : null;
    });
  }
}

class FlowCollection extends SqliteCollection<FlowDoc> {
  /**
   * Set by the store: writes a listener's sequence numbered in memory during this
   * batch and forgets the cached queue state, so a flow change reads the real
   * sequence and later appends in the batch see the changed flows.
   */
  settleQueue: (listenerId: string) => void = () => undefined;

  private readonly byListenerStatement = this.db.prepare('SELECT * FROM flows WHERE listener_id = ? ORDER BY created_at, id');
  private readonly allStatement = this.db.prepare('SELECT * FROM flows ORDER BY created_at, id');

  async byListener(listenerId: string): Promise<FlowDoc[]> {
    return (this.byListenerStatement.all(listenerId) as any[]).map((row) => this.toDoc(row));
  }

  async byImport(importId: string): Promise<FlowDoc[]> {
    return (this.allStatement.all() as any[]).map((row) => this.toDoc(row)).filter((flow) => flow.imports.includes(importId) || flow.alert?.importId === importId);
  }

  /** Places the cursor in the same transaction as the insert (see Store.flows). */
  override insert(doc: FlowDoc): Promise<FlowDoc> {
    return this.batch.run(() => {
      this.settleQueue(doc.listenerId);
      const listener = this.db.prepare('SELECT last_seq, floor_seq FROM listeners WHERE id = ?').get(doc.listenerId) as
        | ListenerQueueRow
        | undefined;
      const siblings = (this.db.prepare('SELECT COUNT(*) AS n FROM flows WHERE listener_id = ?').get(doc.listenerId) as { n: number }).n;
      const cursor = !listener ? 0 : siblings === 0 ? listener.floor_seq : listener.last_seq;
      this.db
        .prepare('INSERT INTO flows (id, created_at, listener_id, max_queued, cursor_seq, cursor_page, doc) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(doc.id, doc.createdAt, doc.listenerId, doc.maxQueuedJobs, cursor, JSON.stringify(doc));
      return doc;
    });
  }

  /** With no flow left, the jobs the last one had not finished stay for the next first flow. */
  override delete(id: string): Promise<boolean> {
    return this.batch.run(() => {
      const flow = this.db.prepare('SELECT listener_id, cursor_seq FROM flows WHERE id = ?').get(id) as
        | { listener_id: string; cursor_seq: number }
        | undefined;
      if (!flow) return false;
      this.settleQueue(flow.listener_id);
      this.db.prepare('DELETE FROM flows WHERE id = ?').run(id);
      const left = (this.db.prepare('SELECT COUNT(*) AS n FROM flows WHERE listener_id = ?').get(flow.listener_id) as { n: number }).n;
      if (left === 0) this.db.prepare('UPDATE listeners SET floor_seq = ? WHERE id = ?').run(flow.cursor_seq, flow.listener_id);
      return true;
    });
  }
}

export class SqliteStore implements Store {
  readonly name = 'sqlite';
  readonly sharedByInstances = false;
  readonly apiKeys: ApiKeyCollection;
  readonly listeners: ListenerCollection;
  readonly imports: ImportCollection;
  readonly connections: ConnectionCollection;
  readonly flows: FlowCollection;
  readonly debugLogs: SqliteDebugLogs;
  readonly requestHistory: SqliteRequestHistory;
  readonly delivery: SqliteDelivery;
  readonly schedule: SqliteSchedule;

  private readonly db: Database;
  private readonly batch: WriteBatch;
  private readonly unattachedLimit: number;
  private readonly pendingSamples = new Map<string, Sample>();
  /** Job and page rows of the batch being built, inserted by writeJobs before the commit. */
  private pendingJobRows: unknown[][] = [];
  private pendingPageRows: unknown[][] = [];
  private readonly multiInserts = new Map<string, Statement>();
  /** The batch entry the pending samples ride on; unset once they are written. */
  private samplesWritten: Promise<void> | undefined;
  private readonly walSync: WalSync | undefined;
  /** Queue state read once per listener per batch; sequence numbers written at the batch's end. */
  private readonly batchQueues = new Map<string, BatchQueue>();
  private closed = false;
  private readonly statements: Record<string, Statement>;

  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') {
      fs.mkdirSync(path.dirname(options.file), { recursive: true });
      ownerOnly(options.file);
    }
    this.db = openDatabase(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = OFF');
    migrate(this.db);
    this.unattachedLimit = options.unattachedLimit ?? 10_000;
    const durable = (options.synchronous ?? 'FULL') === 'FULL' && options.file !== ':memory:';
    this.walSync = durable ? new WalSync(options.file) : undefined;
    const walSync = this.walSync;
    this.batch = new WriteBatch(this.db, walSync ? { sync: () => walSync.sync() } : {});
    this.batch.afterEachBatch(() => this.batchQueues.clear());
    // A failed batch must not leave its rows for the next one.
    this.batch.afterEachBatch(() => {
      this.pendingJobRows = [];
      this.pendingPageRows = [];
    });
    // Samples given after a batch (committed or not) ride on the next one.
    this.batch.afterEachBatch(() => (this.samplesWritten = undefined));

    this.apiKeys = new ApiKeyCollection(this.db, this.batch, {
      table: 'api_keys',
      columns: (doc) => ({ key_hash: doc.keyHash }),
    });
    this.listeners = new ListenerCollection(this.db, this.batch, {
      table: 'listeners',
      listFilter: 'deleted_at IS NULL',
      columns: (doc) => ({ deleted_at: doc.deletedAt }),
    });
    this.imports = new ImportCollection(this.db, this.batch, {
      table: 'imports',
      columns: (doc) => ({ connection_id: (doc.settings.connectionId as string | null | undefined) ?? null }),
    });
    this.connections = new ConnectionCollection(this.db, this.batch, {
      table: 'connections',
      columns: (doc) => ({ uid: doc.settings.uid ?? null }),
    });
    this.flows = new FlowCollection(this.db, this.batch, {
      table: 'flows',
      columns: (doc) => ({ listener_id: doc.listenerId, max_queued: doc.maxQueuedJobs }),
    });

    this.debugLogs = new SqliteDebugLogs(this.db, this.batch);
    this.requestHistory = new SqliteRequestHistory(this.db, this.batch);
    this.delivery = new SqliteDelivery(this.db, this.batch);
    this.schedule = new SqliteSchedule(this.db, this.batch);

    const db = this.db;
    this.statements = {
      listenerQueue: db.prepare('SELECT last_seq, floor_seq FROM listeners WHERE id = ?'),
      flowQueues: db.prepare('SELECT id, max_queued, cursor_seq, cursor_page FROM flows WHERE listener_id = ?'),
      bumpSeq: db.prepare('UPDATE listeners SET last_seq = ? WHERE id = ?'),
      findDedup: db.prepare('SELECT expires_at, response FROM dedup WHERE listener_id = ? AND key = ?'),
      upsertDedup: db.prepare(
        'INSERT INTO dedup (listener_id, key, expires_at, response) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (listener_id, key) DO UPDATE SET expires_at = excluded.expires_at, response = excluded.response',
      ),
      setDedupResponse: db.prepare('UPDATE dedup SET response = ? WHERE listener_id = ? AND key = ?'),
      purgeDedup: db.prepare('DELETE FROM dedup WHERE rowid IN (SELECT rowid FROM dedup WHERE expires_at <= ? LIMIT ?)'),
      getJob: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      readJobs: db.prepare('SELECT * FROM jobs WHERE listener_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      pagesOf: db.prepare('SELECT * FROM job_pages WHERE job_id = ? ORDER BY page_index'),
      flowCursor: db.prepare('SELECT listener_id, cursor_seq, cursor_page FROM flows WHERE id = ?'),
      moveCursor: db.prepare(
        'UPDATE flows SET cursor_seq = ?, cursor_page = ? WHERE id = ? AND lease_term = ? AND cursor_seq = ? AND cursor_page = ?',
      ),
      getSample: db.prepare('SELECT doc FROM samples WHERE listener_id = ?'),
      upsertSample: db.prepare(
        'INSERT INTO samples (listener_id, doc) VALUES (?, ?) ON CONFLICT (listener_id) DO UPDATE SET doc = excluded.doc',
      ),
    };
    this.batch.onEachBatch(() => this.writeSamples());
    this.batch.onEachBatch(() => this.writeSequences());
    this.batch.onEachBatch(() => this.writeJobs());
    this.flows.settleQueue = (listenerId) => this.settleQueue(listenerId);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the store is closed');
    this.db.prepare('SELECT 1 AS ok').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batch.drain();
    // Move everything from hookport.db-wal into hookport.db, so that the main file alone is the data (backups copy it).
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.walSync?.close();
    this.db.close();
  }

  /** VACUUM INTO: one read transaction, so it sees one committed state while other connections keep writing. */
  async backup(file: string): Promise<void> {
    if (fs.existsSync(file)) throw new Error(`${file} already exists: hookport does not overwrite a file with a backup`);
    await this.batch.drain();
    this.db.prepare('VACUUM INTO ?').run(file);
  }

  appendJob(job: NewJob, options: { dedup?: DedupClaim } = {}): Promise<AppendResult> {
    const { statements } = this;
    const jobDoc = JSON.stringify({ ...job, pages: undefined, pageCount: job.pages.length });
    return this.batch.run((): AppendResult => {
      if (options.dedup) {
        const existing = statements.findDedup.get(job.listenerId, options.dedup.key) as
          | { expires_at: string; response: string }
          | undefined;
        if (existing && existing.expires_at > job.receivedAt) {
          return { status: 'duplicate', response: JSON.parse(existing.response) as StoredResponse };
        }
      }
      const queue = this.batchQueue(job.listenerId);
      if (queue.flows.length === 0) {
        const waiting = queue.lastSeq - queue.floorSeq;
        if (waiting >= this.unattachedLimit) throw new QueueFullError(null, waiting);
      }
      for (const flow of queue.flows) {
        const depth = queue.lastSeq - flow.cursor_seq;
        if (depth >= flow.max_queued) throw new QueueFullError(flow.id, depth);
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
      if (options.dedup) {
        statements.upsertDedup.run(job.listenerId, options.dedup.key, options.dedup.expiresAt, JSON.stringify(options.dedup.response));
      }
      queue.lastSeq = seq;
      queue.dirty = true;
      return { status: 'accepted', seq };
      // Every check above runs before the first write, so no savepoint is needed.
    }, { isolated: false });
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
  private settleQueue(listenerId: string): void {
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

  async findDedup(listenerId: string, key: string, now: string): Promise<StoredResponse | null> {
    const row = this.statements.findDedup.get(listenerId, key) as { expires_at: string; response: string } | undefined;
    return row && row.expires_at > now ? (JSON.parse(row.response) as StoredResponse) : null;
  }

  updateDedupResponse(listenerId: string, key: string, response: StoredResponse): Promise<void> {
    return this.batch.run(() => {
      this.statements.setDedupResponse.run(JSON.stringify(response), listenerId, key);
    });
  }

  purgeExpiredDedup(now: string, limit: number): Promise<number> {
    return this.batch.run(() => this.statements.purgeDedup.run(now, limit).changes);
  }

  private toJob(row: any): JobDoc {
    const doc = JSON.parse(row.doc) as Omit<JobDoc, 'pages' | 'seq'>;
    const pages: StoredPage[] = (this.statements.pagesOf.all(row.id) as any[]).map((page) => ({
      recordsJson: page.records,
      count: page.record_count,
      traceKeys: JSON.parse(page.trace_keys),
      ...(page.data_uris ? { dataUris: JSON.parse(page.data_uris) } : {}),
    }));
    const { pageCount: _pageCount, ...rest } = doc as typeof doc & { pageCount?: number };
    return { ...rest, seq: row.seq, pages };
  }

  async getJob(id: string): Promise<JobDoc | null> {
    const row = this.statements.getJob.get(id);
    return row ? this.toJob(row) : null;
  }

  async readJobs(listenerId: string, afterSeq: number, limit: number): Promise<JobDoc[]> {
    return (this.statements.readJobs.all(listenerId, afterSeq, limit) as any[]).map((row) => this.toJob(row));
  }

  async lastSeq(listenerId: string): Promise<number> {
    const row = this.statements.listenerQueue.get(listenerId) as ListenerQueueRow | undefined;
    return row?.last_seq ?? 0;
  }

  async getFlowCursor(flowId: string): Promise<FlowCursor | null> {
    const row = this.statements.flowCursor.get(flowId) as { cursor_seq: number; cursor_page: number } | undefined;
    return row ? { seq: row.cursor_seq, page: row.cursor_page } : null;
  }

  advanceFlowCursor(flowId: string, term: number, from: FlowCursor, to: FlowCursor): Promise<boolean> {
    // Not waiting for the fsync (write-batch.ts): after a power cut the cursor may stand
    // back by the pages moved past during the last fsync, which are then sent again.
    // One statement: nothing to roll back if it throws, so no savepoint of its own.
    return this.batch.run(() => this.statements.moveCursor.run(to.seq, to.page, flowId, term, from.seq, from.page).changes > 0, { durable: false, isolated: false });
  }

  async queueDepth(flowId: string): Promise<number> {
    const flow = this.statements.flowCursor.get(flowId) as { listener_id: string; cursor_seq: number } | undefined;
    if (!flow) return 0;
    const queue = this.statements.listenerQueue.get(flow.listener_id) as ListenerQueueRow | undefined;
    return queue ? queue.last_seq - flow.cursor_seq : 0;
  }

  async getSample(listenerId: string): Promise<Sample | null> {
    const pending = this.pendingSamples.get(listenerId);
    if (pending) return pending;
    const row = this.statements.getSample.get(listenerId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Sample) : null;
  }

  /** Coalesced: only the newest sample per listener is written, with the next batch. */
  saveSample(listenerId: string, sample: Sample): Promise<void> {
    this.pendingSamples.set(listenerId, sample);
    // One batch entry for all the samples of a turn: they are written by writeSamples.
    this.samplesWritten ??= this.batch.run(() => undefined);
    return this.samplesWritten;
  }

  private writeSamples(): void {
    for (const [listenerId, sample] of this.pendingSamples) {
      this.statements.upsertSample.run(listenerId, JSON.stringify(sample));
    }
    this.pendingSamples.clear();
  }
}

/**
 * The database holds sealed secrets and every partner's payloads: owner-only
 * (0600), whatever the umask (#11 finding 10; they were 0644). The file is made
 * before SQLite opens it, and SQLite gives its -wal and -shm files the main
 * file's mode; files from an older start are tightened here too.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(name, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
