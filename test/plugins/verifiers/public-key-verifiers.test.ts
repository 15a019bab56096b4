/**
 * The ed25519, ecdsa and jwt verifiers on their own: key formats, what a bad
 * key or signature gets, and the JWT rules (algorithms, issuer, expiry, age,
 * the claim that binds the token to the body, keys given as PEM, JWK or JWKS).
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { ecdsaVerifier, type EcdsaConfig } from '../../../plugins/verifiers/ecdsa';
import { ed25519PublicKey, ed25519Verifier, type Ed25519Config } from '../../../plugins/verifiers/ed25519';
import { jwtVerifier, type JwtConfig } from '../../../plugins/verifiers/jwt';
import { FIXED_NOW, FIXED_SECONDS, makeContext } from './fixtures';

const reason = (result: unknown) => (result as { reason?: string }).reason;
const jose = () => import('jose');

describe('ed25519 verifier', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const config: Ed25519Config = { type: 'ed25519', publicKeys: [{ value: raw.toString('hex') }], header: 'x-sig', signatureEncoding: 'hex', signedContent: '{timestamp}{body}', timestampHeader: 'x-ts' };
  const headers = (body: string, t = FIXED_SECONDS) => ({ 'x-ts': String(t), 'x-sig': sign(null, Buffer.from(`${t}${body}`), privateKey).toString('hex') });

  it('takes the key as 32 bytes of hex or base64, or PEM, and refuses anything else at save time', () => {
    for (const text of [raw.toString('hex'), raw.toString('base64'), publicKey.export({ format: 'pem', type: 'spki' }).toString()]) assert.ok(ed25519PublicKey(text), text);
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const text of ['abcd', raw.subarray(1).toString('hex'), ecPem]) assert.equal(ed25519PublicKey(text), undefined, text);
    assert.deepEqual(ed25519Verifier.check!({ ...config, publicKeys: [{ value: 'abcd' }] }).map((error) => error.path), ['/publicKeys/0']);
  });

  it('verifies the signature, and refuses a changed body, a short signature and a stale timestamp', () => {
    assert.deepEqual(ed25519Verifier.verify(makeContext({ body: 'b', headers: headers('b') }), config), { ok: true });
    assert.match(reason(ed25519Verifier.verify(makeContext({ body: 'c', headers: headers('b') }), config))!, /^signature mismatch/);
    assert.match(reason(ed25519Verifier.verify(makeContext({ body: 'b', headers: { ...headers('b'), 'x-sig': 'abcd' } }), config))!, /^signature mismatch/);
    assert.equal(reason(ed25519Verifier.verify(makeContext({ body: 'b', headers: headers('b', FIXED_SECONDS - 301) }), config)), 'timestamp is 301 s old, outside the 300 s tolerance');
  });

  it('cannot sign: hookport holds only the public key', () => {
    assert.throws(() => ed25519Verifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.alloc(0) }, config, FIXED_NOW, 'https://x'), /cannot sign/);
  });
});

describe('ecdsa verifier', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const config: EcdsaConfig = {
    type: 'ecdsa', publicKeys: [{ value: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }], header: 'x-sig', signatureEncoding: 'base64', signedContent: '{timestamp}{body}', timestampHeader: 'x-ts',
  };

  it('verifies a DER signature and refuses garbage without throwing', () => {
    const signature = sign('sha256', Buffer.from(`${FIXED_SECONDS}b`), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
    assert.deepEqual(ecdsaVerifier.verify(makeContext({ body: 'b', headers: { 'x-ts': String(FIXED_SECONDS), 'x-sig': signature } }), config), { ok: true });
    assert.match(reason(ecdsaVerifier.verify(makeContext({ body: 'b', headers: { 'x-ts': String(FIXED_SECONDS), 'x-sig': 'bm90IGRlcg==' } }), config))!, /^signature mismatch/);
  });

  it('refuses a key that is not P-256', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    assert.deepEqual(ecdsaVerifier.check!({ ...config, publicKeys: [{ value: p384 }] }).map((error) => error.path), ['/publicKeys/0']);
  });
});

describe('jwt verifier', () => {
  const body = '{"id":"deploy-1","state":"ready"}';
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const netlify: JwtConfig = { type: 'jwt', header: 'x-webhook-signature', algorithms: ['HS256'], keys: [{ value: 'jws-secret' }], issuer: 'netlify', bodyHashClaim: 'sha256' };
  const hs256 = async (claims: Record<string, unknown>, secret = 'jws-secret', iat = FIXED_SECONDS) =>
    new (await jose()).SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).sign(new TextEncoder().encode(secret));
  const verify = (config: JwtConfig, token: string, text = body) => jwtVerifier.verify(makeContext({ body: text, headers: { [config.header]: token } }), config);

  it('accepts a Netlify-style token and refuses another body, issuer or secret', async () => {
    assert.deepEqual(await verify(netlify, await hs256({ iss: 'netlify', sha256: bodyHash })), { ok: true });
    assert.equal(reason(await verify(netlify, await hs256({ iss: 'netlify', sha256: bodyHash }), '{"id":"deploy-2"}')), 'the sha256 claim does not match the body');
    assert.match(reason(await verify(netlify, await hs256({ iss: 'vercel', sha256: bodyHash })))!, /^token refused: .*iss/);
    assert.match(reason(await verify(netlify, await hs256({ iss: 'netlify', sha256: bodyHash }, 'guess')))!, /^token refused/);
    assert.equal(reason(await verify(netlify, await hs256({ iss: 'netlify' }))), 'token has no sha256 claim binding it to the body');
  });

  it('refuses an expired token, and with maxAgeSeconds one issued too long ago', async () => {
    assert.match(reason(await verify(netlify, await hs256({ iss: 'netlify', sha256: bodyHash, exp: FIXED_SECONDS - 1 })))!, /exp/);
    const old = await hs256({ iss: 'netlify', sha256: bodyHash }, 'jws-secret', FIXED_SECONDS - 600);
    assert.deepEqual(await verify(netlify, old), { ok: true });
    assert.match(reason(await verify({ ...netlify, maxAgeSeconds: 300 }, old))!, /iat|age/);
  });

  it('verifies RS256 with a PEM key and ES256 with an inline JWKS, choosing the key by kid; "none" and HS tokens are refused', async () => {
    const { SignJWT, exportJWK } = await jose();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsConfig: JwtConfig = { type: 'jwt', header: 'authorization', algorithms: ['RS256'], keys: [{ value: rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString() }] };
    const rsToken = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    assert.deepEqual(await verify(rsConfig, `Bearer ${rsToken}`), { ok: true });
    assert.match(reason(await verify(rsConfig, await hs256({ a: 1 })))!, /^token refused/);

    const first = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwks = { keys: [{ ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'ES256' }, { ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'ES256' }] };
    const esConfig: JwtConfig = { type: 'jwt', header: 'x-jwt', algorithms: ['ES256'], keys: [{ value: JSON.stringify(jwks) }] };
    const esToken = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'ES256', kid: 'k2' }).sign(second.privateKey);
    assert.deepEqual(await verify(esConfig, esToken), { ok: true });
    const wrongKid = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(second.privateKey);
    assert.match(reason(await verify(esConfig, wrongKid))!, /^token refused/);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"a":1}').toString('base64url')}.`;
    assert.match(reason(await verify(esConfig, unsigned))!, /^token refused/);
  });

  it('refuses mixed HMAC and public-key algorithms, and keys that are not keys', () => {
    assert.deepEqual(jwtVerifier.check!({ ...netlify, algorithms: ['HS256', 'RS256'] }).map((error) => error.path), ['/algorithms']);
    assert.deepEqual(jwtVerifier.check!({ type: 'jwt', header: 'x', algorithms: ['ES256'], keys: [{ value: 'not a key' }, { value: '{"keys":[]}' }] }).map((error) => error.path), ['/keys/0', '/keys/1']);
  });

  it('signs HS256 tokens that it verifies, and names the missing header', async () => {
    const signed = jwtVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from(body) }, netlify, FIXED_NOW, 'https://x');
    assert.deepEqual(await verify(netlify, signed.headers['x-webhook-signature']!), { ok: true });
    assert.equal(reason(await jwtVerifier.verify(makeContext({ body }), netlify)), 'missing token header x-webhook-signature');
  });
});
