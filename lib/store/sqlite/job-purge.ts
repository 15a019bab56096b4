/**
 * Which jobs the embedded store's retention purge deletes (DeliveryStore.purge),
 * found through the (listener_id, seq) index rather than by scanning the jobs
 * table: `received_at` has no index, and the former single query read every job
 * of the store for every chunk it deleted — its last, empty chunk alone took
 * ~0.1 s per 100,000 jobs kept, on the event loop.
 *
 * Per listener, its jobs are read in seq order from the oldest left, up to the
 * seq every flow has passed (with no flow, the floor a first flow would start
 * from; never the newest job, which the sequence continues from), and the walk
 * stops at the first job not older than the cut-off. A listener's jobs are
 * numbered in arrival order, so what follows that job arrived (nearly) as late:
 * one stamped a few milliseconds earlier behind it waits for the next pass,
 * which keeps a job longer, never shorter. A job a live flow still has to
 * replay stays and the walk goes on past it.
 *
 * Listeners are taken in id order and each call resumes at the listener where
 * the last one filled its chunk, so a pass over many listeners reads each once.
 */
import type { Database, Statement } from './driver';

/** Listeners read per query. */
const LISTENER_PAGE = 256;

interface ListenerBound {
  id: string;
  /** The highest seq this purge may delete. */
  up_to: number;
}

interface JobAge {
  id: string;
  received_at: string;
}

export class JobPurge {
  private readonly listenersFrom: Statement;
  private readonly oldestJobs: Statement;
  private readonly anyReplay: Statement;
  private readonly replayed: Statement;
  /** The listener the last call stopped at (its chunk was full); '' to start from the first. */
  private resumeAt = '';

  constructor(db: Database) {
    this.listenersFrom = db.prepare(
      'SELECT l.id, MIN(COALESCE((SELECT MIN(f.cursor_seq) FROM flows f WHERE f.listener_id = l.id), l.floor_seq), l.last_seq - 1) AS up_to ' +
        'FROM listeners l WHERE l.id >= ? ORDER BY l.id LIMIT ?',
    );
    this.oldestJobs = db.prepare('SELECT id, received_at FROM jobs WHERE listener_id = ? AND seq <= ? ORDER BY seq LIMIT ?');
    this.anyReplay = db.prepare('SELECT 1 AS one FROM replays LIMIT 1');
    this.replayed = db.prepare('SELECT 1 AS one FROM replays r JOIN flows rf ON rf.id = r.flow_id WHERE r.job_id = ? LIMIT 1');
  }

  /** Up to `limit` ids of jobs to delete; run inside the write batch that deletes them. */
  next(receivedBefore: string, limit: number): string[] {
    const ids: string[] = [];
    const checkReplays = this.anyReplay.get() !== undefined;
    let from = this.resumeAt;
    let pastFrom = false;
    for (;;) {
      const listeners = this.listenersFrom.all(from, LISTENER_PAGE) as ListenerBound[];
      for (const listener of listeners) {
        if (pastFrom && listener.id === from) continue; // the last one of the previous page
        if (listener.up_to < 1) continue;
        for (const job of this.oldestJobs.all(listener.id, listener.up_to, limit - ids.length) as JobAge[]) {
          if (job.received_at >= receivedBefore) break;
          if (checkReplays && this.replayed.get(job.id) !== undefined) continue;
          ids.push(job.id);
        }
        if (ids.length >= limit) {
          this.resumeAt = listener.id;
          return ids;
        }
      }
      if (listeners.length < LISTENER_PAGE) {
        this.resumeAt = '';
        return ids;
      }
      from = listeners[listeners.length - 1]!.id;
      pastFrom = true;
    }
  }
}
