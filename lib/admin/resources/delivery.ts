/**
 * Admin routes of delivery (SPEC §11, §10): a flow's jobs, its errors and their
 * retry, and the flow test. Declared through AdminRoutes, so they enter the
 * OpenAPI document. Reads for every role, writes for admin and integrator.
 */
import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { listOptions, ListQuerySchema, listPageSchema } from '../list-query';
import { invalid } from '../../schema';
import type { DeliveryErrorStatus, Store } from '../../store/store';
import type { FlowService } from '../../flows/flow-service';
import type { DeliveryErrorService } from '../../flows/delivery-error-service';
import { listFlowJobs } from '../../flows/job-status';
import { testFlow, type FlowTestDeps } from '../../flows/flow-test';

const ErrorViewSchema = Type.Object(
  {
    id: Type.String(), flowId: Type.String(), listenerId: Type.String(), jobId: Type.String(), jobSeq: Type.Integer(),
    requestId: Type.String(), receivedAt: Type.String({ format: 'date-time' }),
    pageIndex: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a record too large for any page' }),
    importId: Type.Union([Type.String(), Type.Null()]), importIndex: Type.Integer(),
    recordIndexes: Type.Array(Type.Integer()), traceKeys: Type.Array(Type.String()), dataUris: Type.Optional(Type.Array(Type.String())),
    kind: Type.String({ description: 'http, network, timeout, template, oversized, mapping or config' }), message: Type.String(),
    response: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    attempts: Type.Integer(), idempotencyKey: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('open'), Type.Literal('retrying'), Type.Literal('resolved')]),
    retryCount: Type.Integer(), retryRequestedAt: Type.Union([Type.String(), Type.Null()]), resolvedAt: Type.Union([Type.String(), Type.Null()]),
    hasRetryData: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);

const PageStatusSchema = Type.Union(['queued', 'delivering', 'waiting', 'delivered', 'failed'].map((s) => Type.Literal(s)));

const JobViewSchema = Type.Object({
  id: Type.String(), seq: Type.Integer(), requestId: Type.String(), receivedAt: Type.String({ format: 'date-time' }),
  recordCount: Type.Integer(), status: PageStatusSchema, errors: Type.Integer({ description: 'open or retrying errors' }),
  pages: Type.Array(Type.Object({
    index: Type.Integer(), recordCount: Type.Integer(), traceKeys: Type.Array(Type.String()), status: PageStatusSchema, errors: Type.Integer(),
    attempts: Type.Optional(Type.Integer({ description: 'waiting: requests made so far' })),
    nextAttemptAt: Type.Optional(Type.String({ format: 'date-time', description: 'waiting: when the next attempt is due' })),
    lastError: Type.Optional(Type.Object({ kind: Type.String(), status: Type.Union([Type.Integer(), Type.Null()]), message: Type.String() })),
  })),
});

const ErrorQuerySchema = Type.Composite([
  ListQuerySchema,
  Type.Object({ status: Type.Optional(Type.Union(['open', 'retrying', 'resolved', 'all'].map((s) => Type.Literal(s)), { default: 'open' })) }),
]);

const RetryBodySchema = Type.Object(
  { ids: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9]{32}$' }), { maxItems: 10_000, description: 'omit to resubmit every open error' })) },
  { additionalProperties: false },
);

const RetryReportSchema = Type.Object({
  retried: Type.Array(Type.String()),
  skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
});

const FlowTestSchema = Type.Object({
  source: Type.Union([Type.Literal('mockOutput'), Type.Literal('sample')]),
  recordCount: Type.Integer(),
  imports: Type.Array(Type.Object({
    id: Type.String(), name: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
    requests: Type.Array(Type.Object({}, { additionalProperties: true })),
  })),
});

function errorStatus(req: Request): DeliveryErrorStatus | undefined {
  const status = req.query.status ?? 'open';
  if (status === 'all') return undefined;
  if (status === 'open' || status === 'retrying' || status === 'resolved') return status;
  throw invalid([{ path: '/query/status', message: 'must be one of "open", "retrying", "resolved", "all"' }]);
}

export interface DeliveryRouteDeps extends FlowTestDeps {
  store: Store;
  flows: FlowService;
  errors: DeliveryErrorService;
}

export function addDeliveryRoutes(routes: AdminRoutes, deps: DeliveryRouteDeps): void {
  const tag = 'flows';
  const id = (req: Request) => String(req.params.id);
  const errorId = (req: Request) => String(req.params.errorId);
  routes.add(
    { method: 'get', path: '/flows/:id/jobs', tag, summary: "A flow's jobs, newest first, with each page's delivery status", roles: ALL_ROLES,
      query: ListQuerySchema, response: { status: 200, schema: listPageSchema(JobViewSchema) }, errors: [404] },
    async (req) => listFlowJobs(deps.store, await deps.flows.getDoc(id(req)), listOptions(req)),
  );
  routes.add(
    { method: 'get', path: '/flows/:id/errors', tag, summary: "A flow's delivery errors in queue order (open ones unless ?status= says otherwise)",
      roles: ALL_ROLES, query: ErrorQuerySchema, response: { status: 200, schema: listPageSchema(ErrorViewSchema) }, errors: [404] },
    (req) => deps.errors.list(id(req), { ...listOptions(req), status: errorStatus(req) }),
  );
  routes.add(
    { method: 'get', path: '/flows/:id/errors/:errorId', tag, summary: 'One delivery error, with the records kept for its retry', roles: ALL_ROLES,
      response: { status: 200, schema: ErrorViewSchema }, errors: [404] },
    (req) => deps.errors.get(id(req), errorId(req)),
  );
  routes.add(
    { method: 'post', path: '/flows/:id/errors/retry', tag, summary: 'Resubmit the listed open errors, or every open error, in queue order',
      roles: WRITERS, body: RetryBodySchema, response: { status: 202, schema: RetryReportSchema }, errors: [404] },
    (req) => deps.errors.retryMany(id(req), (req.body as { ids?: string[] }).ids),
  );
  routes.add(
    { method: 'post', path: '/flows/:id/errors/:errorId/retry', tag, summary: 'Resubmit one open error: the flow sends it before its next page',
      roles: WRITERS, response: { status: 202, schema: ErrorViewSchema }, errors: [404, 409] },
    (req) => deps.errors.retry(id(req), errorId(req)),
  );
  routes.add(
    { method: 'post', path: '/flows/:id/errors/:errorId/resolve', tag, summary: 'Close an open error by hand, without sending it again',
      roles: WRITERS, response: { status: 200, schema: ErrorViewSchema }, errors: [404, 409] },
    (req) => deps.errors.resolve(id(req), errorId(req)),
  );
  routes.add(
    { method: 'post', path: '/flows/:id/test', tag, summary: "Run the flow's imports once on the listener's mockOutput (or sample); touches no queue",
      roles: WRITERS, response: { status: 200, schema: FlowTestSchema }, errors: [404, 422] },
    (req) => testFlow(deps, id(req)),
  );
}
