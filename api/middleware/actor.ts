/**
 * Who is making the request. Every change is attributed to a person: the `X-Duban-User`
 * header names them. (Log-in and signed tokens replace the header when identity arrives.)
 */
import type { RequestHandler } from 'express';
import { problems } from '../problem';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: string;
  }
}

const ACTOR = /^[\p{L}\p{N}._@-]{1,64}$/u;

export const identifyActor: RequestHandler = (req, _res, next) => {
  const header = req.get('x-duban-user');
  if (header !== undefined) {
    const actor = header.trim();
    if (!ACTOR.test(actor)) return next(problems.unauthenticated('X-Duban-User must be a user name of 1–64 letters, digits or ._@-'));
    req.actor = actor;
  }
  next();
};

/** For routes that change something: an anonymous change would be unattributable. */
export const requireActor: RequestHandler = (req, _res, next) => {
  if (!req.actor) return next(problems.unauthenticated('name the acting user in the X-Duban-User header'));
  next();
};
