/**
 * The base of the URL the partner called (scheme and host, no path), which
 * verifiers that sign the URL need: `{url}` in hmac settings, Twilio, Square,
 * Trello, Mandrill, HubSpot.
 *
 * HOOKPORT_PUBLIC_URL wins when it is set: it is the URL integrators give the
 * provider. Without it, a request that reaches hookport through a trusted proxy
 * (HOOKPORT_TRUSTED_PROXIES) says in `X-Forwarded-Proto` and `X-Forwarded-Host`
 * which scheme and host the partner used (the first value, the one the first
 * proxy saw). Anyone else's forwarded headers are ignored: a client must not
 * choose the URL its signature is checked against. It does not handle a proxy
 * that rewrites the path; set HOOKPORT_PUBLIC_URL (or a preset's publicUrl) then.
 */
import type { IncomingMessage } from 'node:http';
import { createTrustedProxyCheck } from '../security/ip-allow';

export interface CallerUrlOptions {
  /** HOOKPORT_PUBLIC_URL or the default http://localhost:<port>. */
  publicUrl: string;
  /** Whether HOOKPORT_PUBLIC_URL was set (then forwarded headers are not read). */
  publicUrlConfigured: boolean;
  trustedProxies: readonly string[];
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

export function createCallerBaseUrl(options: CallerUrlOptions): (req: IncomingMessage) => string {
  if (options.publicUrlConfigured || options.trustedProxies.length === 0) return () => options.publicUrl;
  const isTrustedProxy = createTrustedProxyCheck(options.trustedProxies);
  return (req) => {
    if (!isTrustedProxy(req.socket.remoteAddress ?? '')) return options.publicUrl;
    const proto = first(req.headers['x-forwarded-proto'])?.toLowerCase();
    const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host);
    if ((proto !== 'http' && proto !== 'https') || host === undefined || !HOST.test(host)) return options.publicUrl;
    return `${proto}://${host.toLowerCase()}`;
  };
}
