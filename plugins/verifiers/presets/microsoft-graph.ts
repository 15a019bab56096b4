/**
 * Microsoft Graph change notifications: the subscription's `clientState` comes
 * back in every notification (`value[0].clientState`), compared like a token.
 * The `validationToken` check is answered by the microsoft-graph handshake.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#receive-notifications
 */
import type { TokenPreset } from './types';

export const microsoftGraphPreset: TokenPreset = {
  name: 'microsoft-graph',
  displayName: 'Microsoft Graph change notifications',
  scheme: 'token',
  docs: 'https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#receive-notifications',
  settings: { location: { in: 'body', path: 'value[0].clientState' } },
  secret: { what: 'The clientState you chose when creating the subscription', where: 'The clientState field of your POST /subscriptions request' },
  handshake: 'microsoft-graph',
};
