/**
 * createApp(deps) builds the request handler; it never listens (lib/server.ts does).
 *
 * The handler is a plain `(req, res)` function: webhook traffic under /hooks/ goes
 * straight to the ingest handler without passing through Express's router (the
 * hot path), everything else (admin API, console, health, metrics) to Express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { requestIdFrom } from './ids';
import { errorMiddleware } from './http/error-middleware';
import { attachRequestId } from './http/request-id';
import { AppError } from './errors';
import type { Services } from './services';
import { mountAdmin } from './admin';
import type { AdminRoutes } from './admin/routes';
import { accessLog } from './metrics/access-log';
import { mountConsole } from './console';

export type RequestHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  express: Express;
  routes: AdminRoutes;
};

const HOOKS_PREFIX = '/hooks/';

/**
 * RFC 9112 §3.2.2: a server must accept the absolute form (`POST http://host/hooks/…`).
 * Reduced to the path and query so that routing (and log masking) sees one shape.
 */
function originForm(url: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^#]*)/.exec(url);
  if (!match) return url;
  const rest = match[1] ?? '';
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export function createApp(services: Services): RequestHandler {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  app.use(accessLog(services.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await services.store.ping();
    } catch (error) {
      // Through the error middleware like every other error (its cause is logged there, not shown).
      throw new AppError('ERR_STORE_UNAVAILABLE', 'the store does not answer', { cause: error });
    }
    res.json({ status: 'ready', store: services.store.name });
  });

  const { store, flows, imports, registry, clock, scheduler, logger, observability } = services;
  const routes = mountAdmin(app, {
    store, apiKeys: services.apiKeys, listeners: services.listeners, imports, flows,
    delivery: { store, flows, imports, registry, clock, scheduler, logger, errors: services.delivery.errors },
    replays: services.delivery.replays,
    debug: observability.debug, status: observability.status, structure: observability.structure,
    metrics: observability.metrics, metricsOptions: { requireApiKey: services.config.metrics.requireApiKey },
    connections: services.connections,
    registry: services.registry,
    version: services.version,
    clock: services.clock,
    limits: services.config.admin,
    trustedProxies: services.config.trustedProxies,
  });
  mountConsole(app, {
    routes, store: services.store, clock: services.clock, logger: services.logger, publicUrl: services.config.publicUrl,
  });

  app.use((req) => {
    throw new AppError('ERR_ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`);
  });
  app.use(errorMiddleware(services.logger));

  const ingest = services.ingest;
  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    if (req.url !== undefined && req.url.charCodeAt(0) !== 47 /* '/' */) req.url = originForm(req.url);
    if (req.url !== undefined && req.url.startsWith(HOOKS_PREFIX)) {
      // The ingest path writes X-Request-Id with its other headers in one writeHead.
      ingest(req, res, requestId);
      return;
    }
    res.setHeader('X-Request-Id', requestId);
    attachRequestId(req, requestId);
    app(req, res);
  }) as RequestHandler;
  handler.express = app;
  handler.routes = routes;
  return handler;
}
