/**
 * Netlify outgoing webhooks: `X-Webhook-Signature` is an HS256 JWT signed with the
 * JWS secret token, with `iss: netlify` and a `sha256` claim holding the hex
 * SHA-256 of the raw body. Each deploy has an `id`, repeated across its events.
 * https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature
 */
import type { JwtPreset } from './types';

export const netlifyPreset: JwtPreset = {
  name: 'netlify',
  displayName: 'Netlify deploy notifications',
  scheme: 'jwt',
  docs: 'https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature',
  settings: {
    header: 'x-webhook-signature',
    algorithms: ['HS256'],
    issuer: 'netlify',
    bodyHashClaim: 'sha256',
    bodyHashEncoding: 'hex',
  },
  secret: { what: 'The JWS secret token you chose', where: 'Site configuration → Notifications → Outgoing webhook → JWS secret token' },
};
