import assert from 'node:assert/strict';
import {
  BUILTIN_VERIFIERS,
  createVerifierRegistry,
  getVerifier,
  PRESET_PROVIDERS,
  validateVerification,
  verifierTypes,
  VERIFIERS,
} from '../../../plugins/verifiers';
import { hmacVerifier } from '../../../plugins/verifiers/hmac';
import { PRESETS } from '../../../plugins/verifiers/presets';
import type { OutgoingRequest, VerifierPlugin } from '../../../lib/verification/plugin';
import { FIXED_NOW, makeContext } from './fixtures';

describe('verifier registry', () => {
  it('lists every built-in type, each named after its file', () => {
    assert.deepEqual(verifierTypes(), ['none', 'basic', 'hmac', 'secret_url', 'token', 'preset', 'hash', 'ed25519', 'ecdsa', 'jwt']);
    for (const plugin of BUILTIN_VERIFIERS) {
      assert.doesNotThrow(() => require.resolve(`../../../plugins/verifiers/${plugin.name.replace(/_/g, '-')}`), plugin.name);
    }
  });

  it('returns a plugin by type and throws for an unknown one', () => {
    assert.equal(getVerifier('hmac'), hmacVerifier);
    assert.throws(() => getVerifier('acme'), /Unknown verification type "acme"/);
  });

  it('refuses to register two plugins with one name', () => {
    assert.throws(() => createVerifierRegistry([hmacVerifier, { ...hmacVerifier }]), /Duplicate verifier "hmac"/);
  });

  it('offers every provider the spec names', () => {
    for (const provider of ['github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'twilio', 'zoom', 'square', 'meta']) {
      assert.ok(PRESET_PROVIDERS.includes(provider), provider);
    }
  });
});

describe('validateVerification', () => {
  it('normalises secrets and returns the config when valid', () => {
    const raw = { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig', keys: ['k1', { value: 'k0', expiresAt: '2026-02-01T00:00:00Z' }] };
    const result = validateVerification(raw);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.config?.keys, [{ value: 'k1' }, { value: 'k0', expiresAt: '2026-02-01T00:00:00Z' }]);
    assert.deepEqual(raw.keys[0], 'k1', 'the input is not mutated');
  });

  it('names each bad field with a JSON pointer under /verification', () => {
    const result = validateVerification({ type: 'hmac', algorithm: 'md5', encoding: 'hex', header: 'x', keys: ['ok', '', { value: 'v', expiresAt: 'tomorrow' }], colour: 'red' });
    assert.equal(result.config, undefined);
    assert.deepEqual(
      result.errors.map((error) => error.path),
      ['/verification/colour', '/verification/algorithm', '/verification/keys/1', '/verification/keys/2/expiresAt'],
    );
    assert.match(result.errors[1]!.message, /"sha1", "sha256", "sha384", "sha512"/);
  });

  it('requires at least one secret where secrets are required', () => {
    assert.deepEqual(validateVerification({ type: 'basic', username: 'u', passwords: [] }).errors, [{ path: '/verification/passwords', message: 'must NOT have fewer than 1 items' }]);
    assert.deepEqual(validateVerification({ type: 'token', location: { in: 'query', name: 't' } }).errors, [{ path: '/verification/tokens', message: 'is required' }]);
  });

  it('refuses an unknown type or a value that is not an object', () => {
    assert.match(validateVerification({ type: 'acme' }).errors[0]!.message, /"none", "basic", "hmac", "secret_url", "token", "preset", "hash", "ed25519", "ecdsa", "jwt"/);
    assert.equal(validateVerification('hmac').errors[0]!.path, '/verification');
  });

  it('reports the wrong part of a token location', () => {
    assert.deepEqual(validateVerification({ type: 'token', tokens: ['t'], location: { in: 'cookie', name: 'x' } }).errors, [
      { path: '/verification/location/in', message: 'must be one of "body", "header", "query"' },
    ]);
    assert.deepEqual(validateVerification({ type: 'token', tokens: ['t'], location: { in: 'body', name: 'x' } }).errors.map((error) => error.path), [
      '/verification/location/path',
      '/verification/location/name',
    ]);
  });

  it("runs the plugin's check after the schema, with paths under /verification", () => {
    assert.deepEqual(validateVerification({ type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'x', keys: ['k'], signedContent: '{nope}' }).errors.map((error) => error.path), [
      '/verification/signedContent',
    ]);
    assert.deepEqual(validateVerification({ type: 'preset', provider: 'meta', secrets: ['s'] }).errors, [{ path: '/verification/verifyToken', message: 'is required for provider meta' }]);
    assert.deepEqual(validateVerification({ type: 'preset', provider: 'acme', secrets: ['s'] }).errors.map((error) => error.path), ['/verification/provider']);
  });

  it('generates a secret_url secret only when asked, and reports it', () => {
    assert.deepEqual(validateVerification({ type: 'secret_url' }).config, { type: 'secret_url', secrets: [] });
    const result = validateVerification({ type: 'secret_url' }, { generateSecrets: true });
    assert.equal(result.generated?.length, 1);
    assert.deepEqual(result.config?.secrets, result.generated);
  });
});

describe('every verifier', () => {
  const listenerUrl = 'https://hooks.example.com/hooks/0123456789abcdefghijklmnopqrstuv';
  /** A secret of the shape each preset's verifier accepts. */
  const presetSecret = (provider: string): string => {
    const preset = PRESETS[provider]!;
    if (provider === 'standard-webhooks' || provider === 'svix') return 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    if (preset.scheme === 'hmac' && preset.settings.secretEncoding === 'base64') return 'whsec_cHJvdmlkZXItc2VjcmV0';
    return 'provider-secret';
  };
  const signs = (provider: string) => !['ed25519', 'ecdsa'].includes(PRESETS[provider]!.scheme);
  const samples: Array<{ raw: unknown; coversBody: boolean }> = [
    { raw: { type: 'basic', username: 'u', passwords: ['p'] }, coversBody: false },
    { raw: { type: 'hmac', algorithm: 'sha384', encoding: 'base64url', header: 'x-sig', keys: ['k'], signedContent: '{url}.{timestamp}.{body}', timestampHeader: 'x-ts' }, coversBody: true },
    { raw: { type: 'hash', algorithm: 'sha256', encoding: 'hex', header: 'x-sig', secrets: ['k'], signedContent: '{secret}{method}{url}{body}' }, coversBody: true },
    { raw: { type: 'jwt', header: 'x-token', algorithms: ['HS256'], keys: ['k'], bodyHashClaim: 'sha256' }, coversBody: true },
    { raw: { type: 'secret_url', secrets: ['abcdefghijklmnopqrstuvwxyz012345'] }, coversBody: false },
    { raw: { type: 'token', tokens: ['t'], location: { in: 'header', name: 'x-token' } }, coversBody: false },
    ...PRESET_PROVIDERS.filter(signs).map((provider) => ({
      raw: {
        type: 'preset',
        provider,
        secrets: [presetSecret(provider)],
        ...(PRESETS[provider]!.requires?.includes('verifyToken') ? { verifyToken: 'vt' } : {}),
      },
      coversBody: PRESETS[provider]!.scheme !== 'token',
    })),
  ];
  /** Linear dates its events in the body, so a body that verifies carries a fresh webhookTimestamp. */
  const bodyWith = (n: number) => Buffer.from(JSON.stringify({ id: 'evt_1', n, webhookTimestamp: FIXED_NOW }));

  for (const { raw, coversBody } of samples) {
    const label = (raw as { provider?: string; type: string }).provider ?? (raw as { type: string }).type;

    it(`${label}: accepts what its own sign builds${coversBody ? ' and refuses a changed body' : ''}`, async () => {
      const { config, errors } = validateVerification(raw);
      assert.deepEqual(errors, []);
      const plugin: VerifierPlugin = getVerifier(config!.type);
      const request: OutgoingRequest = { method: 'POST', pathSuffix: '', headers: { 'content-type': 'application/json' }, body: bodyWith(1) };
      const signed = plugin.sign(request, config, FIXED_NOW, listenerUrl);
      const pathSecret = signed.pathSuffix.startsWith('/') ? signed.pathSuffix.slice(1).split('?')[0] : undefined;
      const url = listenerUrl + (pathSecret === undefined ? signed.pathSuffix : signed.pathSuffix.slice(1 + pathSecret.length));
      const context = (body: Buffer) => makeContext({ url, body, headers: signed.headers, pathSecret });
      assert.deepEqual(await plugin.verify(context(signed.body), config), { ok: true });
      if (coversBody) assert.equal((await plugin.verify(context(bodyWith(2)), config)).ok, false);
      // A token in the body comes with the body, so only other schemes can be sent unsigned with it.
      const provider = (raw as { provider?: string }).provider;
      const tokenInBody = provider !== undefined && JSON.stringify(PRESETS[provider]).includes('"in":"body"');
      if (!tokenInBody) assert.equal((await plugin.verify(makeContext({ url: listenerUrl, body: signed.body }), config)).ok, false, 'an unsigned request is refused');
    });
  }

  it('public-key verifiers and presets refuse to sign: hookport holds no private key', () => {
    const request: OutgoingRequest = { method: 'POST', pathSuffix: '', headers: {}, body: bodyWith(1) };
    const publicKeyPresets = PRESET_PROVIDERS.filter((provider) => !signs(provider));
    assert.ok(publicKeyPresets.length >= 3);
    for (const provider of publicKeyPresets) {
      const config = { type: 'preset', provider, secrets: [{ value: 'x' }] };
      assert.throws(() => getVerifier('preset').sign(request, config, FIXED_NOW, listenerUrl), /cannot sign/, provider);
    }
  });

  it('every registered plugin is covered above', () => {
    const signing = Object.keys(VERIFIERS).filter((type) => !['none', 'ed25519', 'ecdsa'].includes(type));
    assert.deepEqual(signing.filter((type) => !samples.some((sample) => (sample.raw as { type: string }).type === type)), []);
  });
});
