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

/**
 * https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request
 * `Twitch-Eventsub-Message-Type: webhook_callback_verification`, signed like any
 * notification; reply 200 text/plain with the raw `challenge`.
 */
export function twitchHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: "$.headers['twitch-eventsub-message-type']", equals: 'webhook_callback_verification' },
        { path: '$.body.challenge', exists: true },
      ],
      respond: { status: 200, type: 'text', body: '{{body.challenge}}' },
      verify: true,
    },
  ];
}

/**
 * https://www.dropbox.com/developers/reference/webhooks#documentation
 * A GET with `?challenge=…`, unsigned; echo it as the body, with
 * `X-Content-Type-Options: nosniff` as Dropbox asks (the body is the caller's text).
 */
export function dropboxHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'GET' },
        { path: '$.query.challenge', exists: true },
      ],
      respond: { status: 200, type: 'text', headers: { 'X-Content-Type-Options': 'nosniff' }, body: '{{query.challenge}}' },
    },
  ];
}

/**
 * https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake
 * Creating a webhook sends a POST with `X-Hook-Secret`; reply 200 (or 204) with
 * the same header. The value is then the HMAC key of `X-Hook-Signature`, so a
 * listener created without secrets keeps it as its secret (`captureSecret`);
 * one that already has a secret does not answer a second handshake.
 */
export function asanaHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: "$.headers['x-hook-secret']", exists: true },
      ],
      respond: { status: 200, type: 'text', headers: { 'X-Hook-Secret': '{{headers.x-hook-secret}}' } },
      captureSecret: '{{headers.x-hook-secret}}',
    },
  ];
}

/**
 * https://learn.microsoft.com/azure/event-grid/webhook-event-delivery#endpoint-validation-with-event-grid-events
 * `aeg-event-type: SubscriptionValidation` with a one-event array; reply
 * `{ "validationResponse": <data.validationCode> }`. The subscription URL carries
 * the listener's token, so the rule requires verification.
 */
export function azureEventGridHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: "$.headers['aeg-event-type']", equals: 'SubscriptionValidation' },
        { path: '$.body[0].data.validationCode', exists: true },
      ],
      respond: { status: 200, type: 'json', body: { validationResponse: '{{body.[0].data.validationCode}}' } },
      verify: true,
    },
  ];
}

/**
 * https://dev.frontapp.com/docs/application-webhooks#validating-the-webhook-endpoint
 * A signed POST with `X-Front-Challenge`; reply 200 with the challenge as the body.
 */
export function frontHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: "$.headers['x-front-challenge']", exists: true },
      ],
      respond: { status: 200, type: 'text', body: '{{headers.x-front-challenge}}' },
      verify: true,
    },
  ];
}

/**
 * https://developers.notion.com/reference/webhooks#step-2-verify-the-subscription
 * Creating a subscription sends one unsigned POST whose body is
 * `{ "verification_token": … }`; the integrator pastes the token into Notion's
 * UI, and it is the HMAC key of later `X-Notion-Signature` headers. hookport
 * answers 200 and keeps nothing: the token is in the debug log of that request.
 */
export function notionHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.body.verification_token', exists: true },
        { path: "$.headers['x-notion-signature']", exists: false },
      ],
      respond: { status: 200, type: 'json', body: {} },
    },
  ];
}

/**
 * https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 * Interactions: a signed PING (`type: 1`, no `event`) is answered `{ "type": 1 }`.
 * https://discord.com/developers/docs/events/webhook-events#responding-to-a-webhook-event
 * Webhook events: a signed PING (`type: 0`) is answered 204. Both must pass the
 * signature check: Discord sends bad signatures on purpose and expects 401.
 */
export function discordHandshakes(): HandshakeRule[] {
  return [
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.body.type', equals: 1 },
        { path: '$.body.event', exists: false },
      ],
      respond: { status: 200, type: 'json', body: { type: 1 } },
      verify: true,
    },
    {
      when: [
        { path: '$.method', equals: 'POST' },
        { path: '$.body.type', equals: 0 },
      ],
      respond: { status: 204, type: 'text' },
      verify: true,
    },
  ];
}

/**
 * https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#creating-a-webhook
 * Creating a webhook sends a HEAD to the callback URL, which must answer 200.
 */
export function trelloHandshakes(): HandshakeRule[] {
  return [{ when: [{ path: '$.method', equals: 'HEAD' }], respond: { status: 200, type: 'text' } }];
}

/**
 * https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/#configure-your-server
 * Mailchimp checks the URL with a GET and sends data with POST; the GET is
 * answered 200 once the URL's token verifies, and nothing is stored.
 */
export function mailchimpHandshakes(): HandshakeRule[] {
  return [{ when: [{ path: '$.method', equals: 'GET' }], respond: { status: 200, type: 'text' }, verify: true }];
}

export const BUILTIN_HANDSHAKE_NAMES = ['slack', 'meta', 'zoom', 'microsoft-graph', 'okta', 'twitch', 'dropbox', 'asana', 'azure-event-grid', 'front', 'notion', 'discord', 'trello', 'mailchimp'] as const;
export type BuiltinHandshakeName = (typeof BUILTIN_HANDSHAKE_NAMES)[number];

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
    twitch: twitchHandshakes(),
    dropbox: dropboxHandshakes(),
    asana: asanaHandshakes(),
    'azure-event-grid': azureEventGridHandshakes(),
    front: frontHandshakes(),
    notion: notionHandshakes(),
    discord: discordHandshakes(),
    trello: trelloHandshakes(),
    mailchimp: mailchimpHandshakes(),
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
 * The built-in rule sets keyed by `BUILTIN_HANDSHAKE_NAMES`.
 * Deeply frozen (shared by every listener): writing to it throws; call
 * `builtinHandshakes()` for a copy to edit. `meta` is empty here (no verify token).
 */
export const BUILTIN_HANDSHAKES: Record<string, HandshakeRule[]> = deepFreeze(builtinHandshakes());
