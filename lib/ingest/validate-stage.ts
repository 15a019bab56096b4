/** The validation stage (SPEC §10): the parsed body against the listener's JSON Schema, when it has one. */
import { AppError } from '../errors';
import type { RuntimeListener } from './runtime-listener';

/** @throws AppError ERR_VALIDATION_FAILED with `errors: [{ path, message }]` */
export function validate(listener: RuntimeListener, body: unknown): void {
  if (!listener.validateBody) return;
  const errors = listener.validateBody(body);
  if (errors.length > 0) {
    throw new AppError('ERR_VALIDATION_FAILED', errors.map((e) => `${e.path || '/'} ${e.message}`).join('; '), { extensions: { errors } });
  }
}
