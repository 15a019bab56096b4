/**
 * Xendit: the account's callback verification token comes in `x-callback-token`.
 * `webhook-id` names the delivery.
 * https://docs.xendit.co/docs/handling-webhooks#verify-webhook-authenticity
 */
import type { TokenPreset } from './types';

export const xenditPreset: TokenPreset = {
  name: 'xendit',
  displayName: 'Xendit',
  scheme: 'token',
  docs: 'https://docs.xendit.co/docs/handling-webhooks#verify-webhook-authenticity',
  settings: { location: { in: 'header', name: 'x-callback-token' } },
  secret: { what: 'The webhook verification token', where: 'Dashboard → Settings → Developers → Webhooks → View webhook verification token' },
  defaultDedupKey: 'header:webhook-id',
};
