/**
 * GitLab: the secret token is sent verbatim in `X-Gitlab-Token` (GitLab's newer
 * signing tokens follow Standard Webhooks; use the standard-webhooks preset for
 * those). `Idempotency-Key` stays the same across retries of one delivery.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#validate-requests-with-a-secret-token
 */
import type { TokenPreset } from './types';

export const gitlabPreset: TokenPreset = {
  name: 'gitlab',
  displayName: 'GitLab',
  scheme: 'token',
  docs: 'https://docs.gitlab.com/user/project/integrations/webhooks/#validate-requests-with-a-secret-token',
  settings: { location: { in: 'header', name: 'x-gitlab-token' } },
  secret: { what: 'The secret token you chose', where: 'Project or group Settings → Webhooks → Secret token' },
  defaultDedupKey: 'header:Idempotency-Key',
};
