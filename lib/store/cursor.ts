/**
 * Opaque list cursors shared by the adapters: the (createdAt, id) of the last
 * item of a list page, base64url-encoded. Listing is ordered by that pair.
 */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** Returns null for anything that is not a cursor this code made. */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  return null;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this server gave out');
    this.name = 'InvalidCursorError';
  }
}

/** Opaque cursors over the sort values of a list page's last item (the adapters' delivery listings): base64url JSON. */
export function encodeValues(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of a cursor made by encodeValues with this shape. @throws InvalidCursorError otherwise. */
export function decodeValues<T extends Array<string | number>>(cursor: string, shape: Array<'string' | 'number'>): T {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === shape.length && parsed.every((value, i) => typeof value === shape[i])) return parsed as T;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
