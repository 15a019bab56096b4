/**
 * Sentry integration platform: `Sentry-Hook-Signature`, the hex HMAC-SHA256 of
 * the raw body under the integration's client secret. `Request-ID` names the delivery.
 * https://docs.sentry.io/organization/integrations/integration-platform/webhooks/#sentry-hook-signature
 */
import type { HmacPreset } from './types';

export const sentryPreset: HmacPreset = {
  name: 'sentry',
  displayName: 'Sentry',
  scheme: 'hmac',
  docs: 'https://docs.sentry.io/organization/integrations/integration-platform/webhooks/#sentry-hook-signature',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'sentry-hook-signature' },
  secret: { what: "The integration's Client Secret", where: 'Settings → Developer Settings → your integration → Credentials → Client Secret' },
  defaultDedupKey: 'header:Request-ID',
};
