/**
 * Microsoft Teams outgoing webhooks: `Authorization: HMAC <base64>`, the HMAC-SHA256
 * of the raw body keyed with the security token's base64-decoded bytes.
 * https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#2-create-a-method-to-verify-the-outgoing-webhook-hmac-token
 */
import type { HmacPreset } from './types';

export const microsoftTeamsPreset: HmacPreset = {
  name: 'microsoft-teams',
  displayName: 'Microsoft Teams (outgoing webhook)',
  scheme: 'hmac',
  docs: 'https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook#2-create-a-method-to-verify-the-outgoing-webhook-hmac-token',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    header: 'authorization',
    prefix: 'HMAC ',
    secretEncoding: 'base64',
  },
  secret: { what: 'The security token (base64)', where: 'Teams → channel → Manage channel → Connectors/Apps → Create an outgoing webhook → the token shown once' },
};
