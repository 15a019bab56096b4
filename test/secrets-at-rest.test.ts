import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHarness } from './helpers/harness';
import { SecretBox, loadSecretKey } from '../lib/secrets/secret-box';
import { tempDir } from './helpers/harness';
import { sealVerification, unsealVerification } from '../lib/listeners/verification-secrets';
import { configuredSecrets } from '../lib/security/redact';
import { getVerifier } from '../plugins/verifiers';

function storeFiles(dataDir: string): Buffer {
  return Buffer.concat(
    fs.readdirSync(dataDir).filter((f) => f.startsWith('hookport.db')).map((f) => fs.readFileSync(path.join(dataDir, f))),
  );
}

describe('secrets at rest', () => {
  it('never returns a stored secret after creation and never writes it in clear to the SQLite files', async () => {
    const h = await createHarness();
    try {
      const hmacKey = 'hmac-key-7f3a9c2e41d8b605';
      const privateHeader = 'Bearer erp-private-91c4e7a2d0';
      const created = await h.api().post('/listeners', {
        name: 'secrets',
        verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig', keys: [hmacKey] },
      });
      assert.equal(created.status, 201);
      assert.ok(!JSON.stringify(created.body).includes(hmacKey), 'a provided secret is not echoed');
      assert.deepEqual(created.body.verification.keys, ['****b605']);
      const read = await h.api().get(`/listeners/${created.body.id}`);
      assert.ok(!JSON.stringify(read.body).includes(hmacKey));
      const listed = await h.api().get('/listeners');
      assert.ok(!JSON.stringify(listed.body).includes(hmacKey));
      await h.api().post('/imports', { name: 'i', url: 'https://erp.example', headers: [{ name: 'Authorization', value: privateHeader, private: true }] });

      const raw = storeFiles(h.dataDir);
      assert.ok(raw.length > 0);
      assert.equal(raw.indexOf(hmacKey), -1, 'the HMAC key is not in the database in clear');
      assert.equal(raw.indexOf(privateHeader), -1, 'the private header is not in the database in clear');
      assert.ok(raw.indexOf('enc:v1:') >= 0, 'sealed values are there instead');
    } finally {
      await h.close();
    }
  });

  it('returns a generated secret once, in the reply that created it', async () => {
    const h = await createHarness();
    try {
      const created = await h.api().post('/listeners', { name: 'secret url', verification: { type: 'secret_url' } });
      assert.equal(created.status, 201);
      const [secret] = created.body.generatedSecrets;
      assert.match(secret, /^[A-Za-z0-9._~-]{16,}$/);
      assert.equal(created.body.url, `https://hooks.example.com/hooks/${created.body.id}/${secret}`);
      const read = await h.api().get(`/listeners/${created.body.id}`);
      assert.ok(!JSON.stringify(read.body).includes(secret));
      assert.equal(read.body.generatedSecrets, undefined);
      assert.match(read.body.url, /\/\*\*\*\*[a-z0-9]{4}$/);
      assert.equal(storeFiles(h.dataDir).indexOf(secret), -1);
    } finally {
      await h.close();
    }
  });

  it('keeps a stored secret when a client sends its masked form back, and refuses a mask that matches nothing', async () => {
    const h = await createHarness();
    try {
      const created = (await h.api().post('/listeners', {
        name: 'rotate',
        verification: { type: 'basic', username: 'partner', passwords: ['first-password-1234'] },
      })).body;
      const patched = await h.api().patch(`/listeners/${created.id}`, {
        verification: { type: 'basic', username: 'partner', passwords: [created.verification.passwords[0], 'second-password-5678'] },
      });
      assert.equal(patched.status, 200);
      const state = await h.services.listeners.getState(created.id);
      assert.deepEqual((state.settings.verification as any).passwords.map((s: any) => s.value), ['first-password-1234', 'second-password-5678']);
      const bad = await h.api().patch(`/listeners/${created.id}`, { verification: { type: 'basic', username: 'partner', passwords: ['****zzzz'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].path, '/verification/passwords/0');
    } finally {
      await h.close();
    }
  });

  describe('secrets that share a masked value (8 characters or fewer all show as ****)', () => {
    const basic = (passwords: unknown[]) => ({ verification: { type: 'basic', username: 'partner', passwords } });
    const storedPasswords = async (h: Awaited<ReturnType<typeof createHarness>>, id: string) =>
      ((await h.services.listeners.getState(id)).settings.verification as any).passwords;

    it('keeps each of them when their masks are sent back, matched in the order the API shows them', async () => {
      const h = await createHarness();
      try {
        const created = (await h.api().post('/listeners', { name: 'short', ...basic(['pw-one', 'pw-two', 'pw-three']) })).body;
        assert.deepEqual(created.verification.passwords, ['****', '****', '****']);
        const added = await h.api().patch(`/listeners/${created.id}`, basic([...created.verification.passwords, 'pw-four-is-longer']));
        assert.equal(added.status, 200);
        assert.deepEqual((await storedPasswords(h, created.id)).map((s: any) => s.value), ['pw-one', 'pw-two', 'pw-three', 'pw-four-is-longer']);

        const expiresAt = '2026-12-01T00:00:00.000Z';
        const expiring = await h.api().patch(`/listeners/${created.id}`, basic(['****', { value: '****', expiresAt }, '****', 'pw-four-is-longer']));
        assert.equal(expiring.status, 200);
        assert.deepEqual(await storedPasswords(h, created.id), [
          { value: 'pw-one' }, { value: 'pw-two', expiresAt }, { value: 'pw-three' }, { value: 'pw-four-is-longer' },
        ]);
      } finally {
        await h.close();
      }
    });

    it('refuses fewer masks than stored secrets share, since which to keep cannot be told, unless the others are sent in full', async () => {
      const h = await createHarness();
      try {
        const created = (await h.api().post('/listeners', { name: 'short', ...basic(['pw-one', 'pw-two', 'pw-three']) })).body;
        const dropped = await h.api().patch(`/listeners/${created.id}`, basic(['pw-new-and-long', '****']));
        assert.equal(dropped.status, 400);
        assert.deepEqual(dropped.body.errors.map((error: { path: string }) => error.path), ['/verification/passwords/1']);
        assert.deepEqual((await storedPasswords(h, created.id)).map((s: any) => s.value), ['pw-one', 'pw-two', 'pw-three'], 'nothing changed');

        const resolved = await h.api().patch(`/listeners/${created.id}`, basic(['pw-three', '****', 'pw-one']));
        assert.equal(resolved.status, 200);
        assert.deepEqual((await storedPasswords(h, created.id)).map((s: any) => s.value), ['pw-three', 'pw-two', 'pw-one']);
      } finally {
        await h.close();
      }
    });
  });

  describe("Meta's verify token", () => {
    const appSecret = 'meta-app-secret-0d6e2b9a';
    const verifyToken = 'meta-verify-token-5c2e91f7';
    const subscribe = (token: string) => `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`;
    const verification = { type: 'preset', provider: 'meta', secrets: [appSecret], verifyToken };

    it('is masked in every reply and sealed in the SQLite files, and the handshake still answers after the listener is reloaded from the store', async () => {
      const h = await createHarness();
      try {
        const created = await h.api().post('/listeners', { name: 'meta', verification });
        assert.equal(created.status, 201);
        assert.equal(created.body.verification.verifyToken, '****91f7');
        const read = await h.api().get(`/listeners/${created.body.id}`);
        assert.equal(read.body.verification.verifyToken, '****91f7');
        assert.ok(!JSON.stringify(read.body).includes(verifyToken), 'GET does not return the verify token');
        const listed = await h.api().get('/listeners');
        assert.ok(!JSON.stringify(listed.body).includes(verifyToken), 'the list does not return the verify token');
        assert.equal(storeFiles(h.dataDir).indexOf(verifyToken), -1, 'the verify token is not in the database in clear');

        // Rebuild every runtime listener from what the store holds, as a start-up does.
        await h.services.registry.warm();
        const challenged = await h.request().get(`/hooks/${created.body.id}?${subscribe(verifyToken)}`);
        assert.equal(challenged.status, 200);
        assert.equal(challenged.text, '1158201444');
      } finally {
        await h.close();
      }
    });

    it('is kept when a client sends its masked form back, and a mask that matches nothing is refused', async () => {
      const h = await createHarness();
      try {
        const created = (await h.api().post('/listeners', { name: 'meta', verification })).body;
        const patched = await h.api().patch(`/listeners/${created.id}`, { verification: { ...created.verification, secrets: [...created.verification.secrets, 'meta-app-secret-next'] } });
        assert.equal(patched.status, 200);
        const state = await h.services.listeners.getState(created.id);
        assert.equal((state.settings.verification as any).verifyToken, verifyToken);
        const challenged = await h.request().get(`/hooks/${created.id}?${subscribe(verifyToken)}`);
        assert.equal(challenged.status, 200);

        const bad = await h.api().patch(`/listeners/${created.id}`, { verification: { verifyToken: '****zzzz' } });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.errors[0].path, '/verification/verifyToken');
      } finally {
        await h.close();
      }
    });

    it('is sealed on its own, and one stored in clear before it was sealed still opens', () => {
      const box = new SecretBox(Buffer.alloc(32, 3));
      const stored = { ...verification, secrets: [{ value: appSecret }] };
      const sealed = sealVerification(stored, box);
      assert.ok(SecretBox.isSealed(sealed.verifyToken));
      assert.equal(unsealVerification(sealed, box).verifyToken, verifyToken);
      const legacy = { ...sealed, verifyToken };
      assert.equal(unsealVerification(legacy, box).verifyToken, verifyToken);
      assert.deepEqual(configuredSecrets(getVerifier(stored.type), stored), [appSecret, verifyToken]);
    });
  });

  it('generates DATA_DIR/secret.key with mode 0600 when no key is configured, and reuses it', () => {
    const dir = tempDir();
    const first = loadSecretKey(null, dir);
    const stat = fs.statSync(path.join(dir, 'secret.key'));
    assert.equal(stat.mode & 0o777, 0o600);
    assert.deepEqual(loadSecretKey(null, dir), first);
    const configured = Buffer.alloc(32, 7).toString('base64');
    assert.deepEqual(loadSecretKey(configured, dir), Buffer.alloc(32, 7));
    fs.rmSync(dir, { recursive: true });
  });

  it('seals with AES-256-GCM: a tampered value or another key fails to open', () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    const sealed = box.encrypt('hello');
    assert.equal(box.decrypt(sealed), 'hello');
    assert.notEqual(box.encrypt('hello'), sealed, 'a fresh IV every time');
    assert.throws(() => new SecretBox(Buffer.alloc(32, 2)).decrypt(sealed));
    // Replaces the second-to-last character (six whole bits of ciphertext) by another one; choosing by the
    // last character instead left it unchanged about one run in 64.
    const replaced = sealed.at(-2) === 'A' ? 'B' : 'A';
    const tampered = sealed.slice(0, -2) + replaced + sealed.slice(-1);
    assert.notEqual(tampered, sealed);
    assert.throws(() => box.decrypt(tampered));
  });
});
