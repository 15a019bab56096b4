/**
 * One structured log line per admin request (SPEC §16), written when the
 * response is finished: method, path, status, duration, request id and which
 * API key acted. Never headers, query values or bodies: those are where
 * secrets travel. Health checks and metric scrapes are left out, they would
 * drown everything else.
 */
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (PROBES.has(req.path)) {
      next();
      return;
    }
    const started = performance.now();
    res.on('finish', () => {
      const status = res.statusCode;
      logger[status >= 500 ? 'error' : 'info'](
        {
          requestId: req.requestId,
          method: req.method,
          // The path only: a query string is the caller's to word, and might hold anything.
          path: req.originalUrl.split('?')[0],
          status,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          apiKeyId: req.apiKey?.id,
          role: req.apiKey?.role,
        },
        'admin request',
      );
    });
    next();
  };
}
