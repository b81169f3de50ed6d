/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas (never written
 * by hand): paths, parameters, bodies, responses, who may call each operation, problem+json.
 */
import { z } from 'zod';
import { FIELD_CODES, PROBLEM_CODES } from './problem';
import type { RouteSpec } from './route-spec';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

const problemSchema: Json = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: [...PROBLEM_CODES], description: 'stable name of the problem: show your own text for it (title and detail are English, for developers)' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string' },
          message: { type: 'string' },
          code: { type: 'string', enum: [...FIELD_CODES, ...PROBLEM_CODES], description: 'why, by stable name' },
          limit: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'number' } } },
        },
      },
    },
  },
};

function parameters(spec: RouteSpec): Json[] {
  const list: Json[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return list;
}

export function buildOpenApi(specs: readonly RouteSpec[], info: { version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, Json> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: schemaOf(r.schema, 'output') } } }
        : { description: r.description };
    }
    const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    if (spec.body || spec.query || spec.params || spec.multipart) responses['400'] ??= { description: 'invalid request', ...problem };
    if (spec.access !== 'public') {
      responses['401'] ??= { description: 'not signed in, or the sign-in has ended (code session-ended: password reset, account deactivated or moved)', ...problem };
      if (spec.access !== 'authenticated') {
        const cityWide = typeof spec.access === 'object' && 'jurisdiction' in spec.access;
        responses['403'] ??= { description: cityWide ? "role not permitted, or not one of the city's administrators" : 'role not permitted', ...problem };
      }
    }
    responses.default = { description: 'error', ...problem };
    const operation: Json = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      parameters: parameters(spec),
      responses,
      'x-access': spec.access,
      security: spec.access === 'public' ? [] : [{ bearer: [] }, { apiKey: [] }],
    };
    if (spec.body) operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } };
    if (spec.multipart) {
      operation.requestBody = {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } } },
      };
    }
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'duban 督办 API',
      version: info.version,
      description: 'Safety hazards and supervision notices, from issue to verified closure. Every error is application/problem+json.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /api/auth/login' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'issued by an admin for other systems' },
      },
    },
  };
}
