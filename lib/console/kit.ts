/**
 * What every console route file uses: the signed-in key, the admin API called
 * in-process as that key (lib/admin/routes.ts `call`: same roles, same
 * validation, same services), page rendering, one-time messages, and form
 * errors mapped onto fields.
 */
import type { Request, Response } from 'express';
import type { Clock } from '../clock';
import { AppError, isAppError, type FieldError } from '../errors';
import type { AdminRoutes, Method, RouteCall } from '../admin/routes';
import type { ApiKeyDoc } from '../store/store';
import type { ConsoleSession, Flash } from './sessions';
import type { StaticAssets } from './assets';
import type { Views } from './render';

declare module 'express-serve-static-core' {
  interface Request {
    consoleSession?: ConsoleSession;
    consoleKey?: ApiKeyDoc;
  }
}

export const MOUNT = '/console';

/** Field errors by form field name; errors that belong to no field under `_form`. */
export type FormErrors = Record<string, string[]>;

export class ConsoleKit {
  constructor(
    private readonly routes: AdminRoutes,
    private readonly views: Views,
    private readonly assets: StaticAssets,
    /** The server's clock: expiries the console sets (secret rotation) follow it. */
    readonly clock: Clock,
  ) {}

  key(req: Request): ApiKeyDoc {
    if (!req.consoleKey) throw new AppError('ERR_AUTH_REQUIRED', 'sign in first');
    return req.consoleKey;
  }

  /** Calls the admin API route `method path` as the signed-in key. */
  api<T = any>(req: Request, method: Method, path: string, input: RouteCall = {}): Promise<T> {
    return this.routes.call(this.key(req), method, path, input, req) as Promise<T>;
  }

  /** Whether the signed-in key's role may call that admin route (to show or hide a control). */
  can(req: Request, method: Method, path: string): boolean {
    return this.routes.allows(this.key(req).role, method, path);
  }

  /** Refuses with 403 unless the role may call that route (edit pages of read-only roles). */
  require(req: Request, method: Method, path: string): void {
    if (!this.can(req, method, path)) {
      throw new AppError('ERR_FORBIDDEN', `the ${this.key(req).role} role may not ${method.toUpperCase()} /api/v1${path}`);
    }
  }

  flash(req: Request, kind: Flash['kind'], text: string, secret?: string): void {
    if (req.consoleSession) req.consoleSession.flash = { kind, text, ...(secret ? { secret } : {}) };
  }

  redirect(res: Response, path: string): void {
    res.redirect(303, `${MOUNT}${path}`);
  }

  render(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
    const session = req.consoleSession;
    const flash = session?.flash;
    if (session) delete session.flash;
    const key = req.consoleKey;
    const html = this.views.page(view, {
      ...data,
      mount: MOUNT,
      assets: this.assets.urls,
      csrf: session?.csrf,
      flash,
      me: key ? { name: key.name, role: key.role, isAdmin: this.routes.allows(key.role, 'get', '/api-keys') } : null,
    });
    res.status(status).type('html').send(html);
  }

  partial(name: string, data: Record<string, unknown>): string {
    return this.views.partial(name, data);
  }
}

/**
 * The API's `errors: [{path, message}]` by form field: `/verification/keys/0`
 * belongs to `verification.keys` when that is a field, else to the nearest
 * shorter field, else to `fallback` (a JSON settings box) or the form itself.
 */
export function formErrors(error: unknown, fields: readonly string[], fallback?: string): FormErrors | undefined {
  if (!isAppError(error) || (error.code !== 'ERR_INVALID_REQUEST' && error.code !== 'ERR_UNPROCESSABLE')) return undefined;
  const list = (error.extensions.errors as FieldError[] | undefined) ?? [{ path: '', message: error.detail ?? error.title }];
  const result: FormErrors = {};
  for (const { path, message } of list) {
    const segments = path.split('/').filter(Boolean);
    let field: string | undefined;
    let exact = false;
    for (let n = segments.length; n > 0 && !field; n -= 1) {
      const candidate = segments.slice(0, n).join('.');
      if (fields.includes(candidate)) [field, exact] = [candidate, n === segments.length];
    }
    const target = field ?? fallback ?? '_form';
    // Say where, unless the field says it already (`/headers/1/value` shown by the headers box).
    const text = exact || !path ? message : `${path} ${message}`;
    (result[target] ??= []).push(text);
  }
  return result;
}

/** A form field's value as a trimmed string ('' when absent). */
export function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}
