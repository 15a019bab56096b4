/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">`
 * under the signing secret, timestamp in `X-Slack-Request-Timestamp`, requests
 * older than five minutes refused.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 * Events API payloads carry a unique `event_id` (https://api.slack.com/apis/events-api).
 */
import type { HmacPreset } from './types';

export const slackPreset: HmacPreset = {
  name: 'slack',
  displayName: 'Slack',
  scheme: 'hmac',
  docs: 'https://api.slack.com/authentication/verifying-requests-from-slack',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-slack-signature',
    prefix: 'v0=',
    signedContent: 'v0:{timestamp}:{body}',
    timestampHeader: 'x-slack-request-timestamp',
    toleranceSeconds: 300,
  },
  defaultDedupKey: 'jsonpath:$.event_id',
  handshake: 'slack',
  secret: { what: 'The Signing Secret', where: 'api.slack.com/apps → your app → Basic Information → App Credentials' },
};
