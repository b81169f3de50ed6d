/** Policies as data through HTTP: versions, the most specific scope, validation, and who may save. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

let h: ApiHarness;
let admin: Requester;
let sup: Requester;

beforeAll(async () => {
  h = await startApiHarness('policies');
  admin = await h.as('admin');
  sup = await h.as('supervisor-a');
});
afterAll(async () => h?.stop());

const register = (source = 'inspection') =>
  sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '测试', category: '测试', source, grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 20) },
  });

describe('policies', () => {
  it('ships version 1 of each grade, which new hazards run on', async () => {
    const list = await sup('GET', '/api/policies');
    expect(list.body.items.map((p: { grade: string; version: number; createdBy: string }) => [p.grade, p.version, p.createdBy])).toEqual([
      ['general', 1, 'system'],
      ['major', 1, 'system'],
    ]);
    const hazard = await register();
    expect(hazard.body.policyId).toBe(list.body.items[0].id);
  });

  it('saves new versions; a running hazard keeps its own, a new one takes the newest', async () => {
    const before = await register();
    const policy = { reminderDaysBefore: [5, 2], escalation: [{ afterDays: 2, level: 1, recipientRole: 'supervisor_chief' }] };
    const saved = await admin('POST', '/api/policies', { body: { grade: 'general', policy, note: '试行' } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ grade: 'general', version: 2, createdBy: 'admin', policy });

    const after = await register();
    expect(after.body.policy).toEqual(policy);
    expect((await sup('GET', `/api/hazards/${before.body.id}`)).body.policyId).toBe(before.body.policyId);
    expect(after.body.policyId).toBe(saved.body.id);
  });

  it('prefers the policy narrowed to the source', async () => {
    const policy = { reminderDaysBefore: [1], escalation: [] };
    const narrow = await admin('POST', '/api/policies', { body: { grade: 'general', source: 'public_report', policy } });
    expect(narrow.body.version).toBe(1);
    expect((await register('public_report')).body.policyId).toBe(narrow.body.id);
    expect((await register('inspection')).body.policyId).not.toBe(narrow.body.id);
  });

  it('refuses an invalid policy naming the field, and anyone but an admin', async () => {
    const bad = await admin('POST', '/api/policies', {
      body: { grade: 'general', policy: { reminderDaysBefore: [3, 3], escalation: [{ afterDays: 3, level: 1, recipientRole: 'supervisor' }, { afterDays: 2, level: 2, recipientRole: 'county_leader' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['policy.escalation.1.afterDays', 'policy.reminderDaysBefore']);
    expect((await sup('POST', '/api/policies', { body: { grade: 'general', policy: { reminderDaysBefore: [], escalation: [] } } })).status).toBe(403);
    expect((await sup('GET', '/api/policies')).body.items.filter((p: { grade: string }) => p.grade === 'general')).toHaveLength(3);
  });
});
