/**
 * The five resource collections of the embedded store: the generic CRUD of
 * collection.ts plus each kind's own lookups. Flows also place and keep their
 * cursor (see Store.flows), through the appends' per-batch queue state.
 */
import type { ApiKeyDoc, ConnectionDoc, FlowDoc, ImportDoc, ListenerDoc } from '../store';
import { SqliteCollection } from './collection';

/** A listener's sequence row: the newest seq, and the seq a first flow starts after. */
export interface ListenerQueueRow {
  last_seq: number;
  floor_seq: number;
}

export class ListenerCollection extends SqliteCollection<ListenerDoc> {
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

export class ApiKeyCollection extends SqliteCollection<ApiKeyDoc> {
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

export class ImportCollection extends SqliteCollection<ImportDoc> {
  private readonly byConnectionStatement = this.db.prepare('SELECT * FROM imports WHERE connection_id = ? ORDER BY created_at, id');

  async byConnection(connectionId: string): Promise<ImportDoc[]> {
    return (this.byConnectionStatement.all(connectionId) as any[]).map((row) => this.toDoc(row));
  }
}

export class ConnectionCollection extends SqliteCollection<ConnectionDoc> {
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

export class FlowCollection extends SqliteCollection<FlowDoc> {
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
