/**
 * Samples and structure (SPEC §10). Reading (and deriving a schema without
 * storing it) is open to every role; setting a sample or applying a schema
 * changes the listener, so support may not.
 */
import type { Request } from 'express';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import { compileValidator, invalid } from '../../schema';
import type { StructureService } from '../../structure/structure-service';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { SampleSchema } from './samples';

const SampleInputSchema = Type.Object(
  {
    body: Type.Unknown({ description: 'the sample body, as the parsed body would be' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
    contentType: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'default application/json' })),
  },
  { additionalProperties: false },
);

const StructureInputSchema = Type.Object(
  { apply: Type.Optional(Type.Boolean({ default: false, description: "store the schema as the listener's validation.schema" })) },
  { additionalProperties: false },
);
const validateStructureInput = compileValidator(StructureInputSchema);

const StructureResultSchema = Type.Object({
  schema: Type.Object({}, { additionalProperties: true, description: 'JSON Schema (draft-07) derived from the sample' }),
  recordSchema: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'JSON Schema of one record as flows receive it (records.output applied)' })),
  applied: Type.Boolean(),
  validationEnabled: Type.Boolean(),
});

function applyRequested(req: Request): boolean {
  const result = validateStructureInput(req.body === undefined ? {} : structuredClone(req.body));
  if (!result.ok) throw invalid(result.errors);
  const apply = result.value.apply === true;
  if (apply && req.apiKey?.role === 'support') {
    throw new AppError('ERR_FORBIDDEN', 'the support role may derive a structure but not apply it to the listener');
  }
  return apply;
}

export function addStructureRoutes(routes: AdminRoutes, structure: StructureService): void {
  const tag = 'listeners';
  routes.add(
    { method: 'put', path: '/listeners/:id/sample', tag, roles: WRITERS, body: SampleInputSchema,
      summary: 'Set the sample by hand: {body, headers?, contentType?}', response: { status: 200, schema: SampleSchema }, errors: [404] },
    (req) => structure.putSample(String(req.params.id), req.body),
  );
  routes.add(
    // The body is optional: none (or {}) derives without storing.
    { method: 'post', path: '/listeners/:id/structure', tag, roles: ALL_ROLES, body: StructureInputSchema, bodyOptional: true,
      summary: 'Derive a JSON Schema from the sample; body {"apply": true} also stores it as validation.schema (not for support)',
      response: { status: 200, schema: StructureResultSchema }, errors: [404, 409] },
    (req) => structure.derive(String(req.params.id), applyRequested(req)),
  );
}
