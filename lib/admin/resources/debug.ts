/**
 * Debug sessions and their logs (SPEC §13). Every role may start, stop and
 * read: support staff start a session while a partner resends, then read what
 * arrived.
 */
import type { Request } from 'express';
import { Type } from '@sinclair/typebox';
import { DEFAULT_DEBUG_MINUTES, type DebugService } from '../../debug/debug-service';
import { DEBUG_ENTRY_ID } from '../../debug/entry-id';
import { compileValidator, invalid } from '../../schema';
import { ALL_ROLES, type AdminRoutes } from '../routes';

const StartSchema = Type.Object(
  { minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: DEFAULT_DEBUG_MINUTES, description: 'how long to capture, 1–60' })) },
  { additionalProperties: false },
);
const validateStart = compileValidator(StartSchema);

export const DebugStateSchema = Type.Object({
  active: Type.Boolean(),
  debugUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  secondsLeft: Type.Integer(),
  entries: Type.Integer({ description: 'entries the current or latest session captured' }),
  maxEntries: Type.Integer(),
  capped: Type.Boolean({ description: 'the session reached maxEntries and stopped recording' }),
});

const CapturedBodySchema = Type.Union([
  Type.Object({
    encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
    content: Type.String(),
    bytes: Type.Integer(),
    truncated: Type.Boolean(),
    source: Type.Union([Type.Literal('raw'), Type.Literal('parsed')]),
  }),
  Type.Null(),
]);

const DebugEntrySchema = Type.Object(
  {
    id: Type.String(),
    session: Type.String({ format: 'date-time' }),
    capturedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    requestId: Type.String(),
    method: Type.String(),
    path: Type.String({ description: 'the secret segment masked' }),
    query: Type.Record(Type.String(), Type.Unknown()),
    headers: Type.Record(Type.String(), Type.Unknown()),
    body: CapturedBodySchema,
    verification: Type.Union([Type.Object({ ok: Type.Boolean(), reason: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    parse: Type.Union([Type.Object({ ok: Type.Boolean(), error: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    recordCount: Type.Union([Type.Integer(), Type.Null()]),
    jobId: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
    response: Type.Object({ status: Type.Integer(), headers: Type.Record(Type.String(), Type.Unknown()), body: CapturedBodySchema }),
    durationMs: Type.Number(),
  },
  { additionalProperties: true },
);

const LogsQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'entries per list page' })),
  before: Type.Optional(Type.String({ pattern: DEBUG_ENTRY_ID.source, description: 'the nextCursor of the previous list page, or an entry id: only older entries' })),
});

function logOptions(req: Request): { limit: number; before: string | undefined } {
  const { limit, before } = req.query as Record<string, unknown>;
  let parsedLimit = 50;
  if (limit !== undefined) {
    parsedLimit = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!(parsedLimit >= 1 && parsedLimit <= 500)) throw invalid([{ path: '/query/limit', message: 'must be an integer from 1 to 500' }]);
  }
  if (before !== undefined && (typeof before !== 'string' || !DEBUG_ENTRY_ID.test(before))) {
    throw invalid([{ path: '/query/before', message: 'must be an entry id or the nextCursor of a previous list page' }]);
  }
  return { limit: parsedLimit, before: before as string | undefined };
}

export function addDebugRoutes(routes: AdminRoutes, debug: DebugService): void {
  const tag = 'debug';
  routes.add(
    // The body is optional: no body means 15 minutes.
    { method: 'post', path: '/listeners/:id/debug', tag, roles: ALL_ROLES, body: StartSchema, bodyOptional: true,
      summary: 'Start a debug session: body {"minutes": 1–60}, default 15 (any role, support included)',
      response: { status: 200, schema: Type.Object({ debugUntil: Type.String({ format: 'date-time' }) }) }, errors: [404] },
    async (req) => {
      const result = validateStart(req.body === undefined ? {} : structuredClone(req.body));
      if (!result.ok) throw invalid(result.errors);
      return debug.start(String(req.params.id), result.value.minutes ?? DEFAULT_DEBUG_MINUTES);
    },
  );
  routes.add(
    { method: 'delete', path: '/listeners/:id/debug', tag, roles: ALL_ROLES, summary: 'Stop the debug session now',
      response: { status: 204, description: 'Stopped' }, errors: [404] },
    async (req) => {
      await debug.stop(String(req.params.id));
    },
  );
  routes.add(
    { method: 'get', path: '/listeners/:id/debug/logs', tag, roles: ALL_ROLES, query: LogsQuerySchema,
      summary: 'Captured requests, newest first; capped is true when the session reached debug.maxEntries',
      response: {
        status: 200,
        schema: Type.Object({
          items: Type.Array(DebugEntrySchema),
          nextCursor: Type.Union([Type.String(), Type.Null()]),
          capped: Type.Boolean(),
          debug: DebugStateSchema,
        }),
      },
      errors: [404] },
    (req) => debug.logs(String(req.params.id), logOptions(req)),
  );
}
