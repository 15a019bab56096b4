/**
 * The parse stage (SPEC §7): the body as the listener uses it. The outcome
 * says whether it parsed, for debug logs; a failure carries the parser's
 * AppError (415 unsupported media type, 400 malformed body with line/column).
 */
import type { RequestContext } from './request-context';

export type ParseOutcome = { ok: true; body: unknown } | { ok: false; error: unknown };

export async function parse(context: RequestContext): Promise<ParseOutcome> {
  try {
    return { ok: true, body: await context.body() };
  } catch (error) {
    return { ok: false, error };
  }
}
