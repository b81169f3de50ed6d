/**
 * Answers name people as people: every login name an answer carries (creator, actors, plan filer,
 * uploader…) comes with its display name. And every problem names itself by a stable code, a
 * workflow's refusal included, so the pages can say it in the reader's language.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

let h: ApiHarness;
let sup: Requester;
let ent: Requester;
const today = () => shanghaiDate(Date.now());
const NAMES = { 'supervisor-a': '王建国', 'enterprise-a': '李安全' } as const;

beforeAll(async () => {
  h = await startApiHarness('people');
  for (const [username, displayName] of Object.entries(NAMES)) {
    await h.database.db.update(users).set({ displayName }).where(eq(users.username, username));
  }
  [sup, ent] = await Promise.all([h.as('supervisor-a'), h.as('enterprise-a')]);
});
afterAll(async () => h?.stop());

async function majorHazard() {
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '液氨储罐区未设置泄漏报警', category: '危险化学品', source: 'inspection', grade: 'major', listingLevel: 'county', deadline: addDays(today(), 20) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [k: string]: any };
}

describe('display names beside login names', () => {
  it('a hazard names its creator, its actors, the plan’s filer and the uploader by display name', async () => {
    const { id } = await majorHazard();
    const read = await ent('GET', `/api/hazards/${id}`);
    expect(read.body.createdBy).toBe('supervisor-a');
    expect(read.body.people).toMatchObject({ 'supervisor-a': '王建国' });
    expect(read.body.timeline[0]).toMatchObject({ type: 'registered', actor: 'supervisor-a', actorName: '王建国' });
    expect(read.body).toMatchObject({ planRequired: true, acceptanceParties: ['enterprise', 'expert'] });

    const filed = await ent('POST', `/api/hazards/${id}/plan`, {
      body: { measures: '更换储罐，增设报警装置', funds: 380000, deadline: addDays(today(), 10), responsiblePerson: '王厂长', contingencyPlan: '停用罐区，专人值守' },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.plan).toMatchObject({ version: 1, by: 'enterprise-a' });
    expect(filed.body.people).toMatchObject({ 'enterprise-a': '李安全', 'supervisor-a': '王建国' });
    expect(filed.body.timeline.find((e: { type: string }) => e.type === 'plan_filed')).toMatchObject({ actor: 'enterprise-a', actorName: '李安全' });

    const uploaded = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
    expect(uploaded.status).toBe(201);
    const files = await sup('GET', `/api/hazards/${id}/evidence`);
    expect(files.body.items[0]).toMatchObject({ uploadedBy: 'enterprise-a', uploadedByName: '李安全' });
    expect(files.body.people).toEqual({ 'enterprise-a': '李安全' });
  });

  it('a suspension names the one who ordered it and its timeline’s actors', async () => {
    const ordered = await sup('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, documentNumber: '甲县应急停〔2026〕9号', reason: '重大事故隐患', scope: 'full', startsOn: today(), plannedEnd: addDays(today(), 20) },
    });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    const read = await ent('GET', `/api/suspensions/${ordered.body.id}`);
    expect(read.body.people).toMatchObject({ 'supervisor-a': '王建国' });
    expect(read.body.timeline[0]).toMatchObject({ type: 'ordered', actorName: '王建国' });
  });

  it('the campaigns list names who defined each campaign', async () => {
    await h.database.db.update(users).set({ displayName: '赵管理' }).where(eq(users.username, 'admin'));
    const admin = await h.as('admin');
    const made = await admin('POST', '/api/campaigns', { body: { name: '全市隐患清零百日行动', regionId: h.world.a.city.id, cutoff: '2026-03-01', target: '2026-06-30' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const list = await sup('GET', '/api/campaigns');
    expect(list.body.items.find((c: { id: string }) => c.id === made.body.id)).toMatchObject({ createdBy: 'admin' });
    expect(list.body.people).toEqual({ admin: '赵管理' });
  });

  it('a notice names the one who issued it, for the enterprise it was served on too', async () => {
    const { id } = await majorHazard();
    const issued = await sup('POST', '/api/notices', { body: { title: '督促整改', requirements: '立即整改', enterpriseId: h.world.enterpriseA, hazardIds: [id] } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    for (const as of [sup, ent]) {
      const read = await as('GET', `/api/notices/${issued.body.id}`);
      expect(read.body.issuedBy).toBe('supervisor-a');
      expect(read.body.people).toMatchObject({ 'supervisor-a': '王建国' });
    }
  });
});

describe('problems by stable code', () => {
  it('a major hazard submitted without its plan: plan-required, not only an English sentence', async () => {
    const { id } = await majorHazard();
    const uploaded = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) });
    const refused = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [uploaded.body.items[0].id] } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:duban:problem:step-not-allowed', code: 'plan-required' });
  });

  it('field errors carry codes: a missing field, an unknown one, a refusal naming its limit', async () => {
    const { id } = await majorHazard();
    const invalid = await ent('POST', `/api/hazards/${id}/plan`, { body: { measures: '', funds: 1, deadline: today(), responsiblePerson: '王', contingencyPlan: 'x', extra: 1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('invalid-request');
    expect(invalid.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'measures', code: 'required' }), expect.objectContaining({ field: 'extra', code: 'unknown-field' })]),
    );
    const notYours = await ent('POST', `/api/hazards/${id}/acceptances`, { body: { party: 'expert', passed: true, opinion: '同意', signatory: '张专家' } });
    expect(notYours.body).toMatchObject({ status: 422, code: 'acceptance-party-not-yours' });
    const tooFar = await ent('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: addDays(today(), 200), reason: '设备到货延迟' } });
    expect(tooFar.body).toMatchObject({ status: 422, code: 'extension-max-total-days' });
    expect(tooFar.body.errors[0]).toMatchObject({ field: 'requestedDeadline', code: 'extension-max-total-days', limit: { name: 'extension.maxTotalDays' } });
    const missing = await ent('GET', '/api/hazards/00000000-0000-4000-8000-000000000000');
    expect(missing.body).toMatchObject({ status: 404, code: 'not-found' });
    const forbidden = await ent('POST', '/api/hazards', { body: {} });
    expect(forbidden.body).toMatchObject({ status: 403, code: 'role-not-permitted' });
  });
});
