/**
 * Auth0 custom webhook log streams: the Authorization Token configured on the
 * stream is sent in `Authorization` (a `Bearer ` prefix is accepted).
 * https://auth0.com/docs/customize/log-streams/custom-log-streams
 */
import type { TokenPreset } from './types';

export const auth0Preset: TokenPreset = {
  name: 'auth0',
  displayName: 'Auth0 log streams',
  scheme: 'token',
  docs: 'https://auth0.com/docs/customize/log-streams/custom-log-streams',
  settings: { location: { in: 'header', name: 'authorization' } },
  secret: { what: 'The Authorization Token of the log stream', where: 'Dashboard → Monitoring → Streams → your stream → Authorization Token' },
};
