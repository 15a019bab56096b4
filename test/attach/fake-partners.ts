/**
 * Local fakes of two partners' webhook APIs, with the request and answer shapes
 * of their public documentation, so attached-webhook tests (and the examples in
 * docs/integrations.md) run without the network:
 * - GitHub "Create a repository webhook": POST /repos/{owner}/{repo}/hooks with
 *   `{name: "web", active, events, config: {url, content_type, secret, insecure_ssl}}`,
 *   answered 201 with the hook (`id` a number); DELETE /repos/{owner}/{repo}/hooks/{hook_id}
 *   answered 204 (https://docs.github.com/en/rest/repos/webhooks).
 * - Stripe "Create a webhook endpoint": POST /v1/webhook_endpoints, form-encoded
 *   `url` and `enabled_events[]`, answered with the endpoint (`id` "we_…", `secret`
 *   "whsec_…"); DELETE /v1/webhook_endpoints/{id} answered `{id, object, deleted: true}`
 *   (https://docs.stripe.com/api/webhook_endpoints).
 * Both refuse a request without their bearer token (401), and can be told to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PartnerRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakePartner {
  url: string;
  requests: PartnerRequest[];
  /** Registered webhooks by id. */
  hooks: Map<string, Record<string, unknown>>;
  /** The next `count` requests are answered with this status and body. */
  failNext(count: number, status: number, body: unknown): void;
  close(): Promise<void>;
}

type Handler = (request: PartnerRequest, partner: FakePartner) => { status: number; body?: unknown };

async function startFake(token: string, handle: Handler): Promise<FakePartner> {
  let failures: { count: number; status: number; body: unknown } | undefined;
  const partner: FakePartner = {
    url: '', requests: [], hooks: new Map(),
    failNext(count, status, body) {
      failures = { count, status, body };
    },
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: PartnerRequest = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      partner.requests.push(request);
      let answer: { status: number; body?: unknown };
      if (req.headers.authorization !== `Bearer ${token}`) answer = { status: 401, body: { message: 'Bad credentials' } };
      else if (failures && failures.count > 0) {
        failures.count--;
        answer = { status: failures.status, body: failures.body };
      } else answer = handle(request, partner);
      res.writeHead(answer.status, answer.body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  partner.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  partner.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return partner;
}

export function fakeGitHub(token: string): Promise<FakePartner> {
  let next = 1;
  return startFake(token, (request, partner) => {
    const create = /^\/repos\/([^/]+)\/([^/]+)\/hooks$/.exec(request.path);
    if (create && request.method === 'POST') {
      const input = JSON.parse(request.body) as { name?: string; active?: boolean; events?: string[]; config?: { url?: string; content_type?: string; secret?: string } };
      if (!input.config?.url) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Hook', code: 'custom', message: 'Config must have a url' }] } };
      const id = 400_000 + next++;
      const hook = { type: 'Repository', id, name: input.name ?? 'web', active: input.active ?? true, events: input.events ?? ['push'],
        config: { url: input.config.url, content_type: input.config.content_type ?? 'form', insecure_ssl: '0', ...(input.config.secret ? { secret: '********' } : {}) } };
      partner.hooks.set(String(id), { ...hook, secret: input.config.secret });
      return { status: 201, body: hook };
    }
    const remove = /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)$/.exec(request.path);
    if (remove && request.method === 'DELETE') {
      if (!partner.hooks.delete(remove[3]!)) return { status: 404, body: { message: 'Not Found' } };
      return { status: 204 };
    }
    return { status: 404, body: { message: 'Not Found' } };
  });
}

export function fakeStripe(token: string): Promise<FakePartner> {
  let next = 1;
  return startFake(token, (request, partner) => {
    if (request.path === '/v1/webhook_endpoints' && request.method === 'POST') {
      if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: 'form-encoded body expected' } } };
      }
      const form = new URLSearchParams(request.body);
      const events = form.getAll('enabled_events[]');
      if (!form.get('url') || events.length === 0) return { status: 400, body: { error: { type: 'invalid_request_error', message: 'Missing required param' } } };
      const id = `we_${String(next++).padStart(24, '0')}`;
      const endpoint = { id, object: 'webhook_endpoint', url: form.get('url'), enabled_events: events, status: 'enabled', secret: `whsec_fake${id}` };
      partner.hooks.set(id, endpoint);
      return { status: 200, body: endpoint };
    }
    const remove = /^\/v1\/webhook_endpoints\/(we_\w+)$/.exec(request.path);
    if (remove && request.method === 'DELETE') {
      if (!partner.hooks.delete(remove[1]!)) return { status: 404, body: { error: { type: 'invalid_request_error', message: 'No such webhook endpoint' } } };
      return { status: 200, body: { id: remove[1], object: 'webhook_endpoint', deleted: true } };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } } };
  });
}
