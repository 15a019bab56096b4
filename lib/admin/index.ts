/**
 * The HTTP layer's one mounting point: every /api/v1 resource, the OpenAPI
 * document built from the same declarations, JSON bodies, 404 for anything else
 * under /api/v1, and GET /metrics. Routes live in admin/ and depend on the
 * domain services; no domain folder imports admin/.
 */
import express, { type Express } from 'express';
import { AppError } from '../errors';
import type { Store } from '../store/store';
import type { ApiKeyService } from './api-keys-service';
import type { ListenerService } from '../listeners/listener-service';
import type { ImportService } from '../imports/import-service';
import type { FlowService } from '../flows/flow-service';
import type { FlowReplays } from '../flows/replay';
import type { DebugService } from '../debug/debug-service';
import type { StatusService } from '../status/status-service';
import type { StructureService } from '../structure/structure-service';
import type { Metrics } from '../metrics/metrics';
import type { ConnectionService } from '../connections/connection-service';
import type { ListenerRegistry } from '../ingest/listener-registry';
import { AdminRoutes } from './routes';
import { methodNotAllowed } from './method-not-allowed';
import { misdirectedWebhookHint } from './misdirected-webhook';
import type { Clock } from '../clock';
import { createIpAllowList } from '../security/ip-allow';
import { FailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter';
import { buildOpenApi } from './openapi';
import { metricsMount, type MetricsRouteOptions } from './metrics-route';
import { addApiKeyRoutes } from './resources/api-keys';
import { addListenerRoutes } from './resources/listeners';
import { addImportRoutes } from './resources/imports';
import { addFlowRoutes } from './resources/flows';
import { addConnectionRoutes } from './resources/connections';
import { addAttachRoute } from './resources/attach';
import { addPresetRoutes } from './resources/presets';
import { addSampleReadRoute } from './resources/samples';
import { addTestRequestRoute } from './resources/test-request';
import { addDeliveryRoutes, type DeliveryRouteDeps } from './resources/delivery';
import { addDebugRoutes } from './resources/debug';
import { addStatusRoutes } from './resources/status';
import { addStructureRoutes } from './resources/structure';
import { addReplayRoutes } from './resources/replay';
import { addRequestHistoryRoutes } from './resources/requests';

export interface AdminDeps {
  store: Store;
  apiKeys: ApiKeyService;
  listeners: ListenerService;
  imports: ImportService;
  flows: FlowService;
  /** Flow jobs, delivery errors and flow tests. */
  delivery: DeliveryRouteDeps;
  replays: FlowReplays;
  debug: DebugService;
  status: StatusService;
  structure: StructureService;
  metrics: Metrics;
  metricsOptions: MetricsRouteOptions;
  connections: ConnectionService;
  registry: ListenerRegistry;
  version: string;
  clock: Clock;
  /** Config `admin`: body cap and failed-authentication limit. */
  limits: { maxBodyBytes: number; failedAuth: FailedAuthLimits };
  trustedProxies: readonly string[];
}

/** Mounts /api/v1 and /metrics on `app`; returns the route declarations (the OpenAPI source). */
export function mountAdmin(app: Express, deps: AdminDeps): AdminRoutes {
  const router = express.Router();
  const clients = createIpAllowList([], [...deps.trustedProxies]);
  const routes = new AdminRoutes(router, deps.apiKeys, {
    maxBodyBytes: deps.limits.maxBodyBytes,
    failedAuth: new FailedAuthLimiter(deps.limits.failedAuth, deps.clock),
    clientOf: (req) => {
      const forwarded = req.headers['x-forwarded-for'];
      const remote = req.socket.remoteAddress ?? '';
      return clients.clientOf(remote, Array.isArray(forwarded) ? forwarded.join(',') : forwarded) ?? remote;
    },
  });
  // Before every route: the most literal declared path decides the method, so `GET /flows/{id}/errors/retry`
  // is a 405 naming POST rather than a lookup of an error whose id is "retry" (specs fill in as routes are added).
  const wrongMethod = methodNotAllowed(routes.specs);
  router.use((req, _res, next) => {
    const wrong = wrongMethod(req);
    if (!wrong) return next();
    const hint = misdirectedWebhookHint(req.method, req.path);
    throw hint ? new AppError(wrong.code, `${wrong.detail ?? wrong.title}${hint}`, { headers: wrong.headers }) : wrong;
  });

  addApiKeyRoutes(routes, deps.apiKeys, deps.store);
  addListenerRoutes(routes, deps.listeners);
  addImportRoutes(routes, deps.imports);
  addFlowRoutes(routes, deps.flows);
  addConnectionRoutes(routes, deps.connections);
  addAttachRoute(routes, deps.listeners);
  addPresetRoutes(routes);
  addSampleReadRoute(routes, deps.listeners, deps.store, deps.registry);
  addTestRequestRoute(routes, deps.listeners, deps.store);
  addDeliveryRoutes(routes, deps.delivery);
  addDebugRoutes(routes, deps.debug);
  addStatusRoutes(routes, deps.status);
  addStructureRoutes(routes, deps.structure);
  addReplayRoutes(routes, deps.replays);
  addRequestHistoryRoutes(routes, deps.listeners, deps.store);

  let document: Record<string, unknown> | undefined;
  routes.add(
    { method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This OpenAPI 3.1 document', roles: [], authenticated: false,
      response: { status: 200, description: 'OpenAPI 3.1 document' } },
    () => (document ??= buildOpenApi(routes.specs, deps.version)),
  );

  // A wrong method on a declared path was refused before the routes: what reaches here has no route.
  router.use((req) => {
    throw new AppError('ERR_ROUTE_NOT_FOUND', `no route ${req.method} ${req.originalUrl.split('?')[0]}${misdirectedWebhookHint(req.method, req.path)}`);
  });
  app.use('/api/v1', router);
  metricsMount(deps.metrics, deps.apiKeys, deps.metricsOptions)(app);
  return routes;
}
