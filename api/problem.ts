/**
 * Errors as the API answers them: RFC 9457 problem details. Route code throws a Problem; the
 * one error handler turns it (and every other failure) into `application/problem+json`.
 *
 * Every problem carries a stable `code` (its kind by default, or a particular refusal's name):
 * the English title and detail are for developers; clients show their own text for the code.
 */
import { REFUSAL_CODES } from '../domain/refusal';

/** The kinds of problem (the `type` URN's last part, and the default code). */
export const PROBLEM_SLUGS = [
  'invalid-request',
  'unprocessable',
  'not-found',
  'step-not-allowed',
  'unauthenticated',
  'forbidden',
  'too-many-requests',
  'unavailable',
  'dependency-unavailable',
  'deadline-exceeded',
  'too-large',
  'too-many-files',
  'unsupported-encoding',
  'unsupported-media-type',
  'unsupported-file',
  'too-complex',
  'bad-request',
  'internal',
  'in-progress',
  'secret-not-repeated',
  'export-too-large',
] as const;
export type ProblemSlug = (typeof PROBLEM_SLUGS)[number];

/** Particular problems the routes raise themselves, beside the workflows' refusals. */
export const ROUTE_PROBLEM_CODES = [
  'wrong-credentials',
  'session-ended',
  'role-not-permitted',
  'city-wide-only',
  'hazard-settled',
  'notice-closed',
  'hazard-in-open-notice',
  'unknown-enterprise',
  'unknown-region',
  'unknown-hazard',
  'unknown-evidence',
  'evidence-already-submitted',
  'evidence-frozen',
  'evidence-limit',
  'acceptance-party-not-yours',
  'decision-post-required',
  'decision-not-pending',
  'unknown-decision',
  'decision-not-carried-out',
  'decision-already-carried-out',
  'idempotency-key-reused',
  'process-ended',
  'case-busy',
  'no-thumbnail',
  'thumbnails-busy',
  'sheet-missing-columns',
  'sheet-too-many-rows',
  'sheet-too-large',
  'sheet-empty',
  'sheet-unreadable',
  'sheet-wrong-type',
  'sheet-file-missing',
  'import-already-started',
  'stock-import-judging',
  'stock-import-failed',
] as const;

/** Every code a problem can carry: what a client needs a text for. */
export const PROBLEM_CODES = [...PROBLEM_SLUGS, ...ROUTE_PROBLEM_CODES, ...REFUSAL_CODES] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Why one field was refused, by stable code (the message is English, for developers). */
export const FIELD_CODES = ['required', 'invalid-type', 'invalid-format', 'invalid-choice', 'too-short', 'too-long', 'too-small', 'too-big', 'unknown-field', 'unstorable-text', 'invalid'] as const;
export type FieldCode = (typeof FIELD_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
  /** Why, by stable code: a field code, or the code of the refusal that names this field. */
  code?: FieldCode | ProblemCode;
  /** The policy limit the request would break, when that is why (e.g. `extension.maxCount`). */
  limit?: { name: string; value: number };
  /** The uploaded file concerned, by the name it was sent with. */
  file?: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: ProblemSlug,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    /** Extra response headers, such as Retry-After on 429. */
    readonly headers: Record<string, string> = {},
    /** Extension members of the problem document (RFC 9457 §3.2), such as which dependency is away. */
    readonly members: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
    this.code = slug;
  }

  /** The stable code clients key their texts by. */
  code: ProblemCode;

  /** This problem under a particular code (e.g. `plan-required` rather than `step-not-allowed`). */
  coded(code: ProblemCode | undefined): this {
    if (code) this.code = code;
    return this;
  }

  toJSON(instance?: string) {
    return {
      type: `urn:duban:problem:${this.slug}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors.length ? { errors: this.errors } : {}),
      ...this.members,
    };
  }
}

export const problems = {
  invalid: (errors: FieldError[], detail = 'the request is not valid') =>
    new Problem(400, 'invalid-request', 'Invalid request', detail, errors),
  unprocessable: (detail: string, errors: FieldError[] = [], code?: ProblemCode) =>
    new Problem(422, 'unprocessable', 'The request cannot be carried out', detail, errors).coded(code),
  notFound: (what = 'resource') => new Problem(404, 'not-found', 'Not found', `no such ${what}`),
  conflict: (detail: string, errors: FieldError[] = [], code?: ProblemCode) =>
    new Problem(409, 'step-not-allowed', 'Not allowed now', detail, errors).coded(code),
  unauthenticated: (detail: string, code?: ProblemCode) => new Problem(401, 'unauthenticated', 'Authentication required', detail).coded(code),
  forbidden: (detail: string, code?: ProblemCode) => new Problem(403, 'forbidden', 'Not permitted', detail).coded(code),
  tooMany: (detail: string, retryAfterSeconds: number) =>
    new Problem(429, 'too-many-requests', 'Too many requests', detail, [], { 'Retry-After': String(retryAfterSeconds) }),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
  /** A server the API depends on is away (or not answering in time): worth retrying shortly. */
  dependencyUnavailable: (dependency: 'database' | 'temporal', retryAfterSeconds: number) =>
    new Problem(
      503,
      'dependency-unavailable',
      'A service this request needs is unavailable',
      `${dependency === 'database' ? 'the database' : 'the workflow service (Temporal)'} is not reachable or did not answer in time; try again shortly`,
      [],
      { 'Retry-After': String(retryAfterSeconds) },
      { dependency },
    ),
};
