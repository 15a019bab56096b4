/**
 * The listener form's verification fields, read from each verifier plugin's own
 * config schema: the console knows no verifier by name, so a new plugin (or a
 * new preset provider) appears in the form without a console change. Secret
 * lists are one secret per line; object fields (a token's `location`) are JSON.
 */
import { VERIFIERS } from '../../plugins/verifiers';

export interface FieldModel {
  /** The form field name, e.g. `verification.keys`. */
  name: string;
  /** The settings property, e.g. `keys`. */
  property: string;
  kind: 'select' | 'text' | 'number' | 'secrets' | 'json';
  required: boolean;
  options?: string[];
  description?: string;
}

export interface VerifierForm {
  type: string;
  fields: FieldModel[];
}

interface SchemaNode {
  type?: string;
  enum?: string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
}

function fieldOf(plugin: { secretFields: readonly string[] }, property: string, node: SchemaNode, required: boolean): FieldModel {
  const name = `verification.${property}`;
  const base = { name, property, required, ...(node.description ? { description: node.description } : {}) };
  if (plugin.secretFields.includes(property)) return { ...base, kind: 'secrets' };
  if (node.enum) return { ...base, kind: 'select', options: [...node.enum] };
  if (node.type === 'integer' || node.type === 'number') return { ...base, kind: 'number' };
  if (node.type === 'string') return { ...base, kind: 'text' };
  return { ...base, kind: 'json' };
}

export const VERIFIER_FORMS: readonly VerifierForm[] = Object.values(VERIFIERS).map((plugin) => {
  const schema = plugin.configSchema as unknown as SchemaNode;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {})
    .filter(([property]) => property !== 'type')
    .map(([property, node]) => fieldOf(plugin, property, node, required.has(property)));
  return { type: plugin.name, fields };
});

export const VERIFICATION_FIELD_NAMES: readonly string[] = [
  'verification.type',
  ...new Set(VERIFIER_FORMS.flatMap((form) => form.fields.map((field) => field.name))),
];

export function verifierForm(type: string): VerifierForm | undefined {
  return VERIFIER_FORMS.find((form) => form.type === type);
}

export type FieldProblem = { name: string; message: string };

/**
 * The `verification` object from the posted form, for the chosen type only.
 * `current` is the stored (masked) verification when editing: an empty secrets
 * box keeps its secrets (the patch leaves them out), and an emptied optional
 * field is removed (null in the merge patch).
 */
export function verificationFromForm(
  body: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
): { verification: Record<string, unknown>; problems: FieldProblem[] } {
  const type = typeof body['verification.type'] === 'string' ? (body['verification.type'] as string) : 'none';
  const form = verifierForm(type);
  const verification: Record<string, unknown> = { type };
  const problems: FieldProblem[] = [];
  const sameType = current?.type === type;
  for (const field of form?.fields ?? []) {
    const raw = typeof body[field.name] === 'string' ? (body[field.name] as string).trim() : '';
    if (field.kind === 'secrets') {
      const lines = raw.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
      // Left empty while editing: omitted from the merge patch, so the stored secrets stay.
      if (lines.length > 0) verification[field.property] = lines;
      continue;
    }
    if (raw === '') {
      if (sameType && current?.[field.property] !== undefined) verification[field.property] = null;
      continue;
    }
    if (field.kind === 'number') {
      verification[field.property] = Number(raw);
    } else if (field.kind === 'json') {
      try {
        verification[field.property] = JSON.parse(raw);
      } catch (error) {
        problems.push({ name: field.name, message: `is not valid JSON: ${(error as Error).message}` });
      }
    } else {
      verification[field.property] = raw;
    }
  }
  return { verification, problems };
}

/** The form's initial values from a stored (masked) verification. Secrets are never put back in a box. */
export function verificationValues(verification: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = { 'verification.type': String(verification?.type ?? 'none') };
  const form = verification ? verifierForm(String(verification.type)) : undefined;
  for (const field of form?.fields ?? []) {
    const value = verification?.[field.property];
    if (value === undefined || value === null || field.kind === 'secrets') continue;
    values[field.name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return values;
}
