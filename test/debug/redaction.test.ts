import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { assertAbsent, databaseBytes, debugLogs, startDebug } from './helpers';

/**
 * Requests that carry each kind of secret, with debugging on, then a search of
 * the SQLite files' raw bytes. Requests whose secret the ingest path itself
 * would keep (a token in the body or query is part of the job it stores) are
 * refused or filtered, so that the only copies that could exist are the debug
 * entries'.
 */
describe('debug log redaction', () => {
  let h: Harness;
  const secrets = {
    basicPassword: 'Basic-Pass-9f3k2q',
    hmacKey: 'hmac-key-5m2n8w',
    queryToken: 'query-token-7h4j1z',
    headerToken: 'header-token-2b6v0c',
    bodyToken: 'body-token-8x1p4r',
    pathSecret: 'path-secret-3k9d7x',
    email: 'pii-person@example.org',
    cookie: 'session=cookie-value-6t2y',
  };
  const never = [{ path: '$.body.kind', equals: 'never-sent' }];
  const found: Record<string, string> = {};
  let ids: Record<string, string>;

  before(async () => {
    h = await createHarness();
    const basic = await createListener(h, { verification: { type: 'basic', username: 'acme', passwords: [secrets.basicPassword] }, debug: { redact: ['$.customer.email'] } });
    const hmac = await createListener(h, { verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: [secrets.hmacKey] } });
    const queryToken = await createListener(h, {
      verification: { type: 'token', tokens: [secrets.queryToken], location: { in: 'query', name: 'token' } },
      filter: never,
      response: { status: 200, body: { echoed: '{{query.token}}' } },
    });
    const headerToken = await createListener(h, { verification: { type: 'token', tokens: [secrets.headerToken], location: { in: 'header', name: 'X-Token' } } });
    const bodyToken = await createListener(h, { verification: { type: 'token', tokens: [secrets.bodyToken], location: { in: 'body', path: 'auth.token' } }, filter: never });
    const secretUrl = await createListener(h, { verification: { type: 'secret_url', secrets: [secrets.pathSecret] } });
    const pii = await createListener(h, { debug: { redact: ['$.customer.email', '$.lines[*].contact'] }, filter: never });
    ids = { basic: basic.id, hmac: hmac.id, queryToken: queryToken.id, headerToken: headerToken.id, bodyToken: bodyToken.id, secretUrl: secretUrl.id, pii: pii.id };
    for (const id of Object.values(ids)) await startDebug(h, id, 30);

    const order = JSON.stringify({ customer: { email: secrets.email, name: 'Ann' }, kind: 'order' });
    const send = (path: string) => h.request().post(path).set('Content-Type', 'application/json').set('Cookie', secrets.cookie);

    // Basic: accepted, and refused with the right password for another user; the body holds a redact path.
    assert.equal((await send(hookPath(basic)).auth('acme', secrets.basicPassword).send('{"kind":"order"}')).status, 204);
    assert.equal((await send(hookPath(basic)).auth('someone', secrets.basicPassword).send(order)).status, 401);
    found.basicHeader = `Basic ${Buffer.from(`acme:${secrets.basicPassword}`).toString('base64')}`;

    // HMAC: accepted with its signature header, refused with a signature under another key.
    const body = '{"kind":"order","n":1}';
    found.signature = createHmac('sha256', secrets.hmacKey).update(body).digest('hex');
    found.otherSignature = createHmac('sha256', 'some-other-key').update(body).digest('hex');
    assert.equal((await send(hookPath(hmac)).set('X-Signature', found.signature).send(body)).status, 204);
    assert.equal((await send(hookPath(hmac)).set('X-Signature', found.otherSignature).send(body)).status, 401);

    // Token in the query: passes (and the response template echoes it), and a wrong one is refused.
    const echoed = await send(`${hookPath(queryToken)}?token=${secrets.queryToken}&page=1`).send('{"kind":"order"}');
    assert.equal(echoed.status, 200);
    assert.equal(echoed.body.echoed, secrets.queryToken, 'the partner does get the echo');
    assert.equal((await send(`${hookPath(queryToken)}?token=wrong-token-value`).send('{}')).status, 401);

    // Token in a header.
    assert.equal((await send(hookPath(headerToken)).set('X-Token', secrets.headerToken).send('{"kind":"order"}')).status, 204);

    // Token in the body: passes (filtered), and a body that does not parse still holds it as text.
    assert.equal((await send(hookPath(bodyToken)).send(JSON.stringify({ auth: { token: secrets.bodyToken }, kind: 'order' }))).status, 204);
    assert.equal((await send(hookPath(bodyToken)).send(`{"auth":{"token":"${secrets.bodyToken}"}, broken`)).status, 401);

    // The secret path segment.
    assert.equal((await send(hookPath(secretUrl, secrets.pathSecret)).send('{"kind":"order"}')).status, 204);

    // Personal data at redact paths, in an accepted (filtered) request and in one that does not parse.
    assert.equal((await send(hookPath(pii)).send(JSON.stringify({ customer: { email: secrets.email }, lines: [{ contact: 'line-contact-1' }, { contact: 'line-contact-2' }] }))).status, 204);
  });
  after(() => h.close());

  it('stores an entry for every request', async () => {
    const counts: Record<string, number> = {};
    for (const [name, id] of Object.entries(ids)) counts[name] = (await debugLogs(h, id)).items.length;
    assert.deepEqual(counts, { basic: 2, hmac: 2, queryToken: 2, headerToken: 1, bodyToken: 2, secretUrl: 1, pii: 1 });
  });

  it('leaves no secret value anywhere in the SQLite files', async () => {
    for (const id of Object.values(ids)) await debugLogs(h, id);
    const bytes = databaseBytes(h);
    assert.notEqual(bytes.indexOf('Ann'), -1, 'the stored entries are in the bytes searched');
    for (const [what, value] of Object.entries({ ...secrets, ...found, lineContact: 'line-contact-1' })) assertAbsent(bytes, value, what);
  });

  it('masks credential headers, the signature header and the token header by name', async () => {
    const [refused, accepted] = (await debugLogs(h, ids.basic!)).items;
    for (const entry of [refused, accepted]) {
      assert.equal(entry.headers.authorization, '****');
      assert.equal(entry.headers.cookie, '****');
    }
    assert.equal(refused.verification.reason, 'unknown username');
    const [, signed] = (await debugLogs(h, ids.hmac!)).items;
    assert.equal(signed.headers['x-signature'], '****');
    assert.equal(signed.headers['content-type'], 'application/json', 'other headers are kept');
    assert.equal((await debugLogs(h, ids.headerToken!)).items[0].headers['x-token'], '****');
  });

  it('masks the token in the query, and wherever the response echoed it', async () => {
    const [wrong, passed] = (await debugLogs(h, ids.queryToken!)).items;
    assert.deepEqual(passed.query, { token: '****', page: '1' });
    assert.equal(passed.response.body.content, '{"echoed":"****"}');
    assert.equal(passed.outcome, 'filtered');
    assert.deepEqual(wrong.query, { token: '****' });
  });

  it('masks the token at its body path, and scrubs it from a body that does not parse', async () => {
    const [broken, parsed] = (await debugLogs(h, ids.bodyToken!)).items;
    assert.equal(parsed.body.source, 'parsed');
    assert.deepEqual(JSON.parse(parsed.body.content), { auth: { token: '****' }, kind: 'order' });
    assert.equal(broken.body.source, 'raw');
    assert.equal(broken.body.content, '{"auth":{"token":"****"}, broken');
    assert.equal(broken.headers.cookie, '****');
  });

  it('masks the secret path segment', async () => {
    const [entry] = (await debugLogs(h, ids.secretUrl!)).items;
    assert.equal(entry.path, `/hooks/${ids.secretUrl}/****`);
  });

  it('masks the debug.redact paths, in accepted requests and in refused ones that were never parsed', async () => {
    const [entry] = (await debugLogs(h, ids.pii!)).items;
    assert.deepEqual(JSON.parse(entry.body.content), { customer: { email: '****' }, lines: [{ contact: '****' }, { contact: '****' }] });
    const [refused] = (await debugLogs(h, ids.basic!)).items;
    assert.equal(refused.response.status, 401);
    assert.deepEqual(JSON.parse(refused.body.content), { customer: { email: '****', name: 'Ann' }, kind: 'order' });
  });

  it('shows no secret through the logs API either', async () => {
    for (const id of Object.values(ids)) {
      const text = JSON.stringify(await debugLogs(h, id));
      for (const value of [...Object.values(secrets), ...Object.values(found)]) assert.ok(!text.includes(value), `${value} in the logs of ${id}`);
    }
  });
});
