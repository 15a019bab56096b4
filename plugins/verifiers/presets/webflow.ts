/**
 * Webflow: `x-webflow-signature`, hex HMAC-SHA256 of `{x-webflow-timestamp}:{raw body}`
 * (milliseconds; Webflow says to refuse requests older than 5 minutes).
 * https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures
 */
import type { HmacPreset } from './types';

export const webflowPreset: HmacPreset = {
  name: 'webflow',
  displayName: 'Webflow',
  scheme: 'hmac',
  docs: 'https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-webflow-signature',
    signedContent: '{timestamp}:{body}',
    timestampHeader: 'x-webflow-timestamp',
    timestampFormat: 'unix-ms',
  },
  secret: { what: "The app's client secret (or the webhook secret for site webhooks)", where: 'Workspace → Apps & Integrations → your app → Client secret' },
};
