/** The query of every admin list endpoint: `limit` and the cursor `after` (the `nextCursor` of the previous list page). */
import type { Request } from 'express';
import { Type } from '@sinclair/typebox';
import { invalid } from '../schema';
import type { ListOptions } from '../store/store';

/** Every list's nextCursor is base64url (the store's encodings); anything else is refused before the store sees it. */
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;

export const ListQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'items per list page' })),
  after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 512, description: 'the nextCursor of the previous list page, exactly as given (base64url); any other value is a 400' })),
});

export function listPageSchema(item: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Any>) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** `limit` (1–500, default 50) and `after` from the query string; 400 naming the parameter otherwise. */
export function listOptions(req: Request, defaultLimit = 50): ListOptions {
  const { limit, after } = req.query as Record<string, unknown>;
  let parsedLimit = defaultLimit;
  if (limit !== undefined) {
    parsedLimit = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!(parsedLimit >= 1 && parsedLimit <= 500)) throw invalid([{ path: '/query/limit', message: 'must be an integer from 1 to 500' }]);
  }
  if (after !== undefined && (typeof after !== 'string' || !CURSOR.test(after))) throw invalid([{ path: '/query/after', message: 'must be the nextCursor of a previous list page' }]);
  return { limit: parsedLimit, after: after as string | undefined };
}
