/**
 * Notifications leave the outbox once per person and channel: email into a local SMTP sink,
 * SMS and the robots into a local endpoint that fails on purpose; a recording run twice queues
 * one delivery; quiet hours hold a reminder until the morning but not a leader's escalation; a
 * person who takes a digest gets one message for the day; an unconfigured channel sends nothing;
 * a send whose worker died goes again with the same key, and racing dispatchers claim each once.
 * The dispatcher runs on a clock the test sets (its rounds are what the worker's loop runs).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../activities/channels/channel';
import { emailAdapter } from '../../activities/channels/email';
import { dingTalkRobotAdapter, smsGatewayAdapter, weComRobotAdapter } from '../../activities/channels/http-post';
import { dispatchOnce, DISPATCH_LEASE_MS } from '../../activities/delivery-dispatcher';
import { claimDue } from '../../db/delivery-dispatch';
import { deliveries, deliveryAttempts, hazards } from '../../db/schema';
import { MAX_ATTEMPTS, type ExternalChannel } from '../../domain/delivery-rules';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startFakeEndpoint, type FakeEndpoint } from '../support/fake-endpoint';
import { outboxCase } from '../support/outbox-world';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

let database: TestDatabase;
let sink: SmtpSink;
const MIN = 60_000;
/** A weekday morning well ahead, so nothing else in the database is due with it. */
const DAY = addDays(shanghaiDate(Date.now()), 400);
const at = (hour: number, minute = 0, day = DAY) => shanghaiInstant(day, hour, minute);

beforeAll(async () => {
  [database, sink] = await Promise.all([createTestDatabase(), startSmtpSink()]);
});
afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

const triesOf = (id: number) => database.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(deliveryAttempts.attempt);
const adaptersOf = (...list: ChannelAdapter[]) => new Map<ExternalChannel, ChannelAdapter>(list.map((a) => [a.channel, a]));
const dispatchAt = (adapters: Map<ExternalChannel, ChannelAdapter>, instant: number) => dispatchOnce(database.db, adapters, { now: () => new Date(instant) });

describe('the outbox', () => {
  it('sends an email once into the SMTP sink, in Chinese, and records the try', async () => {
    const c = await outboxCase(database.db, { enterprise: { channels: ['email'], email: 'anquan@example.cn' } });
    const email = emailAdapter({ host: '127.0.0.1', port: sink.port, secure: false, from: 'duban@bureau.example.cn' });
    await c.notify('round-1/reminder-3d', 'reminder', 'enterprise', '隐患“消防通道堵塞”整改期限将于3日后届满，请按期完成整改。', at(9));

    expect(await dispatchAt(adaptersOf(email), at(9, 1))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await dispatchAt(adaptersOf(email), at(9, 2))).toMatchObject({ claimed: 0 });
    email.close?.();

    const mails = sink.mails.filter((m) => m.to.includes('anquan@example.cn'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('督办提醒：整改期限将至');
    expect(mails[0]!.text).toBe('隐患“消防通道堵塞”整改期限将于3日后届满，请按期完成整改。');
    expect(mails[0]!.headers['x-idempotency-key']).toBe(`${c.workflowId}/round-1/reminder-3d/${c.enterpriseUser}/email`);
    const rows = await c.outbox();
    expect(rows.map((r) => [r.channel, r.state])).toEqual([
      ['inbox', 'sent'],
      ['email', 'sent'],
    ]);
    expect(await c.attemptsOf(rows[1]!.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent', finishedAt: expect.any(Date) })]);
  });

  it('posts exactly once per delivery to the robots and the SMS gateway, each failing twice first, with backoff between tries', async () => {
    const endpoints: FakeEndpoint[] = await Promise.all([startFakeEndpoint({ failFirst: 2, robotErrors: true }), startFakeEndpoint({ failFirst: 2, robotErrors: true }), startFakeEndpoint({ failFirst: 2 })]);
    const [wecom, dingtalk, sms] = endpoints as [FakeEndpoint, FakeEndpoint, FakeEndpoint];
    const adapters = adaptersOf(weComRobotAdapter(wecom.url), dingTalkRobotAdapter(dingtalk.url), smsGatewayAdapter(sms.url, 'token'));
    const c = await outboxCase(database.db, { enterprise: { channels: ['wecom', 'dingtalk', 'sms'], phone: '13800000000' } });
    await c.notify('round-1/reminder-1d', 'reminder', 'enterprise', '整改期限将于明日届满。', at(9, 0, addDays(DAY, 1)));
    const t0 = at(9, 0, addDays(DAY, 1));

    expect(await dispatchAt(adapters, t0)).toMatchObject({ claimed: 3, failed: 3 });
    // Backoff: not again before 30 s, then not before a further 60 s.
    expect(await dispatchAt(adapters, t0 + 20_000)).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(adapters, t0 + 31_000)).toMatchObject({ claimed: 3, failed: 3 });
    expect(await dispatchAt(adapters, t0 + 80_000)).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(adapters, t0 + 92_000)).toMatchObject({ claimed: 3, sent: 3 });
    expect(await dispatchAt(adapters, t0 + 3_600_000)).toMatchObject({ claimed: 0 });

    for (const e of endpoints) {
      expect(e.posts.map((p) => p.outcome)).toEqual(['failed', 'failed', 'accepted']);
      expect([...e.accepted.values()]).toEqual([1]);
      await e.close();
    }
    expect(wecom.posts[2]!.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('整改期限将于明日届满。'), mentioned_mobile_list: ['13800000000'] } });
    expect(dingtalk.posts[2]!.body).toMatchObject({ msgtype: 'text', at: { atMobiles: ['13800000000'] } });
    expect(sms.posts[2]!.body).toMatchObject({ to: '13800000000' });
    const external = (await c.outbox()).filter((r) => r.channel !== 'inbox');
    expect(external.map((r) => [r.state, r.attempts])).toEqual([
      ['sent', 3],
      ['sent', 3],
      ['sent', 3],
    ]);
    const tries = await c.attemptsOf(external[0]!.id);
    expect(tries.map((t) => t.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(tries[0]!.error).toMatch(/errcode|503/);
  });

  it('sends each of many deliveries once through an endpoint that fails at random, and gives up after the last try', async () => {
    const flaky = await startFakeEndpoint({ failRate: 0.4, seed: 7 });
    const adapters = adaptersOf(weComRobotAdapter(flaky.url));
    const day = addDays(DAY, 2);
    const cases = await Promise.all(Array.from({ length: 12 }, () => outboxCase(database.db, { enterprise: { channels: ['wecom'] } })));
    for (const c of cases) await c.notify('round-1/reminder-7d', 'reminder', 'enterprise', '请按期整改。', at(10, 0, day));
    let now = at(10, 0, day);
    for (let round = 0; round < 40; round++, now += 61 * MIN) await dispatchAt(adapters, now);
    const rows = (await Promise.all(cases.map((c) => c.outbox()))).flat().filter((r) => r.channel === 'wecom');
    for (const r of rows) {
      const key = `${r.workflowId}/${r.stepKey}/${r.userId}/wecom`;
      if (r.state === 'sent') expect(flaky.accepted.get(key)).toBe(1);
      else expect([r.state, r.attempts, flaky.accepted.has(key)]).toEqual(['failed', MAX_ATTEMPTS, false]);
    }
    expect(rows.filter((r) => r.state === 'sent').length).toBeGreaterThan(6);
    expect(flaky.posts.filter((p) => p.outcome === 'failed').length).toBeGreaterThan(0);
    expect(flaky.posts.some((p) => p.outcome === 'repeat')).toBe(false);
    await flaky.close();
  });

  it('queues one delivery per person and channel when the recording runs twice, at once or again later', async () => {
    const c = await outboxCase(database.db, { enterprise: { channels: ['email', 'wecom'], email: 'twice@example.cn' } });
    // Far ahead: later rounds of this file leave it alone.
    const when = at(9, 0, addDays(DAY, 100));
    await Promise.all([c.notify('round-1/reminder-3d', 'reminder', 'enterprise', '请整改。', when), c.notify('round-1/reminder-3d', 'reminder', 'enterprise', '请整改。', when)]);
    await c.notify('round-1/reminder-3d', 'reminder', 'enterprise', '请整改。', when);
    expect((await c.outbox()).map((r) => r.channel).sort()).toEqual(['email', 'inbox', 'wecom']);
  });

  it('skips a reminder whose hazard was closed before it left, saying why', async () => {
    const endpoint = await startFakeEndpoint();
    const c = await outboxCase(database.db, { enterprise: { channels: ['wecom'] } });
    const day = addDays(DAY, 4);
    await c.notify('round-1/reminder-1d', 'reminder', 'enterprise', '请整改。', at(9, 0, day));
    await database.db.update(hazards).set({ status: 'closed' }).where(eq(hazards.id, c.hazardId));
    expect(await dispatchAt(adaptersOf(weComRobotAdapter(endpoint.url)), at(9, 1, day))).toMatchObject({ claimed: 0 });
    const [row] = (await c.outbox()).filter((r) => r.channel === 'wecom');
    expect(row).toMatchObject({ state: 'skipped', skipReason: 'subject_closed', attempts: 0 });
    expect(endpoint.posts).toEqual([]);
    await endpoint.close();
  });

  it('holds a reminder due at 23:00 until the morning; a leader’s escalation goes at once', async () => {
    const endpoint = await startFakeEndpoint();
    const adapters = adaptersOf(weComRobotAdapter(endpoint.url));
    const day = addDays(DAY, 5);
    const c = await outboxCase(database.db, { enterprise: { channels: ['wecom'] }, leader: { channels: ['wecom'] } });
    await c.notify('round-1/reminder-1d', 'reminder', 'enterprise', '夜间提醒', at(23, 0, day));
    await c.notify('round-1/escalation-3d', 'escalation', 'responsible_leader', '夜间升级', at(23, 0, day));

    expect(await dispatchAt(adapters, at(23, 1, day))).toMatchObject({ claimed: 1, sent: 1 });
    expect(endpoint.posts.map((p) => (p.body.text as { content: string }).content)).toEqual([expect.stringContaining('夜间升级')]);
    expect(await dispatchAt(adapters, at(6, 59, addDays(day, 1)))).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(adapters, at(7, 0, addDays(day, 1)))).toMatchObject({ claimed: 1, sent: 1 });
    const rows = (await c.outbox()).filter((r) => r.channel === 'wecom');
    expect(rows.find((r) => r.userId === c.enterpriseUser)).toMatchObject({ state: 'sent', notBefore: new Date(at(7, 0, addDays(day, 1))) });
    expect(rows.find((r) => r.userId === c.leader)).toMatchObject({ state: 'sent', sentAt: new Date(at(23, 1, day)) });
    await endpoint.close();
  });

  it('gathers a person’s day into one digest at 18:00, leaving out what was closed meanwhile', async () => {
    const day = addDays(DAY, 6);
    const email = emailAdapter({ host: '127.0.0.1', port: sink.port, secure: false, from: 'duban@bureau.example.cn' });
    const a = await outboxCase(database.db, { enterprise: { channels: ['email'], email: 'digest@example.cn', digest: true } });
    await a.notify('round-1/reminder-7d', 'reminder', 'enterprise', '第一项隐患七日后到期', at(9, 0, day));
    await a.notify('round-1/reminder-3d', 'reminder', 'enterprise', '第一项隐患三日后到期', at(11, 0, day));
    await a.notify('round-1/reminder-1d', 'reminder', 'enterprise', '迟到的提醒', at(19, 0, day));
    expect(await dispatchAt(adaptersOf(email), at(17, 59, day))).toMatchObject({ digests: 0, claimed: 0 });
    expect(await dispatchAt(adaptersOf(email), at(18, 0, day))).toMatchObject({ digests: 1, claimed: 1, sent: 1 });
    expect(await dispatchAt(adaptersOf(email), at(18, 5, day))).toMatchObject({ digests: 0, claimed: 0 });

    const mails = sink.mails.filter((m) => m.to.includes('digest@example.cn'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('督办提醒汇总');
    expect(mails[0]!.text).toContain('共有 2 条待办提醒');
    expect(mails[0]!.text).toContain('第一项隐患七日后到期');
    expect(mails[0]!.text).not.toContain('迟到的提醒');
    const rows = (await a.outbox()).filter((r) => r.channel === 'email');
    const digest = await database.db.select().from(deliveries).where(eq(deliveries.workflowId, `digest-${a.enterpriseUser}`));
    expect(digest).toEqual([expect.objectContaining({ stepKey: day, state: 'sent', kind: 'digest' })]);
    expect(rows.map((r) => [r.state, r.skipReason, r.digestId])).toEqual([
      ['skipped', 'in_digest', digest[0]!.id],
      ['skipped', 'in_digest', digest[0]!.id],
      ['pending', null, null],
    ]);
    // The evening's reminder waits for the next day's digest; its hazard closes first: no digest.
    await database.db.update(hazards).set({ status: 'closed' }).where(eq(hazards.id, a.hazardId));
    expect(await dispatchAt(adaptersOf(email), at(18, 0, addDays(day, 1)))).toMatchObject({ digests: 0, claimed: 0 });
    expect((await a.outbox()).at(-1)).toMatchObject({ state: 'skipped', skipReason: 'subject_closed' });
    email.close?.();
  });

  it('sends again with the same key after a worker died mid-send, and claims each delivery once among dispatchers racing', async () => {
    const endpoint = await startFakeEndpoint();
    const robot = weComRobotAdapter(endpoint.url);
    const adapters = adaptersOf(robot);
    const day = addDays(DAY, 7);
    const cases = await Promise.all(Array.from({ length: 6 }, () => outboxCase(database.db, { enterprise: { channels: ['wecom'] } })));
    for (const c of cases) await c.notify('round-1/reminder-3d', 'reminder', 'enterprise', '请整改。', at(9, 0, day));
    // A worker claims the first and posts it, then dies before recording the outcome.
    const t0 = at(9, 0, day);
    const [died] = await claimDue(database.db, { now: new Date(t0), limit: 1, leaseMs: DISPATCH_LEASE_MS, configured: new Set(['wecom']) });
    await robot.send({ idempotencyKey: died!.idempotencyKey, kind: 'reminder', subject: '督办提醒', text: '请整改。', to: died!.to });
    // Three dispatchers race for the rest; the dead one's delivery is leased and left alone.
    const rounds = await Promise.all([1, 2, 3].map(() => dispatchAt(adapters, t0 + 1000)));
    expect(rounds.reduce((n, r) => n + r.claimed, 0)).toBe(5);
    expect(await dispatchAt(adapters, t0 + DISPATCH_LEASE_MS - 1000)).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(adapters, t0 + DISPATCH_LEASE_MS + 1000)).toMatchObject({ claimed: 1, sent: 1 });

    expect([...endpoint.accepted.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(endpoint.posts.filter((p) => p.outcome === 'repeat').map((p) => p.key)).toEqual([died!.idempotencyKey]);
    expect((await triesOf(died!.delivery.id)).map((a) => a.outcome)).toEqual(['sending', 'sent']);
    await endpoint.close();
  });

  it('sends nothing on a channel that is not configured, and says so', async () => {
    const c = await outboxCase(database.db, { enterprise: { channels: ['dingtalk'] } });
    const day = addDays(DAY, 8);
    await c.notify('round-1/reminder-7d', 'reminder', 'enterprise', '请整改。', at(9, 0, day));
    await dispatchAt(new Map(), at(9, 1, day));
    expect((await c.outbox()).map((r) => [r.channel, r.state, r.skipReason])).toEqual([
      ['inbox', 'sent', null],
      ['dingtalk', 'skipped', 'channel_unconfigured'],
    ]);
  });
});
