/**
 * The per-request facts every stage shares: headers, query, raw bytes, and the
 * parsed body — parsed at most once, on first need (a handshake condition or a
 * token-in-body verifier may need it before the parse stage proper).
 */
import type { IncomingMessage } from 'node:http';
import { parseBody, parseContentType, parseQueryString } from '../parsers';
import { isJsonMediaType } from '../parsers/json';
import type { RuntimeListener } from './runtime-listener';
import type { HookTarget } from './hook-path';
import type { FoundListener } from './find-listener';
import { readBody } from './read-body';
import type { VerifyContext } from '../verification/plugin';

/**
 * Handshake conditions run before verification, so what they may make the server
 * parse is bounded: a JSON body of at most this many bytes (Slack, Zoom and Make
 * send small JSON), or the query of a GET (Meta, Microsoft Graph). Anything else
 * is parsed only after the verifier accepted it (#11 finding 3).
 */
export const HANDSHAKE_MAX_BODY_BYTES = 64 * 1024;

export class RequestContext {
  private parsed: Promise<unknown> | undefined;
  private queryObject: Record<string, unknown> | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly target: HookTarget,
    readonly listener: RuntimeListener,
    readonly rawBody: Buffer,
    readonly publicUrl: string,
    readonly now: () => number,
  ) {}

  get method(): string {
    return this.req.method!;
  }

  get query(): Record<string, unknown> {
    return (this.queryObject ??= this.target.queryString ? parseQueryString(this.target.queryString) : {});
  }

  /** True when the query string stands in for the body (GET with no body). */
  get bodyFromQuery(): boolean {
    return this.req.method === 'GET' && this.rawBody.length === 0;
  }

  /**
   * The body as the listener uses it: the raw text with `passThrough`, else the
   * parsed value (the query object for a GET without a body). Rejects with the
   * parser's AppError.
   */
  body(): Promise<unknown> {
    if (this.listener.settings.parsing.passThrough) return Promise.resolve(this.rawBody.toString('utf8'));
    return this.parsedBody();
  }

  /**
   * The parsed body whatever `passThrough` says: a token-in-body verifier must
   * find its path in a pass-through listener's body too.
   */
  parsedBody(): Promise<unknown> {
    if (!this.parsed) {
      if (this.bodyFromQuery) this.parsed = Promise.resolve(this.query);
      else this.parsed = parseBody(this.rawBody, this.req.headers['content-type'], this.listener.parseLimits);
      // The rejection is handled by whoever awaits; this keeps Node from calling it unhandled meanwhile.
      this.parsed.catch(() => undefined);
    }
    return this.parsed;
  }

  /**
   * The body as handshake conditions see it, before verification: the parsed body
   * only for a GET's query or a JSON body within HANDSHAKE_MAX_BODY_BYTES, else
   * undefined (as for a body that does not parse).
   */
  async handshakeBody(): Promise<unknown> {
    if (!this.bodyFromQuery && !this.listener.settings.parsing.passThrough) {
      if (this.rawBody.length > HANDSHAKE_MAX_BODY_BYTES) return undefined;
      if (!isJsonMediaType(parseContentType(this.req.headers['content-type']).mediaType)) return undefined;
    }
    try {
      return await this.body();
    } catch {
      return undefined;
    }
  }

  verifyContext(): VerifyContext {
    return {
      method: this.method,
      rawBody: this.rawBody,
      headers: this.req.headers,
      url: this.publicUrl + this.req.url,
      query: this.query,
      pathSecret: this.target.pathSecret,
      // A body credential is read from a body only: a GET's query standing in for the body
      // is not one (#11 finding 6: `?myAuth[token]=T` passed and was stored in job meta).
      body: () => (this.bodyFromQuery ? Promise.resolve(undefined) : this.parsedBody()),
      now: this.now,
    };
  }
}

/**
 * The size stage (SPEC §3): reads the body, refusing more than the listener's
 * `maxBodyBytes` (413), and gives the facts every later stage shares.
 * @throws AppError ERR_PAYLOAD_TOO_LARGE; ClientAbortedError when the sender gives up
 */
export async function readRequest(req: IncomingMessage, found: FoundListener, publicUrl: string, now: () => number): Promise<RequestContext> {
  const rawBody = await readBody(req, found.listener.settings.parsing.maxBodyBytes);
  return new RequestContext(req, found.target, found.listener, rawBody, publicUrl, now);
}
