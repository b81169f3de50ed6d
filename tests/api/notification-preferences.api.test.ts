/**
 * Each person's notification preferences through the API: defaults until set, their own only
 * (an admin reads those of people within the jurisdiction), refused with the field named when a
 * channel is not configured (422) or lacks its address or quiet hours are half given (400); each change is
 * on the administrative trail without the addresses themselves. An item's deliveries show, per
 * person and channel, what became of its notifications.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvents } from '../../db/schema';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';

let h: ApiHarness;
let ent: Requester;
let entB: Requester;
let admin: Requester;

beforeAll(async () => {
  h = await startApiHarness('notification-preferences', { notifyChannels: ['email', 'wecom'] });
  [ent, entB, admin] = (await Promise.all((['enterprise-a', 'enterprise-b', 'admin'] as const).map((u) => h.as(u)))) as [Requester, Requester, Requester];
});
afterAll(async () => h?.stop());

function expectProblem(res: HttpResponse, status: number, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

const valid = { channels: ['email', 'wecom'], email: 'anquan@example.cn', phone: '13800000000', quietFrom: 21 * 60, quietUntil: 8 * 60, digest: true };

describe('notification preferences', () => {
  it('starts from the defaults: the inbox only, quiet from 22:00 to 07:00, and says which channels are configured', async () => {
    const res = await ent('GET', '/api/notification-preferences');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: h.world.users['enterprise-a'], channels: [], quietFrom: 1320, quietUntil: 420, digest: false, available: ['email', 'wecom'], updatedAt: null });
  });

  it('refuses what cannot be honoured, naming the field: 422 for a channel not configured, 400 for the rest', async () => {
    expectProblem(await ent('PUT', '/api/notification-preferences', { body: { ...valid, channels: ['sms'] } }), 422, 'channels');
    expectProblem(await ent('PUT', '/api/notification-preferences', { body: { ...valid, email: null } }), 400, 'email');
    expectProblem(await ent('PUT', '/api/notification-preferences', { body: { ...valid, quietUntil: null } }), 400, 'quietUntil');
    expectProblem(await ent('PUT', '/api/notification-preferences', { body: { ...valid, quietFrom: 1440 } }), 400, 'quietFrom');
    expectProblem(await ent('PUT', '/api/notification-preferences', { body: { ...valid, phone: '13800-call-me' } }), 400, 'phone');
  });

  it('keeps each person’s own, attributed; an admin reads them; another person does not see them', async () => {
    const saved = await ent('PUT', '/api/notification-preferences', { body: valid });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ ...valid, updatedBy: 'enterprise-a', updatedAt: expect.any(String) });
    expect((await ent('GET', '/api/notification-preferences')).body).toMatchObject(valid);
    expect((await entB('GET', '/api/notification-preferences')).body).toMatchObject({ userId: h.world.users['enterprise-b'], channels: [] });
    const read = await admin('GET', `/api/users/${h.world.users['enterprise-a']}/notification-preferences`);
    expect(read.body).toMatchObject({ ...valid, userId: h.world.users['enterprise-a'] });
    const trail = await h.database.db
      .select()
      .from(adminEvents)
      .where(and(eq(adminEvents.action, 'notification_preferences.set'), eq(adminEvents.subjectId, h.world.users['enterprise-a'])));
    expect(trail).toHaveLength(1);
    expect(trail[0]!.data).toEqual({ channels: ['email', 'wecom'], email: true, phone: true, quietFrom: 1260, quietUntil: 480, digest: true });
    expect(JSON.stringify(trail[0]!.data)).not.toContain('anquan@example.cn');
  });
});
