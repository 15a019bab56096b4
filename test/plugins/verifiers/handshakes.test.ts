/**
 * The handshake rules are data evaluated by the ingest stage. These tests run them
 * through a minimal evaluator written to SPEC §5 (JSONPath conditions via
 * jsonpath-plus, Handlebars response templates with an `hmac` helper) to show the
 * data does what each provider expects.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import Handlebars from 'handlebars';
import { JSONPath } from 'jsonpath-plus';
import { BUILTIN_HANDSHAKES, builtinHandshakes } from '../../../plugins/verifiers/handshakes';
import type { HandshakeRule } from '../../../lib/verification/plugin';

interface HandshakeRequest {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

const templates = Handlebars.create();
templates.registerHelper('hmac', (algorithm: string, key: string, message: string, encoding: 'hex' | 'base64') =>
  createHmac(algorithm, key).update(String(message)).digest(encoding),
);

function matches(rule: HandshakeRule, request: HandshakeRequest): boolean {
  return rule.when.every((condition) => {
    const values = JSONPath({ path: condition.path, json: request as object, eval: false, wrap: true }) as unknown[];
    if (condition.exists !== undefined) return values.length > 0 === condition.exists;
    if (condition.equals !== undefined) return values.some((value) => value === condition.equals);
    if (condition.matches !== undefined) return values.some((value) => typeof value === 'string' && new RegExp(condition.matches!).test(value));
    return false;
  });
}

function render(value: unknown, data: object): unknown {
  if (typeof value === 'string') return templates.compile(value, { noEscape: true })(data);
  if (Array.isArray(value)) return value.map((item) => render(item, data));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item, data)]));
  return value;
}

function answer(rules: readonly HandshakeRule[], request: HandshakeRequest, secret = ''): { rule: HandshakeRule; body: unknown } | undefined {
  const rule = rules.find((candidate) => matches(candidate, request));
  return rule && { rule, body: render(rule.respond.body, { ...request, secret }) };
}

const request = (partial: Partial<HandshakeRequest>): HandshakeRequest => ({ method: 'POST', headers: {}, query: {}, body: {}, ...partial });

describe('built-in handshakes', () => {
  it('answers Slack url_verification with the challenge as JSON, after verification', () => {
    const result = answer(BUILTIN_HANDSHAKES.slack!, request({ body: { token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' } }));
    assert.deepEqual(result?.body, { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    assert.equal(result?.rule.respond.type, 'json');
    assert.equal(result?.rule.verify, true);
    assert.equal(answer(BUILTIN_HANDSHAKES.slack!, request({ body: { type: 'event_callback' } })), undefined);
  });

  it('answers the Meta subscription GET with the challenge as text only for the right verify token', () => {
    const rules = builtinHandshakes({ verifyToken: 'meatyhamhock' }).meta;
    const query = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'meatyhamhock' };
    const result = answer(rules, request({ method: 'GET', query }));
    assert.equal(result?.body, '1158201444');
    assert.equal(result?.rule.respond.type, 'text');
    assert.equal(result?.rule.verify, undefined);
    assert.equal(answer(rules, request({ method: 'GET', query: { ...query, 'hub.verify_token': 'wrong' } })), undefined);
    assert.equal(answer(rules, request({ method: 'POST', query })), undefined);
  });

  it('has no Meta rule without a verify token, so nothing can match blindly', () => {
    assert.deepEqual(BUILTIN_HANDSHAKES.meta, []);
  });

  it('answers Zoom endpoint.url_validation with plainToken and its hex HMAC-SHA256 under the secret', () => {
    const body = { payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' };
    const result = answer(BUILTIN_HANDSHAKES.zoom!, request({ body }), 'zoom-secret-token');
    const expected = createHmac('sha256', 'zoom-secret-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex');
    assert.deepEqual(result?.body, { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: expected });
    assert.equal(result?.rule.verify, true);
  });

  it('echoes the Microsoft Graph validationToken of a POST as text', () => {
    const result = answer(BUILTIN_HANDSHAKES['microsoft-graph']!, request({ query: { validationToken: 'Validation: Testing client application reachability' } }));
    assert.equal(result?.body, 'Validation: Testing client application reachability');
    assert.equal(result?.rule.respond.type, 'text');
    assert.equal(answer(BUILTIN_HANDSHAKES['microsoft-graph']!, request({ method: 'GET', query: { validationToken: 'x' } })), undefined);
  });

  it('answers the Okta one-time verification GET with { verification }', () => {
    const result = answer(BUILTIN_HANDSHAKES.okta!, request({ method: 'GET', headers: { 'x-okta-verification-challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' } }));
    assert.deepEqual(result?.body, { verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' });
    assert.equal(result?.rule.respond.status, 200);
    assert.equal(answer(BUILTIN_HANDSHAKES.okta!, request({ method: 'GET' })), undefined);
  });

  it('is keyed by provider and frozen; builtinHandshakes() gives an editable copy', () => {
    assert.deepEqual(Object.keys(BUILTIN_HANDSHAKES).sort(), ['asana', 'azure-event-grid', 'discord', 'dropbox', 'front', 'mailchimp', 'meta', 'microsoft-graph', 'notion', 'okta', 'slack', 'trello', 'twitch', 'zoom']);
    assert.throws(() => {
      (BUILTIN_HANDSHAKES.slack![0]!.respond as { status: number }).status = 500;
    }, TypeError);
    const copy = builtinHandshakes();
    copy.slack[0]!.respond.status = 201;
    assert.equal(BUILTIN_HANDSHAKES.slack![0]!.respond.status, 200);
  });
});
