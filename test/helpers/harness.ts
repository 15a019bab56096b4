/**
 * Builds a real hookport app for a test: real services, a real SQLite file in a
 * fresh temporary DATA_DIR, a ManualClock, and an admin key. Tests drive it
 * through supertest (no port) or `listen()` (a real port, for HTTP clients).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { ManualClock } from '../../lib/clock';
import { databaseUri, mongoUri } from './mongo';
import { loadConfig, type Config } from '../../lib/config';
import { createServices, type Services } from '../../lib/services';
import { createApp, type RequestHandler } from '../../lib/app';
import type { Role } from '../../lib/store/store';
import type { Logger } from '../../lib/logger';

export interface Harness {
  config: Config;
  clock: ManualClock;
  services: Services;
  app: RequestHandler;
  adminKey: string;
  dataDir: string;
  request: () => supertest.Agent;
  /** Authorised calls to the admin API as `role` (admin by default). */
  api: (role?: Role) => ApiClient;
  keyFor(role: Role): Promise<string>;
  /** Listens on a random loopback port; resolves the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ApiClient {
  get(path: string): supertest.Test;
  post(path: string, body?: unknown): supertest.Test;
  put(path: string, body?: unknown): supertest.Test;
  patch(path: string, body?: unknown): supertest.Test;
  delete(path: string): supertest.Test;
}

/**
 * HOOKPORT_TEST_STORE=mongodb (with MONGODB_URI) runs a harness on MongoDB, in a
 * database of its own: how CI runs the storage-heavy HTTP tests against both adapters.
 */
function storeUnderTest(): Record<string, string> {
  if (process.env.HOOKPORT_TEST_STORE !== 'mongodb') return {};
  if (!mongoUri) throw new Error('HOOKPORT_TEST_STORE=mongodb needs MONGODB_URI');
  return { MONGODB_URI: databaseUri(mongoUri) };
}

export function tempDir(prefix = 'hookport-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface HarnessOptions {
  overrides?: Record<string, unknown>;
  env?: Record<string, string>;
  dataDir?: string;
  clock?: ManualClock;
  /** Start background work (delivery engine, purges). Default true. */
  start?: boolean;
  /** Where logs go (silent by default). */
  logger?: Logger;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDir();
  const config = loadConfig({
    env: { NODE_ENV: 'test', ...storeUnderTest(), ...options.env },
    overrides: { dataDir, log: { level: 'silent' }, publicUrl: 'https://hooks.example.com', ...options.overrides },
  });
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
  const services = await createServices(config, { clock, ...(options.logger ? { logger: options.logger } : {}) });
  const app = createApp(services);
  const { key: adminKey } = await services.apiKeys.create('test admin', 'admin');
  if (options.start !== false) await services.start();
  const keys = new Map<Role, string>([['admin', adminKey]]);
  let server: http.Server | undefined;

  const request = () => supertest.agent(app);
  const client = (key: string): ApiClient => ({
    get: (p) => supertest(app).get(`/api/v1${p}`).set('Authorization', `Bearer ${key}`),
    post: (p, body) => {
      const test = supertest(app).post(`/api/v1${p}`).set('Authorization', `Bearer ${key}`);
      return body === undefined ? test : test.send(body as object);
    },
    put: (p, body) => supertest(app).put(`/api/v1${p}`).set('Authorization', `Bearer ${key}`).send(body as object),
    patch: (p, body) => supertest(app).patch(`/api/v1${p}`).set('Authorization', `Bearer ${key}`).send(body as object),
    delete: (p) => supertest(app).delete(`/api/v1${p}`).set('Authorization', `Bearer ${key}`),
  });

  const harness: Harness = {
    config, clock, services, app, adminKey, dataDir, request,
    api: (role: Role = 'admin') => {
      const key = keys.get(role);
      if (!key) throw new Error(`call keyFor('${role}') first`);
      return client(key);
    },
    async keyFor(role: Role) {
      let key = keys.get(role);
      if (!key) {
        key = (await services.apiKeys.create(`test ${role}`, role)).key;
        keys.set(role, key);
      }
      return key;
    },
    async listen() {
      if (server) return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      server = http.createServer(app);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Creates a listener through the API and returns its view (201 asserted). */
export async function createListener(harness: Harness, settings: Record<string, unknown>): Promise<any> {
  const response = await harness.api().post('/listeners', { name: 'test listener', ...settings });
  if (response.status !== 201) throw new Error(`listener not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The path part of a listener's URL (`/hooks/<id>`), for supertest. */
export function hookPath(listener: { id: string }, secret?: string): string {
  return `/hooks/${listener.id}${secret ? `/${secret}` : ''}`;
}
