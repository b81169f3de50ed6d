/**
 * Every API route is declared here once, as data: its method and path, who may call it, the
 * shapes of its input and output. The same declaration mounts the route on Express, enforces
 * its access rule, validates its input and documents it in OpenAPI — so no route can exist
 * without an access rule or drift from its documentation.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { atRoot, type Principal } from '../auth/principal';
import type { Role } from '../db/directory';
import { problems } from './problem';
import { parseInput } from './validate';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * `public`: anyone; `authenticated`: any signed-in user; otherwise the roles listed — and, for
 * data that applies to every county (policies, the calendar), only those of them whose
 * jurisdiction is the root of the region tree: `{ roles, jurisdiction: 'city' }`.
 */
export type Access = 'public' | 'authenticated' | readonly Role[] | CityWideAccess;
export interface CityWideAccess {
  roles: readonly Role[];
  jurisdiction: 'city';
}

/** City-wide data is written by the city's administrators only. */
export const CITY_ADMINS: CityWideAccess = { roles: ['admin'], jurisdiction: 'city' };

/** The roles a rule lets in (null: any signed-in user, or anyone). */
export function rolesOf(access: Access): readonly Role[] | null {
  if (access === 'public' || access === 'authenticated') return null;
  return 'roles' in access ? access.roles : access;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface HandlerContext<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  principal: Principal;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  /** Express path, e.g. `/api/hazards/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  /** Multipart uploads are parsed by the handler itself; this only documents them. */
  multipart?: boolean;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Record<number, ResponseSpec>;
  /** Its answer carries a secret shown once (an API key, a token): never kept for an idempotent replay. */
  secretAnswer?: boolean;
  handler: (ctx: HandlerContext<B, Q, P>) => Promise<void>;
}

export function route<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export type Verdict = 'ok' | 'unauthenticated' | 'forbidden-role' | 'forbidden-jurisdiction';

export function allowed(access: Access, principal: Principal | undefined): Verdict {
  if (access === 'public') return 'ok';
  if (!principal) return 'unauthenticated';
  const roles = rolesOf(access);
  if (roles && !roles.includes(principal.role)) return 'forbidden-role';
  if (typeof access === 'object' && 'jurisdiction' in access && !atRoot(principal)) return 'forbidden-jurisdiction';
  return 'ok';
}

/** A step a route's requests pass before its handler (such as the Idempotency-Key), if it applies to the route. */
export type RouteStep = (spec: RouteSpec) => RequestHandler | undefined;

export function mountRoutes(router: Router, specs: readonly RouteSpec[], steps: readonly RouteStep[] = []): void {
  for (const spec of specs) {
    const before = steps.flatMap((step) => step(spec) ?? []);
    router[spec.method](spec.path, ...before, async (req: Request, res: Response) => {
      const verdict = allowed(spec.access, req.principal);
      if (verdict === 'unauthenticated') throw problems.unauthenticated(req.authFailure?.detail ?? 'sign in first: send a bearer token or an API key', req.authFailure?.code);
      if (verdict === 'forbidden-role') throw problems.forbidden(`this action is not open to the ${req.principal!.role} role`, 'role-not-permitted');
      if (verdict === 'forbidden-jurisdiction') throw problems.forbidden("this applies to the whole city: only the city's administrators may change city-wide data", 'city-wide-only');
      // Params first: a malformed id is simply not found, whatever the body says.
      const params = spec.params ? spec.params.safeParse(req.params) : { success: true as const, data: req.params };
      if (!params.success) throw problems.notFound();
      const query = spec.query ? parseInput(spec.query, req.query, 'query') : undefined;
      const body = spec.body ? parseInput(spec.body, req.body, 'body') : undefined;
      await spec.handler({ req, res, body, query, params: params.data, principal: req.principal! });
    });
  }
}
