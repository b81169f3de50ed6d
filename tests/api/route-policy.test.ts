/**
 * No route exists without an access rule: everything the Express application mounts is either
 * in the route table (one declaration per method and path, each with its `access`) or on the
 * short, explicit list of public things outside it (the OpenAPI document, the API docs, the
 * static pages). The OpenAPI document tells the same story as the table.
 *
 * Needs no database and no Temporal: the application is built with inert dependencies and only
 * the parts that answer before touching them are exercised.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, routeTable, type AppDeps } from '../../api/app';
import type { RouteSpec } from '../../api/route-spec';
import { ROLES } from '../../db/schema';
import { serve, type TestHttp } from '../support/http';

/** Nothing here may be reached: a route that touches them before its access check fails loudly. */
const inert = new Proxy(
  {},
  {
    get(_target, name) {
      if (name === 'then') return undefined;
      throw new Error(`inert dependency used: ${String(name)}`);
    },
  },
);

const deps = {
  db: inert,
  // Requests run under a deadline for Temporal calls; nothing here makes one.
  temporal: { withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn() },
  hazards: inert,
  evidence: inert,
  tokens: { secret: new Uint8Array(32).fill(7), ttlSeconds: 900 },
  log: pino({ level: 'silent' }),
  clock: Date.now,
} as unknown as AppDeps;

interface Mounted {
  method: string;
  path: string;
}
interface Middleware {
  mount: string;
  name: string;
}

/** Express 5 (router 2): layers carry `rawPath`; `slash` marks a layer mounted at `/` itself. */
interface Layer {
  name: string;
  rawPath: string | string[];
  slash: boolean;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] } & ((...args: unknown[]) => unknown);
}

function join(prefix: string, path: string): string {
  if (path === '/') return prefix || '/';
  return `${prefix}${path}`;
}

function walk(stack: Layer[], prefix: string, routes: Mounted[], middleware: Middleware[]): void {
  for (const layer of stack) {
    const mount = layer.slash ? prefix : join(prefix, String(layer.rawPath));
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) routes.push({ method: method === '_all' ? 'all' : method, path: join(prefix, path) });
        }
      }
    } else if (Array.isArray(layer.handle.stack)) {
      middleware.push({ mount: mount || '/', name: `router:${layer.name}` });
      walk(layer.handle.stack, mount === '/' ? '' : mount, routes, middleware);
    } else {
      middleware.push({ mount: mount || '/', name: layer.name });
    }
  }
}

/** Mounted outside the route table, public by design, and nothing else. */
const PUBLIC_OUTSIDE_TABLE: Mounted[] = [
  { method: 'get', path: '/api/openapi.json' },
  { method: 'get', path: '/api/docs' },
  { method: 'get', path: '/api/docs/init.js' },
  { method: 'get', path: '/vendor/echarts.min.js' },
];

/**
 * Every middleware layer, in order. A new layer that can answer a request by itself (a static
 * folder, a router, a handler) must be reviewed and added here with the reason it is public.
 */
const EXPECTED_MIDDLEWARE: Middleware[] = [
  { mount: '/', name: 'helmetMiddleware' },
  { mount: '/', name: '<anonymous>' }, // request log
  { mount: '/api', name: '<anonymous>' }, // request deadline: answers 503 to what outlives it
  { mount: '/api', name: 'corsMiddleware' },
  { mount: '/api', name: 'jsonParser' },
  { mount: '/api', name: 'jsonDepthLimit' },
  { mount: '/api/docs', name: 'helmetMiddleware' },
  { mount: '/api/docs', name: 'router:router' }, // Swagger UI: public
  { mount: '/api/docs/assets', name: 'serveStatic' }, // Swagger UI's own files: public
  { mount: '/', name: 'router:router' }, // the API: every route from the table
  { mount: '/', name: 'temporalDeadline' }, // one deadline on the request's calls to Temporal
  { mount: '/', name: '<anonymous>' }, // authenticate (the Idempotency-Key is a step of each POST route)
  { mount: '/api', name: 'notFoundHandler' },
  { mount: '/', name: 'router:router' }, // browser libraries from their packages (ECharts): public code, no data
  { mount: '/', name: 'serveStatic' }, // the pages (web/): public, data only through the API
  { mount: '/', name: '<anonymous>' }, // the error handler
];

/** The only routes of the table open to anyone. */
const PUBLIC_IN_TABLE = ['get /api/health', 'get /api/health/live', 'get /api/health/ready', 'post /api/auth/login'];

/** Data that applies to every county: written only by admins at the root of the region tree. */
const CITY_WIDE_WRITES = ['post /api/policies', 'post /api/calendars', 'put /api/review-packs/policies/:regionId'];

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

let specs: RouteSpec[];
let mounted: Mounted[];
let middleware: Middleware[];
let http: TestHttp;

beforeAll(async () => {
  specs = routeTable(deps);
  const app = createApp(deps);
  mounted = [];
  middleware = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', mounted, middleware);
  http = await serve(app);
});
afterAll(async () => http?.close());

describe('the route table is the whole API', () => {
  it('mounts every route of the table, and nothing outside it but the listed public pages', () => {
    const table = new Set(specs.map(key));
    const outside = mounted.filter((r) => !table.has(key(r)));
    expect(outside.map(key).sort()).toEqual(PUBLIC_OUTSIDE_TABLE.map(key).sort());
    const mountedKeys = new Set(mounted.map(key));
    expect(specs.map(key).filter((k) => !mountedKeys.has(k))).toEqual([]);
    // Each table route is mounted once: no second handler could answer before the access check.
    const counts = new Map<string, number>();
    for (const r of mounted) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(mounted.some((r) => r.method === 'all')).toBe(false);
  });

  it('has no other middleware that could answer a request', () => {
    expect(middleware).toEqual(EXPECTED_MIDDLEWARE);
  });

  it('declares each (method, path) once, with a valid access rule', () => {
    const keys = specs.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const ops = specs.map((s) => s.operationId);
    expect(ops.filter((o, i) => ops.indexOf(o) !== i)).toEqual([]);
    const validRoles = (roles: unknown) =>
      Array.isArray(roles) && roles.length > 0 && roles.every((r) => (ROLES as readonly string[]).includes(r)) && new Set(roles).size === roles.length;
    for (const spec of specs) {
      const access = spec.access;
      const valid =
        access === 'public' ||
        access === 'authenticated' ||
        validRoles(access) ||
        (typeof access === 'object' &&
          'jurisdiction' in access &&
          Object.keys(access).sort().join() === 'jurisdiction,roles' &&
          access.jurisdiction === 'city' &&
          validRoles(access.roles));
      expect(valid, `${key(spec)}: ${JSON.stringify(access)}`).toBe(true);
      expect(spec.path.startsWith('/api/'), key(spec)).toBe(true);
    }
    expect(specs.filter((s) => s.access === 'public').map(key).sort()).toEqual([...PUBLIC_IN_TABLE].sort());
  });

  it("keeps city-wide data (policies, the calendar) to the city's administrators, and nothing else", () => {
    const cityWide = specs.filter((s) => typeof s.access === 'object' && 'jurisdiction' in s.access);
    expect(cityWide.map(key).sort()).toEqual(CITY_WIDE_WRITES.sort());
    for (const spec of cityWide) expect(spec.access, key(spec)).toEqual({ roles: ['admin'], jurisdiction: 'city' });
    // Every other write of policies or calendars would slip past that rule.
    const writes = specs.filter((s) => s.method !== 'get' && /^\/api\/(policies|calendars|review-packs\/policies)\b/.test(s.path));
    expect(writes.map(key).sort()).toEqual(CITY_WIDE_WRITES.sort());
  });

  it('refuses every non-public route to an anonymous caller with 401 problem+json', async () => {
    for (const spec of specs.filter((s) => s.access !== 'public')) {
      const path = spec.path.replace(/:(\w+)/g, () => randomUUID());
      const res = await http.request(spec.method.toUpperCase(), path, spec.method === 'get' ? {} : { body: {} });
      expect(res.status, key(spec)).toBe(401);
      expect(res.headers.get('content-type'), key(spec)).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, type: 'urn:duban:problem:unauthenticated' });
    }
  });

  it('answers a CORS preflight (the one answer outside the table) with no data and no foreign origin', async () => {
    for (const spec of specs) {
      const path = spec.path.replace(/:(\w+)/g, () => randomUUID());
      const res = await http.request('OPTIONS', path, {
        headers: { origin: 'https://attacker.example', 'access-control-request-method': spec.method.toUpperCase(), 'access-control-request-headers': 'authorization' },
      });
      expect(res.status, key(spec)).toBe(204);
      expect(res.body, key(spec)).toBeUndefined();
      expect(res.headers.get('access-control-allow-origin'), key(spec)).toBeNull();
    }
  });

  it('serves the explicitly public pages to anyone', async () => {
    for (const r of PUBLIC_OUTSIDE_TABLE) {
      const res = await http.request(r.method.toUpperCase(), r.path);
      expect(res.status, key(r)).toBe(200);
    }
    expect((await http.request('GET', '/api/docs/assets/swagger-ui.css')).status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  type Operation = { operationId: string; 'x-access': unknown; security?: Array<Record<string, string[]>>; responses: Record<string, unknown> };
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
  };

  beforeAll(async () => {
    const res = await http.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = res.body;
  });

  const openApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it('documents every route of the table, with its access rule, and nothing else', () => {
    const documented: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) documented.push(`${method} ${path}`);
    }
    expect(documented.sort()).toEqual(specs.map((s) => `${s.method} ${openApiPath(s.path)}`).sort());
    for (const spec of specs) {
      const op = doc.paths[openApiPath(spec.path)]?.[spec.method];
      expect(op, key(spec)).toBeDefined();
      expect(op!.operationId).toBe(spec.operationId);
      expect(op!['x-access'], key(spec)).toEqual(spec.access);
    }
  });

  it('declares security on every operation that is not public, and none on the public ones', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    expect(schemes.length).toBeGreaterThan(0);
    for (const spec of specs) {
      const op = doc.paths[openApiPath(spec.path)]![spec.method]!;
      if (spec.access === 'public') {
        expect(op.security ?? [], key(spec)).toEqual([]);
        continue;
      }
      expect(Array.isArray(op.security) && op.security.length > 0, key(spec)).toBe(true);
      for (const requirement of op.security!) {
        // An empty requirement object would make authentication optional.
        expect(Object.keys(requirement).length, key(spec)).toBeGreaterThan(0);
        for (const name of Object.keys(requirement)) expect(schemes, key(spec)).toContain(name);
      }
      expect(op.responses, key(spec)).toHaveProperty('401');
      if (spec.access !== 'authenticated') expect(op.responses, key(spec)).toHaveProperty('403');
    }
  });
});
