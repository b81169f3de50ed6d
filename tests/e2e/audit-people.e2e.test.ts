/**
 * The audit trail and the names of people in a real headless Chromium against the real API: a
 * supervisor opens a hazard's audit trail from its page (who by name, when in Shanghai, what, the
 * hashes, the chain verified) and sees where it breaks once a row is edited behind the app's back;
 * the admin checks every chain and is taken to the broken one; the admin reads a person's
 * notification preferences (read only) on the users page; the posts page and the review packs
 * name people by display name, and the seed's assignments as the system's.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserPost } from '../../db/posts';
import { hazardEvents } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import type { ApiHarness } from '../support/api-harness';
import { startBrowserWorld, type BrowserWorld } from '../support/browser-world';
import type { Requester } from '../support/http';

let h: ApiHarness;
let w: BrowserWorld;
let admin: Requester;
let sup: Requester;
let hazardId: string;
const errors: string[] = [];
const today = () => shanghaiDate(Date.now());

/** 2026-03-05 09:00 in Shanghai, as the pages write an instant. */
const shanghai = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

beforeAll(async () => {
  w = await startBrowserWorld('audit-people-pages', { browser: { errors } });
  h = w.h;
  admin = await h.as('admin');
  sup = await h.as('supervisor-a');
  // People whose names are not their login names: the pages must show the names.
  for (const [user, displayName] of [['supervisor-a', '钱科长'], ['enterprise-a', '李安全'], ['grid-a', '周网格'], ['leader-a', '孙县长']] as const) {
    expect((await admin('PATCH', `/api/users/${h.world.users[user]}`, { body: { displayName } })).status).toBe(200);
  }
  const res = await sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: '配电室门锁损坏', category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 15) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  hazardId = res.body.id;
  const ent = await h.as('enterprise-a');
  const up = await ent('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '门锁.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  expect((await ent('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id], note: '已更换门锁' } })).status).toBe(200);
}, 120_000);

afterAll(() => w?.stop());

const cells = (page: Page, selector: string) => page.locator(selector).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));

describe('the audit trail', () => {
  it('shows a supervisor one hazard’s entries from its page: by name, in Shanghai time, with their hashes, and the chain verified', async () => {
    const page = await w.signedIn('supervisor-a', `#/hazards/${hazardId}`);
    await page.getByRole('link', { name: '审计记录' }).click();
    await page.getByRole('heading', { level: 1, name: '审计记录' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/hazards/${hazardId}/audit`);
    await page.getByText('审计链校验通过：2 条记录完整无改动。').waitFor();
    const rows = await h.database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(asc(hazardEvents.chainSeq));
    expect(await cells(page, 'table.audit-table tbody tr')).toEqual(
      rows.map((r) => [String(r.chainSeq), shanghai(r.occurredAt.toISOString()), r.chainSeq === 1 ? '钱科长' : '李安全', r.chainSeq === 1 ? '登记' : '提交整改', `前一条${r.prevHash}本条${r.hash}`]),
    );
    expect(await page.locator('main').textContent()).not.toMatch(/supervisor-a|enterprise-a/);
    expect(errors).toEqual([]);
  });

  it('is not offered to the enterprise', async () => {
    const page = await w.signedIn('enterprise-a', `#/hazards/${hazardId}`);
    await page.getByRole('heading', { level: 1, name: '配电室门锁损坏' }).waitFor();
    expect(await page.locator('a.audit-link').count()).toBe(0);
  });

  it('shows where the chain breaks once a row is edited, and the admin’s check leads to it', async () => {
    const admins = await w.signedIn('admin', '#/admin/audit');
    await admins.getByRole('heading', { level: 1, name: '审计校验' }).waitFor();
    await admins.locator('.audit-verdict[data-ok="true"]').getByText(/^全部审计链完整：共 \d+ 条链、\d+ 条记录。$/).waitFor();
    expect(await cells(admins, 'table.audit-chains tbody tr[data-kind="hazard"]')).toEqual([['隐患', expect.stringMatching(/^[1-9]\d*$/)]]);

    // Someone with the database owner's rights edits the submission behind the app's back.
    const db = h.database.db;
    await db.execute(sql.raw('ALTER TABLE hazard_events DISABLE TRIGGER hazard_events_append_only'));
    try {
      await db.update(hazardEvents).set({ actor: 'someone-else' }).where(and(eq(hazardEvents.hazardId, hazardId), eq(hazardEvents.chainSeq, 2)));
    } finally {
      await db.execute(sql.raw('ALTER TABLE hazard_events ENABLE TRIGGER hazard_events_append_only'));
    }
    await admins.getByRole('button', { name: '重新校验' }).click();
    const broken = admins.locator('section.audit-break');
    await broken.waitFor();
    expect(await broken.locator('dd').allTextContents()).toEqual(['隐患 查看记录', '2', '记录内容与其哈希不符（内容被改动）']);
    await broken.getByRole('link', { name: '查看记录' }).click();
    await admins.getByRole('heading', { level: 1, name: '审计记录' }).waitFor();
    await admins.locator('.audit-verdict[data-ok="false"]').getByText('审计链在第 2 条记录处断开：记录内容与其哈希不符（内容被改动）').waitFor();
    expect(await admins.locator('tr.audit-broken').getAttribute('data-seq')).toBe('2');
    expect(await admins.locator('tr.audit-broken').textContent()).toContain('断点');
    expect(errors).toEqual([]);
  });
});

describe('people on the admin’s pages', () => {
  it('shows an admin how a person is notified, read only, on the users page', async () => {
    const ent = await h.as('enterprise-a');
    const prefs = await ent('PUT', '/api/notification-preferences', { body: { channels: [], email: 'anquan@example.com', phone: null, quietFrom: 22 * 60, quietUntil: 7 * 60, digest: true } });
    expect(prefs.status, JSON.stringify(prefs.body)).toBe(200);
    const page = await w.signedIn('admin', '#/admin/users?q=enterprise-a');
    const row = page.locator('tr[data-username="enterprise-a"]');
    await row.getByRole('button', { name: '通知方式' }).click();
    const facts = row.locator('dl.prefs-facts');
    await facts.waitFor();
    expect(await facts.locator('dt').allTextContents()).toEqual(['接收渠道', '电子邮箱', '手机号码', '免打扰时段', '每日汇总']);
    expect(await facts.locator('dd').allTextContents()).toEqual(['站内消息', 'anquan@example.com', '—', '22:00–07:00（北京时间）', '开启（每天 18:00 合并发送）']);
    await row.getByText('李安全 的通知方式（由本人设置，此处只读）').waitFor();
    expect(await row.locator('[data-panel="preferences"] input, [data-panel="preferences"] select, [data-panel="preferences"] textarea').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('names post holders and who assigned them by display name on the posts page, the seed’s assignment as the system’s', async () => {
    await setUserPost(h.database.db, 'seed', h.world.users['grid-a'], 'inspector');
    const page = await w.signedIn('admin', '#/posts');
    await page.getByRole('heading', { level: 1, name: '人员职务' }).waitFor();
    const row = page.locator('table.posts-table tbody tr', { hasText: '周网格' });
    await row.getByText(/^系统 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).waitFor();
    const table = (await page.locator('table.posts-table').textContent()) ?? '';
    expect(table).not.toMatch(/grid-a|supervisor-a|seed/);
    // One name for the page, in the menu and on it.
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员职务' }).getAttribute('aria-current')).toBe('page');
    expect(errors).toEqual([]);
  });

  it('names who assembled a review pack by display name, in the list and on the pack', async () => {
    const leader = await h.as('leader-a');
    const started = await leader('POST', '/api/review-packs', { body: { regionId: h.world.a.county.id } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await h.env.client.workflow.getHandle(started.body.workflowId).result();
    const page = await w.signedIn('leader-a', '#/review-packs');
    const row = page.locator('table.review-packs tbody tr', { has: page.locator(`a[href="#/review-packs/${started.body.id}"]`) });
    expect(await row.locator('td').last().textContent()).toBe('孙县长');
    await row.locator('a.pack-link').click();
    await page.getByText(/ 由 孙县长 生成$/).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('leader-a');
    expect(errors).toEqual([]);
  });
});
