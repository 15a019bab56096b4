/**
 * The web console (SPEC §15): server-rendered pages under /console over the
 * same admin routes the API serves (called in-process, see kit.ts). This file
 * wires the session cookie, CSRF check, security headers and error pages; each
 * page group is one file in routes/.
 *
 * It does not keep any state but the sign-in sessions (in memory: a restart
 * signs everybody out) and never sends an API key or a secret to the browser
 * except the one generated secret or key a page shows once.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import bodyParser from 'body-parser';
import cookie from 'cookie';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { AppError, toAppError } from '../errors';
import type { AdminRoutes } from '../admin/routes';
import type { Store } from '../store/store';
import { safeEqual } from '../security/constant-time';
import { StaticAssets } from './assets';
import { ConsoleKit, MOUNT } from './kit';
import { Views } from './render';
import { securityHeaders } from './security-headers';
import { ConsoleSessions, SESSION_COOKIE, type ConsoleSession } from './sessions';
import { addSignInPages } from './routes/sign-in';
import { addListenerPages } from './routes/listeners';
import { addListenerDetailPages } from './routes/listener-detail';
import { addFlowPages } from './routes/flows';
import { addImportPages } from './routes/imports';
import { addApiKeyPages } from './routes/api-keys';
import { addConnectionPages } from './routes/connections';

export interface ConsoleDeps {
  routes: AdminRoutes;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** hookport's public base URL: cookies get `Secure` when the console is reached under it over https. */
  publicUrl: string;
  sessions?: ConsoleSessions;
}

/** `Secure` when this request came over TLS, or through a proxy under the https public URL. */
function secureRequest(req: Request, publicUrl: string): boolean {
  if (req.secure) return true;
  try {
    const url = new URL(publicUrl);
    return url.protocol === 'https:' && req.headers.host === url.host;
  } catch {
    return false;
  }
}

export interface ConsoleHandle {
  sessions: ConsoleSessions;
  /** Starts a session cookie on the response. */
  startSession(req: Request, res: Response, keyId: string | null): ConsoleSession;
}

export function mountConsole(app: Express, deps: ConsoleDeps): ConsoleHandle {
  const sessions = deps.sessions ?? new ConsoleSessions(deps.clock);
  const assets = new StaticAssets(MOUNT);
  const kit = new ConsoleKit(deps.routes, new Views(), assets, deps.clock);
  const router = express.Router();

  const handle: ConsoleHandle = {
    sessions,
    startSession(req, res, keyId) {
      const session = sessions.create(keyId);
      res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'strict', secure: secureRequest(req, deps.publicUrl), path: MOUNT });
      req.consoleSession = session;
      return session;
    },
  };

  app.get('/', (_req, res) => res.redirect(302, MOUNT));
  router.use(securityHeaders);
  router.get('/static/:hash/:name', assets.serve);
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(bodyParser.urlencoded({ extended: false, limit: '2mb', parameterLimit: 2000 }));

  // Who is signed in: the session id from the cookie, the key's record re-read (revocation ends the session).
  router.use(async (req, _res, next) => {
    const id = cookie.parse(req.headers.cookie ?? '')[SESSION_COOKIE];
    const session = sessions.get(id);
    if (session?.keyId) {
      const key = await deps.store.apiKeys.get(session.keyId);
      if (key) req.consoleKey = key;
      else sessions.destroy(session.id);
    }
    if (session && (!session.keyId || req.consoleKey)) req.consoleSession = session;
    next();
  });

  // Every state-changing request carries the session's CSRF token (forms: `_csrf`; scripts: `X-CSRF-Token`).
  router.use((req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
    const session = req.consoleSession;
    if (!session || typeof sent !== 'string' || !safeEqual(sent, session.csrf)) {
      throw new AppError('ERR_CSRF_TOKEN', session ? 'the form carried no valid CSRF token' : 'no console session: reload the page and sign in');
    }
    next();
  });

  addSignInPages(router, kit, handle, deps);

  router.use((req, res, next) => {
    if (req.consoleKey) return next();
    if (req.method === 'GET' && !req.headers.accept?.includes('application/json')) {
      res.redirect(303, `${MOUNT}/sign-in`);
      return;
    }
    throw new AppError('ERR_AUTH_REQUIRED', 'sign in to the console first');
  });

  router.get('/', (_req, res) => kit.redirect(res, '/listeners'));
  addListenerPages(router, kit);
  addListenerDetailPages(router, kit);
  addFlowPages(router, kit);
  addImportPages(router, kit);
  addConnectionPages(router, kit);
  addApiKeyPages(router, kit);

  router.use((req) => {
    throw new AppError('ERR_ROUTE_NOT_FOUND', `no console page ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.status >= 500) deps.logger.error({ err: error, requestId: req.requestId }, 'console request failed');
    if (req.headers.accept?.includes('application/json')) {
      res.status(appError.status).json({ status: appError.status, title: appError.title, detail: appError.detail ?? appError.title });
      return;
    }
    kit.render(req, res, 'error', { title: appError.title, status: appError.status, detail: appError.status >= 500 ? null : appError.detail, requestId: req.requestId }, appError.status);
  });

  app.use(MOUNT, router);
  return handle;
}
