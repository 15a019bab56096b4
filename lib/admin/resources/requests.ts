/** `GET /api/v1/listeners/{id}/requests`: the listener's request history (lib/history/), newest first. */
import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import type { FieldError } from '../../errors';
import type { ListenerService } from '../../listeners/listener-service';
import { invalid } from '../../schema';
import type { RequestHistoryQuery, Store } from '../../store/store';
import { listOptions, ListQuerySchema, listPageSchema } from '../list-query';
import { ALL_ROLES, type AdminRoutes } from '../routes';

const RequestRecordSchema = Type.Object({
  id: Type.String(), listenerId: Type.String(), requestId: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }), method: Type.String(), status: Type.Integer(),
  outcome: Type.String({ description: 'accepted, duplicate, filtered, handshake, or the error code (ERR_…)' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it was refused (verifier reason, parse error), if it was' }),
  jobId: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Number(),
});

const RequestsQuerySchema = Type.Composite([
  ListQuerySchema,
  Type.Object({
    outcome: Type.Optional(Type.String({ description: 'comma-separated outcomes, e.g. accepted or ERR_UNAUTHORIZED,ERR_MALFORMED_BODY' })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'only requests received at or after this time' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'only requests received before this time' })),
  }),
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function timeParameter(req: Request, name: 'since' | 'until', errors: FieldError[]): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  // RFC 3339 date-time, as the document says (Date.parse alone takes "0.5" for a date).
  const time = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    errors.push({ path: `/query/${name}`, message: 'must be an ISO-8601 time such as 2026-11-01T12:00:00Z' });
    return undefined;
  }
  return new Date(time).toISOString();
}

function historyQuery(req: Request): RequestHistoryQuery {
  const { limit, after } = listOptions(req);
  const errors: FieldError[] = [];
  const since = timeParameter(req, 'since', errors);
  const until = timeParameter(req, 'until', errors);
  const outcome = req.query.outcome;
  if (outcome !== undefined && typeof outcome !== 'string') errors.push({ path: '/query/outcome', message: 'must be a comma-separated list' });
  if (errors.length > 0) throw invalid(errors);
  const outcomes = typeof outcome === 'string' ? outcome.split(',').map((item) => item.trim()).filter(Boolean) : undefined;
  return { limit, after, outcomes, since, until };
}

export function addRequestHistoryRoutes(routes: AdminRoutes, listeners: ListenerService, store: Store): void {
  routes.add(
    { method: 'get', path: '/listeners/:id/requests', tag: 'listeners',
      summary: "The listener's last requests (always on; no headers or bodies), newest first, filtered by outcome and time",
      roles: ALL_ROLES, query: RequestsQuerySchema, response: { status: 200, schema: listPageSchema(RequestRecordSchema) }, errors: [404] },
    async (req) => {
      const id = String(req.params.id);
      await listeners.getState(id);
      return store.requestHistory.list(id, historyQuery(req));
    },
  );
}
