/**
 * Property tests (#11, "also build"): random bytes under random and real content
 * types, fed to every body parser directly and to every verifier through the real
 * ingest path. Whatever arrives: no 5xx, no crash, no unhandled rejection — a
 * parser either returns a value or throws an AppError below 500, and a webhook
 * gets a 4xx or a 2xx.
 *
 * Bounded: a fixed seed per run is printed by fast-check on failure; each property
 * runs a small number of cases.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAppError } from '../../lib/errors';
import { DEFAULT_PARSE_LIMITS, parseBody, PARSERS } from '../../lib/parsers';
import { PRESET_PROVIDERS } from '../../plugins/verifiers/presets';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { ed25519Key, p256Key } from '../plugins/verifiers/provider-signers';

const CONTENT_TYPES = [
  'application/json', 'application/vnd.api+json', 'application/json; charset=utf-16le', 'application/x-ndjson',
  'application/xml', 'text/xml; charset=iso-8859-1', 'application/atom+xml', 'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=windows-1252', 'multipart/form-data; boundary=xyz', 'multipart/form-data',
  'text/plain', 'application/octet-stream', '', 'garbage', 'application/json; charset=nope', 'multipart/form-data; boundary=',
];

/** Bytes that are often almost valid: random bytes, and random text in each syntax's alphabet. */
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789.-eEtrufalsn \\u/\n'.split('')), maxLength: 400 }).map((text) => Buffer.from(text)),
  fc.string({ unit: fc.constantFrom(...'<>/="\'?!-[]&#;xa \n'.split('')), maxLength: 400 }).map((text) => Buffer.from(text)),
  fc.string({ unit: fc.constantFrom(...'a=b&[]%2F+;\r\n--xyzContent-Disposition: form-data; name="f"'.split('')), maxLength: 400 }).map((text) => Buffer.from(text)),
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text)),
);

const contentTypes = fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 60 }));

/** Runs `work` and fails if any promise is rejected without a handler meanwhile. */
async function withoutUnhandledRejections(work: () => Promise<void>): Promise<void> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await work();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, [], 'unhandled rejections');
}

describe('hostile: random input (fast-check)', () => {
  it('every parser returns a value or a 4xx AppError for any bytes under any content type', async () => {
    assert.ok(PARSERS.length >= 5);
    await withoutUnhandledRejections(() =>
      fc.assert(
        fc.asyncProperty(bodies, contentTypes, async (body, contentType) => {
          try {
            await parseBody(body, contentType, DEFAULT_PARSE_LIMITS);
          } catch (error) {
            assert.ok(isAppError(error), `not an AppError: ${(error as Error)?.stack}`);
            assert.ok(error.status >= 400 && error.status < 500, `${error.status} ${error.code}`);
          }
        }),
        { numRuns: 400 },
      ),
    );
  });

  describe('through every verifier', () => {
    let h: Harness;
    const listeners: Array<{ label: string; id: string; secret?: string }> = [];
    before(async function () {
      this.timeout(120_000);
      h = await createHarness({ start: false });
      const generic: Array<[string, Record<string, unknown>]> = [
        ['none', { type: 'none' }],
        ['basic', { type: 'basic', username: 'partner', passwords: ['pa:ss:word-0123456789'] }],
        ['hmac', { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', prefix: 'sha256=', keys: ['hmac-key-0123456789'] }],
        ['hmac+timestamp', { type: 'hmac', algorithm: 'sha512', encoding: 'base64', header: 'X-Signature', keys: ['hmac-key-0123456789'], signedContent: '{timestamp}.{body}', timestampHeader: 'X-Timestamp' }],
        ['secret_url', { type: 'secret_url', secrets: ['secret-url-segment-0123456789'] }],
        ['token/body', { type: 'token', tokens: ['token-0123456789'], location: { in: 'body', path: 'myAuth.token' } }],
        ['token/header', { type: 'token', tokens: ['token-0123456789'], location: { in: 'header', name: 'Authorization' } }],
        ['token/query', { type: 'token', tokens: ['token-0123456789'], location: { in: 'query', name: 'token' } }],
      ];
      for (const [label, verification] of generic) {
        const listener = await createListener(h, { name: label, verification, parsing: { includeHeaders: true } });
        listeners.push({ label, id: listener.id, ...(label === 'secret_url' ? { secret: 'secret-url-segment-0123456789' } : {}) });
      }
      // A preset takes what its provider hands out: a plain secret, whsec_…, base64, or a public key.
      const candidates = [
        'provider-secret-0123456789abcdef', `whsec_${Buffer.from('a standard webhooks key').toString('base64')}`,
        Buffer.from('a base64 secret for the preset').toString('base64'), ed25519Key('hex').paste, ed25519Key('base64').paste, p256Key().paste,
      ];
      const missing: string[] = [];
      for (const provider of PRESET_PROVIDERS) {
        let created: { id: string } | undefined;
        const extras = [{}, { publicUrl: 'https://hooks.example.com/in' }, { verifyToken: 'verify-token' }];
        search: for (const secret of candidates) {
          for (const extra of extras) {
            const response = await h.api().post('/listeners', { name: provider, verification: { type: 'preset', provider, secrets: [secret], ...extra } });
            if (response.status === 201) {
              created = response.body;
              break search;
            }
          }
        }
        if (created) listeners.push({ label: `preset ${provider}`, id: created.id });
        else missing.push(provider);
      }
      assert.deepEqual(missing, [], 'a listener for every preset');
    });
    after(() => h?.close());

    it('answers random bodies, content types and credential headers with 2xx or 4xx, never 5xx', async function () {
      this.timeout(120_000);
      const headerValue = fc.oneof(fc.constant(''), fc.string({ maxLength: 80 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v)), fc.constantFrom('sha256=00', 't=1,v1=00', 'Bearer x', 'Basic eDp5', 'v1,AAAA'));
      const signatureHeaders = fc.dictionary(
        fc.constantFrom('x-signature', 'x-hub-signature-256', 'stripe-signature', 'x-slack-signature', 'x-slack-request-timestamp', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-timestamp', 'authorization', 'x-twilio-signature', 'x-signature-ed25519', 'x-signature-timestamp'),
        headerValue,
        { maxKeys: 4 },
      );
      await withoutUnhandledRejections(() =>
        fc.assert(
          fc.asyncProperty(fc.constantFrom(...listeners), bodies, fc.constantFrom(...CONTENT_TYPES), signatureHeaders, fc.constantFrom('POST', 'PUT', 'GET'), async (listener, body, contentType, headers, method) => {
            let request = h.request()[method === 'GET' ? 'get' : method === 'PUT' ? 'put' : 'post'](`${hookPath(listener, listener.secret)}?token=x&hub.mode=subscribe`);
            for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
            if (contentType) request = request.set('Content-Type', contentType);
            const response = await (method === 'GET' ? request : request.send(body));
            assert.ok(response.status < 500, `${listener.label}: ${response.status} ${JSON.stringify(response.body)}`);
          }),
          { numRuns: 600 },
        ),
      );
    });
  });
});
