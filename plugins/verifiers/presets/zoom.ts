/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">` under
 * the app's secret token, timestamp (Unix seconds) in `x-zm-request-timestamp`.
 * Endpoint validation (`endpoint.url_validation`) is answered by a handshake.
 * https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 * Zoom documents no delivery id to deduplicate on: no default dedup key.
 */
import type { HmacPreset } from './types';

export const zoomPreset: HmacPreset = {
  name: 'zoom',
  displayName: 'Zoom',
  scheme: 'hmac',
  docs: 'https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-zm-signature',
    prefix: 'v0=',
    signedContent: 'v0:{timestamp}:{body}',
    timestampHeader: 'x-zm-request-timestamp',
    toleranceSeconds: 300,
  },
  handshake: 'zoom',
  secret: { what: 'The Secret Token', where: 'Zoom App Marketplace → your app → Features → Access → Secret Token' },
};
