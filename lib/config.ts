/**
 * Configuration: config/default.json, overridden by config/<NODE_ENV>.json,
 * overridden by environment variables. This is the only file that reads
 * process.env. The result is validated once and frozen; a bad value stops
 * start-up with a message naming the key, where it came from and what is allowed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, isPlainObject } from './schema';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, description: 'an integer port from 0 to 65535' }),
    host: Type.String({ minLength: 1 }),
    dataDir: Type.String({ minLength: 1 }),
    publicUrl: Nullable(Type.String({ pattern: '^https?://[^\\s]+$', description: 'an http(s) URL' })),
    mongodbUri: Nullable(Type.String({ pattern: '^mongodb(\\+srv)?://', description: 'a mongodb:// URI' })),
    adminKey: Nullable(Type.String({ minLength: 32, description: 'at least 32 characters; generate one with: openssl rand -hex 32' })),
    secretKey: Nullable(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'base64 of exactly 32 bytes' })),
    trustedProxies: Type.Array(Type.String({ minLength: 1 })),
    instanceLimits: Type.Object(
      { capacity: Type.Integer({ minimum: 1 }), leakPerSecond: Type.Number({ exclusiveMinimum: 0 }) },
      { additionalProperties: false },
    ),
    server: Type.Object(
      {
        headersTimeoutMs: Type.Integer({ minimum: 100 }),
        requestTimeoutMs: Type.Integer({ minimum: 100 }),
        keepAliveTimeoutMs: Type.Integer({ minimum: 0 }),
        maxHeaderBytes: Type.Integer({ minimum: 1024 }),
        shutdownTimeoutMs: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object(
      {
        maxBodyBytes: Type.Integer({ minimum: 1024, maximum: 104_857_600, description: 'largest admin API request body, bytes' }),
        failedAuth: Type.Object(
          { maxFailures: Type.Integer({ minimum: 1 }), windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    store: Type.Object(
      {
        sqliteSynchronous: Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL')]),
        leaseSeconds: Type.Integer({ minimum: 2, maximum: 3600, description: 'how long a flow lease lasts before another instance may take the flow over' }),
        pollMs: Type.Integer({ minimum: 50, maximum: 60_000, description: 'how often idle flow workers look for jobs appended by other instances' }),
      },
      { additionalProperties: false },
    ),
    jobs: Type.Object(
      { unattachedLimit: Type.Integer({ minimum: 1 }), retainCompletedHours: Type.Number({ minimum: 0 }) },
      { additionalProperties: false },
    ),
    debug: Type.Object(
      { retentionHours: Type.Number({ exclusiveMinimum: 0 }), maxEntries: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    metrics: Type.Object(
      { requireApiKey: Type.Boolean({ description: 'true or false: whether GET /metrics asks for an API key' }) },
      { additionalProperties: false },
    ),
    requestHistory: Type.Object(
      { keepPerListener: Type.Integer({ minimum: 1, maximum: 100000, description: 'an integer from 1 to 100000: requests kept per listener' }) },
      { additionalProperties: false },
    ),
    log: Type.Object(
      {
        level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type RawConfig = Static<typeof ConfigSchema>;

export interface Config extends Readonly<Omit<RawConfig, 'publicUrl'>> {
  /** Always set: HOOKPORT_PUBLIC_URL or http://localhost:<port>, without a trailing slash. */
  readonly publicUrl: string;
  /** Whether HOOKPORT_PUBLIC_URL (or publicUrl in a config file) was set, rather than defaulted. */
  readonly publicUrlConfigured: boolean;
  readonly nodeEnv: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables and the config key each one sets. */
const ENV_KEYS: Record<string, { key: string; parse: (value: string) => unknown }> = {
  PORT: { key: 'port', parse: Number },
  HOST: { key: 'host', parse: String },
  DATA_DIR: { key: 'dataDir', parse: String },
  HOOKPORT_PUBLIC_URL: { key: 'publicUrl', parse: String },
  MONGODB_URI: { key: 'mongodbUri', parse: String },
  HOOKPORT_ADMIN_KEY: { key: 'adminKey', parse: String },
  HOOKPORT_SECRET_KEY: { key: 'secretKey', parse: String },
  HOOKPORT_TRUSTED_PROXIES: { key: 'trustedProxies', parse: (v) => v.split(',').map((s) => s.trim()).filter(Boolean) },
  LOG_LEVEL: { key: 'log.level', parse: String },
};

/** `HOOKPORT__debug__retentionHours=48` sets any key; the value is parsed as JSON when it can be. */
const GENERIC_PREFIX = 'HOOKPORT__';

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = target[key];
    target[key] = isPlainObject(current) && isPlainObject(value) ? merge({ ...current }, value) : value;
  }
  return target;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function readJsonFile(file: string, required: boolean): Record<string, unknown> {
  if (!fs.existsSync(file)) {
    if (required) throw new ConfigError(`Invalid configuration: ${file} is missing`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isPlainObject(parsed)) throw new Error('the top level must be an object');
    return parsed;
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Folder holding default.json and <NODE_ENV>.json. */
  configDir?: string;
  /** Applied last; tests use this. */
  overrides?: Record<string, unknown>;
}

const validateConfig = compileValidator(ConfigSchema);

function describeSchemaFor(pointer: string): string {
  // Walk the schema to the failing key and say what it allows.
  let schema: any = ConfigSchema;
  for (const part of pointer.split('/').filter(Boolean)) schema = schema?.properties?.[part];
  if (!schema) return '';
  if (schema.description) return ` (allowed: ${schema.description})`;
  const described = schema.anyOf?.find((branch: any) => branch.description);
  if (described) return ` (allowed: ${described.description}, or null)`;
  if (schema.anyOf) return ` (allowed: ${schema.anyOf.map((s: any) => (s.const !== undefined ? JSON.stringify(s.const) : s.type)).join(', ')})`;
  if (schema.type) return ` (allowed: ${schema.type}${schema.minimum !== undefined ? ` >= ${schema.minimum}` : ''})`;
  return '';
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const nodeEnv = env.NODE_ENV || 'development';
  const configDir = options.configDir ?? env.HOOKPORT_CONFIG_DIR ?? path.resolve(__dirname, '..', '..', 'config');
  const sources = new Map<string, string>();

  const raw = readJsonFile(path.join(configDir, 'default.json'), true);
  const perEnv = readJsonFile(path.join(configDir, `${nodeEnv}.json`), false);
  merge(raw, perEnv);

  for (const [name, { key, parse }] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, parse(value));
    sources.set(key, `environment variable ${name}`);
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(GENERIC_PREFIX) || value === undefined) continue;
    const key = name.slice(GENERIC_PREFIX.length).split('__').join('.');
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value);
    } catch {
      // not JSON: keep the string
    }
    setPath(raw, key, parsed);
    sources.set(key, `environment variable ${name}`);
  }
  if (options.overrides) merge(raw, options.overrides);

  const result = validateConfig(raw);
  if (!result.ok) {
    const seenKeys = new Set<string>();
    const firstPerKey = result.errors.filter((error) => !seenKeys.has(error.path) && seenKeys.add(error.path));
    const lines = firstPerKey.map((error) => {
      const key = error.path.split('/').filter(Boolean).join('.');
      const source = sources.get(key) ?? 'config files';
      const message = error.message.startsWith('must match pattern') ? 'is not valid' : error.message;
      return `  ${key || '(root)'} ${message}${describeSchemaFor(error.path)} — from ${source}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const valid = result.value;
  const publicUrl = (valid.publicUrl ?? `http://localhost:${valid.port}`).replace(/\/+$/, '');
  const config: Config = { ...valid, publicUrl, publicUrlConfigured: valid.publicUrl != null, dataDir: path.resolve(valid.dataDir), nodeEnv };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
