/**
 * Delivery state in a real headless Chromium against the real API: the enterprise's contact takes
 * notifications on the WeCom robot too; a notice 90 days overdue tells them at once; the robot
 * endpoint fails the first post and accepts the second; the supervisor's notice page shows the
 * WeCom delivery as delivered after two tries, beside the inbox one; a hazard's page shows its
 * reminders' deliveries the same way. On a phone-sized inbox page
 * a person sets their own channels and quiet hours.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weComRobotAdapter } from '../../activities/channels/http-post';
import { dispatchOnce } from '../../activities/delivery-dispatcher';
import { preferencesOf, setPreferences } from '../../db/outbox';
import { deliveries } from '../../db/schema';
import { DEFAULT_PREFERENCES } from '../../domain/delivery-rules';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-endpoint';
import { outboxCase } from '../support/outbox-world';

let h: ApiHarness;
let w: BrowserWorld;
let robot: FakeEndpoint;
let noticeId: string;
let hazardId: string;
const errors: string[] = [];

beforeAll(async () => {
  [w, robot] = await Promise.all([startBrowserWorld('deliveries-pages', { api: { notifyChannels: ['wecom'] }, browser: { errors } }), startFakeEndpoint({ failFirst: 1 })]);
  h = w.h;
  await setPreferences(h.database.db, h.world.users['enterprise-a'], { ...DEFAULT_PREFERENCES, channels: ['wecom'], quietFrom: null, quietUntil: null }, 'enterprise-a');
  noticeId = randomUUID();
  const rule = DEFAULT_POLICIES.general.deadline!;
  const policy = DEFAULT_NOTICE_POLICIES.general;
  await h.deps.notices.start({
    notice: { noticeId, enterpriseId: h.world.enterpriseA, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline: addDays(shanghaiDate(Date.now()), -90), rule },
    issue: { agency: '甲县应急', enterpriseId: h.world.enterpriseA, addressee: null, addresseeRegionId: null, regionPath: h.world.a.grid.path, title: '危化品仓库逾期整改督办', requirements: '按期整改', legalBasis: rule.legalBasis, grade: 'general', policy, policyId: null, issuedBy: 'supervisor-a', hazardIds: [] },
  });
  // A hazard in grid A whose contact takes WeCom too, reminded as its workflow would remind it.
  const hazard = await outboxCase(h.database.db, { enterprise: { channels: ['wecom'], quietFrom: null, quietUntil: null } }, h.world.a.grid.id);
  hazardId = hazard.hazardId;
  await hazard.notify('round-1/reminder-3d', 'reminder', 'enterprise', '隐患“安全出口堵塞”整改期限将于3日后届满。', Date.now());
  const queued = () => h.database.db.select().from(deliveries).where(and(eq(deliveries.subjectId, noticeId), eq(deliveries.channel, 'wecom')));
  for (let i = 0; i < 600 && !(await queued()).length; i++) await new Promise((r) => setTimeout(r, 100));
  expect((await queued()).length).toBeGreaterThan(0);
  const adapters = new Map([['wecom' as const, weComRobotAdapter(robot.url)]]);
  const now = Date.now();
  await dispatchOnce(h.database.db, adapters, { now: () => new Date(now) });
  await dispatchOnce(h.database.db, adapters, { now: () => new Date(now + 31_000) });
}, 120_000);

afterAll(async () => {
  await robot?.close();
  await w?.stop();
});

function signedIn(username: string, at: string, viewport?: { width: number; height: number }): Promise<Page> {
  return w.signedIn(username, at, viewport ? { viewport } : {});
}

describe('delivery state and preferences, in the browser', () => {
  it('shows on the notice page the WeCom delivery delivered after two tries, beside the inbox', async () => {
    const sent = robot.posts.filter((p) => p.outcome === 'accepted');
    expect(robot.posts.map((p) => p.outcome).sort()).toEqual([...Array(sent.length).fill('accepted'), ...Array(sent.length).fill('failed')].sort());
    const page = await signedIn('supervisor-a', `/#/notices/${noticeId}`);
    const card = page.locator('section.deliveries');
    await card.getByRole('heading', { name: '通知送达情况' }).waitFor();
    const wecom = card.locator('tr[data-channel="wecom"]').first();
    await wecom.waitFor();
    expect(await wecom.getAttribute('data-state')).toBe('sent');
    expect(await wecom.textContent()).toContain('企业微信');
    expect(await wecom.textContent()).toContain('已送达');
    expect(await wecom.textContent()).toContain('2 次');
    expect(await card.locator('tr[data-channel="inbox"][data-state="sent"]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('shows on the hazard page the reminders delivered on WeCom and in the inbox', async () => {
    const page = await signedIn('supervisor-a', `/#/hazards/${hazardId}`);
    const card = page.locator('section.deliveries');
    await card.getByRole('heading', { name: '通知送达情况' }).waitFor();
    await card.locator('tr[data-channel="wecom"][data-state="sent"]').first().waitFor();
    expect(await card.locator('tr[data-channel="wecom"]').first().textContent()).toContain('提醒');
    expect(await card.locator('tr[data-channel="inbox"][data-state="sent"]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('lets a person set their own channels and quiet hours on a phone-sized inbox page', async () => {
    const page = await signedIn('enterprise-b', '/#/inbox', { width: 390, height: 844 });
    const form = page.locator('form[data-form="notification-preferences"]');
    await form.waitFor();
    await form.getByLabel('企业微信').check();
    await form.getByLabel('手机号码').fill('13900000000');
    await form.getByLabel('启用免打扰').check();
    await form.getByLabel('开始').fill('21:30');
    await form.getByLabel('结束').fill('07:30');
    await form.getByRole('button', { name: '保存通知方式' }).click();
    await page.getByText('已保存通知方式。').waitFor();
    expect(await preferencesOf(h.database.db, h.world.users['enterprise-b'])).toMatchObject({ channels: ['wecom'], phone: '13900000000', quietFrom: 21 * 60 + 30, quietUntil: 7 * 60 + 30, updatedBy: 'enterprise-b' });
    expect(errors).toEqual([]);
  });
});
