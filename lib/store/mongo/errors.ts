/**
 * Driver errors in the project's terms. A duplicate key is MongoDB's code 11000;
 * FerretDB answers a duplicate caused by an update with its backend's message
 * instead ("UNIQUE constraint failed" on SQLite, "duplicate key value violates
 * unique constraint" / SQLSTATE 23505 on PostgreSQL), so those count too. Anything else means the store is unavailable: the
 * caller answers 503 (see lib/store/store.ts).
 */
import { DuplicateKeyError } from '../store';

interface DriverError {
  code?: unknown;
  message?: unknown;
  writeErrors?: Array<{ code?: unknown; index?: number; errmsg?: string }> | { code?: unknown; index?: number };
}

const BACKEND_DUPLICATE = /UNIQUE constraint failed|duplicate key value violates unique constraint|SQLSTATE 23505/;

export function isDuplicateKey(error: unknown): boolean {
  const e = error as DriverError | null;
  if (!e) return false;
  if (e.code === 11000 || BACKEND_DUPLICATE.test(String(e.message))) return true;
  const first = firstWriteError(e);
  return first !== undefined && (first.code === 11000 || first.code === 1);
}

/** The index in an ordered insertMany where the first write failed, or undefined. */
export function failedIndex(error: unknown): number | undefined {
  return firstWriteError(error as DriverError | null)?.index;
}

function firstWriteError(e: DriverError | null): { code?: unknown; index?: number } | undefined {
  if (!e?.writeErrors) return undefined;
  return Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
}

/** Runs a write; a duplicate key becomes DuplicateKeyError. */
export async function translated<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new DuplicateKeyError(`${what}: ${String((error as Error).message)}`);
    throw error;
  }
}

/** Inserts one document; resolves false (nothing written) when its unique key is taken. */
export async function insertUnlessTaken(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
