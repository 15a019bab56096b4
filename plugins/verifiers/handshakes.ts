/**
 * Handshake rules (SPEC §5) for senders that verify the URL before sending data.
 * Pure data: the condition matcher and the Handlebars templates are evaluated by
 * the ingest stage. Conditions are JSONPath over `{ method, headers, query, body }`;
 * response strings are templates over `{ method, headers, query, body, secret }`.
 *
 * Presets add their provider's rules; listeners may copy any of these into their
 * own `handshake` list (e.g. a generic hmac listener receiving Slack events).
 */
import type { HandshakeRule } from '../../lib/verification/plugin';

/** https://api.slack.com/events/url_verification — signed like any event, so `verify: true`. */
export function slackHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.body.type', equals: 'url_verification' },
      ],
      respond: { status: 200, type: 'json', body: { challenge: '{{body.challenge}}' } },
      verify: true,
    },
  ];
}

/**
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 * The GET carries only `hub.verify_token`, so the rule itself checks it: a wrong
 * token does not match and the request falls through to (failing) verification.
 * Query keys contain dots, hence the bracket paths.
 */
export function metaHandshakes(verifyToken: string): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'GET' },
        { path: "$.query['hub.mode']", equals: 'subscribe' },
        { path: "$.query['hub.verify_token']", equals: verifyToken },
        { path: "$.query['hub.challenge']", exists: true },
      ],
      respond: { status: 200, type: 'text', body: '{{lookup query "hub.challenge"}}' },
    },
  ];
}

/**
 * https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
 * encryptedToken is hex HMAC-SHA256 of plainToken under the webhook secret token.
 */
export function zoomHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.body.event', equals: 'endpoint.url_validation' },
        { path: '$.body.payload.plainToken', exists: true },
      ],
      respond: {
        status: 200,
        type: 'json',
        body: {
          plainToken: '{{body.payload.plainToken}}',
          encryptedToken: '{{hmac "sha256" secret body.payload.plainToken "hex"}}',
        },
      },
      verify: true,
    },
  ];
}

/**
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation
 * A POST with `validationToken` in the query; reply 200 text/plain with the
 * (URL-decoded) token within 10 seconds.
 */
export function microsoftGraphHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.query.validationToken', exists: true },
      ],
      respond: { status: 200, type: 'text', body: '{{query.validationToken}}' },
    },
  ];
}

/**
 * https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request
 * A GET with `X-Okta-Verification-Challenge`; reply `{ "verification": <value> }`.
 */
export function oktaHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'GET' },
        { path: "$.headers['x-okta-verification-challenge']", exists: true },
      ],
      respond: { status: 200, type: 'json', body: { verification: '{{headers.x-okta-verification-challenge}}' } },
    },
  ];
}

export type BuiltinHandshakeName = 'slack' | 'meta' | 'zoom' | 'microsoft-graph' | 'okta';

/**
 * Every built-in rule set. Meta's rules need the listener's verify token; without
 * one there is no rule that could safely match, so `meta` is empty.
 */
export function builtinHandshakes(options: { verifyToken?: string } = {}): Record<BuiltinHandshakeName, HandshakeRule[]> {
  return {
    slack: slackHandshakes(),
    meta: options.verifyToken === undefined ? [] : metaHandshakes(options.verifyToken),
    zoom: zoomHandshakes(),
    'microsoft-graph': microsoftGraphHandshakes(),
    okta: oktaHandshakes(),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * The built-in rule sets keyed `slack`, `meta`, `zoom`, `microsoft-graph`, `okta`.
 * Deeply frozen (shared by every listener): writing to it throws; call
 * `builtinHandshakes()` for a copy to edit. `meta` is empty here (no verify token).
 */
export const BUILTIN_HANDSHAKES: Record<string, HandshakeRule[]> = deepFreeze(builtinHandshakes());
