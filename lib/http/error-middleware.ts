/** The one error middleware: every error leaves as problem+json with the request id. */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, isAppError, renderProblem, toAppError } from '../errors';
import { InvalidCursorError } from '../store/cursor';

function fromBodyParser(error: { type?: string; status?: number; message?: string }): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('ERR_INVALID_REQUEST', `the body is not valid JSON: ${error.message}`, {
        extensions: { errors: [{ path: '/', message: 'is not valid JSON' }] },
      });
    case 'entity.too.large':
      return new AppError('ERR_PAYLOAD_TOO_LARGE', `the body is larger than the admin API accepts (admin.maxBodyBytes ${(error as { limit?: number }).limit} bytes)`);
    case 'entity.verify.failed':
      // The depth check of lib/admin/json-body.ts; body-parser re-labels what it throws as a 403.
      if (isAppError(error)) {
        return new AppError('ERR_INVALID_REQUEST', error.detail, { extensions: { errors: [{ path: '/', message: error.detail ?? error.title }] } });
      }
      return undefined;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', error.message);
    default:
      return undefined;
  }
}

export function errorMiddleware(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError =
      fromBodyParser(error as { type?: string }) ??
      (error instanceof InvalidCursorError
        ? new AppError('ERR_INVALID_REQUEST', 'after is not a cursor this server gave out', {
            extensions: { errors: [{ path: '/query/after', message: 'is not a valid cursor' }] },
          })
        : toAppError(error));
    if (appError.status >= 500) {
      logger.error({ err: error, requestId: req.requestId, code: appError.code }, 'admin request failed');
    }
    renderProblem(res, appError, req.requestId);
  };
}
