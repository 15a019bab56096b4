/**
 * The schedule section of the store in SQLite (migration `040-delivery-schedule`):
 * a flow's retry wait as JSON in `flows.retry_wait`, beside its cursor, and one
 * `replays` row per queued replay, ordered by insertion. Writes go through the
 * store's WriteBatch like every other write.
 */
import { DuplicateKeyError, type ReplayDoc, type RetryWait, type ScheduleStore } from '../store';
import type { Database, Statement } from './driver';
import type { WriteBatch } from './write-batch';

function prepare(db: Database) {
  return {
    getWait: db.prepare('SELECT retry_wait FROM flows WHERE id = ?'),
    setWait: db.prepare('UPDATE flows SET retry_wait = ? WHERE id = ?'),
    oldestWaiting: db.prepare(
      'SELECT j.received_at FROM flows f JOIN jobs j ON j.listener_id = f.listener_id AND j.seq > f.cursor_seq WHERE f.id = ? ORDER BY j.seq LIMIT 1',
    ),
    insertReplay: db.prepare('INSERT INTO replays (id, flow_id, job_id, page, doc) VALUES (?, ?, ?, ?, ?)'),
    nextReplay: db.prepare('SELECT doc, page FROM replays WHERE flow_id = ? ORDER BY ord LIMIT 1'),
    countReplays: db.prepare('SELECT COUNT(*) AS n FROM replays WHERE flow_id = ?'),
    moveReplay: db.prepare('UPDATE replays SET page = ? WHERE id = ? AND page = ?'),
    dropReplay: db.prepare('DELETE FROM replays WHERE id = ? AND page = ?'),
  } satisfies Record<string, Statement>;
}

export class SqliteSchedule implements ScheduleStore {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database, private readonly batch: WriteBatch) {
    this.s = prepare(db);
  }

  async getRetryWait(flowId: string): Promise<RetryWait | null> {
    const row = this.s.getWait.get(flowId) as { retry_wait: string | null } | undefined;
    return row?.retry_wait ? (JSON.parse(row.retry_wait) as RetryWait) : null;
  }

  setRetryWait(flowId: string, wait: RetryWait | null): Promise<void> {
    const json = wait ? JSON.stringify(wait) : null;
    return this.batch.run(() => {
      this.s.setWait.run(json, flowId);
    });
  }

  async oldestWaiting(flowId: string): Promise<string | null> {
    const row = this.s.oldestWaiting.get(flowId) as { received_at: string } | undefined;
    return row?.received_at ?? null;
  }

  enqueueReplays(replays: readonly ReplayDoc[]): Promise<void> {
    if (replays.length === 0) return Promise.resolve();
    return this.batch.run(() => {
      for (const replay of replays) {
        try {
          this.s.insertReplay.run(replay.id, replay.flowId, replay.jobId, replay.page, JSON.stringify(replay));
        } catch (error) {
          if (String((error as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) throw new DuplicateKeyError(`replays: ${(error as Error).message}`);
          throw error;
        }
      }
    });
  }

  async nextReplay(flowId: string): Promise<ReplayDoc | null> {
    const row = this.s.nextReplay.get(flowId) as { doc: string; page: number } | undefined;
    return row ? { ...(JSON.parse(row.doc) as ReplayDoc), page: row.page } : null;
  }

  async countReplays(flowId: string): Promise<number> {
    return (this.s.countReplays.get(flowId) as { n: number }).n;
  }

  advanceReplay(id: string, from: number, to: number | null): Promise<boolean> {
    return this.batch.run(() => (to === null ? this.s.dropReplay.run(id, from) : this.s.moveReplay.run(to, id, from)).changes > 0);
  }
}
