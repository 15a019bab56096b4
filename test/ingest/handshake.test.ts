import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { TemplateRenderError } from '../../lib/templates';
import { checkHandshakes, compileHandshakes, matchHandshake, type HandshakeSubject } from '../../lib/handshakes/handshake';
import type { HandshakeRule } from '../../lib/verification/plugin';

const slackRule: HandshakeRule = {
  when: [{ path: '$.body.type', equals: 'url_verification' }],
  respond: { status: 200, type: 'json', body: { challenge: '{{body.challenge}}' } },
  verify: true,
};

const zoomRule: HandshakeRule = {
  when: [{ path: '$.body.event', equals: 'endpoint.url_validation' }],
  respond: {
    status: 200,
    type: 'json',
    body: { plainToken: '{{body.payload.plainToken}}', encryptedToken: '{{hmac "sha256" secret body.payload.plainToken "hex"}}' },
  },
  // Zoom signs its validation request; only a verified request may see the secret.
  verify: true,
};

const metaRule: HandshakeRule = {
  when: [
    { path: '$.method', equals: 'GET' },
    { path: "$.query['hub.mode']", equals: 'subscribe' },
    { path: "$.query['hub.verify_token']", equals: 'my-verify-token' },
  ],
  respond: { status: 200, type: 'text', body: '{{query.[hub.challenge]}}' },
};

function post(body: unknown, headers: Record<string, string> = {}): HandshakeSubject {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, query: {}, body };
}

describe('handshake', () => {
  describe('matchHandshake', () => {
    it("echoes Slack's challenge as JSON", () => {
      const compiled = compileHandshakes([slackRule]);
      const match = matchHandshake(compiled, post({ token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }), undefined);
      assert.ok(match);
      assert.equal(match.rule, slackRule);
      assert.equal(match.rule.verify, true);
      assert.equal(match.response.status, 200);
      assert.equal(match.response.contentType, 'application/json');
      assert.equal(match.response.body.toString('utf8'), '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}');
    });

    it('returns undefined for a request that is not a handshake', () => {
      const compiled = compileHandshakes([slackRule, zoomRule, metaRule]);
      assert.equal(matchHandshake(compiled, post({ type: 'event_callback', event: {} }), 'secret'), undefined);
      assert.equal(matchHandshake(compileHandshakes([]), post({ type: 'url_verification' }), undefined), undefined);
    });

    it("answers Zoom's URL validation with the token signed by the listener's secret", () => {
      const compiled = compileHandshakes([slackRule, zoomRule]);
      const match = matchHandshake(compiled, post({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' } }), 'zoom-secret');
      assert.ok(match);
      assert.equal(match.rule, zoomRule);
      assert.deepEqual(JSON.parse(match.response.body.toString('utf8')), {
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: createHmac('sha256', 'zoom-secret').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
      });
    });

    it("answers Meta's GET with the bare challenge when the verify token is right", () => {
      const compiled = compileHandshakes([metaRule]);
      const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'my-verify-token' };
      const match = matchHandshake(compiled, { method: 'GET', headers: {}, query, body: query }, undefined);
      assert.ok(match);
      assert.equal(match.response.contentType, 'text/plain; charset=utf-8');
      assert.equal(match.response.body.toString('utf8'), '1158201444');
      const wrongToken = { ...query, 'hub.verify_token': 'guess' };
      assert.equal(matchHandshake(compiled, { method: 'GET', headers: {}, query: wrongToken, body: wrongToken }, undefined), undefined);
    });

    it('uses the first rule whose conditions all hold', () => {
      const first: HandshakeRule = { when: [{ path: '$.body.type', exists: true }], respond: { status: 202, type: 'text', body: 'first' } };
      const compiled = compileHandshakes([first, slackRule]);
      const match = matchHandshake(compiled, post({ type: 'url_verification', challenge: 'c' }), undefined);
      assert.equal(match?.rule, first);
      assert.equal(match?.response.status, 202);
    });

    it('reads header names in conditions case-insensitively', () => {
      const rule: HandshakeRule = {
        when: [{ path: "$.headers['Validation-Token']", exists: true }],
        respond: { status: 200, type: 'text', body: '{{headers.validation-token}}' },
      };
      const match = matchHandshake(compileHandshakes([rule]), post({}, { 'validation-token': 'abc' }), undefined);
      assert.equal(match?.response.body.toString('utf8'), 'abc');
    });

    it('renders header values and lets a Content-Type header replace the default', () => {
      const rule: HandshakeRule = {
        when: [{ path: '$.query.validationToken', exists: true }],
        respond: { status: 200, type: 'text', headers: { 'X-Echo': '{{query.validationToken}}', 'content-type': 'text/plain' }, body: '{{query.validationToken}}' },
      };
      const match = matchHandshake(compileHandshakes([rule]), { method: 'POST', headers: {}, query: { validationToken: 'Validation: Testing' }, body: undefined }, undefined);
      assert.ok(match);
      assert.deepEqual(match.response.headers, { 'X-Echo': 'Validation: Testing' });
      assert.equal(match.response.contentType, 'text/plain');
      assert.equal(match.response.body.toString('utf8'), 'Validation: Testing');
    });

    it('encodes a urlencoded response from an object of templates', () => {
      const rule: HandshakeRule = {
        when: [{ path: '$.body.verify', exists: true }],
        respond: { status: 200, type: 'urlencoded', body: { challenge: '{{body.verify}}', list: ['a b', 'c&d'] } },
      };
      const match = matchHandshake(compileHandshakes([rule]), post({ verify: 'x=y' }), undefined);
      assert.equal(match?.response.contentType, 'application/x-www-form-urlencoded');
      assert.equal(match?.response.body.toString('utf8'), 'challenge=x%3Dy&list=a+b&list=c%26d');
    });

    it('sends an empty body when the rule has none', () => {
      const rule: HandshakeRule = { when: [{ path: '$.method', equals: 'HEAD' }], respond: { status: 200, type: 'json' } };
      assert.equal(matchHandshake(compileHandshakes([rule]), { method: 'HEAD', headers: {}, query: {}, body: undefined }, undefined)?.response.body.length, 0);
    });

    it('throws a TemplateRenderError when the rule needs a secret the listener does not have', () => {
      const compiled = compileHandshakes([zoomRule]);
      assert.throws(
        () => matchHandshake(compiled, post({ event: 'endpoint.url_validation', payload: { plainToken: 'p' } }), undefined),
        (error: unknown) => error instanceof TemplateRenderError && error.field === '/handshake/0/respond/body/encryptedToken',
      );
    });

    it('refuses a rule that reads the secret without verify: true', () => {
      const { verify: _verify, ...unverified } = zoomRule;
      assert.deepEqual(checkHandshakes([unverified], '/handshake').map((e) => e.path), ['/handshake/0/respond/body/encryptedToken']);
    });

    it('refuses to put a line break from the request into a response header', () => {
      const rule: HandshakeRule = { when: [{ path: '$.body.t', exists: true }], respond: { status: 200, type: 'text', headers: { 'X-Echo': '{{body.t}}' } } };
      assert.throws(() => matchHandshake(compileHandshakes([rule]), post({ t: 'a\r\nSet-Cookie: x=1' }), undefined), TemplateRenderError);
    });
  });

  describe('checkHandshakes', () => {
    it('accepts good rules', () => {
      assert.deepEqual(checkHandshakes([slackRule, zoomRule, metaRule], '/handshake'), []);
    });

    it('names each bad field', () => {
      const errors = checkHandshakes(
        [
          { when: [], respond: { status: 200, type: 'json' } },
          { when: [{ path: '$.a[', exists: true }], respond: { status: 99, type: 'xml', headers: { 'Bad Name': 'x', 'X-Ok': '{{#if}}' } } },
          { when: [{ path: '$.a', exists: true }], respond: { status: 200, type: 'text', body: { not: 'a string' } }, verify: 'yes' },
          { when: [{ path: '$.a', exists: true }], respond: { status: 200, type: 'json', body: { deep: ['{{oops'] } } },
        ],
        '/handshake',
      );
      assert.deepEqual(
        errors.map((error) => error.path),
        [
          '/handshake/0/when',
          '/handshake/1/when/0/path',
          '/handshake/1/respond/status',
          '/handshake/1/respond/type',
          '/handshake/1/respond/headers/Bad Name',
          '/handshake/1/respond/headers/X-Ok',
          '/handshake/2/verify',
          '/handshake/2/respond/body',
          '/handshake/3/respond/body/deep/0',
        ],
      );
      assert.match(errors[0]!.message, /at least one condition/);
    });

    it('makes compileHandshakes throw ERR_INVALID_REQUEST with the same errors', () => {
      const bad = { when: [{ path: '$.a', exists: true }], respond: { status: 200, type: 'text', body: '{{oops' } } as HandshakeRule;
      assert.throws(
        () => compileHandshakes([bad]),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'ERR_INVALID_REQUEST' &&
          (error.extensions.errors as Array<{ path: string }>)[0]!.path === '/handshake/0/respond/body',
      );
    });
  });
});
