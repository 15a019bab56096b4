/** Save-time checks of `attach` that a schema cannot express: templates and the id path. */
import type { FieldError } from '../errors';
import { checkPath } from '../json-path';
import { checkDeep, checkTemplate } from '../templates';
import type { AttachSettings, PartnerCall } from './attach-schema';

function checkCall(call: PartnerCall, field: string): FieldError[] {
  return [
    ...checkTemplate(call.path, `${field}/path`),
    ...Object.entries(call.headers).flatMap(([name, value]) => checkTemplate(value, `${field}/headers/${name}`)),
    ...checkDeep(call.body, `${field}/body`),
  ];
}

export function checkAttach(attach: AttachSettings): FieldError[] {
  const errors = checkCall(attach.register, '/attach/register');
  if (attach.unregister) errors.push(...checkCall(attach.unregister, '/attach/unregister'));
  const problem = checkPath(attach.externalIdPath);
  if (problem) errors.push({ path: '/attach/externalIdPath', message: problem });
  return errors;
}
