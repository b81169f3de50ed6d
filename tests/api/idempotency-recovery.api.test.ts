/**
 * A retry gets the first attempt's outcome, even when the process that ran the first attempt
 * died after the command took effect in its workflow but before the answer was stored. The key
 * is held under a short lease its request renews; a key whose holder stopped renewing is taken
 * over by the next retry at once, which sends the command again under the same Update id, and
 * Temporal answers with the first outcome instead of running it twice. Real dev server, real
 * Postgres: the "first attempt" is the Update sent through the gateway under the id the request
 * derives, with the idempotency row left as the dead process left it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { fingerprint, updateIdOf } from '../../api/middleware/idempotency';
import { evidenceFiles, idempotencyKeys } from '../../db/schema';
import { canonicalJson } from '../../domain/audit-chain';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { serve, type HttpResponse, type Requester } from '../support/http';
import { PASSWORD, type WorldUser } from '../support/world';

let h: ApiHarness;
let sup: Requester;
let ent: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('idempotency-recovery');
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
});
afterAll(async () => h?.stop());

type Event = { type: string };

async function hazardWithPhoto(): Promise<{ id: string; photo: string }> {
  const created = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: `重试-${randomUUID()}`, category: '综合', source: 'inspection', grade: 'general', deadline: addDays(today(), 20) },
  });
  expect(created.status).toBe(201);
  const up = await ent('POST', `/api/hazards/${created.body.id}/evidence`, { raw: evidenceForm([{ name: 'a.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status).toBe(201);
  return { id: created.body.id, photo: up.body.items[0].id };
}

async function submitted(): Promise<string> {
  const { id, photo } = await hazardWithPhoto();
  expect((await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [photo] } })).status).toBe(200);
  return id;
}

async function timeline(id: string): Promise<Event[]> {
  const res = await sup('GET', `/api/hazards/${id}`);
  expect(res.status).toBe(200);
  return res.body.timeline;
}
const count = (events: Event[], type: string) => events.filter((e) => e.type === type).length;

/**
 * The idempotency row a process leaves when it dies mid-request: in progress, its lease run out
 * (or never renewed). Returns the Update id the request derives from user, key and request.
 */
async function strandedAttempt(user: WorldUser, key: string, path: string, body: unknown, leaseUntil: Date | null = new Date(Date.now() - 1000)): Promise<string> {
  const userId = h.world.users[user];
  const requestHash = fingerprint(h.deps.tokens.secret, 'POST', path, body);
  await h.database.db.insert(idempotencyKeys).values({ userId, key, requestHash, state: 'in_progress', holder: `died-${randomUUID()}`, leaseUntil });
  return updateIdOf(userId, key, requestHash);
}

/** The key of a request that went through, set back as a process that died before storing its answer leaves it. */
async function dieBeforeStoring(key: string): Promise<void> {
  await h.database.db
    .update(idempotencyKeys)
    .set({ state: 'in_progress', responseStatus: null, responseBody: null, responseLocation: null, holder: `died-${randomUUID()}`, leaseUntil: new Date(Date.now() - 1000) })
    .where(eq(idempotencyKeys.key, key));
}

async function storedState(user: WorldUser, key: string) {
  const [row] = await h.database.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, h.world.users[user]), eq(idempotencyKeys.key, key)));
  return row;
}

function expectProblem(res: HttpResponse, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

describe('a retry after the first attempt took effect but its answer was lost', () => {
  it('gets the accepted review (the hazard closed), not "the hazard is closed"; accepted once', async () => {
    const id = await submitted();
    const k = `review-${randomUUID()}`;
    const body = { decision: 'accept', comment: '整改到位' } as const;
    const path = `/api/hazards/${id}/reviews`;
    const updateId = await strandedAttempt('supervisor-a', k, path, body);
    // The first attempt reached the workflow under the request's Update id; then its process died.
    const first = await h.gateway.review(id, { ...body, by: 'supervisor-a' }, { updateId, resumed: false });
    expect(first.status).toBe('closed');

    const retry = await sup('POST', path, { body, headers: { 'idempotency-key': k } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'closed' });
    expect(count(retry.body.timeline, 'review_accepted')).toBe(1);
    expect(count(await timeline(id), 'review_accepted')).toBe(1);
    // Its answer is now kept: the next retry replays it.
    expect(await storedState('supervisor-a', k)).toMatchObject({ state: 'done', responseStatus: 200 });
    const replay = await sup('POST', path, { body, headers: { 'idempotency-key': k } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(retry.body);
  });

  it('gets the submission, not "evidence already submitted"; submitted once', async () => {
    const { id, photo } = await hazardWithPhoto();
    const k = `submit-${randomUUID()}`;
    const body = { evidence: [photo], note: '已整改' };
    const path = `/api/hazards/${id}/submissions`;
    const updateId = await strandedAttempt('enterprise-a', k, path, body);
    const files = await h.database.db.select().from(evidenceFiles).where(inArray(evidenceFiles.id, [photo]));
    const manifestHash = createHash('sha256')
      .update(canonicalJson(files.map((f) => ({ id: f.id, sha256: f.sha256, size: f.size, mediaType: f.mediaType }))))
      .digest('hex');
    await h.gateway.submitRectification(id, { ...body, manifestHash, by: 'enterprise-a' }, { updateId, resumed: false });

    const retry = await ent('POST', path, { body, headers: { 'idempotency-key': k } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.status).toBe('under_review');
    expect(count(await timeline(id), 'rectification_submitted')).toBe(1);
  });

  it('gets the signed notice, not "already signed"; signed once', async () => {
    const hazard = await hazardWithPhoto();
    const notice = await sup('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazard.id], title: '重试签收', requirements: '按期整改' } });
    expect(notice.status, JSON.stringify(notice.body)).toBe(201);
    const k = `sign-${randomUUID()}`;
    const path = `/api/notices/${notice.body.id}/sign`;
    const updateId = await strandedAttempt('enterprise-a', k, path, undefined);
    await h.deps.notices.sign(notice.body.id, { by: 'enterprise-a' }, { updateId, resumed: false });
    const before = (await ent('GET', `/api/notices/${notice.body.id}`)).body;

    const retry = await ent('POST', path, { headers: { 'idempotency-key': k } });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.signedAt).toBe(before.signedAt);
    expect(retry.body.timeline).toEqual(before.timeline);
  });

  it('gets the issued notice, not "a hazard is already in an open notice"; issued once', async () => {
    const hazard = await hazardWithPhoto();
    const k = `issue-${randomUUID()}`;
    const request = { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazard.id], title: '重试下达', requirements: '按期整改' }, headers: { 'idempotency-key': k } };
    const first = await sup('POST', '/api/notices', request);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await dieBeforeStoring(k);

    const retry = await sup('POST', '/api/notices', request);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    const listed = await sup('GET', `/api/notices?enterpriseId=${h.world.enterpriseA}&limit=200`);
    expect(listed.body.items.filter((n: { title: string }) => n.title === '重试下达')).toHaveLength(1);
  });

  it('gets the reopened hazard, not "only a closed hazard can be reopened"; reopened once', async () => {
    const id = await submitted();
    expect((await sup('POST', `/api/hazards/${id}/reviews`, { body: { decision: 'accept' } })).body.status).toBe('closed');
    const k = `reopen-${randomUUID()}`;
    const request = { body: { reason: '复查发现反弹', newDeadline: addDays(today(), 15) }, headers: { 'idempotency-key': k } };
    const first = await sup('POST', `/api/hazards/${id}/reopen`, request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await dieBeforeStoring(k);

    const retry = await sup('POST', `/api/hazards/${id}/reopen`, request);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({ id, status: 'rectifying', round: first.body.round });
    expect(count(await timeline(id), 'reopened')).toBe(1);
  });

  it('runs the command when the first attempt died before sending it, or released its key on a server error', async () => {
    for (const leaseUntil of [new Date(Date.now() - 1000), null]) {
      const id = await submitted();
      const k = `unsent-${randomUUID()}`;
      const body = { decision: 'accept' } as const;
      await strandedAttempt('supervisor-a', k, `/api/hazards/${id}/reviews`, body, leaseUntil);
      const retry = await sup('POST', `/api/hazards/${id}/reviews`, { body, headers: { 'idempotency-key': k } });
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(retry.body.status).toBe('closed');
      expect(count(await timeline(id), 'review_accepted')).toBe(1);
    }
  });
});

describe('a key whose holder is alive', () => {
  it('is not taken over while its lease runs: 409 with Retry-After; once the lease lapses, the retry runs', async () => {
    const id = await submitted();
    const k = `live-${randomUUID()}`;
    const body = { decision: 'accept' } as const;
    const path = `/api/hazards/${id}/reviews`;
    await strandedAttempt('supervisor-a', k, path, body, new Date(Date.now() + 60_000));
    const busy = await sup('POST', path, { body, headers: { 'idempotency-key': k } });
    expectProblem(busy, 409);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(busy.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(count(await timeline(id), 'review_accepted')).toBe(0);

    await h.database.db.update(idempotencyKeys).set({ leaseUntil: new Date(Date.now() - 1) }).where(eq(idempotencyKeys.key, k));
    const retry = await sup('POST', path, { body, headers: { 'idempotency-key': k } });
    expect(retry.status).toBe(200);
    expect(count(await timeline(id), 'review_accepted')).toBe(1);
  });

  it('is never taken over for another request: a stranded key with another body is refused (422)', async () => {
    const id = await submitted();
    const k = `other-${randomUUID()}`;
    await strandedAttempt('supervisor-a', k, `/api/hazards/${id}/reviews`, { decision: 'accept' });
    const res = await sup('POST', `/api/hazards/${id}/reviews`, {
      body: { decision: 'reject', reasons: ['不合格'], newDeadline: addDays(today(), 5) },
      headers: { 'idempotency-key': k },
    });
    expectProblem(res, 422);
    expect(count(await timeline(id), 'review_rejected')).toBe(0);
  });

  it('keeps its lease renewed while a request outlasts it, so no retry runs the command a second time', async () => {
    const http = await serve(createApp({ ...h.deps, idempotencyLeaseSeconds: 1 }));
    const lock = await h.database.pool.connect();
    try {
      const login = await http.request('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
      const admin: Requester = (method, path, opts = {}) => http.request(method, path, { token: login.body.token, ...opts });
      const name = `长请求-${randomUUID()}`;
      const request = { body: { name }, headers: { 'idempotency-key': `slow-${randomUUID()}` } };
      // Issuing a key appends to the administrative audit chain, which waits its turn on this lock.
      await lock.query('begin');
      await lock.query(`select pg_advisory_xact_lock(hashtext('duban.admin_events'))`);
      const first = admin('POST', '/api/api-keys', request);
      await new Promise((r) => setTimeout(r, 3500));
      expectProblem(await admin('POST', '/api/api-keys', request), 409);
      await lock.query('commit');
      expect((await first).status).toBe(201);
      expectProblem(await admin('POST', '/api/api-keys', request), 409);
      const issued = await h.database.pool.query('select count(*)::int as n from api_keys where name = $1', [name]);
      expect(issued.rows[0]).toEqual({ n: 1 });
    } finally {
      lock.release();
      await http.close();
    }
  });
});

describe('identical commands at once', () => {
  it('two keyed requests at the same moment take effect once', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await submitted();
      const k = `race-${randomUUID()}`;
      const body = { decision: 'accept', comment: `第${round}次` };
      const answers = await Promise.all([0, 1].map(() => sup('POST', `/api/hazards/${id}/reviews`, { body, headers: { 'idempotency-key': k } })));
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length, JSON.stringify(answers.map((a) => [a.status, a.body]))).toBeGreaterThanOrEqual(1);
      for (const a of answers) if (a.status !== 200) expectProblem(a, 409);
      expect(count(await timeline(id), 'review_accepted')).toBe(1);
    }
  });

  it('two retries taking over one stranded key at once: one runs, the other waits its turn; one effect', async () => {
    const id = await submitted();
    const k = `stranded-race-${randomUUID()}`;
    const body = { decision: 'accept' } as const;
    const path = `/api/hazards/${id}/reviews`;
    await strandedAttempt('supervisor-a', k, path, body);
    const answers = await Promise.all([0, 1].map(() => sup('POST', path, { body, headers: { 'idempotency-key': k } })));
    expect(answers.filter((a) => a.status === 200).length, JSON.stringify(answers.map((a) => [a.status, a.body]))).toBeGreaterThanOrEqual(1);
    for (const a of answers) if (a.status !== 200) expectProblem(a, 409);
    expect(count(await timeline(id), 'review_accepted')).toBe(1);
  });

  it('the same Update id sent twice at once (a slow holder and the retry that took over) reaches the workflow once', async () => {
    const id = await submitted();
    const command = { updateId: updateIdOf(h.world.users['supervisor-a'], `twice-${randomUUID()}`, 'f'.repeat(64)), resumed: true };
    const views = await Promise.all([0, 1].map(() => h.gateway.review(id, { decision: 'accept', by: 'supervisor-a' }, command)));
    expect(views.map((v) => v.status)).toEqual(['closed', 'closed']);
    expect(views[1]).toEqual(views[0]);
    expect(count(await timeline(id), 'review_accepted')).toBe(1);
  });
});
