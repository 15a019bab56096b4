/**
 * `appendJob` on MongoDB, group-committed: the appends of one event-loop turn to
 * a listener are written by one ordered `insertMany`, and no promise resolves
 * before the server acknowledged it (write concern majority, journaled). One
 * batch per listener is in flight at a time; appends arriving meanwhile form the
 * next one.
 *
 * A batch: (1) dedup claims, each a unique insert `<listener>:<sha256(key)>`;
 * (2) the queue limits (queues.ts); (3) seqs newest+1… claimed by inserting the
 * jobs themselves (sequence.ts). When another instance took seq k first, the jobs
 * before k are in, the rest are numbered again above the newest and retried.
 * A job that is refused or fails gives its dedup claim back.
 *
 * A claim whose job never appeared (its writer died between the two inserts) is
 * treated as absent after ORPHAN_CLAIM_MS; before that, a duplicate of it is
 * answered "unavailable" (503), so the sender retries instead of being told a
 * request was stored that may not have been.
 */
import crypto from 'node:crypto';
import type { AppendResult, DedupClaim, NewJob, StoredResponse } from '../store';
import { QueueFullError } from '../store';
import type { DedupRow, JobRow, Models } from './models';
import { failedIndex, insertUnlessTaken, isDuplicateKey } from './errors';
import { jobKey, type SequenceHints } from './sequence';
import type { QueueLimits, Queues } from './queues';

const ORPHAN_CLAIM_MS = 60_000;
const MAX_SEQ_RACES = 100;

interface Append {
  job: NewJob;
  dedup: DedupClaim | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export class DedupOriginalInFlightError extends Error {
  constructor() {
    super('a request with the same dedup key is still being stored; try again shortly');
    this.name = 'DedupOriginalInFlightError';
  }
}

export function dedupKey(listenerId: string, key: string): string {
  return `${listenerId}:${crypto.createHash('sha256').update(key).digest('base64url')}`;
}

export function jobRow(job: NewJob, seq: number): JobRow {
  return {
    _id: jobKey(job.listenerId, seq), jobId: job.id, listenerId: job.listenerId, seq, receivedAt: job.receivedAt,
    json: JSON.stringify({ ...job, pages: undefined }), pages: JSON.stringify(job.pages),
  };
}

export class Appends {
  private readonly listeners = new Map<string, { pending: Append[]; running: boolean }>();

  constructor(
    private readonly models: Models,
    private readonly hints: SequenceHints,
    private readonly queues: Queues,
    /** How many jobs a listener with no flow keeps for its first flow. */
    private readonly unattachedLimit: number,
  ) {}

  append(job: NewJob, dedup: DedupClaim | undefined): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      let state = this.listeners.get(job.listenerId);
      if (!state) {
        state = { pending: [], running: false };
        this.listeners.set(job.listenerId, state);
      }
      state.pending.push({ job, dedup, resolve, reject });
      if (!state.running) {
        state.running = true;
        setImmediate(() => void this.drain(job.listenerId));
      }
    });
  }

  /** Writes batches for the listener until nothing is pending. */
  private async drain(listenerId: string): Promise<void> {
    const state = this.listeners.get(listenerId)!;
    while (state.pending.length > 0) {
      const batch = state.pending;
      state.pending = [];
      const deferred = await this.writeBatch(listenerId, batch).catch((error: unknown) => {
        for (const entry of batch) entry.reject(error);
        return [];
      });
      state.pending.unshift(...deferred);
    }
    state.running = false;
    this.listeners.delete(listenerId);
  }

  /** Resolves or rejects each entry; returns those deferred to the next batch. */
  private async writeBatch(listenerId: string, batch: Append[]): Promise<Append[]> {
    const deferred: Append[] = [];
    const keys = new Set<string>();
    const claimed: Append[] = [];
    const claiming: Array<Promise<void>> = [];
    for (const entry of batch) {
      if (!entry.dedup) {
        claimed.push(entry);
        continue;
      }
      const key = dedupKey(listenerId, entry.dedup.key);
      // Two appends of one key in one batch: the second waits for the first's outcome.
      if (keys.has(key)) {
        deferred.push(entry);
        continue;
      }
      keys.add(key);
      claimed.push(entry);
      claiming.push(
        this.claim(key, entry).then(
          (duplicate) => {
            if (duplicate) {
              claimed.splice(claimed.indexOf(entry), 1);
              entry.resolve({ status: 'duplicate', response: duplicate });
            }
          },
          (error) => {
            claimed.splice(claimed.indexOf(entry), 1);
            entry.reject(error);
          },
        ),
      );
    }
    await Promise.all(claiming);
    if (claimed.length === 0) return deferred;

    const newest = await this.hints.guess(listenerId);
    const accepted = await this.checkLimits(listenerId, newest, claimed);
    try {
      await this.insertJobs(listenerId, newest, accepted);
    } catch (error) {
      for (const entry of accepted) entry.reject(error);
      await this.giveBackClaims(accepted);
    }
    return deferred;
  }

  /** Null when claimed; the original response when the key has a live claim. */
  private async claim(key: string, entry: Append): Promise<StoredResponse | null> {
    const { job, dedup } = entry;
    const row: DedupRow = {
      _id: key, listenerId: job.listenerId, expiresAt: dedup!.expiresAt, response: JSON.stringify(dedup!.response), jobId: job.id, claimedAt: Date.now(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await insertUnlessTaken(() => this.models.dedup.collection.insertOne(row as any))) return null;
      const existing = await this.models.dedup.findById(key).lean<DedupRow>();
      if (!existing) continue;
      const live = existing.expiresAt > job.receivedAt;
      if (live && (await this.models.jobs.exists({ jobId: existing.jobId }))) return JSON.parse(existing.response) as StoredResponse;
      if (live && Date.now() - existing.claimedAt < ORPHAN_CLAIM_MS) throw new DedupOriginalInFlightError();
      // Expired, or orphaned by a writer that died: remove exactly that claim, then claim again.
      await this.models.dedup.deleteOne({ _id: key, jobId: existing.jobId });
    }
    throw new DedupOriginalInFlightError();
  }

  private async giveBackClaims(entries: readonly Append[]): Promise<void> {
    const ids = entries.filter((e) => e.dedup).map((e) => dedupKey(e.job.listenerId, e.dedup!.key));
    if (ids.length === 0) return;
    await this.models.dedup.deleteMany({ _id: { $in: ids }, jobId: { $in: entries.map((e) => e.job.id) } }).catch(() => undefined);
  }

  /**
   * Refuses (QueueFullError) the entries over a limit, in order; returns the rest.
   * Limits read a moment ago may say "full" after the queue drained: a refusal is
   * only given against limits read fresh.
   */
  private async checkLimits(listenerId: string, newest: number, entries: Append[]): Promise<Append[]> {
    const limits = await this.queues.limits(listenerId);
    if (!this.anyOver(limits, newest, entries.length)) return entries;
    this.queues.forget(listenerId);
    return this.refuseOver(await this.queues.limits(listenerId), newest, entries);
  }

  private anyOver(limits: QueueLimits, newest: number, count: number): boolean {
    const last = newest + count - 1;
    if (limits.flows.length === 0) return last - limits.floorSeq >= this.unattachedLimit;
    return limits.flows.some((flow) => last - flow.cursorSeq >= flow.maxQueued);
  }

  private async refuseOver(limits: QueueLimits, newest: number, entries: Append[]): Promise<Append[]> {
    const accepted: Append[] = [];
    const refused: Append[] = [];
    for (const entry of entries) {
      const last = newest + accepted.length;
      let error: QueueFullError | undefined;
      if (limits.flows.length === 0) {
        if (last - limits.floorSeq >= this.unattachedLimit) error = new QueueFullError(null, last - limits.floorSeq);
      } else {
        const full = limits.flows.find((flow) => last - flow.cursorSeq >= flow.maxQueued);
        if (full) error = new QueueFullError(full.id, last - full.cursorSeq);
      }
      if (error) {
        entry.reject(error);
        refused.push(entry);
      } else accepted.push(entry);
    }
    await this.giveBackClaims(refused);
    return accepted;
  }

  /** Inserts the jobs in order at the next free seqs, renumbering after each lost race. */
  private async insertJobs(listenerId: string, newest: number, entries: Append[]): Promise<void> {
    let rest = entries;
    let next = newest + 1;
    for (let race = 0; rest.length > 0; race++) {
      if (race > MAX_SEQ_RACES) throw new Error(`could not claim a job sequence number for listener ${listenerId}`);
      const rows = rest.map((entry, i) => jobRow(entry.job, next + i));
      let written = rows.length;
      try {
        await this.models.jobs.collection.insertMany(rows as any[], { ordered: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        written = failedIndex(error) ?? 0;
      }
      rest.slice(0, written).forEach((entry, i) => entry.resolve({ status: 'accepted', seq: next + i }));
      if (written > 0) this.hints.saw(listenerId, next + written - 1);
      rest = rest.slice(written);
      // Seq `next + written` was taken by another instance: find the first free one past it.
      if (rest.length > 0) {
        const newest = await this.hints.probeFrom(listenerId, next + written, true);
        this.hints.saw(listenerId, newest);
        next = newest + 1;
      }
    }
  }
}
