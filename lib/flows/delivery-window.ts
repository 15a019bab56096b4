/**
 * The pages a keyed flow (lib/flows/keyed-worker.ts) may work on: every page
 * from the flow's cursor on, in the listener's order, each waiting, running or
 * done. Nothing here touches the store or the network.
 *
 * - The cursor is the durable low-water mark: every page before it is done.
 *   Pages done beyond it are remembered here only; `advance` pops the done
 *   pages at the front and says where the cursor may move.
 * - Only the first `size` pages from the cursor may start, so after a crash at
 *   most `size` pages beyond the stored cursor are sent again.
 * - The jobs held are counted in bytes (`bytes`), so that the reader
 *   (lib/flows/window-reader.ts) reads ahead by memory as well as by pages.
 * - A page may start when no earlier page of the window with the same key is
 *   waiting or running: pages of one key go one at a time, in order. A page
 *   with the key null has no order and may start whenever there is room.
 */
import type { FlowCursor, JobDoc } from '../store/store';
import { jobBytes } from './job-window';

export type SlotState = 'waiting' | 'running' | 'done';

/** One page of the window; a job with no page to send (routed to another tenant, or every record refused) is one slot too. */
export interface Slot {
  job: JobDoc;
  /** The page's index in its job; for a job with no page, 0. */
  pageIndex: number;
  /** Where the cursor stands once this slot and every earlier one are done. */
  after: FlowCursor;
  /** The job is routed to another tenant's flows (lib/flows/tenant-routing.ts): nothing to send or record here. */
  skip: boolean;
  key: string | null;
  state: SlotState;
}

/** The slots of a job read at `from` (the cursor, or the previous job's end); pages before `from.page` are done already. */
export function slotsOf(job: JobDoc, from: FlowCursor, skip: boolean, key: (pageIndex: number) => string | null): Slot[] {
  const passed = { seq: job.seq, page: 0 };
  if (skip || job.pages.length === 0) return [{ job, pageIndex: 0, after: passed, skip, key: null, state: 'waiting' }];
  const slots: Slot[] = [];
  for (let pageIndex = from.page; pageIndex < job.pages.length; pageIndex++) {
    const last = pageIndex + 1 === job.pages.length;
    slots.push({ job, pageIndex, after: last ? passed : { seq: from.seq, page: pageIndex + 1 }, skip: false, key: key(pageIndex), state: 'waiting' });
  }
  return slots;
}

export class DeliveryWindow {
  private slots: Slot[] = [];
  /** The stored text of the jobs the window holds (a job counts until its last slot is popped). */
  private held = 0;

  /**
   * @param cursor the flow's stored cursor this window starts at
   * @param term the lease term it was read under; a new term starts a new window
   */
  constructor(public cursor: FlowCursor, readonly term: number) {}

  /** Where the next job read starts: after the last job in the window, or at the cursor. */
  get readFrom(): FlowCursor {
    const last = this.slots.at(-1);
    return last ? last.after : this.cursor;
  }

  get length(): number {
    return this.slots.length;
  }

  /** The stored text of the jobs held, about (lib/flows/job-window.ts jobBytes). */
  get bytes(): number {
    return this.held;
  }

  /** Adds the slots of one job (slotsOf). */
  add(slots: readonly Slot[]): void {
    this.slots.push(...slots);
    if (slots.length > 0) this.held += jobBytes(slots[0]!.job);
  }

  /** Waiting slots among the first `size` that may start now, in order, at most `limit`. */
  startable(size: number, limit: number): Slot[] {
    const found: Slot[] = [];
    const taken = new Set<string>();
    for (const slot of this.slots.slice(0, size)) {
      if (found.length >= limit) break;
      if (slot.state === 'done') continue;
      if (slot.key !== null) {
        if (taken.has(slot.key)) continue;
        taken.add(slot.key);
      }
      if (slot.state === 'waiting') found.push(slot);
    }
    return found;
  }

  /**
   * Pops the done slots at the front: the cursor after them and the jobs they
   * finished (whose last slot was among them), or null when the front is not done.
   */
  advance(): { from: FlowCursor; to: FlowCursor; passed: JobDoc[]; count: number } | null {
    let count = 0;
    while (count < this.slots.length && this.slots[count]!.state === 'done') count++;
    if (count === 0) return null;
    const popped = this.slots.splice(0, count);
    const from = this.cursor;
    const to = popped.at(-1)!.after;
    this.cursor = to;
    const passed = popped.filter((slot) => slot.after.page === 0).map((slot) => slot.job);
    for (const job of passed) this.held -= jobBytes(job);
    return { from, to, passed, count };
  }

  /** Gives every slot not done a new key (the flow's orderingKey changed); call with nothing running. */
  rekey(key: (slot: Slot) => string | null): void {
    for (const slot of this.slots) if (slot.state !== 'done') slot.key = slot.skip || slot.job.pages.length === 0 ? null : key(slot);
  }
}
