/**
 * Every API route is declared here once, as data: its method and path, who may call it, the
 * shapes of its input and output. The same declaration mounts the route on Express, enforces
 * its access rule, validates its input and documents it in OpenAPI — so no route can exist
 * without an access rule or drift from its documentation.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Role } from '../db/directory';
import { problems } from './problem';
import { parseInput } from './validate';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `public`: anyone; `authenticated`: any signed-in user; otherwise the roles listed. */
export type Access = 'public' | 'authenticated' | readonly Role[];

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

export function allowed(access: Access, principal: Principal | undefined): 'ok' | 'unauthenticated' | 'forbidden' {
  if (access === 'public') return 'ok';
  if (!principal) return 'unauthenticated';
  if (access === 'authenticated' || access.includes(principal.role)) return 'ok';
  return 'forbidden';
}

/** A step a route's requests pass before its handler (such as the Idempotency-Key), if it applies to the route. */
export type RouteStep = (spec: RouteSpec) => RequestHandler | undefined;

export function mountRoutes(router: Router, specs: readonly RouteSpec[], steps: readonly RouteStep[] = []): void {
  for (const spec of specs) {
    const before = steps.flatMap((step) => step(spec) ?? []);
    router[spec.method](spec.path, ...before, async (req: Request, res: Response) => {
      const verdict = allowed(spec.access, req.principal);
      if (verdict === 'unauthenticated') throw problems.unauthenticated(req.authFailure ?? 'sign in first: send a bearer token or an API key');
      if (verdict === 'forbidden') throw problems.forbidden(`this action is not open to the ${req.principal!.role} role`);
      // Params first: a malformed id is simply not found, whatever the body says.
      const params = spec.params ? spec.params.safeParse(req.params) : { success: true as const, data: req.params };
      if (!params.success) throw problems.notFound();
      const query = spec.query ? parseInput(spec.query, req.query, 'query') : undefined;
      const body = spec.body ? parseInput(spec.body, req.body, 'body') : undefined;
      await spec.handler({ req, res, body, query, params: params.data, principal: req.principal! });
    });
  }
}
