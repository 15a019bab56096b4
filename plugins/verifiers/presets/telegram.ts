/**
 * Telegram Bot API: the `secret_token` given to setWebhook comes back in
 * `X-Telegram-Bot-Api-Secret-Token`. Each update has a unique `update_id`.
 * https://core.telegram.org/bots/api#setwebhook
 */
import type { TokenPreset } from './types';

export const telegramPreset: TokenPreset = {
  name: 'telegram',
  displayName: 'Telegram Bot API',
  scheme: 'token',
  docs: 'https://core.telegram.org/bots/api#setwebhook',
  settings: { location: { in: 'header', name: 'x-telegram-bot-api-secret-token' } },
  secret: { what: 'The secret_token you passed to setWebhook', where: 'Your setWebhook call (1–256 characters of A-Z, a-z, 0-9, _ and -)' },
  defaultDedupKey: 'jsonpath:$.update_id',
};
