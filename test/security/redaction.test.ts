/**
 * Redaction, end to end (issue 9 point 3): for every registered verifier, a
 * request signed as the partner signs it is accepted with a debug session on,
 * and then no configured secret, and no credential the request carried, is
 * found in any place that keeps or shows it — the test-request reply, the
 * stored job, the sample, the debug log, the log lines, nor the raw database
 * files — while the verifier's credential headers show the one mask.
 *
 * The list of cases must name every verifier the registry holds, so a new
 * verifier cannot arrive without being covered here.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../lib/logger';
import { MASK } from '../../lib/security/redact';
import { verifierTypes } from '../../plugins/verifiers';
import { assertAbsent, databaseBytes, debugLogs, startDebug } from '../debug/helpers';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

interface Case {
  name: string;
  verification: Record<string, unknown>;
  /** Values that must appear nowhere. */
  secrets: string[];
  /** Header names (lower-case) that must show the mask wherever headers are kept. */
  maskedHeaders: string[];
  /** For verifiers that cannot sign (public keys): the headers a partner's private key gives `body`. */
  signWith?: (body: string) => Record<string, string>;
}

const WHSEC = 'whsec_' + Buffer.from('redaction standard webhooks key').toString('base64');
const ed25519 = generateKeyPairSync('ed25519');
const ed25519Public = Buffer.from(ed25519.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p256Public = p256.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const CASES: Case[] = [
  { name: 'none', verification: { type: 'none' }, secrets: [], maskedHeaders: [] },
  { name: 'basic', verification: { type: 'basic', username: 'partner', passwords: ['redact-basic-pass-01'] }, secrets: ['redact-basic-pass-01'], maskedHeaders: ['authorization'] },
  {
    name: 'hmac', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['redact-hmac-key-0001'] },
    secrets: ['redact-hmac-key-0001'], maskedHeaders: ['x-signature'],
  },
  { name: 'secret_url', verification: { type: 'secret_url', secrets: ['redactsecreturlsegment01'] }, secrets: ['redactsecreturlsegment01'], maskedHeaders: [] },
  {
    name: 'token in the body', verification: { type: 'token', tokens: ['redact-body-token-01'], location: { in: 'body', path: 'myAuth.token' } },
    secrets: ['redact-body-token-01'], maskedHeaders: [],
  },
  {
    name: 'token in a header', verification: { type: 'token', tokens: ['redact-header-token-01'], location: { in: 'header', name: 'X-Api-Token' } },
    secrets: ['redact-header-token-01'], maskedHeaders: ['x-api-token'],
  },
  {
    name: 'token in the query', verification: { type: 'token', tokens: ['redact-query-token-01'], location: { in: 'query', name: 'token' } },
    secrets: ['redact-query-token-01'], maskedHeaders: [],
  },
  {
    name: 'preset (github)', verification: { type: 'preset', provider: 'github', secrets: ['redact-github-secret-01'] },
    secrets: ['redact-github-secret-01'], maskedHeaders: ['x-hub-signature-256'],
  },
  {
    name: 'preset (standard-webhooks)', verification: { type: 'preset', provider: 'standard-webhooks', secrets: [WHSEC] },
    secrets: [WHSEC], maskedHeaders: ['webhook-signature'],
  },
  {
    name: 'preset (meta, with its verify token)', verification: { type: 'preset', provider: 'meta', secrets: ['redact-meta-secret-01'], verifyToken: 'redact-meta-verify-01' },
    secrets: ['redact-meta-secret-01', 'redact-meta-verify-01'], maskedHeaders: ['x-hub-signature-256'],
  },
  {
    name: 'hash', verification: { type: 'hash', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig', secrets: ['redact-hash-secret-01'], signedContent: '{secret}{body}' },
    secrets: ['redact-hash-secret-01'], maskedHeaders: ['x-sig'],
  },
  {
    name: 'jwt', verification: { type: 'jwt', header: 'X-Token', algorithms: ['HS256'], keys: ['redact-jwt-key-000000000001'] },
    secrets: ['redact-jwt-key-000000000001'], maskedHeaders: ['x-token'],
  },
  {
    name: 'ed25519', verification: { type: 'ed25519', header: 'X-Signature-Ed25519', signatureEncoding: 'hex', publicKeys: [ed25519Public] },
    secrets: [], maskedHeaders: ['x-signature-ed25519'],
    signWith: (body) => ({ 'X-Signature-Ed25519': cryptoSign(null, Buffer.from(body), ed25519.privateKey).toString('hex') }),
  },
  {
    name: 'ecdsa', verification: { type: 'ecdsa', header: 'X-Signature-Ecdsa', signatureEncoding: 'base64', publicKeys: [p256Public] },
    secrets: [], maskedHeaders: ['x-signature-ecdsa'],
    signWith: (body) => ({ 'X-Signature-Ecdsa': cryptoSign('sha256', Buffer.from(body), p256.privateKey).toString('base64') }),
  },
];

/** Every header map in a value (objects with the masked header names as keys), for the mask check. */
function headerValuesNamed(value: unknown, name: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) headerValuesNamed(item, name, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === name) found.push(item);
      else headerValuesNamed(item, name, found);
    }
  }
  return found;
}

describe('redaction of every verifier’s secrets in every place (lib/security/redact.ts)', () => {
  let h: Harness;
  const logLines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    h = await createHarness({ logger: createLogger('trace', sink) });
  });
  after(() => h.close());

  it('has a case for every registered verifier', () => {
    const covered = new Set(CASES.map((c) => String(c.verification.type)));
    assert.deepEqual(verifierTypes().filter((type) => !covered.has(type)), []);
  });

  for (const c of CASES) {
    it(`keeps ${c.name} secrets out of the reply, the job, the sample, the debug log and the logs`, async () => {
      const listener = await createListener(h, { verification: c.verification });
      await startDebug(h, listener.id);
      // The token verifier's own signing puts the token into the body (or query) where it expects it.
      const body = JSON.stringify({ order: 7, myAuth: { note: 'data' } });
      let reply: unknown = null;
      if (c.signWith) {
        const sent = await h.request().post(hookPath(listener)).set({ 'Content-Type': 'application/json', ...c.signWith(body) }).send(body);
        assert.equal(sent.status, 204, JSON.stringify(sent.body));
      } else {
        const input = c.name === 'token in the query' ? { body: JSON.parse(body), query: 'token=redact-query-token-01' } : { body: JSON.parse(body) };
        const response = await h.api().post(`/listeners/${listener.id}/test-request`, input);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.response.status, 204, JSON.stringify(response.body.response));
        reply = response.body.request;
      }
      const jobs = await h.services.store.readJobs(listener.id, 0, 10);
      assert.equal(jobs.length, 1, 'the request was accepted');
      const sample = (await h.api().get(`/listeners/${listener.id}/sample`)).body;
      const debug = await debugLogs(h, listener.id);
      assert.ok(debug.items.length >= 1, 'the debug session captured the request');
      await new Promise((resolve) => setImmediate(resolve));

      const places: Record<string, unknown> = { 'test-request reply': reply, job: jobs, sample, 'debug log': debug, logs: logLines.join('') };
      for (const secret of c.secrets) {
        for (const [place, value] of Object.entries(places)) {
          assert.ok(!JSON.stringify(value).includes(secret), `${c.name}: ${secret} shows in the ${place}`);
        }
        assertAbsent(databaseBytes(h), secret, `${c.name} secret`);
      }
      for (const header of c.maskedHeaders) {
        for (const [place, value] of Object.entries({ 'test-request reply': reply, sample, 'debug log': debug })) {
          for (const shown of headerValuesNamed(value, header)) assert.equal(shown, MASK, `${c.name}: ${header} is not masked in the ${place}`);
        }
        assert.ok(headerValuesNamed(debug, header).length > 0, `${c.name}: the debug log kept the ${header} header (masked)`);
      }
    });
  }
});
