/**
 * Builds the OpenAPI 3.1 document from the declared routes. JSON Schema from
 * TypeBox is valid OpenAPI 3.1 schema as is.
 */
import type { RouteSpec } from './routes';

const PROBLEM = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (problem+json naming each bad field)',
  401: 'Missing or unknown API key',
  403: 'The key’s role may not do this',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'The body is larger than admin.maxBodyBytes',
  415: 'The body is not JSON',
  429: 'Too many requests without a valid API key from this address (Retry-After)',
  422: 'Refers to something that does not exist or cannot be used',
  502: 'A partner’s API refused or could not be reached',
  503: 'Store unavailable',
};

/** `/listeners/:id` → `/api/v1/listeners/{id}` */
export function toOpenApiPath(path: string): string {
  return '/api/v1' + path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The schema as a client sees it: a property with a `default` is filled in by the
 * server when left out, so it is not `required` in the document (it is, in the
 * TypeBox schema, because ajv fills the default before checking).
 */
function plain(schema: unknown): unknown {
  return optionalDefaults(JSON.parse(JSON.stringify(schema)));
}

/**
 * Where a route's `prepareBody` turns headers written as an object (`{ "X-A": "1" }`)
 * into the stored list before validation (lib/validation/header-forms.ts), the
 * document shows both forms: a list of `{ name, value, … }`, or an object of
 * name → value (or name → `{ value, … }`).
 */
function withObjectHeaderForm(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withObjectHeaderForm);
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, any>;
  for (const [key, value] of Object.entries(object)) object[key] = withObjectHeaderForm(value);
  const headers = object.properties?.headers;
  const item = headers?.type === 'array' ? headers.items : undefined;
  if (item?.properties?.name && item.properties.value) {
    const { name: _name, ...rest } = item.properties as Record<string, unknown>;
    const { default: _default, ...list } = headers;
    object.properties.headers = {
      anyOf: [
        list,
        {
          type: 'object',
          propertyNames: item.properties.name,
          additionalProperties: { anyOf: [item.properties.value, { type: 'object', properties: rest, required: ['value'], additionalProperties: false }] },
        },
      ],
      ...(headers.default !== undefined ? { default: headers.default } : {}),
    };
  }
  return object;
}

function optionalDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalDefaults);
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) object[key] = optionalDefaults(value);
  const properties = object.properties as Record<string, { default?: unknown }> | undefined;
  if (properties && Array.isArray(object.required)) {
    object.required = (object.required as string[]).filter((name) => properties[name]?.default === undefined);
    if ((object.required as string[]).length === 0) delete object.required;
  }
  return object;
}

export function buildOpenApi(specs: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = toOpenApiPath(spec.path);
    const parameters: unknown[] = [...spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = spec.query as { properties?: Record<string, unknown>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(query?.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema: plain(schema) });
    }
    const responses: Record<string, unknown> = {
      [String(spec.response.status)]: {
        description: spec.response.description ?? 'Success',
        ...(spec.response.schema ? { content: { 'application/json': { schema: plain(spec.response.schema) } } } : {}),
      },
    };
    const errorStatuses = new Set([
      400,
      ...(spec.authenticated === false ? [] : [401, 403, 429]),
      ...(spec.body ? [413, 415] : []),
      ...(spec.errors ?? []),
    ]);
    for (const status of errorStatuses) {
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[path] ??= {};
    paths[path]![spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.authenticated === false ? { security: [] } : {}),
      'x-roles': spec.roles,
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? { requestBody: { required: !spec.bodyOptional, content: { 'application/json': { schema: spec.prepareBody ? withObjectHeaderForm(plain(spec.body)) : plain(spec.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'hookport admin API',
      version,
      description: 'Configure listeners, imports and flows; read debug logs and status. Authenticate with "Authorization: Bearer <API key>".',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from POST /api/v1/api-keys' } },
      schemas: { Problem: PROBLEM },
    },
    paths,
  };
}
