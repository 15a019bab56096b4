/**
 * Twitch EventSub: `Twitch-Eventsub-Message-Signature: sha256=<hex>` over message
 * id + timestamp + raw body; the timestamp is RFC 3339 and Twitch says to refuse
 * messages older than 10 minutes. The `webhook_callback_verification` challenge is
 * answered by the twitch handshake. Message ids repeat on redelivery.
 * https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
 */
import type { HmacPreset } from './types';

export const twitchPreset: HmacPreset = {
  name: 'twitch',
  displayName: 'Twitch EventSub',
  scheme: 'hmac',
  docs: 'https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'twitch-eventsub-message-signature',
    prefix: 'sha256=',
    signedContent: '{headers.twitch-eventsub-message-id}{timestamp}{body}',
    timestampHeader: 'twitch-eventsub-message-timestamp',
    timestampFormat: 'rfc3339',
    toleranceSeconds: 600,
  },
  secret: { what: 'The secret you passed when creating the subscription', where: 'The transport.secret of your EventSub subscription (10–100 characters you chose)' },
  defaultDedupKey: 'header:Twitch-Eventsub-Message-Id',
  handshake: 'twitch',
};
