/**
 * Errors as the API answers them: RFC 9457 problem details. Route code throws a Problem; the
 * one error handler turns it (and every other failure) into `application/problem+json`.
 */
export interface FieldError {
  field: string;
  message: string;
  /** The policy limit the request would break, when that is why (e.g. `extension.maxCount`). */
  limit?: { name: string; value: number };
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
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
  }

  toJSON(instance?: string) {
    return {
      type: `urn:duban:problem:${this.slug}`,
      title: this.title,
      status: this.status,
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
  unprocessable: (detail: string, errors: FieldError[] = []) =>
    new Problem(422, 'unprocessable', 'The request cannot be carried out', detail, errors),
  notFound: (what = 'resource') => new Problem(404, 'not-found', 'Not found', `no such ${what}`),
  conflict: (detail: string, errors: FieldError[] = []) => new Problem(409, 'step-not-allowed', 'Not allowed now', detail, errors),
  unauthenticated: (detail: string) => new Problem(401, 'unauthenticated', 'Authentication required', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Not permitted', detail),
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
