/**
 * Notion: `X-Notion-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body keyed
 * with the subscription's verification_token. The one unsigned request carrying
 * that token is answered by the notion handshake. Events carry a unique `id`.
 * https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended
 */
import type { HmacPreset } from './types';

export const notionPreset: HmacPreset = {
  name: 'notion',
  displayName: 'Notion',
  scheme: 'hmac',
  docs: 'https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-notion-signature', prefix: 'sha256=' },
  secret: { what: 'The verification_token Notion sent when the subscription was created', where: 'The debug log of that first request (it is also what you paste into Notion to verify)' },
  defaultDedupKey: 'jsonpath:$.id',
  handshake: 'notion',
};
