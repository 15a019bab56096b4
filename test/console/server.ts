/**
 * A real hookport on 127.0.0.1 for the browser tests, on the system clock (the
 * browser's countdown and polling run in real time), with its public URL equal
 * to the address it listens on, so a copied listener URL can be posted to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { loadConfig } from '../../lib/config';
import { createServices, type Services } from '../../lib/services';
import { createApp, type RequestHandler } from '../../lib/app';
import type { Role } from '../../lib/store/store';
import { tempDir } from '../helpers/harness';

export interface ConsoleServer {
  baseUrl: string;
  services: Services;
  app: RequestHandler;
  keyFor(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  let app: RequestHandler | undefined;
  const server = http.createServer((req, res) => app!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dataDir = tempDir('hookport-console-');
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, log: { level: 'silent' }, publicUrl: baseUrl } });
  const services = await createServices(config);
  app = createApp(services);
  await services.start();
  const keys = new Map<Role, string>();
  return {
    baseUrl, services, app,
    async keyFor(role) {
      let key = keys.get(role);
      if (!key) {
        key = (await services.apiKeys.create(`${role} person`, role)).key;
        keys.set(role, key);
      }
      return key;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
