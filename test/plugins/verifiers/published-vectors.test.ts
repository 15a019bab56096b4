/**
 * Examples providers publish with their signature docs, verified by the
 * presets as they are (the Slack, GitHub and Standard Webhooks vectors are in
 * fixtures.ts and used by the tests of those presets).
 */
import assert from 'node:assert/strict';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { makeContext } from './fixtures';

/** https://developers.hubspot.com/docs/faq/v1-request-validation and …/v2-request-validation */
const HUBSPOT = {
  secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
  body: '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]',
  v1: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
  v2Uri: 'https://www.example.com/webhook_uri',
  v2Get: 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
} as const;

describe('providers’ published signature examples', () => {
  it('HubSpot v1: sha256(client secret + body)', async () => {
    const config: PresetConfig = { type: 'preset', provider: 'hubspot-v1', secrets: [{ value: HUBSPOT.secret }] };
    const headers = { 'x-hubspot-signature-version': 'v1', 'x-hubspot-signature': HUBSPOT.v1 };
    assert.deepEqual(await presetVerifier.verify(makeContext({ body: HUBSPOT.body, headers }), config), { ok: true });
    assert.equal((await presetVerifier.verify(makeContext({ body: HUBSPOT.body.replace('"eventId":1', '"eventId":2'), headers }), config)).ok, false);
  });

  it('HubSpot v2: sha256(client secret + method + URI) for a GET, with the URI configured as publicUrl', async () => {
    const config: PresetConfig = { type: 'preset', provider: 'hubspot-v2', secrets: [{ value: HUBSPOT.secret }], publicUrl: HUBSPOT.v2Uri };
    const headers = { 'x-hubspot-signature-version': 'v2', 'x-hubspot-signature': HUBSPOT.v2Get };
    const context = (method: string) => makeContext({ method, url: 'http://hookport.internal/hooks/abc', headers });
    assert.deepEqual(await presetVerifier.verify(context('GET'), config), { ok: true });
    assert.equal((await presetVerifier.verify(context('POST'), config)).ok, false);
  });
});
