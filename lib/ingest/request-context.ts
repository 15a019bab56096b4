/**
 * The per-request facts every stage shares: headers, query, raw bytes, and the
 * parsed body — parsed at most once, on first need (a handshake condition or a
 * token-in-body verifier may need it before the parse stage proper).
 */
import type { IncomingMessage } from 'node:http';
import { parseBody, parseQueryString } from '../parsers';
import type { RuntimeListener } from './runtime-listener';
import type { HookTarget } from './hook-path';
import type { VerifyContext } from '../verification/plugin';

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

  /** The body if it parses, otherwise undefined (handshake conditions). */
  async bodyOrUndefined(): Promise<unknown> {
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
      body: () => this.parsedBody(),
      now: this.now,
    };
  }
}
