/**
 * "Determine data structure" (SPEC §10): a JSON Schema (draft-07, the dialect
 * the listener validator compiles) that the sample satisfies, tight enough to
 * catch a partner changing shape:
 *
 * - every value gets its JSON type; whole numbers are `integer`;
 * - an object lists its properties, all of them `required` (a key the sample
 *   has is assumed to always come); other keys stay allowed, since partners add
 *   fields without notice;
 * - an array's items are merged into one schema: a property is required only if
 *   every item has it; differing types become `anyOf` (or a `type` list when
 *   they carry no detail); an integer and a number merge into `number`;
 * - strings get a `format` when every sample value is one without doubt:
 *   date-time, date, email, uri, uuid.
 *
 * Deterministic and exact for the sample: validating the sample against the
 * result always passes (the tests check that).
 */

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** What is known about the values of one JSON type seen at one place. */
interface Shape {
  type: JsonType;
  /** How many values of this type were seen here. */
  count: number;
  /** string: the format every value had, null once two disagree or one had none. */
  format?: string | null;
  /** object: the shapes of each property, over every object seen here. */
  properties?: Map<string, Shapes>;
  /** array: the shapes of all items of all arrays seen here. */
  items?: Shapes;
}

/** The shapes of every type seen at one place, one per type. */
type Shapes = Map<JsonType, Shape>;

const FORMATS: Array<[string, RegExp]> = [
  ['date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['email', /^[^\s@"<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['uri', /^https?:\/\/[^\s/?#]+[^\s]*$/],
];

/** Dates are checked as dates too: `2026-02-30` is not a date-time, whatever the pattern says. */
function formatOf(value: string): string | null {
  for (const [format, pattern] of FORMATS) {
    if (!pattern.test(value)) continue;
    if ((format === 'date-time' || format === 'date') && !realDate(value)) return null;
    return format;
  }
  return null;
}

function realDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  if (value.length === 10) return true;
  const [hour, minute, second] = value.slice(11, 19).split(':').map(Number) as [number, number, number];
  return hour < 24 && minute < 60 && second < 61;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      // undefined, functions: not JSON; JSON.stringify would drop them, and so do we.
      return 'null';
  }
}

function add(shapes: Shapes, value: unknown): void {
  const type = typeOf(value);
  let shape = shapes.get(type);
  if (!shape) {
    shape = { type, count: 0 };
    shapes.set(type, shape);
  }
  shape.count += 1;
  switch (type) {
    case 'string': {
      const format = formatOf(value as string);
      shape.format = shape.format === undefined ? format : shape.format === format ? format : null;
      break;
    }
    case 'array': {
      shape.items ??= new Map();
      for (const item of value as unknown[]) add(shape.items, item);
      break;
    }
    case 'object': {
      shape.properties ??= new Map();
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (child === undefined) continue;
        let childShapes = shape.properties.get(key);
        if (!childShapes) {
          childShapes = new Map();
          shape.properties.set(key, childShapes);
        }
        add(childShapes, child);
      }
      break;
    }
    default:
      break;
  }
}

function shapeSchema(shape: Shape): JsonSchema {
  switch (shape.type) {
    case 'string':
      return shape.format ? { type: 'string', format: shape.format } : { type: 'string' };
    case 'array': {
      const items = shape.items && shape.items.size > 0 ? shapesSchema(shape.items) : undefined;
      return items ? { type: 'array', items } : { type: 'array' };
    }
    case 'object': {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, childShapes] of shape.properties ?? []) {
        properties[key] = shapesSchema(childShapes);
        if (countOf(childShapes) === shape.count) required.push(key);
      }
      const schema: JsonSchema = { type: 'object', properties };
      if (required.length > 0) schema.required = required;
      return schema;
    }
    default:
      return { type: shape.type };
  }
}

/** How many objects had this property: one value per object, whatever its type. */
function countOf(shapes: Shapes): number {
  let count = 0;
  for (const shape of shapes.values()) count += shape.count;
  return count;
}

function shapesSchema(shapes: Shapes): JsonSchema {
  const integer = shapes.get('integer');
  const number = shapes.get('number');
  if (integer && number) {
    number.count += integer.count;
    shapes.delete('integer');
  }
  const schemas = [...shapes.values()].map(shapeSchema);
  if (schemas.length === 1) return schemas[0]!;
  if (schemas.every((schema) => Object.keys(schema).length === 1)) return { type: schemas.map((schema) => schema.type) };
  return { anyOf: schemas };
}

/** A JSON Schema the value satisfies (see the rules above). */
export function inferSchema(value: unknown): JsonSchema {
  const shapes: Shapes = new Map();
  add(shapes, value);
  return { $schema: SCHEMA_DIALECT, ...shapesSchema(shapes) };
}
