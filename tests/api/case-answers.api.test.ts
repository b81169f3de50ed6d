/**
 * The documented answers of notices and suspensions: every field a record and a list item carry
 * is in the schema the OpenAPI publishes for them, of the type it says, for a supervisor and for
 * the enterprise (the OpenAPI is the contract clients are built on).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { noticeListItemSchema, noticeSchema } from '../../api/notice-json';
import { suspensionListItemSchema, suspensionSchema } from '../../api/suspension-json';
import { noticeDecisions, suspensionNotifications } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { overdueNotice } from '../support/overdue-notice';

let h: ApiHarness;
let sup: Requester;
let ent: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('case-answers');
  [sup, ent] = await Promise.all([h.as('supervisor-a'), h.as('enterprise-a')]);
});
afterAll(async () => h?.stop());

/** The answer holds exactly the schema's fields (nested records too), of the types it says. */
function expectDocumented(schema: z.ZodObject, answer: Record<string, unknown>) {
  expect(Object.keys(answer).filter((k) => !(k in schema.shape))).toEqual([]);
  const parsed = schema.strict().safeParse(answer);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
}

/** The list item of `id` on the caller's first page: exactly the list schema's fields. */
async function expectListed(as: Requester, path: string, schema: z.ZodObject, id: string) {
  const list = await as('GET', path);
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  const item = list.body.items.find((i: { id: string }) => i.id === id);
  expect(Object.keys(item).sort()).toEqual(Object.keys(schema.shape).sort());
  expectDocumented(schema, item);
}

describe('the documented answers', () => {
  it('describe every field a notice and a list item carry: its hazards, instruments, decisions, timeline and notifications', async () => {
    // A notice long overdue (its ladder's instruments issued, its decisions open, people told), one of them taken…
    const { noticeId: overdue, decisions } = await overdueNotice(h);
    await h.database.db.insert(noticeDecisions).values({ id: randomUUID(), noticeId: overdue, kind: 'suspension', deciderRole: 'bureau_director', openedAt: new Date(), status: 'taken', documentNumber: '甲县应急停〔2026〕1号', reason: '逾期未整改', decidedBy: 'leader-a', decidedAt: new Date() });
    expect(decisions.length).toBeGreaterThan(0);
    // …and one for a hazard, signed for.
    const hazard = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '安全出口堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20) } });
    expect(hazard.status).toBe(201);
    const issued = await sup('POST', '/api/notices', { body: { title: '督促整改', requirements: '立即整改', enterpriseId: h.world.enterpriseA, hazardIds: [hazard.body.id] } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expectDocumented(noticeSchema, issued.body);
    const signed = await ent('POST', `/api/notices/${issued.body.id}/sign`);
    expect(signed.status).toBe(200);
    expectDocumented(noticeSchema, signed.body);

    for (const as of [sup, ent]) {
      const seen = { hazards: 0, instruments: 0, decisions: 0, timeline: 0, notifications: 0 };
      for (const id of [overdue, issued.body.id]) {
        const one = await as('GET', `/api/notices/${id}`);
        expect(one.status).toBe(200);
        expectDocumented(noticeSchema, one.body);
        for (const k of Object.keys(seen) as Array<keyof typeof seen>) seen[k] += one.body[k].length;
        await expectListed(as, '/api/notices?limit=50', noticeListItemSchema, id);
      }
      // Each part was there to be held to its schema.
      expect(Object.values(seen).every((n) => n > 0), JSON.stringify(seen)).toBe(true);
    }
  });

  it('describe every field a suspension and a list item carry: its origin, clock, timeline and notifications', async () => {
    const { noticeId } = await overdueNotice(h);
    const decisionId = randomUUID();
    await h.database.db.insert(noticeDecisions).values({ id: decisionId, noticeId, kind: 'suspension', deciderRole: 'bureau_director', openedAt: new Date(), status: 'taken', documentNumber: '甲县应急停〔2026〕2号', reason: '逾期未整改' });
    const ordered = await sup('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, origin: { type: 'notice_decision', id: decisionId }, documentNumber: '甲县应急停〔2026〕2号', reason: '重大事故隐患逾期未整改', scope: 'partial', scopeNote: '二号车间停产', startsOn: today(), plannedEnd: addDays(today(), 60) },
    });
    expect(ordered.status, JSON.stringify(ordered.body)).toBe(201);
    expectDocumented(suspensionSchema, ordered.body);
    const id = ordered.body.id as string;
    // What its clock sends comes with time; one reminder stands for them here.
    await h.database.db.insert(suspensionNotifications).values({ suspensionId: id, stepKey: 'reminder-1', kind: 'reminder', recipientRole: 'enterprise', message: '停产整顿计划期限将至', scheduledAt: new Date() });
    const asked = await ent('POST', `/api/suspensions/${id}/resumption-requests`, { body: { note: '隐患已整改', selfCheck: { passed: true, summary: '自查合格' } } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expectDocumented(suspensionSchema, asked.body);

    for (const as of [sup, ent]) {
      const one = await as('GET', `/api/suspensions/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.origin).toEqual({ type: 'notice_decision', id: decisionId });
      expect(one.body.timeline.length).toBeGreaterThan(1);
      expect(one.body.notifications.length).toBe(1);
      expectDocumented(suspensionSchema, one.body);
      await expectListed(as, '/api/suspensions?limit=50', suspensionListItemSchema, id);
    }
  });
});
