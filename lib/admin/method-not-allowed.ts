/**
 * 405 with `Allow` for a method the API does not declare on a path it does
 * declare (RFC 9110 §15.5.6: the response must carry Allow), instead of a 404:
 * `TRACE /api/v1/listeners` names a resource that exists, with the wrong method
 * (#11 finding 11). The methods come from the same route declarations that mount
 * the routes and feed the OpenAPI document, so Allow and the document agree.
 */
import type { Request } from 'express';
import { AppError } from '../errors';
import type { RouteSpec } from './routes';

export function methodNotAllowed(specs: readonly RouteSpec[]): (req: Request) => AppError | undefined {
  let table: Array<{ pattern: RegExp; methods: string[] }> | undefined;
  return (req) => {
    table ??= buildTable(specs);
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
    const entry = table.find((candidate) => candidate.pattern.test(path));
    // Express answers HEAD with the GET route.
    if (!entry || entry.methods.includes(req.method) || (req.method === 'HEAD' && entry.methods.includes('GET'))) return undefined;
    const allow = entry.methods.join(', ');
    return new AppError('ERR_METHOD_NOT_ALLOWED', `${req.method} is not a method of ${req.baseUrl}${path}; use ${allow}`, { headers: { Allow: allow } });
  };
}

function buildTable(specs: readonly RouteSpec[]): Array<{ pattern: RegExp; methods: string[] }> {
  const byPath = new Map<string, Set<string>>();
  for (const spec of specs) {
    let methods = byPath.get(spec.path);
    if (!methods) byPath.set(spec.path, (methods = new Set()));
    methods.add(spec.method.toUpperCase());
  }
  // The most literal path first: `/flows/:id/errors/retry` before `/flows/:id/errors/:errorId`.
  const parameters = (path: string) => path.split('/').filter((part) => part.startsWith(':')).length;
  return [...byPath]
    .sort(([a], [b]) => parameters(a) - parameters(b))
    .map(([path, methods]) => ({
      pattern: new RegExp(`^${path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
      methods: [...methods].sort(),
    }));
}
