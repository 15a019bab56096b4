/**
 * A listener's job sequence on MongoDB. A job's `_id` is `<listener>:<seq>`, so
 * inserting it claims the seq: of two instances inserting the same seq, exactly
 * one wins (unique `_id`), the other moves on. A writer tries seq n+1 only after
 * it has seen seq n (by reading it or by losing n to another writer), so seqs
 * are dense and become readable in order: a cursor never passes a job that
 * commits later.
 *
 * Finding the newest seq: each instance remembers the newest it saw (a hint) for
 * HINT_TTL_MS, then asks the database (`sort seq desc`, indexed on MongoDB).
 * From the hint it probes upward by `_id`, PROBE_WINDOW seqs at a time, to the
 * first free seq. A probe must never land on a purged seq: purge keeps the newest job and
 * deletes nothing younger than PURGE_MIN_AGE_MS, far older than any hint.
 */
import type { Models } from './models';

export const HINT_TTL_MS = 10_000;
export const PURGE_MIN_AGE_MS = 10 * 60_000;
const PROBE_WINDOW = 8;

export function jobKey(listenerId: string, seq: number): string {
  return `${listenerId}:${String(seq).padStart(12, '0')}`;
}

export class SequenceHints {
  private readonly hints = new Map<string, { seq: number; at: number }>();

  constructor(private readonly models: Models) {}

  /** Remembers that `seq` exists. */
  saw(listenerId: string, seq: number): void {
    const hint = this.hints.get(listenerId);
    if (!hint || seq >= hint.seq) this.hints.set(listenerId, { seq, at: Date.now() });
  }

  /** The newest seq of the listener now (0 when none). */
  async newest(listenerId: string): Promise<number> {
    const hint = this.hints.get(listenerId);
    const start = hint && Date.now() - hint.at < HINT_TTL_MS ? hint.seq : await this.fromDatabase(listenerId);
    const newest = await this.probeFrom(listenerId, start);
    this.saw(listenerId, newest);
    return newest;
  }

  /**
   * Where this instance would append next without asking the database: its fresh
   * hint (an insert there fails if another instance is ahead, and the appender then
   * probes), or the newest seq when the hint is stale or missing.
   */
  async guess(listenerId: string): Promise<number> {
    const hint = this.hints.get(listenerId);
    return hint && Date.now() - hint.at < HINT_TTL_MS ? hint.seq : this.newest(listenerId);
  }

  /**
   * `seq` exists (or is 0): the greatest existing seq above it, by `_id` lookups:
   * the next seq, then the next PROBE_WINDOW seqs at once (one round trip while another instance
   * is not further ahead than that), so an instance that lost a race is ready
   * again as soon as the winner. `windowFirst`: the caller just lost `seq` to
   * another instance, so the single lookup is skipped.
   */
  async probeFrom(listenerId: string, seq: number, windowFirst = false): Promise<number> {
    let known = seq;
    if (!windowFirst) {
      // The common case, no other instance wrote since: one lookup.
      if (!(await this.exists(listenerId, seq + 1))) return seq;
      known = seq + 1;
    }
    for (; ; known += PROBE_WINDOW) {
      const found = await Promise.all(Array.from({ length: PROBE_WINDOW }, (_, i) => this.exists(listenerId, known + 1 + i)));
      const free = found.indexOf(false);
      if (free >= 0) return known + free;
    }
  }

  private async exists(listenerId: string, seq: number): Promise<boolean> {
    return (await this.models.jobs.exists({ _id: jobKey(listenerId, seq) })) !== null;
  }

  private async fromDatabase(listenerId: string): Promise<number> {
    const row = await this.models.jobs.findOne({ listenerId }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number }>();
    return row?.seq ?? 0;
  }
}
