/**
 * The embedded store: one SQLite file in WAL mode. Reads run directly (they are
 * synchronous and fast); every write goes through the WriteBatch so the writes of
 * one event-loop turn share one transaction and one fsync. The resource
 * collections are in resource-collections.ts, job appends in appends.ts, delivery
 * state, schedule, debug logs and request history each in their own file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppendResult, DedupClaim, FlowCursor, JobDoc, NewJob, Sample, Store, StoredPage, StoredResponse } from '../store';
import { SqliteAppends } from './appends';
import {
  ApiKeyCollection, ConnectionCollection, FlowCollection, ImportCollection, ListenerCollection, type ListenerQueueRow,
} from './resource-collections';
import { SqliteDebugLogs } from './debug-logs';
import { SqliteRequestHistory } from './request-history';
import { SqliteDelivery } from './delivery';
import { SqliteSchedule } from './schedule';
import { openDatabase, type Database, type Statement } from './driver';
import { migrate } from './migrations';
import { WriteBatch } from './write-batch';
import { WalSync } from './wal-sync';
import { Checkpointer } from './checkpointer';
import { stringifyInSlices } from '../../json-in-slices';

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
  private readonly appends: SqliteAppends;
  /** Samples given since the last batch; `doc` is set once serialised (in slices, json-in-slices.ts). */
  private readonly pendingSamples = new Map<string, { sample: Sample; doc: string | undefined }>();
  /** The batch entry the pending samples ride on; unset once they are written. */
  private samplesWritten: Promise<void> | undefined;
  private readonly walSync: WalSync | undefined;
  /** WAL checkpoints on a worker thread, not inside a COMMIT (checkpointer.ts); none in memory. */
  private readonly checkpointer: Checkpointer | undefined;
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
    const durable = (options.synchronous ?? 'FULL') === 'FULL' && options.file !== ':memory:';
    this.walSync = durable ? new WalSync(options.file) : undefined;
    const walSync = this.walSync;
    this.checkpointer = options.file === ':memory:'
      ? undefined
      : new Checkpointer(this.db, options.file, {
        onError: (error) => process.emitWarning(`hookport: WAL checkpoints are back on the event loop: ${String(error)}`),
      });
    const checkpointer = this.checkpointer;
    this.batch = new WriteBatch(this.db, {
      ...(walSync ? { sync: () => walSync.sync() } : {}),
      ...(checkpointer ? { hold: () => checkpointer.hold() } : {}),
    });
    if (checkpointer) this.batch.afterEachBatch(() => checkpointer.afterCommit());
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
      findDedup: db.prepare('SELECT expires_at, response FROM dedup WHERE listener_id = ? AND key = ?'),
      setDedupResponse: db.prepare('UPDATE dedup SET response = ? WHERE listener_id = ? AND key = ?'),
      purgeDedup: db.prepare('DELETE FROM dedup WHERE rowid IN (SELECT rowid FROM dedup WHERE expires_at <= ? LIMIT ?)'),
      getJob: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      readJobs: db.prepare('SELECT * FROM jobs WHERE listener_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      pagesOf: db.prepare('SELECT * FROM job_pages WHERE job_id = ? ORDER BY page_index'),
      // The pages of the jobs readJobs returns, in one statement (delivery reads jobs in batches).
      pagesAfter: db.prepare(
        'SELECT p.* FROM (SELECT id, seq FROM jobs WHERE listener_id = ? AND seq > ? ORDER BY seq LIMIT ?) j JOIN job_pages p ON p.job_id = j.id ORDER BY j.seq, p.page_index',
      ),
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
    const appends = new SqliteAppends(this.db, this.batch, options.unattachedLimit ?? 10_000);
    this.appends = appends;
    this.flows.settleQueue = (listenerId) => appends.settleQueue(listenerId);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the store is closed');
    this.db.prepare('SELECT 1 AS ok').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batch.drain();
    await this.checkpointer?.close();
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

  /** See appends.ts: numbered in memory, written with the batch's other jobs. */
  appendJob(job: NewJob, options: { dedup?: DedupClaim } = {}): Promise<AppendResult> {
    return this.appends.append(job, options);
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

  private toJob(row: any, pageRows: any[] = this.statements.pagesOf.all(row.id) as any[]): JobDoc {
    const doc = JSON.parse(row.doc) as Omit<JobDoc, 'pages' | 'seq'>;
    const pages: StoredPage[] = pageRows.map((page) => ({
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
    const rows = this.statements.readJobs.all(listenerId, afterSeq, limit) as any[];
    if (rows.length <= 1) return rows.map((row) => this.toJob(row));
    // Two statements run back to back on this connection: no write of this process comes between them.
    const pagesOf = new Map<string, any[]>();
    for (const page of this.statements.pagesAfter.all(listenerId, afterSeq, limit) as any[]) {
      let pages = pagesOf.get(page.job_id);
      if (!pages) pagesOf.set(page.job_id, (pages = []));
      pages.push(page);
    }
    return rows.map((row) => this.toJob(row, pagesOf.get(row.id) ?? []));
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
    if (pending) return pending.sample;
    const row = this.statements.getSample.get(listenerId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Sample) : null;
  }

  /**
   * Coalesced: only the newest sample per listener is written, with the next batch.
   * The sample of a large request is serialised in slices before that batch, so
   * neither the JSON text nor the write holds the event loop long (#11 finding 1).
   */
  async saveSample(listenerId: string, sample: Sample): Promise<void> {
    const pending = { sample, doc: undefined as string | undefined };
    this.pendingSamples.set(listenerId, pending);
    pending.doc = (await stringifyInSlices(sample))!;
    // A newer sample of this listener came in meanwhile: that one is written instead.
    if (this.pendingSamples.get(listenerId) !== pending) return;
    // One batch entry for all the samples of a turn: they are written by writeSamples.
    this.samplesWritten ??= this.batch.run(() => undefined);
    return this.samplesWritten;
  }

  private writeSamples(): void {
    for (const [listenerId, pending] of this.pendingSamples) {
      // Still being serialised: it brings its own batch entry when done.
      if (pending.doc === undefined) continue;
      this.statements.upsertSample.run(listenerId, pending.doc);
      this.pendingSamples.delete(listenerId);
    }
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
