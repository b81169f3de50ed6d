import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from '../../api/problem';
import { createHazardBody, listHazardsQuery, reviewBody, submissionBody } from '../../api/schemas/hazard';
import { fieldErrors, parseInput } from '../../api/validate';
import { hazardPolicySchema } from '../../domain/policy';

const ENTERPRISE = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

const BODY = {
  enterpriseId: ENTERPRISE,
  title: '配电箱未接地',
  category: '电气安全',
  source: 'inspection',
  grade: 'general',
  deadline: '2026-03-10',
};

/** The Problem parseInput throws (fails the test if it does not throw one). */
function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Problem);
    return e as Problem;
  }
  throw new Error('expected a Problem');
}

const bodyErrors = (schema: z.ZodType, value: unknown) => problemOf(() => parseInput(schema, value, 'body')).errors;
const queryErrors = (value: unknown) => problemOf(() => parseInput(listHazardsQuery, value, 'query')).errors;

describe('parseInput', () => {
  it('returns the parsed value with defaults applied and text trimmed', () => {
    expect(parseInput(createHazardBody, { ...BODY, title: '  配电箱未接地  ' }, 'body')).toEqual({
      ...BODY,
      description: '',
      location: '',
      legalBasis: '',
      requiredMeasures: '',
    });
  });

  it('throws a 400 invalid-request Problem listing each field error', () => {
    const problem = problemOf(() => parseInput(createHazardBody, { ...BODY, deadline: '2026-02-30' }, 'body'));
    expect(problem.status).toBe(400);
    expect(problem.slug).toBe('invalid-request');
    expect(problem.errors).toEqual([{ field: 'deadline', message: 'expected a calendar date YYYY-MM-DD', code: 'invalid' }]);
    expect(problem.toJSON('/api/hazards')).toEqual({
      type: 'urn:duban:problem:invalid-request',
      title: 'Invalid request',
      status: 400,
      code: 'invalid-request',
      detail: 'the request is not valid',
      instance: '/api/hazards',
      errors: [{ field: 'deadline', message: 'expected a calendar date YYYY-MM-DD', code: 'invalid' }],
    });
  });

  it('prefixes query fields with "query"', () => {
    expect(queryErrors({ limit: '0' })).toEqual([{ field: 'query.limit', message: 'Too small: expected number to be >=1', code: 'too-small' }]);
  });

  it('names the whole body when the body itself is wrong', () => {
    expect(bodyErrors(createHazardBody, 'not an object')).toEqual([{ field: 'body', message: expect.any(String), code: 'invalid-type' }]);
    expect(bodyErrors(createHazardBody, undefined)).toEqual([{ field: 'body', message: expect.any(String), code: 'required' }]);
  });

  it('names the whole query when the query itself is wrong', () => {
    expect(queryErrors(null)).toEqual([{ field: 'query', message: expect.any(String), code: 'required' }]);
  });
});

describe('fieldErrors', () => {
  it('joins nested paths with dots, array indexes included', () => {
    const withPolicy = z.strictObject({ policy: hazardPolicySchema });
    const result = withPolicy.safeParse({
      policy: { reminderDaysBefore: [0], escalation: [{ afterDays: 1, level: 1, recipientRole: 'mayor' }] },
    });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!).map((e) => e.field)).toEqual(['policy.reminderDaysBefore.0', 'policy.escalation.0.recipientRole']);
  });

  it('puts the prefix in front when one is given', () => {
    const result = z.strictObject({ a: z.string() }).safeParse({ a: 1 });
    expect(fieldErrors(result.error!, 'query')).toEqual([{ field: 'query.a', message: 'Invalid input: expected string, received number', code: 'invalid-type' }]);
  });

  it('names every unknown key on its own', () => {
    const result = createHazardBody.safeParse({ foo: 1, bar: 2 });
    const unknown = fieldErrors(result.error!).filter((e) => e.message === 'unknown field');
    expect(unknown).toEqual([
      { field: 'foo', message: 'unknown field', code: 'unknown-field' },
      { field: 'bar', message: 'unknown field', code: 'unknown-field' },
    ]);
  });

  it('names an unknown key itself, with the message "unknown field"', () => {
    const result = z.strictObject({ a: z.string() }).safeParse({ a: 'x', b: 1 });
    expect(fieldErrors(result.error!)).toEqual([{ field: 'b', message: 'unknown field', code: 'unknown-field' }]);
    expect(fieldErrors(result.error!, 'query')).toEqual([{ field: 'query.b', message: 'unknown field', code: 'unknown-field' }]);
  });

  it('names an unknown key of a nested object by its full path', () => {
    const nested = z.strictObject({ policy: z.strictObject({ a: z.number() }) });
    const result = nested.safeParse({ policy: { a: 1, mute: true } });
    expect(fieldErrors(result.error!)).toEqual([{ field: 'policy.mute', message: 'unknown field', code: 'unknown-field' }]);
  });
});

describe('createHazardBody', () => {
  it('accepts a minimal body, and refuses a policy: policies are the bureau’s data, not the registrant’s', () => {
    expect(parseInput(createHazardBody, BODY, 'body')).toMatchObject({ title: BODY.title, description: '' });
    const policy = { reminderDaysBefore: [3], escalation: [] };
    expect(bodyErrors(createHazardBody, { ...BODY, policy })).toEqual([{ field: 'policy', message: 'unknown field', code: 'unknown-field' }]);
  });

  it('refuses an unknown field, naming it, with message "unknown field"', () => {
    expect(bodyErrors(createHazardBody, { ...BODY, priority: 'high' })).toEqual([{ field: 'priority', message: 'unknown field', code: 'unknown-field' }]);
  });

  it('refuses a body without a title, on field title', () => {
    const { title: _title, ...noTitle } = BODY;
    expect(bodyErrors(createHazardBody, noTitle)).toEqual([
      { field: 'title', message: 'Invalid input: expected string, received undefined', code: 'required' },
    ]);
  });

  it('refuses a blank title as required', () => {
    expect(bodyErrors(createHazardBody, { ...BODY, title: '   ' })).toEqual([{ field: 'title', message: 'required', code: 'required' }]);
  });

  it('refuses a title longer than 200 characters', () => {
    expect(bodyErrors(createHazardBody, { ...BODY, title: '隐'.repeat(201) }).map((e) => e.field)).toEqual(['title']);
    expect(parseInput(createHazardBody, { ...BODY, title: '隐'.repeat(200) }, 'body').title).toHaveLength(200);
  });

  it('refuses a deadline that is not a calendar date', () => {
    for (const deadline of ['2026-02-30', '2026-02-29', '2026-3-1', '2026-03-10T00:00:00Z']) {
      expect(bodyErrors(createHazardBody, { ...BODY, deadline })).toEqual([
        { field: 'deadline', message: 'expected a calendar date YYYY-MM-DD', code: 'invalid' },
      ]);
    }
  });

  it('accepts 29 February of a leap year as a deadline', () => {
    expect(parseInput(createHazardBody, { ...BODY, deadline: '2028-02-29' }, 'body').deadline).toBe('2028-02-29');
  });

  it('refuses an enterprise id that is not a uuid, an unknown source and an unknown grade', () => {
    expect(
      bodyErrors(createHazardBody, { ...BODY, enterpriseId: 'ent-1', source: 'rumour', grade: 'minor' }).map((e) => e.field),
    ).toEqual(['enterpriseId', 'source', 'grade']);
  });

  it('reports the policy rules of the domain on their paths', () => {
    const withPolicy = z.strictObject({ policy: hazardPolicySchema });
    expect(bodyErrors(withPolicy, { policy: { reminderDaysBefore: [1, 1], escalation: [] } })).toEqual([
      { field: 'policy.reminderDaysBefore', message: 'reminder offsets must be distinct', code: 'invalid' },
    ]);
  });
});

describe('submissionBody', () => {
  const FILE = '0b6c2f5e-3d4a-4c1b-9e8f-7a6b5c4d3e2f';

  it('accepts evidence file ids with a default empty note', () => {
    expect(parseInput(submissionBody, { evidence: [FILE] }, 'body')).toEqual({ evidence: [FILE], note: '' });
  });

  it('refuses an empty evidence list, names that are not file ids, and a file named twice', () => {
    expect(bodyErrors(submissionBody, { evidence: [] })).toEqual([
      { field: 'evidence', message: 'at least one piece of evidence is required', code: 'required' },
    ]);
    expect(bodyErrors(submissionBody, { evidence: [FILE, 'a.jpg'] }).map((e) => e.field)).toEqual(['evidence.1']);
    expect(bodyErrors(submissionBody, { evidence: [FILE, FILE] })).toEqual([{ field: 'evidence', message: 'each file once', code: 'invalid' }]);
  });
});

describe('reviewBody', () => {
  it('accepts an acceptance with a default empty comment', () => {
    expect(parseInput(reviewBody, { decision: 'accept' }, 'body')).toEqual({ decision: 'accept', comment: '' });
  });

  it('accepts a rejection with reasons and a new deadline', () => {
    expect(parseInput(reviewBody, { decision: 'reject', reasons: ['照片模糊'], newDeadline: '2026-03-20' }, 'body')).toEqual({
      decision: 'reject',
      reasons: ['照片模糊'],
      newDeadline: '2026-03-20',
    });
  });

  it('refuses a rejection without a new deadline, on field newDeadline', () => {
    expect(bodyErrors(reviewBody, { decision: 'reject', reasons: ['x'] })).toEqual([
      { field: 'newDeadline', message: 'Invalid input: expected string, received undefined', code: 'required' },
    ]);
  });

  it('refuses a rejection with a new deadline that is not a date', () => {
    expect(bodyErrors(reviewBody, { decision: 'reject', reasons: ['x'], newDeadline: '2026-02-30' })).toEqual([
      { field: 'newDeadline', message: 'expected a calendar date YYYY-MM-DD', code: 'invalid' },
    ]);
  });

  it('refuses a rejection without reasons', () => {
    expect(bodyErrors(reviewBody, { decision: 'reject', reasons: [], newDeadline: '2026-03-20' })).toEqual([
      { field: 'reasons', message: 'a rejection needs at least one reason', code: 'required' },
    ]);
  });

  it('refuses fields of the other decision: a new deadline on an acceptance is unknown', () => {
    expect(bodyErrors(reviewBody, { decision: 'accept', newDeadline: '2026-03-20' })).toEqual([
      { field: 'newDeadline', message: 'unknown field', code: 'unknown-field' },
    ]);
  });

  it('refuses a missing or unknown decision, on field decision', () => {
    expect(bodyErrors(reviewBody, {}).map((e) => e.field)).toEqual(['decision']);
    expect(bodyErrors(reviewBody, { decision: 'maybe' }).map((e) => e.field)).toEqual(['decision']);
  });
});

describe('listHazardsQuery', () => {
  it('defaults the limit to 50 and leaves filters unset', () => {
    expect(parseInput(listHazardsQuery, {}, 'query')).toEqual({ limit: 50 });
  });

  it('coerces the limit from a string and accepts the bounds 1 and 200', () => {
    expect(parseInput(listHazardsQuery, { limit: '1' }, 'query').limit).toBe(1);
    expect(parseInput(listHazardsQuery, { limit: '200' }, 'query').limit).toBe(200);
  });

  it('refuses a limit below 1, above 200, fractional or not a number', () => {
    expect(queryErrors({ limit: '0' })).toEqual([{ field: 'query.limit', message: 'Too small: expected number to be >=1', code: 'too-small' }]);
    expect(queryErrors({ limit: '201' })).toEqual([{ field: 'query.limit', message: 'Too big: expected number to be <=200', code: 'too-big' }]);
    expect(queryErrors({ limit: '2.5' }).map((e) => e.field)).toEqual(['query.limit']);
    expect(queryErrors({ limit: 'all' }).map((e) => e.field)).toEqual(['query.limit']);
  });

  it('parses overdue "true" and "false" to booleans', () => {
    expect(parseInput(listHazardsQuery, { overdue: 'true' }, 'query').overdue).toBe(true);
    expect(parseInput(listHazardsQuery, { overdue: 'false' }, 'query').overdue).toBe(false);
  });

  it('refuses any other overdue value, on field query.overdue', () => {
    for (const overdue of ['1', 'yes', 'TRUE', '']) {
      expect(queryErrors({ overdue }).map((e) => e.field)).toEqual(['query.overdue']);
    }
  });

  it('takes the status, grade and enterprise filters and refuses unknown ones', () => {
    expect(parseInput(listHazardsQuery, { status: 'under_review', grade: 'major', enterpriseId: ENTERPRISE }, 'query')).toEqual({
      status: 'under_review',
      grade: 'major',
      enterpriseId: ENTERPRISE,
      limit: 50,
    });
    expect(queryErrors({ status: 'open', grade: 'minor' }).map((e) => e.field)).toEqual(['query.status', 'query.grade']);
  });

  it('refuses an unknown query parameter, naming it', () => {
    expect(queryErrors({ sort: 'asc' })).toEqual([{ field: 'query.sort', message: 'unknown field', code: 'unknown-field' }]);
  });
});
