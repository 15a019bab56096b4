/**
 * Deletes jobs every flow of their listener has passed once they are older than
 * `jobs.retainCompletedHours` (counted from arrival: a job is never deleted
 * before every flow passed it, and kept at least that long after it arrived), and
 * resolved errors as old. In chunks, so the store's write lock is never held long.
 */
import type { Store } from '../store/store';

const CHUNK = 500;

export async function purgeCompletedJobs(store: Store, olderThanMs: number): Promise<number> {
  const before = new Date(olderThanMs).toISOString();
  let total = 0;
  for (;;) {
    const removed = await store.delivery.purge(before, CHUNK);
    total += removed;
    if (removed < CHUNK) return total;
  }
}
