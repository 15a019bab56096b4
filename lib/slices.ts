/**
 * Cooperative slicing for work that grows with the size of one request (records
 * of a large batch: trace keys, data URIs, pages; the depth scan of a large body;
 * the stored sample). The work runs in slices, and
 * whenever a turn has used its budget the event loop gets a turn (setImmediate),
 * so other listeners and the admin API keep being served while a maximal request
 * is split (hardening issue #11, finding 1). It does not make the work cheaper,
 * and it does not split work that is one call (JSON.parse, one SQLite commit).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** Records handled between two looks at the clock. */
const SLICE = 128;
/** Longest run of this work in one turn of the event loop, ms. */
export const TURN_BUDGET_MS = 8;

/**
 * Calls `work(from, to)` over `[0, count)` in slices of at most `slice` items
 * (128 records unless told), yielding to the event loop whenever more than
 * `budgetMs` passed since the last yield. Small inputs run in one go, without a yield.
 */
export async function inSlices(count: number, work: (from: number, to: number) => void, budgetMs = TURN_BUDGET_MS, slice = SLICE): Promise<void> {
  let turnStarted = performance.now();
  for (let from = 0; from < count; from += slice) {
    work(from, Math.min(count, from + slice));
    if (from + slice < count && performance.now() - turnStarted > budgetMs) {
      await nextTurn();
      turnStarted = performance.now();
    }
  }
}

/** The turn budget of one long task that is not a loop over a count (json-in-slices.ts). */
export class TurnBudget {
  private turnStarted = performance.now();

  constructor(private readonly budgetMs = TURN_BUDGET_MS) {}

  /** Lets the event loop turn if this task has used its budget since the last turn. */
  async pause(): Promise<void> {
    if (performance.now() - this.turnStarted <= this.budgetMs) return;
    await nextTurn();
    this.turnStarted = performance.now();
  }
}
