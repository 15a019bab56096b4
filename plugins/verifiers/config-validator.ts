/**
 * Validates one `verification` settings object against its plugin's schema
 * (ajv, compiled once per plugin when the validator is created), normalises the
 * secret lists, then runs the plugin's semantic `check`. Errors name the field
 * as a JSON pointer under `/verification`, e.g. `/verification/keys/0`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../../lib/errors';
import { childPath, isPlainObject } from '../../lib/schema';
import { normalizeSecrets } from '../../lib/verification/secrets';
import type { Secret, VerifierPlugin } from '../../lib/verification/plugin';

/** A verification settings object after validation: secret lists hold `Secret` objects. */
export interface NormalizedConfig {
  type: string;
  [field: string]: unknown;
}

export interface VerificationValidation {
  /** Present only when `errors` is empty. */
  config?: NormalizedConfig;
  errors: FieldError[];
  /** Secrets generated because the settings omitted them (only with `generateSecrets: true`); show them once. */
  generated?: Secret[];
}

export interface ValidateOptions {
  /** Fill in omitted secrets (secret_url) and report them in `generated`. */
  generateSecrets?: boolean;
}

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an ISO-8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z',
  uri: 'an absolute URL',
};

function annotation(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { hookportMessage?: unknown } | undefined;
  return typeof schema?.hookportMessage === 'string' ? schema.hookportMessage : undefined;
}

function discriminatorValues(error: ErrorObject): string[] {
  const schema = error.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }>; discriminator?: { propertyName?: string } } | undefined;
  const tag = schema?.discriminator?.propertyName ?? '';
  return (schema?.oneOf ?? []).map((branch) => String(branch.properties?.[tag]?.const));
}

function describe(error: ErrorObject, base: string): FieldError {
  const path = base + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { path: childPath(path, String(params.additionalProperty)), message: 'is not allowed here' };
    case 'enum':
      return { path, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'format':
      return { path, message: `must be ${FORMAT_NAMES[String(params.format)] ?? `a valid ${String(params.format)}`}` };
    case 'discriminator':
      return { path: childPath(path, String(params.tag)), message: `must be one of: ${discriminatorValues(error).join(', ')}` };
    default:
      return { path, message: annotation(error) ?? error.message ?? 'is invalid' };
  }
}

/**
 * ajv reports every failed branch of a union. For a union value that is an object
 * (a secret written as `{ value, expiresAt }`) the object branch's errors are the
 * useful ones; otherwise the union's own error, with its annotation, says it best.
 */
function toFieldErrors(errors: readonly ErrorObject[], base: string): FieldError[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf');
  const kept = errors.filter((error) => {
    const union = unions.find((candidate) => candidate !== error && (error.instancePath === candidate.instancePath || error.instancePath.startsWith(`${candidate.instancePath}/`)));
    if (error.keyword === 'anyOf') return !isPlainObject(error.data);
    if (!union) return true;
    // Inside a union: keep the object branch's complaints when the value is an object.
    return isPlainObject(union.data) && !(error.instancePath === union.instancePath && (error.keyword === 'type' || error.keyword === 'minLength'));
  });
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of kept) {
    const field = describe(error, base);
    const key = `${field.path}\u0000${field.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(field);
    }
  }
  return result;
}

export function createConfigValidator(plugins: Readonly<Record<string, VerifierPlugin>>, base = '/verification') {
  const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, strictTypes: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'hookportMessage', schemaType: 'string' });
  const validators = new Map<string, ValidateFunction>(Object.values(plugins).map((plugin) => [plugin.name, ajv.compile(plugin.configSchema)]));
  const types = Object.keys(plugins);

  return function validateVerification(raw: unknown, options: ValidateOptions = {}): VerificationValidation {
    if (!isPlainObject(raw)) return { errors: [{ path: base, message: `must be an object with a "type" (${types.join(', ')})` }] };
    const type = raw.type;
    const plugin = typeof type === 'string' ? plugins[type] : undefined;
    if (!plugin) return { errors: [{ path: `${base}/type`, message: `must be one of: ${types.join(', ')}` }] };

    const config = structuredClone(raw) as NormalizedConfig;
    const validator = validators.get(plugin.name)!;
    if (!validator(config)) return { errors: toFieldErrors(validator.errors ?? [], base) };

    for (const field of plugin.secretFields) {
      config[field] = normalizeSecrets((config[field] as Array<string | Secret> | undefined) ?? []);
    }
    const problems = (plugin.check?.(config) ?? []).map((problem) => ({ path: base + problem.path, message: problem.message }));
    if (problems.length > 0) return { errors: problems };

    const generated = options.generateSecrets ? plugin.generateSecrets?.(config) ?? [] : [];
    return generated.length > 0 ? { config, errors: [], generated } : { config, errors: [] };
  };
}
