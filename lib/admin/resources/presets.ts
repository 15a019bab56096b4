/** The provider presets (issue #15): what each one verifies and which secret to paste. Readable by every role. */
import { Type } from '@sinclair/typebox';
import { presetSummaries } from '../../../plugins/verifiers';
import { ALL_ROLES, type AdminRoutes } from '../routes';

const PresetSchema = Type.Object({
  name: Type.String({ description: 'the `provider` value of a preset verification' }),
  displayName: Type.String(),
  scheme: Type.String({ description: 'the generic verifier the preset is data over (hmac, hash, token, ed25519, ecdsa, jwt) or custom' }),
  signature: Type.String({ description: 'what the provider sends, in one line' }),
  secret: Type.Object({ what: Type.String({ description: 'what to paste into secrets' }), where: Type.String({ description: 'where the provider shows it' }) }),
  docs: Type.String({ description: "the provider's documentation of the scheme" }),
  defaultDedupKey: Type.Union([Type.String(), Type.Null()]),
  handshake: Type.Union([Type.String(), Type.Null()], { description: 'the built-in handshake the preset answers' }),
  accepts: Type.Array(Type.String(), { description: 'settings besides secrets: publicUrl, verifyToken' }),
  sensitiveHeaders: Type.Array(Type.String(), { description: 'headers masked in debug logs' }),
});

export function addPresetRoutes(routes: AdminRoutes): void {
  const presets = presetSummaries();
  routes.add(
    { method: 'get', path: '/presets', tag: 'presets', roles: ALL_ROLES,
      summary: 'The provider presets: name, display name, what the provider sends, which secret to paste and where the provider shows it',
      response: { status: 200, schema: Type.Object({ items: Type.Array(PresetSchema) }) } },
    () => ({ items: presets }),
  );
}
