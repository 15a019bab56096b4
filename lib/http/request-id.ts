/**
 * The request id (SPEC §3: every response carries `X-Request-Id`) as Express
 * sees it: the one augmentation of Express's Request type, and the one place the
 * id is attached to a raw Node request before Express routes it.
 */
import type { IncomingMessage } from 'node:http';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by lib/app.ts on every request before Express sees it. */
    requestId: string;
  }
}

/** Gives a raw request its id; Express's `req.requestId` reads it back. */
export function attachRequestId(req: IncomingMessage, requestId: string): void {
  Object.assign(req, { requestId });
}
