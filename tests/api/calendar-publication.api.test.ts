/**
 * Publishing a calendar year is durable: the API answers 202 and a workflow tells the open
 * hazards page by page (continuing as new between pages), whatever becomes of the API that
 * started it; its progress reaches done with the right counts.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { createApp } from '../../api/app';
import { DEFAULT_POLICIES, MAX_OFFSET_DAYS } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { countDays, weekday, WorkCalendar, yearsFrom, type YearCalendar } from '../../domain/work-calendar';
import { CalendarPublisher } from '../../temporal/calendar-publication';
import { publicationProgressQuery } from '../../workflows/calendar-publication.messages';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type Requester } from '../support/http';
import { PASSWORD } from '../support/world';

const N = 32;
const PAGE = 5;
const today = () => shanghaiDate(Date.now());

let h: ApiHarness;
let admin: Requester;
let sup: Requester;
beforeAll(async () => {
  h = await startApiHarness('calendar-publication');
  admin = await h.as('admin');
  sup = await h.as('supervisor-a');
});
afterAll(async () => h?.stop());

it('tells every open provisional hazard after the API that started it is gone, page by page, and counts them', async () => {
  // The first year without data, and a policy (public reports only) whose rule counts into it.
  const all = (await admin('GET', '/api/calendars')).body.items as YearCalendar[];
  let year = Number(today().slice(0, 4));
  while (all.some((y) => y.year === year)) year++;
  const held = all.filter((y) => yearsFrom(today()).includes(y.year));
  const target = [`${year}-01-15`, addDays(today(), 14)].sort()[1]!;
  const days = new WorkCalendar(held).workingDaysBetween(today(), target).days;
  expect(days).toBeLessThanOrEqual(MAX_OFFSET_DAYS);
  // A holiday on the last weekday the count crosses moves every deadline by the publication.
  let dayOff = addDays(target, -1);
  while (weekday(dayOff) === 0 || weekday(dayOff) === 6) dayOff = addDays(dayOff, -1);
  expect(dayOff > today() && dayOff.startsWith(String(year))).toBe(true);
  const published: YearCalendar = { year, source: '持久发布测试', holidays: [{ date: dayOff, name: '临时公休' }], workdays: [] };
  const rule = { days, unit: 'working' as const, legalBasis: '《安全生产事故隐患排查治理暂行规定》第二十条' };
  const policy = await admin('POST', '/api/policies', { body: { grade: 'general', source: 'public_report', policy: { ...DEFAULT_POLICIES.general, deadline: rule }, note: '发布测试' } });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  const before = countDays(new WorkCalendar(held), today(), days, 'working');
  const after = countDays(new WorkCalendar([...held, published]), today(), days, 'working');
  expect([before.provisional, after.provisional, after.date > before.date]).toEqual([true, false, true]);

  const ids: string[] = [];
  for (let i = 0; i < N; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, N - i) }, (_, k) =>
        sup('POST', '/api/hazards', { body: { enterpriseId: h.world.enterpriseA, title: `群众举报 ${i + k}`, category: '消防安全', source: 'public_report', grade: 'general' } }),
      ),
    );
    for (const res of batch) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ deadline: before.date, provisional: true });
      ids.push(res.body.id);
    }
  }
  // One whose workflow has ended while the read model still lists it open: counted as ended, not told.
  const ended = ids.pop()!;
  await h.env.client.workflow.getHandle(hazardWorkflowId(ended)).terminate('ended outside the publication');

  // An API process of its own, with its own connection to Temporal: it answers, then goes away.
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection, namespace: 'default' });
  const api = await serve(createApp({ ...h.deps, temporal: client, calendarPublisher: new CalendarPublisher(client, h.taskQueue, PAGE) }));
  const login = await api.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  const accepted = await api.request('POST', '/api/calendars', { token: login.body.token, body: published });
  await api.close();
  await connection.close();

  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  const id = accepted.body.publicationId as string;
  expect(accepted.body).toEqual({ publicationId: id, year, replaced: false, concerned: N, progressUrl: `/api/calendars/publications/${id}` });
  expect(accepted.headers.get('location')).toBe(`/api/calendars/publications/${id}`);

  let progress: any;
  await expect
    .poll(async () => {
      progress = (await admin('GET', `/api/calendars/publications/${id}`)).body;
      return progress.done;
    }, { timeout: 30_000, interval: 200 })
    .toBe(true);
  expect(progress).toMatchObject({
    publicationId: id,
    year,
    replaced: false,
    phase: 'done',
    concerned: N,
    hazardsTold: N - 1,
    noticesTold: 0,
    alreadyEnded: 1,
    failed: 0,
    deadlinesMoved: N,
    remaining: 0,
    publishedBy: 'admin',
    doneAt: expect.any(String),
  });
  // The workflow answers the same through its Query.
  const handle = h.env.client.workflow.getHandle(id);
  expect(await handle.query(publicationProgressQuery)).toMatchObject({ hazardsTold: N - 1, alreadyEnded: 1, done: true, remaining: 0 });
  // It paged: one run per page of hazards (and one for the notices), each continuing as new.
  await expect
    .poll(async () => {
      let runs = 0;
      for await (const _ of h.env.client.workflow.list({ query: `WorkflowId = '${id}'` })) runs++;
      return runs;
    }, { timeout: 10_000, interval: 200 })
    .toBeGreaterThanOrEqual(Math.ceil(N / PAGE));

  // Every hazard recomputed: the deadline moved, no longer provisional, and its timeline says so.
  for (const hazardId of ids) {
    await expect
      .poll(async () => {
        const hz = (await sup('GET', `/api/hazards/${hazardId}`)).body;
        return [hz.deadline, hz.provisional, hz.timeline.some((e: { type: string }) => e.type === 'calendar_applied')];
      }, { timeout: 10_000, interval: 200 })
      .toEqual([after.date, false, true]);
  }
});

it('answers 404 for a publication that does not exist, and only to admins', async () => {
  const res = await admin('GET', '/api/calendars/publications/calendar-publication-1999-000000000000');
  expect(res.status).toBe(404);
  expect((await sup('GET', '/api/calendars/publications/calendar-publication-1999-000000000000')).status).toBe(403);
});
