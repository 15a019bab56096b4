/**
 * Validates one `verification` settings object against its plugin's schema
 * (ajv, compiled once per plugin when the validator is created), normalises the
 * secret lists, then runs the plugin's semantic `check`. Errors name the field
 * as a JSON pointer under `/verification`, e.g. `/verification/keys/0`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '../../lib/errors';
import { ajv, describeSchemaErrors, isPlainObject } from '../../lib/schema';
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

/**
 * ajv reports every failed branch of a union. For a union value that is an object
 * (a secret written as `{ value, expiresAt }`) the object branch's errors are the
 * useful ones; otherwise the union's own error, with its annotation, says it best.
 */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf');
  return errors.filter((error) => {
    const union = unions.find((candidate) => candidate !== error && (error.instancePath === candidate.instancePath || error.instancePath.startsWith(`${candidate.instancePath}/`)));
    if (error.keyword === 'anyOf') return !isPlainObject(error.data);
    if (!union) return true;
    // Inside a union: keep the object branch's complaints when the value is an object.
    return isPlainObject(union.data) && !(error.instancePath === union.instancePath && (error.keyword === 'type' || error.keyword === 'minLength'));
  });
}

export function createConfigValidator(plugins: Readonly<Record<string, VerifierPlugin>>, base = '/verification') {
  const validators = new Map<string, ValidateFunction>(Object.values(plugins).map((plugin) => [plugin.name, ajv.compile(plugin.configSchema)]));
  const types = Object.keys(plugins);

  return function validateVerification(raw: unknown, options: ValidateOptions = {}): VerificationValidation {
    if (!isPlainObject(raw)) return { errors: [{ path: base, message: `must be an object with a "type" (${types.join(', ')})` }] };
    const type = raw.type;
    const plugin = typeof type === 'string' ? plugins[type] : undefined;
    if (!plugin) return { errors: [{ path: `${base}/type`, message: `must be one of ${types.map((name) => JSON.stringify(name)).join(', ')}` }] };

    const config = structuredClone(raw) as NormalizedConfig;
    const validator = validators.get(plugin.name)!;
    if (!validator(config)) return { errors: describeSchemaErrors(usefulErrors(validator.errors ?? []), plugin.configSchema, base) };

    for (const field of plugin.secretFields) {
      config[field] = normalizeSecrets((config[field] as Array<string | Secret> | undefined) ?? []);
    }
    const problems = (plugin.check?.(config) ?? []).map((problem) => ({ path: base + problem.path, message: problem.message }));
    if (problems.length > 0) return { errors: problems };

    const generated = options.generateSecrets ? plugin.generateSecrets?.(config) ?? [] : [];
    return generated.length > 0 ? { config, errors: [], generated } : { config, errors: [] };
  };
}
