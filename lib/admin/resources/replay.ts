/** Replay (SPEC §11): deliver kept jobs again to a flow. For admin and integrator. */
import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import type { FlowReplays, ReplayRequest } from '../../flows/replay';
import { WRITERS, type AdminRoutes } from '../routes';

const Id = Type.String({ pattern: '^[a-z0-9]{32}$' });

const ReplayBodySchema = Type.Object(
  {
    jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'one job to replay' })),
    listenerId: Type.Optional({ ...Id, description: "a time range's listener (default: the flow's)" }),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'jobs received at or after this…' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: '…and before this' })),
  },
  { additionalProperties: false, description: 'a jobId, or a time range (from, to)' },
);

const ReplayReportSchema = Type.Object({
  flowId: Type.String(),
  replayed: Type.Array(Type.Object({ jobId: Type.String(), seq: Type.Integer(), receivedAt: Type.String({ format: 'date-time' }) }), {
    description: 'the jobs queued, in the order they will be sent',
  }),
});

export function addReplayRoutes(routes: AdminRoutes, replays: FlowReplays): void {
  routes.add(
    { method: 'post', path: '/flows/:id/replay', tag: 'flows', roles: WRITERS,
      summary: 'Deliver kept jobs again (one job, or a listener\'s jobs in a time range), queued behind what the flow has waiting',
      body: ReplayBodySchema, response: { status: 202, schema: ReplayReportSchema }, errors: [404, 422] },
    (req: Request) => replays.replay(String(req.params.id), req.body as ReplayRequest),
  );
}
