/**
 * Verification (SPEC §4): the IP allow-list, then the listener's verifier over
 * the raw bytes. Each returns an outcome; the partner learns only "401
 * Unauthorized" (`unauthorized`), the precise reason stays in the AppError's
 * internalReason, for debug logs.
 *
 * The allow-list is checked on its own, before handshakes as well as before the
 * verifier: "only these addresses may send" includes URL checks, which would
 * otherwise let anyone probe a verify token and get challenges echoed.
 */
import { AppError } from '../errors';
import { activeSecrets } from '../verification/secrets';
import type { Secret } from '../verification/plugin';
import type { RequestContext } from './request-context';
import type { RuntimeListener } from './runtime-listener';

export interface VerificationOutcome {
  ok: boolean;
  reason?: string;
}

/** The listener's `allowIps`, with `X-Forwarded-For` believed only from trusted proxies. */
export function checkAllowIps(context: RequestContext): VerificationOutcome {
  const { listener, req } = context;
  if (!listener.ipAllow) return { ok: true };
  const forwarded = req.headers['x-forwarded-for'];
  const ip = listener.ipAllow.check(req.socket.remoteAddress ?? '', Array.isArray(forwarded) ? forwarded.join(',') : forwarded);
  return ip.ok ? { ok: true } : { ok: false, reason: ip.reason };
}

/** The listener's verifier; `checkAllowIps` has run before. */
export async function verifyRequest(context: RequestContext): Promise<VerificationOutcome> {
  const { listener } = context;
  const result = await listener.verifier.verify(context.verifyContext(), listener.verification);
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

/**
 * The active secret a verified request was signed with, for a signed handshake
 * whose answer is computed from the secret (Zoom's encryptedToken). While
 * secrets rotate the sender may still sign with an old one, and an answer
 * computed under another secret fails the sender's check. Each active secret is
 * tried alone; undefined when none verifies alone or the verifier has no secrets.
 */
export async function signingSecret(context: RequestContext, now: number): Promise<string | undefined> {
  const { listener } = context;
  const field = listener.verifier.secretFields[0];
  if (!field) return undefined;
  for (const secret of activeSecrets((listener.verification[field] as Secret[] | undefined) ?? [], now)) {
    const alone = { ...listener.verification, [field]: [secret] };
    if ((await listener.verifier.verify(context.verifyContext(), alone)).ok) return secret.value;
  }
  return undefined;
}

/** The 401, with the verifier's challenge (`WWW-Authenticate`) when it declares one. */
export function unauthorized(listener: RuntimeListener, reason: string | undefined): AppError {
  const { challenge } = listener.verifier;
  const headers: Record<string, string> = challenge ? { 'WWW-Authenticate': challenge } : {};
  return new AppError('ERR_UNAUTHORIZED', undefined, { headers, internalReason: reason });
}
