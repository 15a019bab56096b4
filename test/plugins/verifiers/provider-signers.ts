/**
 * How each provider signs a delivery, written from the provider's own docs
 * (the link beside each) with node:crypto, `jose` or the provider's SDK — never
 * with hookport's verifier code. The preset catalogue test sends what these
 * build and expects hookport to accept it.
 *
 * A signer gets the secret as the integrator pastes it (`paste`) and, for
 * public-key schemes, the private key the provider holds (`privateKey`).
 */
import { createHash, createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';

export interface SigningKey {
  /** What the integrator pastes into the listener's secrets. */
  paste: string;
  /** The provider's private key, for public-key schemes. */
  privateKey?: KeyObject;
}

export interface SignInput {
  key: SigningKey;
  body: string;
  nowMs: number;
  /** The URL the provider calls (the listener URL, or publicUrl). */
  url: string;
  /** A fresh delivery id. */
  id: string;
}

export type Signer = (input: SignInput) => Record<string, string> | Promise<Record<string, string>>;

type Encoding = 'hex' | 'base64' | 'base64url';
export const mac = (algorithm: string, key: string | Buffer, data: string | Buffer, encoding: Encoding) => createHmac(algorithm, key).update(data).digest(encoding);
const sha256 = (data: string, encoding: Encoding = 'hex') => createHash('sha256').update(data).digest(encoding);
const seconds = (nowMs: number) => String(Math.floor(nowMs / 1000));
const isoSeconds = (nowMs: number) => new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A signer for "HMAC of the raw body in one header". */
const bodyMac = (header: string, algorithm: string, encoding: Encoding, prefix = ''): Signer => ({ key, body }) => ({ [header]: prefix + mac(algorithm, key.paste, body, encoding) });

/** Standard Webhooks (https://www.standardwebhooks.com) under `prefix` header names, signed by the `standardwebhooks` SDK. */
async function standardWebhooks(prefix: 'webhook' | 'svix', secret: string, input: SignInput): Promise<Record<string, string>> {
  const { Webhook } = await import('standardwebhooks');
  const timestamp = new Date(Math.floor(input.nowMs / 1000) * 1000);
  const signature = new Webhook(secret).sign(input.id, timestamp, input.body);
  return { [`${prefix}-id`]: input.id, [`${prefix}-timestamp`]: seconds(input.nowMs), [`${prefix}-signature`]: signature };
}

async function jwtHs256(secret: string, claims: Record<string, unknown>, nowMs: number): Promise<string> {
  const jose = await import('jose');
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(Math.floor(nowMs / 1000)).sign(new TextEncoder().encode(secret));
}

export const SIGNERS: Record<string, Signer> = {
  // https://docs.gitea.com/usage/webhooks
  gitea: bodyMac('x-gitea-signature', 'sha256', 'hex'),
  // https://docs.gitlab.com/user/project/integrations/webhooks/#validate-requests-with-a-secret-token
  gitlab: ({ key }) => ({ 'x-gitlab-token': key.paste }),
  // https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/
  bitbucket: bodyMac('x-hub-signature', 'sha256', 'hex', 'sha256='),
  'bitbucket-server': bodyMac('x-hub-signature', 'sha256', 'hex', 'sha256='),
  // https://developer.atlassian.com/cloud/jira/platform/webhooks/
  jira: bodyMac('x-hub-signature', 'sha256', 'hex', 'sha256='),
  // https://circleci.com/docs/webhooks/ — a versioned list; v1 is HMAC-SHA256 hex
  circleci: ({ key, body }) => ({ 'circleci-signature': `v0=ignored,v1=${mac('sha256', key.paste, body, 'hex')}` }),
  // https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity
  'terraform-cloud': bodyMac('x-tfe-notification-signature', 'sha512', 'hex'),
  // https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks
  vercel: bodyMac('x-vercel-signature', 'sha1', 'hex'),
  // https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests
  heroku: bodyMac('heroku-webhook-hmac-sha256', 'sha256', 'base64'),
  // https://docs.sentry.io/organization/integrations/integration-platform/webhooks/
  sentry: bodyMac('sentry-hook-signature', 'sha256', 'hex'),
  // https://linear.app/developers/webhooks — the body carries webhookTimestamp (see bodies in the test)
  linear: bodyMac('linear-signature', 'sha256', 'hex'),
  // https://developer.pagerduty.com/docs/webhooks-overview#verifying-signatures
  pagerduty: ({ key, body }) => ({ 'x-pagerduty-signature': `v1=${mac('sha256', key.paste, body, 'hex')}` }),
  // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
  twitch: ({ key, body, nowMs, id }) => {
    const timestamp = new Date(nowMs).toISOString().replace('Z', '123456Z'); // Twitch sends nanoseconds
    return {
      'twitch-eventsub-message-id': id,
      'twitch-eventsub-message-timestamp': timestamp,
      'twitch-eventsub-message-type': 'notification',
      'twitch-eventsub-message-signature': `sha256=${mac('sha256', key.paste, id + timestamp + body, 'hex')}`,
    };
  },
  // https://developer.paddle.com/webhooks/signature-verification
  paddle: ({ key, body, nowMs }) => ({ 'paddle-signature': `ts=${seconds(nowMs)};h1=${mac('sha256', key.paste, `${seconds(nowMs)}:${body}`, 'hex')}` }),
  // https://docs.lemonsqueezy.com/help/webhooks/signing-requests
  'lemon-squeezy': bodyMac('x-signature', 'sha256', 'hex'),
  // https://www.checkout.com/docs/developer-resources/event-notifications/receive-webhooks/configure-your-webhook-server
  'checkout-com': bodyMac('cko-signature', 'sha256', 'hex'),
  // https://razorpay.com/docs/webhooks/validate-test/
  razorpay: bodyMac('x-razorpay-signature', 'sha256', 'hex'),
  // https://docs.cdp.coinbase.com/commerce/api-architecture/webhooks-security
  'coinbase-commerce': bodyMac('x-cc-webhook-signature', 'sha256', 'hex'),
  // https://paystack.com/docs/payments/webhooks/#verify-event-origin
  paystack: bodyMac('x-paystack-signature', 'sha512', 'hex'),
  // https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks
  gocardless: bodyMac('webhook-signature', 'sha256', 'hex'),
  // https://www.airwallex.com/docs/developer-tools/webhooks/listen-for-webhook-events — x-timestamp in ms, then the body
  airwallex: ({ key, body, nowMs }) => ({ 'x-timestamp': String(nowMs), 'x-signature': mac('sha256', key.paste, String(nowMs) + body, 'hex') }),
  // https://developer.revolut.com/docs/guides/accept-payments/tutorials/work-with-webhooks/verify-the-payload-signature
  revolut: ({ key, body, nowMs }) => ({ 'revolut-request-timestamp': String(nowMs), 'revolut-signature': `v1=${mac('sha256', key.paste, `v1.${nowMs}.${body}`, 'hex')}` }),
  // https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
  woocommerce: bodyMac('x-wc-webhook-signature', 'sha256', 'base64'),
  // https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/
  xero: bodyMac('x-xero-signature', 'sha256', 'base64'),
  // https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks
  quickbooks: bodyMac('intuit-signature', 'sha256', 'base64'),
  // https://hookdeck.com/docs/authentication
  hookdeck: bodyMac('x-hookdeck-signature', 'sha256', 'base64'),
  // https://developers.line.biz/en/reference/messaging-api/#signature-validation
  line: bodyMac('x-line-signature', 'sha256', 'base64'),
  // https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications
  intercom: bodyMac('x-hub-signature', 'sha1', 'hex', 'sha1='),
  // https://developer.zendesk.com/documentation/webhooks/verifying/ — base64(HMACSHA256(TIMESTAMP + BODY))
  zendesk: ({ key, body, nowMs }) => ({ 'x-zendesk-webhook-signature-timestamp': isoSeconds(nowMs), 'x-zendesk-webhook-signature': mac('sha256', key.paste, isoSeconds(nowMs) + body, 'base64') }),
  // https://docs.customer.io/journeys/webhooks/#securely-verify-requests
  'customer-io': ({ key, body, nowMs }) => ({ 'x-cio-timestamp': seconds(nowMs), 'x-cio-signature': mac('sha256', key.paste, `v0:${seconds(nowMs)}:${body}`, 'hex') }),
  // https://dev.frontapp.com/docs/application-webhooks#verifying-integrity
  front: ({ key, body, nowMs }) => ({ 'x-front-request-timestamp': String(nowMs), 'x-front-signature': mac('sha256', key.paste, `${nowMs}:${body}`, 'base64') }),
  // https://developers.hubspot.com/docs/api/webhooks/validating-requests — v3: method + URI + body + timestamp (ms)
  hubspot: ({ key, body, nowMs, url }) => ({ 'x-hubspot-request-timestamp': String(nowMs), 'x-hubspot-signature-v3': mac('sha256', key.paste, `POST${url}${body}${nowMs}`, 'base64') }),
  // v2: sha256hex(client secret + method + URI + body); v1: sha256hex(client secret + body)
  'hubspot-v2': ({ key, body, url }) => ({ 'x-hubspot-signature-version': 'v2', 'x-hubspot-signature': sha256(`${key.paste}POST${url}${body}`) }),
  'hubspot-v1': ({ key, body }) => ({ 'x-hubspot-signature-version': 'v1', 'x-hubspot-signature': sha256(key.paste + body) }),
  // https://developer.salesforce.com/docs/marketing/marketing-cloud/guide/ens-notification-signing.html
  'salesforce-marketing-cloud': bodyMac('x-sfmc-ens-signature', 'sha256', 'base64'),
  // https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook — key = base64-decoded token
  'microsoft-teams': ({ key, body }) => ({ authorization: `HMAC ${mac('sha256', Buffer.from(key.paste, 'base64'), body, 'base64')}` }),
  // https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended
  notion: bodyMac('x-notion-signature', 'sha256', 'hex', 'sha256='),
  // https://developers.asana.com/docs/webhooks-guide#security
  asana: bodyMac('x-hook-signature', 'sha256', 'hex'),
  // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures — body + callback URL
  trello: ({ key, body, url }) => ({ 'x-trello-webhook': mac('sha1', key.paste, body + url, 'base64') }),
  // https://developer.clickup.com/docs/webhooksignature
  clickup: bodyMac('x-signature', 'sha256', 'hex'),
  // https://airtable.com/developers/web/api/webhooks-overview — key = base64-decoded macSecretBase64
  airtable: ({ key, body }) => ({ 'x-airtable-content-mac': `hmac-sha256=${mac('sha256', Buffer.from(key.paste, 'base64'), body, 'hex')}` }),
  // https://www.typeform.com/developers/webhooks/secure-your-webhooks/
  typeform: bodyMac('typeform-signature', 'sha256', 'base64', 'sha256='),
  // https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures
  calendly: ({ key, body, nowMs }) => ({ 'calendly-webhook-signature': `t=${seconds(nowMs)},v1=${mac('sha256', key.paste, `${seconds(nowMs)}.${body}`, 'hex')}` }),
  // https://developers.docusign.com/platform/webhooks/connect/validate/ — signed by the second of two keys
  docusign: ({ key, body }) => ({ 'x-docusign-signature-1': mac('sha256', 'another-connect-key', body, 'base64'), 'x-docusign-signature-2': mac('sha256', key.paste, body, 'base64') }),
  // https://www.dropbox.com/developers/reference/webhooks
  dropbox: bodyMac('x-dropbox-signature', 'sha256', 'hex'),
  // https://developer.box.com/guides/webhooks/v2/signatures-v2/ — body bytes, then the delivery timestamp (Box writes a zone offset)
  box: ({ key, body, nowMs, id }) => {
    const timestamp = new Date(Math.floor(nowMs / 1000) * 1000 - 7 * 3_600_000).toISOString().replace('.000Z', '-07:00');
    return {
      'box-delivery-id': id,
      'box-delivery-timestamp': timestamp,
      'box-signature-primary': mac('sha256', key.paste, body + timestamp, 'base64'),
      'box-signature-secondary': mac('sha256', 'the-secondary-key', body + timestamp, 'base64'),
    };
  },
  // https://www.sanity.io/docs/webhooks — signed with @sanity/webhook's scheme: t in ms, base64url v1 over `${t}.${body}`
  sanity: ({ key, body, nowMs }) => ({ 'sanity-webhook-signature': `t=${nowMs},v1=${mac('sha256', key.paste, `${nowMs}.${body}`, 'base64url')}` }),
  // https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures
  webflow: ({ key, body, nowMs }) => ({ 'x-webflow-timestamp': String(nowMs), 'x-webflow-signature': mac('sha256', key.paste, `${nowMs}:${body}`, 'hex') }),
  // https://cal.com/docs/developing/guides/automation/webhooks
  'cal-com': bodyMac('x-cal-signature-256', 'sha256', 'hex'),
  // https://workos.com/docs/events/data-syncing/webhooks — `t=<ms>, v1=<hex>` over `${t}.${body}`
  workos: ({ key, body, nowMs }) => ({ 'workos-signature': `t=${nowMs}, v1=${mac('sha256', key.paste, `${nowMs}.${body}`, 'hex')}` }),
  // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests
  mandrill: ({ key, body, url }) => {
    const params = new URLSearchParams(body);
    const signed = url + [...params.keys()].sort().map((name) => name + params.get(name)).join('');
    return { 'x-mandrill-signature': mac('sha1', key.paste, signed, 'base64') };
  },
  // Token schemes: the secret travels as written.
  okta: ({ key }) => ({ authorization: key.paste }),
  auth0: ({ key }) => ({ authorization: `Bearer ${key.paste}` }),
  telegram: ({ key }) => ({ 'x-telegram-bot-api-secret-token': key.paste }),
  xendit: ({ key }) => ({ 'x-callback-token': key.paste }),
  flutterwave: ({ key }) => ({ 'verif-hash': key.paste }),
  // https://discord.com/developers/docs/interactions/overview — Ed25519 over timestamp + body, hex
  discord: ({ key, body, nowMs }) => ({
    'x-signature-timestamp': seconds(nowMs),
    'x-signature-ed25519': cryptoSign(null, Buffer.from(seconds(nowMs) + body), key.privateKey!).toString('hex'),
  }),
  // https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks — Ed25519 over `${timestamp}|${body}`, base64
  telnyx: ({ key, body, nowMs }) => ({
    'telnyx-timestamp': seconds(nowMs),
    'telnyx-signature-ed25519': cryptoSign(null, Buffer.from(`${seconds(nowMs)}|${body}`), key.privateKey!).toString('base64'),
  }),
  // https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features — ECDSA P-256 DER, base64
  sendgrid: ({ key, body, nowMs }) => ({
    'x-twilio-email-event-webhook-timestamp': seconds(nowMs),
    'x-twilio-email-event-webhook-signature': cryptoSign('sha256', Buffer.from(seconds(nowMs) + body), { key: key.privateKey!, dsaEncoding: 'der' }).toString('base64'),
  }),
  // https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature
  netlify: async ({ key, body, nowMs }) => ({ 'x-webhook-signature': await jwtHs256(key.paste, { iss: 'netlify', sha256: sha256(body) }, nowMs) }),
  // https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks
  vonage: async ({ key, body, nowMs }) => ({ authorization: `Bearer ${await jwtHs256(key.paste, { api_key: 'abcd1234', payload_hash: sha256(body), jti: 'j-1' }, nowMs)}` }),
  // Standard Webhooks family, signed by the standardwebhooks SDK.
  clerk: (input) => standardWebhooks('svix', input.key.paste, input),
  resend: (input) => standardWebhooks('svix', input.key.paste, input),
  openai: (input) => standardWebhooks('webhook', input.key.paste, input),
  replicate: (input) => standardWebhooks('webhook', input.key.paste, input),
  // https://polar.sh/docs/integrate/webhooks/delivery — Polar's SDK base64-encodes its secret for the Standard Webhooks library
  polar: (input) => standardWebhooks('webhook', Buffer.from(input.key.paste, 'utf8').toString('base64'), input),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
  whatsapp: bodyMac('x-hub-signature-256', 'sha256', 'hex', 'sha256='),
};

/** Keys for public-key providers: the provider's key pair, the public half written as the provider shows it. */
export function ed25519Key(encoding: 'hex' | 'base64'): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { paste: raw.toString(encoding), privateKey };
}

export function p256Key(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { paste: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}
