/**
 * The handshake stage (SPEC §5): a request matching one of the listener's
 * handshake rules is answered by the rule, before verification — unless the
 * rule says `verify: true`, when the request must pass the verifier first and
 * the answer may use the secret it was signed with. A rule that captures a
 * secret the sender hands over (Asana) is answered only while the listener has
 * none (trust on first use), and only once the secret is kept.
 */
import { AppError } from '../errors';
import { findHandshake, renderHandshake } from '../handshakes/handshake';
import { methodNotAllowed } from './find-listener';
import type { RequestContext } from './request-context';
import type { Reply } from './respond';
import { handshakeSecret } from './runtime-listener';
import { signingSecret, unauthorized, verifyRequest, type VerificationOutcome } from './verify-stage';

/** Stores a secret a handshake handed over; false when the listener already had one. */
export type SecretCapture = (listenerId: string, value: string) => Promise<boolean>;

export interface HandshakeReply extends Reply {
  /** Set when the rule asked for verification (which passed). */
  verification: VerificationOutcome | undefined;
}

/**
 * The rule's reply, or undefined when no rule matches.
 * @throws AppError ERR_UNAUTHORIZED for a `verify` rule that fails; ERR_METHOD_NOT_ALLOWED for a HEAD no rule answers
 */
export async function answerHandshake(context: RequestContext, capture: SecretCapture | undefined): Promise<HandshakeReply | undefined> {
  const { listener, req } = context;
  if (!listener.handshakes) return undefined; // (checkAccepts lets HEAD through only to a listener with handshakes)
  const subject = { method: req.method!, headers: req.headers, query: context.query, body: await context.handshakeBody() };
  const found = findHandshake(listener.handshakes, subject);
  // A rule that captures a secret is answered only while the listener has none (trust on first use).
  const candidate = found?.rule.captureSecret !== undefined && handshakeSecret(listener, context.now()) !== undefined ? undefined : found;
  if (!candidate) {
    if (req.method === 'HEAD') throw methodNotAllowed(req.method);
    return undefined;
  }
  let secret: string | undefined;
  let verification: VerificationOutcome | undefined;
  if (candidate.rule.verify) {
    verification = await verifyRequest(context);
    if (!verification.ok) throw unauthorized(listener, verification.reason);
    const now = context.now();
    // Answer under the secret the sender signed with, which during a rotation may not be the first.
    secret = (await signingSecret(context, now)) ?? handshakeSecret(listener, now);
  }
  const match = renderHandshake(candidate, subject, secret);
  if (match.capturedSecret !== undefined) await keepSecret(capture, listener.id, match.capturedSecret);
  const reply = match.response;
  return {
    outcome: 'handshake',
    answer: { status: reply.status, headers: { ...reply.headers, 'Content-Type': reply.contentType }, body: reply.body },
    verification,
  };
}

/**
 * Keeps the secret a handshake handed over before the handshake is answered:
 * the sender signs with it from its next request on. Refuses (401) when it
 * cannot be kept, so the sender does not believe the URL is set up.
 */
async function keepSecret(capture: SecretCapture | undefined, listenerId: string, value: string): Promise<void> {
  const stored = value.length > 0 && capture !== undefined && (await capture(listenerId, value));
  if (!stored) throw new AppError('ERR_UNAUTHORIZED', undefined, { internalReason: value.length === 0 ? 'the handshake carried an empty secret' : 'the listener already has a secret' });
}
