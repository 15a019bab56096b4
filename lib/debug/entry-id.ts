/**
 * Debug log entry ids sort in capture order (see timeOrderedId), so that
 * "newest first" and the `before` cursor are plain comparisons of ids in every store.
 */
import { timeOrderedId } from '../ids';

export function debugEntryId(capturedAtMs: number): string {
  return timeOrderedId(capturedAtMs);
}

export const DEBUG_ENTRY_ID = /^[a-z0-9]{32}$/;
