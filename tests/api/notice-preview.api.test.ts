/**
 * The deadline shown before issuing is the deadline the notice gets: the preview and the issued
 * notice agree on the date, the rule, whether it is provisional and the sign-by date; refusals
 * are the issuing route's own (422 out of reach, 403 for other roles), and nothing is issued.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

let h: ApiHarness;
let supA: Requester;
let entA: Requester;
let leaderCity: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('notice-preview-api');
  [supA, entA, leaderCity] = await Promise.all([h.as('supervisor-a'), h.as('enterprise-a'), h.as('leader-city')]);
});

afterAll(async () => {
  await h?.stop();
});

async function register(grade: 'general' | 'major' = 'general'): Promise<string> {
  const res = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '配电箱未接地', category: '用电安全', source: 'inspection', grade, deadline: addDays(today(), 20), ...(grade === 'major' ? { listingLevel: 'county' } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const noticeCount = async () => Number((await h.database.db.execute<{ n: string }>(sql`select count(*) as n from notices`)).rows[0]!.n);

describe('the deadline preview', () => {
  it('shows the deadline a notice for two hazards is then issued with', async () => {
    const hazardIds = [await register(), await register('major')];
    const before = await noticeCount();
    const preview = await supA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ grade: 'major', issuedOn: today(), deadlineRule: { days: 30, unit: 'working' } });
    expect(await noticeCount(), 'a preview issues nothing').toBe(before);

    const issued = await supA('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds, title: '督促整改', requirements: '限期整改' } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.deadline).toBe(preview.body.deadline);
    expect(issued.body.deadlineRule).toEqual(preview.body.deadlineRule);
    expect(issued.body.deadlineProvisional).toBe(preview.body.deadlineProvisional);
    expect(issued.body.legalBasis).toBe(preview.body.legalBasis);
    expect(issued.body.signDueAt?.slice(0, 10) <= preview.body.signDue).toBe(true);
    // The sign-by day ends at midnight Shanghai time: the instant falls on that date there.
    expect(shanghaiDate(Date.parse(issued.body.signDueAt) - 1)).toBe(preview.body.signDue);
  });

  it("keeps the issuer's own deadline, with no rule", async () => {
    const hazardIds = [await register()];
    const deadline = addDays(today(), 12);
    const preview = await leaderCity('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds, deadline } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ deadline, deadlineRule: null, deadlineProvisional: false, grade: 'general' });
    const issued = await leaderCity('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds, deadline, title: '督促整改', requirements: '限期整改' } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body).toMatchObject({ deadline: preview.body.deadline, deadlineRule: null });
  });

  it('refuses as issuing would: out of reach, another role, a past deadline, a void hazard', async () => {
    const problem = (res: { status: number; body: { errors?: Array<{ field: string }> }; headers: Headers }, status: number, field?: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
    };
    const hazardId = await register();
    problem(await supA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseB, hazardIds: [hazardId] } }), 422, 'enterpriseId');
    problem(await supA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [] } }), 400, 'hazardIds');
    problem(await supA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId], deadline: addDays(today(), -1) } }), 422, 'deadline');
    problem(await entA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId] } }), 403);
    const voided = await leaderCity('POST', `/api/hazards/${hazardId}/void`, { body: { kind: 'misreport', reason: '误报' } });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    problem(await supA('POST', '/api/notices/deadline-preview', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId] } }), 409);
  });
});
