/**
 * `none`: accepts every request. Only for local testing; the console warns.
 */
import { Type } from '@sinclair/typebox';
import type { VerifierPlugin } from '../../lib/verification/plugin';

export interface NoneConfig {
  type: 'none';
}

export const noneVerifier: VerifierPlugin<NoneConfig> = {
  name: 'none',
  configSchema: Type.Object({ type: Type.Literal('none') }, { additionalProperties: false }),
  secretFields: [],
  verify: () => ({ ok: true }),
  sign: (request) => request,
  sensitiveHeaders: () => [],
  warning: 'verification is "none": anyone who learns this URL can send to it; use it for local testing only',
};
