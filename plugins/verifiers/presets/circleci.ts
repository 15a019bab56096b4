/**
 * CircleCI: `circleci-signature: v1=<hex HMAC-SHA256 of the raw body>`; the header is
 * a comma-separated list of versioned signatures, and any v1 may match. Events carry a unique `id`.
 * https://circleci.com/docs/webhooks/#validate-webhooks
 */
import type { HmacPreset } from './types';

export const circleciPreset: HmacPreset = {
  name: 'circleci',
  displayName: 'CircleCI',
  scheme: 'hmac',
  docs: 'https://circleci.com/docs/webhooks/#validate-webhooks',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'circleci-signature', prefix: 'v1=' },
  secret: { what: 'The webhook secret token', where: 'Project Settings → Webhooks → Secret token' },
  defaultDedupKey: 'jsonpath:$.id',
};
