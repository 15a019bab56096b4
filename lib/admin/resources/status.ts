/** The listener status endpoint (SPEC §14): readable by every role. */
import { AttachmentSchema } from '../../attach/attach-schema';
import { Type } from '@sinclair/typebox';
import type { StatusService } from '../../status/status-service';
import { ALL_ROLES, type AdminRoutes } from '../routes';
import { DebugStateSchema } from './debug';
import { RetryWaitSchema } from '../views';

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const StatusSchema = Type.Object({
  listenerId: Type.String(),
  lastRequestAt: NullableTime,
  lastAcceptedAt: NullableTime,
  lastHour: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Record(Type.String(), Type.Integer(), { description: 'HTTP status (or "aborted") → requests in the last 60 minutes' }),
    unrouted: Type.Integer({ description: 'of those, requests to a shared listener whose uid matched no connection' }),
  }),
  limiter: Type.Object({
    fill: Type.Number({ minimum: 0, maximum: 1, description: 'how full the leaky bucket is now, 0–1' }),
    capacity: Type.Integer(),
    leakPerSecond: Type.Number(),
  }),
  flows: Type.Array(
    Type.Object({
      id: Type.String(), name: Type.String(), enabled: Type.Boolean(), queueDepth: Type.Integer(), maxQueuedJobs: Type.Integer(),
      oldestWaitingSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'age of the oldest job the flow has not passed' }),
      retryWait: Type.Union([RetryWaitSchema, Type.Null()], { description: 'the request waiting for its next attempt, if any' }),
      replaysQueued: Type.Integer(),
    }),
  ),
  debug: DebugStateSchema,
  attach: Type.Optional(Type.Union([AttachmentSchema, Type.Null()], { description: 'with attach: where the webhook stands with the partner' })),
});

export function addStatusRoutes(routes: AdminRoutes, status: StatusService): void {
  routes.add(
    { method: 'get', path: '/listeners/:id/status', tag: 'listeners', roles: ALL_ROLES,
      summary: 'Listener status: last request, counts by status for the last hour, limiter fill, queue depth per flow, debug state',
      response: { status: 200, schema: StatusSchema }, errors: [404] },
    (req) => status.status(String(req.params.id)),
  );
}
