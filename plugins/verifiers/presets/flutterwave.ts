/**
 * Flutterwave (v3): the secret hash you set comes verbatim in `verif-hash`.
 * https://developer.flutterwave.com/docs/webhooks#verifying-webhook-signatures
 */
import type { TokenPreset } from './types';

export const flutterwavePreset: TokenPreset = {
  name: 'flutterwave',
  displayName: 'Flutterwave',
  scheme: 'token',
  docs: 'https://developer.flutterwave.com/docs/webhooks#verifying-webhook-signatures',
  settings: { location: { in: 'header', name: 'verif-hash' } },
  secret: { what: 'The secret hash you set', where: 'Dashboard → Settings → Webhooks → Secret hash' },
};
