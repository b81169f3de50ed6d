/**
 * The JSON body step, for every route at once: parsed within a size limit, then refused when
 * nested deeper than any route takes — before anything walks it (validation, the Idempotency-Key
 * fingerprint, the checks for unstorable text), so no recursive walk can overflow the stack.
 */
import express, { type RequestHandler } from 'express';
import { problems } from '../problem';

/** Deeper than any body a route takes (a policy, the deepest, is under ten). */
export const MAX_JSON_DEPTH = 32;
const MAX_JSON_BYTES = '100kb';

/** Whether arrays and objects nest deeper than the limit in a parsed value; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const jsonDepthLimit: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined && nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
    return next(problems.invalid([{ field: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }], 'the JSON body is nested too deeply'));
  }
  next();
};

export function jsonBody(): RequestHandler[] {
  return [express.json({ limit: MAX_JSON_BYTES, strict: true }), jsonDepthLimit];
}
