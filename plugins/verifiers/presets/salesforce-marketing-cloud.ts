/**
 * Salesforce Marketing Cloud Event Notification Service: `x-sfmc-ens-signature`,
 * the base64 HMAC-SHA256 of the raw body under the callback's signature key.
 * https://developer.salesforce.com/docs/marketing/marketing-cloud/guide/ens-notification-signing.html
 */
import type { HmacPreset } from './types';

export const salesforceMarketingCloudPreset: HmacPreset = {
  name: 'salesforce-marketing-cloud',
  displayName: 'Salesforce Marketing Cloud (ENS)',
  scheme: 'hmac',
  docs: 'https://developer.salesforce.com/docs/marketing/marketing-cloud/guide/ens-notification-signing.html',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-sfmc-ens-signature' },
  secret: { what: 'The callback signature key', where: 'The signatureKey returned when the callback was registered (POST /platform/v1/ens-callbacks)' },
};
