/**
 * The handshake stage (SPEC §5): a request matching one of the listener's
 * handshake rules is answered by the rule, before verification — unless the
 * rule says `verify: true`, when the request must pass the verifier first and
 * the answer may use the secret it was signed with.
 */
import { findHandshake, renderHandshake } from '../handshakes/handshake';
import type { RequestContext } from './request-context';
import type { Reply } from './respond';
import { handshakeSecret } from './runtime-listener';
import { signingSecret, unauthorized, verifyRequest, type VerificationOutcome } from './verify-stage';

export interface HandshakeReply extends Reply {
  /** Set when the rule asked for verification (which passed). */
  verification: VerificationOutcome | undefined;
}

/** The rule's reply, or undefined when no rule matches. @throws AppError ERR_UNAUTHORIZED for a `verify` rule that fails */
export async function answerHandshake(context: RequestContext): Promise<HandshakeReply | undefined> {
  const { listener, req } = context;
  if (!listener.handshakes) return undefined;
  const subject = { method: req.method!, headers: req.headers, query: context.query, body: await context.handshakeBody() };
  const candidate = findHandshake(listener.handshakes, subject);
  if (!candidate) return undefined;
  let secret: string | undefined;
  let verification: VerificationOutcome | undefined;
  if (candidate.rule.verify) {
    verification = await verifyRequest(context);
    if (!verification.ok) throw unauthorized(listener, verification.reason);
    const now = context.now();
    // Answer under the secret the sender signed with, which during a rotation may not be the first.
    secret = (await signingSecret(context, now)) ?? handshakeSecret(listener, now);
  }
  const reply = renderHandshake(candidate, subject, secret).response;
  return {
    outcome: 'handshake',
    answer: { status: reply.status, headers: { ...reply.headers, 'Content-Type': reply.contentType }, body: reply.body },
    verification,
  };
}
