/**
 * The /api/v1 router: every resource's routes, the OpenAPI document built from
 * the same declarations, JSON bodies, and 404 for anything else under /api/v1.
 */
import express, { type Router } from 'express';
import { AppError } from '../errors';
import type { Store } from '../store/store';
import type { ApiKeyService } from './api-keys-service';
import type { ListenerService } from '../listeners/listener-service';
import type { ImportService } from '../imports/import-service';
import type { FlowService } from '../flows/flow-service';
import type { ConnectionService } from '../connections/connection-service';
import type { ListenerRegistry } from '../ingest/listener-registry';
import { AdminRoutes } from './routes';
import type { Clock } from '../clock';
import { createIpAllowList } from '../security/ip-allow';
import { FailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter';
import { buildOpenApi } from './openapi';
import { addApiKeyRoutes } from './resources/api-keys';
import { addListenerRoutes } from './resources/listeners';
import { addImportRoutes } from './resources/imports';
import { addFlowRoutes } from './resources/flows';
import { addConnectionRoutes } from './resources/connections';
import { addSampleReadRoute } from './resources/samples';
import { addTestRequestRoute } from './resources/test-request';

export interface AdminDeps {
  store: Store;
  apiKeys: ApiKeyService;
  listeners: ListenerService;
  imports: ImportService;
  flows: FlowService;
  connections: ConnectionService;
  registry: ListenerRegistry;
  version: string;
  clock: Clock;
  /** Config `admin`: body cap and failed-authentication limit. */
  limits: { maxBodyBytes: number; failedAuth: FailedAuthLimits };
  trustedProxies: readonly string[];
  /** More routes from later features (debug, status, flows' errors…). */
  extraRoutes?: Array<(routes: AdminRoutes) => void>;
}

export function createAdminRouter(deps: AdminDeps): { router: Router; routes: AdminRoutes } {
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

  addApiKeyRoutes(routes, deps.apiKeys, deps.store);
  addListenerRoutes(routes, deps.listeners);
  addImportRoutes(routes, deps.imports);
  addFlowRoutes(routes, deps.flows);
  addConnectionRoutes(routes, deps.connections);
  addSampleReadRoute(routes, deps.listeners, deps.store, deps.registry);
  addTestRequestRoute(routes, deps.listeners, deps.store);
  for (const add of deps.extraRoutes ?? []) add(routes);

  let document: Record<string, unknown> | undefined;
  routes.add(
    { method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This OpenAPI 3.1 document', roles: [], authenticated: false,
      response: { status: 200, description: 'OpenAPI 3.1 document' } },
    () => (document ??= buildOpenApi(routes.specs, deps.version)),
  );

  router.use((req) => {
    throw new AppError('ERR_ROUTE_NOT_FOUND', `no route ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  return { router, routes };
}
