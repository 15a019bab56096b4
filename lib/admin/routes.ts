/**
 * Every admin route is declared once through `AdminRoutes.add`: the declaration
 * mounts it on the Express router (with its role check and body validation) AND
 * feeds the OpenAPI document, so the two cannot drift apart.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { TSchema } from '@sinclair/typebox';
import { AppError } from '../errors';
import { compileValidator, invalid, type Validator } from '../schema';
import type { ApiKeyDoc, Role } from '../store/store';
import type { ApiKeyService } from './api-keys-service';
import type { FailedAuthLimiter } from './failed-auth-limiter';
import { adminJsonBody } from './json-body';

export interface AdminRouteOptions {
  /** `admin.maxBodyBytes`. */
  maxBodyBytes: number;
  failedAuth: FailedAuthLimiter;
  /** The client address of a request (trusted proxies honoured). */
  clientOf: (req: Request) => string;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  method: Method;
  /** Express-style path below /api/v1, e.g. `/listeners/:id`. */
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  body?: TSchema;
  /** Turns an accepted alternative shape into the declared one before validation (headers as a list or an object). */
  prepareBody?: (body: unknown) => unknown;
  /** When true the body may be left out (the handler applies its defaults); documented as optional. */
  bodyOptional?: boolean;
  /** Query parameters, as an object schema. */
  query?: TSchema;
  /** Success status and schema of the reply. */
  response: { status: number; schema?: TSchema; description?: string };
  /** Extra error statuses this route documents besides 400/401/403. */
  errors?: number[];
  /** When false, anyone may call it (the OpenAPI document itself). */
  authenticated?: boolean;
}

export type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

export const ALL_ROLES: readonly Role[] = ['admin', 'integrator', 'support'];
export const WRITERS: readonly Role[] = ['admin', 'integrator'];
export const ADMINS: readonly Role[] = ['admin'];

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKeyDoc;
  }
}

/** What an in-process call (the console) passes instead of an HTTP request's parts. */
export interface RouteCall {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
}

interface Entry {
  spec: RouteSpec;
  bodyValidator: Validator<unknown> | undefined;
  handler: Handler;
}

/** The role rule of every route: one function for HTTP calls and in-process calls alike. */
function authorize(key: ApiKeyDoc, roles: readonly Role[], what: string): void {
  if (!roles.includes(key.role)) throw new AppError('ERR_FORBIDDEN', `the ${key.role} role may not ${what}`);
}

function checkedBody(spec: RouteSpec, bodyValidator: Validator<unknown> | undefined, body: unknown): unknown {
  if (!bodyValidator) return body;
  if ((body === undefined || body === null) && spec.bodyOptional) body = {};
  if (body === undefined || body === null) {
    throw new AppError('ERR_INVALID_REQUEST', 'a JSON body is required (Content-Type: application/json)', {
      extensions: { errors: [{ path: '/', message: 'a JSON body is required' }] },
    });
  }
  if (spec.prepareBody) body = spec.prepareBody(body);
  const result = bodyValidator(body);
  if (!result.ok) throw invalid(result.errors);
  return body;
}

export class AdminRoutes {
  readonly specs: RouteSpec[] = [];
  private readonly entries = new Map<string, Entry>();

  private readonly jsonBody: RequestHandler;

  constructor(private readonly router: Router, private readonly apiKeys: ApiKeyService, private readonly options: AdminRouteOptions) {
    this.jsonBody = adminJsonBody(options.maxBodyBytes);
  }

  add(spec: RouteSpec, handler: Handler): void {
    this.specs.push(spec);
    const bodyValidator: Validator<unknown> | undefined = spec.body ? compileValidator(spec.body) : undefined;
    const authenticate = spec.authenticated === false ? undefined : this.authenticate(spec.roles);
    this.entries.set(`${spec.method} ${spec.path}`, { spec, bodyValidator, handler });
    const run = async (req: Request, res: Response) => {
      if (bodyValidator) req.body = checkedBody(spec, bodyValidator, req.body);
      const value = await handler(req, res);
      if (res.headersSent) return;
      if (spec.response.status === 204 || value === undefined) {
        res.status(spec.response.status === 200 && value === undefined ? 204 : spec.response.status).end();
      } else {
        res.status(spec.response.status).json(value);
      }
    };
    // Authenticate first: nobody without a valid key makes the server read a body.
    const handlers = authenticate ? [authenticate, this.jsonBody, run] : [this.jsonBody, run];
    this.router[spec.method](spec.path, ...handlers);
  }

  /** Whether `role` may call the route declared as `method path` (e.g. `patch`, `/listeners/:id`). */
  allows(role: Role, method: Method, path: string): boolean {
    return this.entry(method, path).spec.roles.includes(role);
  }

  /**
   * Runs a declared route in-process as `key`, with the same role check, body
   * validation and handler as over HTTP (the console calls the API this way, so
   * no rule exists twice). `via` is the request that caused the call: the
   * handler sees its socket (test-request sends to this very server).
   * @throws AppError exactly as the HTTP route would answer (403, 400 with `errors`, 404…)
   */
  async call(key: ApiKeyDoc, method: Method, path: string, input: RouteCall, via: Request): Promise<unknown> {
    const { spec, bodyValidator, handler } = this.entry(method, path);
    authorize(key, spec.roles, `${method.toUpperCase()} /api/v1${path}`);
    const body = checkedBody(spec, bodyValidator, input.body);
    const req = Object.create(via, {
      params: { value: input.params ?? {} },
      body: { value: body, writable: true },
      query: { value: input.query ?? {} },
      apiKey: { value: key },
      method: { value: method.toUpperCase() },
      baseUrl: { value: '/api/v1' },
      route: { value: { path } },
    }) as Request;
    return handler(req, via.res as Response);
  }

  private entry(method: Method, path: string): Entry {
    const entry = this.entries.get(`${method} ${path}`);
    if (!entry) throw new Error(`no admin route ${method} ${path} is declared`);
    return entry;
  }

  /**
   * Checks a presented API key exactly as every admin route does, the limit on
   * failed authentications per address included. The console's sign-in form
   * uses it, so guessing keys there costs the same as over the API.
   * @throws AppError ERR_TOO_MANY_FAILED_AUTHENTICATIONS, or ERR_AUTH_REQUIRED for a missing or unknown key
   */
  async checkKey(presented: string | undefined, req: Request): Promise<ApiKeyDoc> {
    const address = this.options.clientOf(req);
    this.options.failedAuth.check(address);
    if (!presented) {
      this.options.failedAuth.fail(address);
      throw new AppError('ERR_AUTH_REQUIRED', 'send an API key as "Authorization: Bearer <key>"', {
        headers: { 'WWW-Authenticate': 'Bearer realm="hookport"' },
      });
    }
    const key = await this.apiKeys.authenticate(presented);
    if (!key) {
      this.options.failedAuth.fail(address);
      throw new AppError('ERR_AUTH_REQUIRED', 'the API key is not valid', {
        headers: { 'WWW-Authenticate': 'Bearer realm="hookport", error="invalid_token"' },
      });
    }
    return key;
  }

  private authenticate(roles: readonly Role[]) {
    return async (req: Request, _res: Response, next: NextFunction) => {
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      const key = await this.checkKey(match?.[1], req);
      authorize(key, roles, `${req.method} ${req.baseUrl}${req.route?.path ?? ''}`);
      req.apiKey = key;
      next();
    };
  }
}
