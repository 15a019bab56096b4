/**
 * `GET /metrics` (SPEC §16). Open by default, as Prometheus exporters usually
 * are (scrapers rarely carry credentials, and the series hold ids and counts,
 * never payloads). With config `metrics.requireApiKey: true` it asks for
 * `Authorization: Bearer <API key>` of any role, like the admin API.
 */
import type { Express, Request } from 'express';
import type { ApiKeyService } from './api-keys-service';
import { AppError } from '../errors';
import type { Metrics } from '../metrics/metrics';

export interface MetricsRouteOptions {
  requireApiKey: boolean;
}

async function checkKey(req: Request, apiKeys: ApiKeyService): Promise<void> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const key = match ? await apiKeys.authenticate(match[1]!) : null;
  if (!key) {
    throw new AppError('ERR_AUTH_REQUIRED', 'this server asks for an API key on /metrics (metrics.requireApiKey)', {
      headers: { 'WWW-Authenticate': 'Bearer realm="hookport"' },
    });
  }
}

export function metricsMount(metrics: Metrics, apiKeys: ApiKeyService, options: MetricsRouteOptions) {
  return (app: Express): void => {
    app.get('/metrics', async (req, res) => {
      if (options.requireApiKey) await checkKey(req, apiKeys);
      const { contentType, body } = await metrics.render();
      res.setHeader('Content-Type', contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(body);
    });
  };
}
