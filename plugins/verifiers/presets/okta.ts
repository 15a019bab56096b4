/**
 * Okta event hooks: the secret configured on the hook comes in `Authorization`
 * verbatim. The one-time verification GET is answered by the okta handshake.
 * https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request
 */
import type { TokenPreset } from './types';

export const oktaPreset: TokenPreset = {
  name: 'okta',
  displayName: 'Okta Event Hooks',
  scheme: 'token',
  docs: 'https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request',
  settings: { location: { in: 'header', name: 'authorization' } },
  secret: { what: 'The Authentication secret of the event hook', where: 'Admin Console → Workflow → Event Hooks → your hook → Authentication secret' },
  defaultDedupKey: 'jsonpath:$.data.events[0].uuid',
  handshake: 'okta',
};
