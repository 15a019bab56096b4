/**
 * The first stage (SPEC §3 "find listener"): the listener a hook URL names
 * (404 when none), then whether it takes this request at all: 410 when deleted,
 * 404 for a secret path segment on a listener without one, 405 for a method the
 * endpoint does not take.
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors';
import { parseHookPath, type HookTarget } from './hook-path';
import type { ListenerRegistry } from './listener-registry';
import type { RuntimeListener } from './runtime-listener';

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'GET']);
const ALLOW = 'POST, PUT, PATCH, GET';

export interface FoundListener {
  target: HookTarget;
  listener: RuntimeListener;
}

/** @throws AppError ERR_LISTENER_NOT_FOUND */
export async function findListener(registry: ListenerRegistry, url: string): Promise<FoundListener> {
  const target = parseHookPath(url);
  if (!target) throw new AppError('ERR_LISTENER_NOT_FOUND');
  const listener = registry.peek(target.listenerId) ?? (await registry.find(target.listenerId));
  if (!listener) throw new AppError('ERR_LISTENER_NOT_FOUND');
  return { target, listener };
}

/** @throws AppError ERR_LISTENER_DELETED, ERR_LISTENER_NOT_FOUND, ERR_METHOD_NOT_ALLOWED */
export function checkAccepts({ target, listener }: FoundListener, req: IncomingMessage): void {
  if (listener.deleted) throw new AppError('ERR_LISTENER_DELETED', 'this listener was deleted; its URL no longer accepts webhooks');
  // Only a listener whose verifier carries its secret in the path has a second path segment.
  if (target.pathSecret !== undefined && !listener.verifier.secretInPath) throw new AppError('ERR_LISTENER_NOT_FOUND');
  // HEAD reaches only the handshake rules (Trello checks a callback URL with HEAD); unanswered, the handshake stage refuses it.
  const headForHandshake = req.method === 'HEAD' && listener.handshakes !== undefined;
  if (!METHODS.has(req.method!) && !headForHandshake) throw methodNotAllowed(req.method!);
}

export function methodNotAllowed(method: string): AppError {
  return new AppError('ERR_METHOD_NOT_ALLOWED', `${method} is not accepted; use POST, PUT, PATCH or GET`, { headers: { Allow: ALLOW } });
}
