/**
 * Azure Event Grid signs nothing; the subscription's endpoint URL carries a secret
 * query parameter (`?code=<token>`) that hookport compares. The validation event
 * is answered by the azure-event-grid handshake. Events carry a unique `id`
 * (the body is an array; dedup on it needs a single-event batch).
 * https://learn.microsoft.com/azure/event-grid/security-authentication#authenticate-event-delivery-to-webhook-endpoints
 */
import type { TokenPreset } from './types';

export const azureEventGridPreset: TokenPreset = {
  name: 'azure-event-grid',
  displayName: 'Azure Event Grid',
  scheme: 'token',
  docs: 'https://learn.microsoft.com/azure/event-grid/security-authentication#authenticate-event-delivery-to-webhook-endpoints',
  settings: { location: { in: 'query', name: 'code' } },
  secret: { what: 'A token of your choice, also put in the endpoint URL as ?code=…', where: 'The event subscription → Endpoint details → the URL you enter' },
  handshake: 'azure-event-grid',
};
