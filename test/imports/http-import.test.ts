import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock';
import { ManualScheduler } from '../../lib/scheduler';
import { idempotencyKey, parseRetryAfter, prepareRequest, sendRequest, ImportRequestError, type ImportTemplateContext } from '../../lib/imports/http-import';
import { compileImport } from '../../lib/imports/import-runtime';
import { MAX_KEPT_BODY_BYTES } from '../../lib/imports/import-response';
import type { ImportSettings } from '../../lib/imports/import-schema';
import { startDestination, type Destination, type Replier } from '../flows/destinations';

function settings(overrides: Partial<ImportSettings> = {}): ImportSettings & { url: string } {
  return {
    name: 'erp', url: 'https://erp.example/orders', connectionId: null, path: null, method: 'POST', headers: [], bodyTemplate: null, mode: 'page', timeoutSeconds: 30,
    rateLimit: { perSecond: null }, retry: { policy: 'spread', attempts: 3, maxSeconds: 360 }, idempotencyHeader: 'Idempotency-Key', signing: null, ...overrides,
  };
}

function runtime(overrides: Partial<ImportSettings> = {}) {
  return compileImport({ state: { id: 'i'.repeat(32), settings: settings(overrides), createdAt: '', updatedAt: '' }, connection: undefined }, undefined);
}

const context: ImportTemplateContext = {
  records: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }],
  page: { index: 3, count: 2, traceKeys: ['1', '2'] },
  job: { id: 'j'.repeat(32), seq: 9, requestId: 'req-1', receivedAt: '2026-01-01T00:00:00.000Z', recordCount: 2, meta: { method: 'POST' } },
  listener: { id: 'l'.repeat(32), name: 'Shop' },
};

describe('http import: building the request', () => {
  it('sends the stored page text as is by default, as JSON, with the idempotency key', () => {
    const request = prepareRequest(runtime(), context, '[{"id":1,"name":"a"} , {"id":2,"name":"b"}]', 'key-1');
    assert.equal(request.body, '[{"id":1,"name":"a"} , {"id":2,"name":"b"}]');
    assert.equal(request.headers['Content-Type'], 'application/json');
    assert.equal(request.headers['Idempotency-Key'], 'key-1');
    assert.equal(request.idempotencyKey, 'key-1');
    assert.equal(request.method, 'POST');
  });

  it('renders bodyTemplate and url over records, page, job and listener', () => {
    const request = prepareRequest(
      runtime({ url: 'https://erp.example/{{listener.name}}/{{job.seq}}/{{page.index}}', bodyTemplate: '{"names": {{json (join "+" records.[0].name records.[1].name)}}, "request": "{{job.requestId}}"}' }),
      context, undefined, 'k',
    );
    assert.equal(request.url, 'https://erp.example/Shop/9/3');
    assert.deepEqual(JSON.parse(request.body!), { names: 'a+b', request: 'req-1' });
  });

  it('sends one record’s JSON in record mode', () => {
    const request = prepareRequest(runtime({ mode: 'record' }), { ...context, records: [{ id: 2 }], record: { id: 2 }, recordIndex: 1 }, undefined, 'k');
    assert.equal(request.body, '{"id":2}');
  });

  it('sends configured headers (private ones in clear, on the wire only), keeps their Content-Type, and no body on GET', () => {
    const request = prepareRequest(
      runtime({ method: 'GET', headers: [{ name: 'Authorization', value: 'Bearer s3cret', private: true }, { name: 'content-type', value: 'text/plain', private: false }] }),
      context, '[]', 'k',
    );
    assert.equal(request.headers.Authorization, 'Bearer s3cret');
    assert.equal(request.body, undefined);
    assert.equal(request.headers['Content-Type'], undefined);
    assert.equal(request.headers['content-type'], 'text/plain');
  });

  it('leaves the idempotency header out when the import sets it to null', () => {
    const request = prepareRequest(runtime({ idempotencyHeader: null }), context, '[]', 'k');
    assert.equal(request.idempotencyKey, null);
    assert.equal(Object.keys(request.headers).some((h) => h.toLowerCase() === 'idempotency-key'), false);
  });

  it('refuses a url that does not render to an http(s) URL, and a template that fails', () => {
    assert.throws(() => prepareRequest(runtime({ url: 'https://{{missing}}' }), context, '[]', 'k'), ImportRequestError);
    assert.throws(() => prepareRequest(runtime({ bodyTemplate: '{{hmac "sha256" missing "x"}}' }), context, '[]', 'k'), ImportRequestError);
  });

  it('derives a key that is stable for a page or record and differs between flows, imports, pages and records', () => {
    const base = idempotencyKey('f1', 'i1', 'j1', 0);
    assert.equal(idempotencyKey('f1', 'i1', 'j1', 0), base);
    const others = [idempotencyKey('f2', 'i1', 'j1', 0), idempotencyKey('f1', 'i2', 'j1', 0), idempotencyKey('f1', 'i1', 'j1', 1), idempotencyKey('f1', 'i1', 'j1', 0, 0)];
    assert.equal(new Set([base, ...others]).size, 5);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('http import: sending once', () => {
  let dest: Destination;
  const scheduler = new ManualScheduler(new ManualClock());
  const send = (reply: Replier, overrides: Partial<ImportSettings> = {}) => {
    dest.setReply(reply);
    const imp = runtime({ url: dest.url, ...overrides });
    return sendRequest(imp, prepareRequest(imp, context, '[]', 'k'), { scheduler, now: () => scheduler.clock.now() });
  };
  before(async () => {
    dest = await startDestination();
  });
  after(() => dest.close());

  it('keeps a 2xx answer with its JSON body parsed and a few headers', async () => {
    const result = await send(() => ({ status: 201, headers: { 'Content-Type': 'application/json', 'Set-Cookie': 'a=b', Location: '/orders/9' }, body: '{"id":9}' }));
    assert.equal(result.ok, true);
    assert.ok(result.ok);
    assert.deepEqual(result.response.json, { id: 9 });
    assert.equal(result.response.headers.location, '/orders/9');
    assert.equal(result.response.headers['set-cookie'], undefined, 'cookies are not kept');
  });

  it('says 5xx and 429 are worth retrying, with Retry-After, and other 4xx are not', async () => {
    const unavailable = await send(() => ({ status: 503, body: 'down' }));
    assert.deepEqual(unavailable.ok ? null : [unavailable.retryable, unavailable.kind, unavailable.response?.body], [true, 'http', 'down']);
    const limited = await send(() => ({ status: 429, headers: { 'Retry-After': '3' } }));
    assert.deepEqual(limited.ok ? null : [limited.retryable, limited.retryAfterMs], [true, 3000]);
    const refused = await send(() => ({ status: 404 }));
    assert.deepEqual(refused.ok ? null : [refused.retryable, refused.response?.status], [false, 404]);
  });

  it('does not follow a redirect: the body and private headers go only where configured', async () => {
    const result = await send(() => ({ status: 302, headers: { Location: 'http://127.0.0.1:9/elsewhere' } }));
    assert.deepEqual(result.ok ? null : [result.retryable, result.response?.status], [false, 302]);
    assert.equal(dest.received[dest.received.length - 1]!.path, '/');
  });

  it('keeps at most 64 KiB of a long answer and flags it truncated', async () => {
    const result = await send(() => ({ status: 500, headers: { 'Content-Type': 'application/json' }, body: `"${'x'.repeat(200_000)}"` }));
    assert.ok(!result.ok);
    assert.equal(result.response?.body.length, MAX_KEPT_BODY_BYTES);
    assert.equal(result.response?.truncated, true);
    assert.equal(result.response?.json, undefined);
  });

  it('aborts a request that outlives timeoutSeconds, on the injected scheduler', async () => {
    const pending = send(() => 'hang', { timeoutSeconds: 2 });
    const timeout = await scheduler.advanceToNext('timeout');
    assert.equal(timeout.ms, 2000);
    const result = await pending;
    assert.deepEqual(result.ok ? null : [result.retryable, result.kind], [true, 'timeout']);
  });
});
