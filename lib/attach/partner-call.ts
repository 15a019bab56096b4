/**
 * One call to a partner's API through a connection, for attached webhooks:
 * the connection's base URL and every one of its headers (inherited or not:
 * this is the connection's own call), the call's headers over them, a body
 * sent as JSON or form-encoded. Redirects are not followed (the connection's
 * credentials go only where it says). The answer is read bounded.
 */
import { captureResponse } from '../imports/import-response';
import type { ImportResponseDoc } from '../store/store';
import { joinUrl, mergeHeaders } from '../connections/apply-connection';
import type { ConnectionState } from '../connections/connection-service';
import { compileDeep, compileTemplate } from '../templates';
import type { PartnerCall } from './attach-schema';

const TIMEOUT_MS = 30_000;

export type CallResult = { ok: true; response: ImportResponseDoc } | { ok: false; message: string; response: ImportResponseDoc | null };

/** `{a: {b: 1}, list: ['x', 'y']}` → `a[b]=1&list[]=x&list[]=y` (the form Stripe's API reads). */
export function formEncode(value: unknown): string {
  const pairs: string[] = [];
  const add = (key: string, item: unknown): void => {
    if (item === undefined || item === null) return;
    if (Array.isArray(item)) item.forEach((element) => add(`${key}[]`, element));
    else if (typeof item === 'object') for (const [name, inner] of Object.entries(item)) add(`${key}[${name}]`, inner);
    else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const [name, item] of Object.entries(value)) add(name, item);
  return pairs.join('&');
}

export async function callPartner(connection: ConnectionState, call: PartnerCall, context: object, field: string): Promise<CallResult> {
  let url: string;
  let headers: Record<string, string>;
  let body: string | undefined;
  try {
    url = joinUrl(connection.settings.baseUrl, compileTemplate(call.path, `${field}/path`)(context));
    const own = Object.entries(call.headers).map(([name, value]) => ({ name, value: compileTemplate(value, `${field}/headers/${name}`)(context), private: false }));
    headers = Object.fromEntries(mergeHeaders(connection.settings.headers, own).map((h) => [h.name, h.value]));
    if (call.body !== null && call.body !== undefined && call.method !== 'GET') {
      const rendered = compileDeep(call.body, `${field}/body`, { typed: true })(context);
      body = call.type === 'form' ? formEncode(rendered) : JSON.stringify(rendered);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = call.type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
      }
    }
  } catch (error) {
    return { ok: false, message: (error as Error).message, response: null };
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent')) headers['User-Agent'] = 'hookport';
  try {
    const answer = await fetch(url, { method: call.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const response = await captureResponse(answer);
    if (response.status >= 200 && response.status < 300) return { ok: true, response };
    return { ok: false, message: `the partner answered ${response.status}`, response };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, message: `the partner’s API could not be reached: ${cause?.code ?? (error as Error).message}`, response: null };
  }
}
