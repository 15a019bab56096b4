/**
 * Opaque list cursors shared by the adapters: the (createdAt, id) of the last
 * item of a page, base64url-encoded. Listing is ordered by that pair.
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
