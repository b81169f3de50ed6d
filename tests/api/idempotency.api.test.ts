/**
 * `Idempotency-Key` on POST, over HTTP against the dev server and real Postgres: a retry replays
 * the first answer and starts nothing new; a key reused for another request is refused; racing
 * duplicates never make two hazards; and one person's keys never answer for another.
 */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, idFromKey } from '../../api/middleware/idempotency';
import { hazards, idempotencyKeys } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PNG } from '../../scripts/sample-files';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester } from '../support/http';

let h: ApiHarness;
let supA: Requester;
let supB: Requester;
let entA: Requester;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('idempotency');
  supA = await h.as('supervisor-a');
  supB = await h.as('supervisor-b');
  entA = await h.as('enterprise-a');
});
afterAll(async () => h?.stop());

const body = (title: string, over: Record<string, unknown> = {}) => ({
  enterpriseId: h.world.enterpriseA,
  title,
  category: '电气安全',
  source: 'inspection',
  grade: 'general',
  deadline: addDays(today(), 20),
  ...over,
});
const key = () => `key-${randomUUID()}`;
const withKey = (k: string, b: unknown) => ({ body: b, headers: { 'idempotency-key': k } });

async function hazardsTitled(title: string): Promise<number> {
  const [row] = await h.database.db.select({ n: count() }).from(hazards).where(eq(hazards.title, title));
  return row!.n;
}
async function workflowsOf(id: string): Promise<number> {
  let n = 0;
  for await (const _ of h.env.client.workflow.list({ query: `WorkflowId = '${hazardWorkflowId(id)}'` })) n++;
  return n;
}
function expectProblem(res: HttpResponse, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.stringMatching(/^urn:duban:problem:/) });
}

describe('Idempotency-Key on registering a hazard', () => {
  it('replays the first answer for the same key and body, and registers once', async () => {
    const k = key();
    const title = `重复提交-${k}`;
    const first = await supA('POST', '/api/hazards', withKey(k, body(title)));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const id = first.body.id as string;

    // The same body with its keys in another order is the same request.
    const { deadline, ...rest } = body(title);
    for (const again of [body(title), { deadline, ...rest }]) {
      const replay = await supA('POST', '/api/hazards', withKey(k, again));
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.headers.get('location')).toBe(`/api/hazards/${id}`);
      expect(replay.headers.get('content-type')).toMatch(/^application\/json/);
      expect(replay.body).toEqual(first.body);
    }
    expect(await hazardsTitled(title)).toBe(1);
    await expect.poll(() => workflowsOf(id), { timeout: 10_000 }).toBe(1);
    // Still one, a moment later (visibility catches up; a second start would show by now).
    await new Promise((r) => setTimeout(r, 1000));
    expect(await workflowsOf(id)).toBe(1);
  });

  it('refuses the same key with another body or on another path (422), changing nothing', async () => {
    const k = key();
    const title = `换了内容-${k}`;
    const first = await supA('POST', '/api/hazards', withKey(k, body(title)));
    expect(first.status).toBe(201);
    const other = await supA('POST', '/api/hazards', withKey(k, body(`${title}-其他`)));
    expectProblem(other, 422);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expectProblem(await supA('POST', '/api/hazards', withKey(k, body(title, { grade: 'major' }))), 422);
    expectProblem(await supA('POST', `/api/hazards/${first.body.id}/reviews`, withKey(k, body(title))), 422);
    expect(await hazardsTitled(title)).toBe(1);
    expect(await hazardsTitled(`${title}-其他`)).toBe(0);
  });

  it('lets racing duplicates make exactly one hazard: one 201, the others 409 or a replay', async () => {
    for (let round = 0; round < 5; round++) {
      const k = key();
      const title = `并发-${round}-${k}`;
      const answers = await Promise.all([0, 1, 2].map(() => supA('POST', '/api/hazards', withKey(k, body(title)))));
      const fresh = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
      expect(fresh, JSON.stringify(answers.map((a) => [a.status, a.body]))).toHaveLength(1);
      const id = fresh[0]!.body.id as string;
      for (const a of answers) {
        if (a === fresh[0]) continue;
        if (a.status === 201) {
          expect(a.headers.get('idempotent-replayed')).toBe('true');
          expect(a.body.id).toBe(id);
        } else {
          expectProblem(a, 409);
        }
      }
      expect(await hazardsTitled(title)).toBe(1);
      // Once the first has finished, every retry replays it.
      const later = await supA('POST', '/api/hazards', withKey(k, body(title)));
      expect(later.status).toBe(201);
      expect(later.body.id).toBe(id);
      await expect.poll(() => workflowsOf(id), { timeout: 10_000 }).toBe(1);
    }
  });

  it("never replays one person's answer for another using the same key", async () => {
    const k = key();
    const title = `各自的键-${k}`;
    const a = await supA('POST', '/api/hazards', withKey(k, body(title)));
    expect(a.status).toBe(201);

    // supervisor-b, same key and body: processed afresh, and refused on its own merits (out of reach).
    const bSame = await supB('POST', '/api/hazards', withKey(k, body(title)));
    expectProblem(bSame, 422);
    expect(bSame.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(bSame.body)).not.toContain(a.body.id);
    expect(bSame.body.errors).toEqual([expect.objectContaining({ field: 'enterpriseId' })]);

    // supervisor-b, the same key for an enterprise within reach: a hazard of its own.
    const k2 = key();
    const a2 = await supA('POST', '/api/hazards', withKey(k2, body(`${title}-A`)));
    const b2 = await supB('POST', '/api/hazards', withKey(k2, body(`${title}-B`, { enterpriseId: h.world.enterpriseB })));
    expect([a2.status, b2.status]).toEqual([201, 201]);
    expect(b2.headers.get('idempotent-replayed')).toBeNull();
    expect(b2.body.id).not.toBe(a2.body.id);
    expect(b2.body).toMatchObject({ enterpriseId: h.world.enterpriseB, createdBy: 'supervisor-b', title: `${title}-B` });
    // Each one's retry replays its own answer.
    expect((await supB('POST', '/api/hazards', withKey(k2, body(`${title}-B`, { enterpriseId: h.world.enterpriseB })))).body.id).toBe(b2.body.id);
    expect((await supA('POST', '/api/hazards', withKey(k2, body(`${title}-A`)))).body.id).toBe(a2.body.id);

    // The enterprise using the same key is simply refused for its role, not answered with the 201.
    const e = await entA('POST', '/api/hazards', withKey(k, body(title)));
    expectProblem(e, 403);
    expect(JSON.stringify(e.body)).not.toContain(a.body.id);
    expect(await hazardsTitled(title)).toBe(1);
  });

  it('refuses a malformed key and ignores keys on reads', async () => {
    const title = `坏键-${randomUUID()}`;
    for (const bad of ['has space', 'x'.repeat(256), 'tab\there', 'é']) {
      expectProblem(await supA('POST', '/api/hazards', withKey(bad, body(title))), 400);
    }
    expect(await hazardsTitled(title)).toBe(0);
    const read = await supA('GET', '/api/hazards', { headers: { 'idempotency-key': 'k' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('Idempotency-Key on other commands', () => {
  async function hazardWithPhoto(): Promise<{ id: string; photo: string }> {
    const created = await supA('POST', '/api/hazards', { body: body(`提交-${randomUUID()}`) });
    expect(created.status).toBe(201);
    const up = await entA('POST', `/api/hazards/${created.body.id}/evidence`, { raw: evidenceForm([{ name: 'a.jpg', bytes: SAMPLE_JPEG }]) });
    expect(up.status).toBe(201);
    return { id: created.body.id, photo: up.body.items[0].id };
  }

  it('replays a submission instead of refusing the retry, and submits once', async () => {
    const { id, photo } = await hazardWithPhoto();
    const k = key();
    const submission = { evidence: [photo], note: '已整改' };
    const first = await entA('POST', `/api/hazards/${id}/submissions`, withKey(k, submission));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const replay = await entA('POST', `/api/hazards/${id}/submissions`, withKey(k, submission));
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // Without the key the same command is a second submission: refused (its files are frozen).
    expectProblem(await entA('POST', `/api/hazards/${id}/submissions`, { body: submission }), 422);
    const detail = await supA('GET', `/api/hazards/${id}`);
    expect(detail.body.timeline.filter((e: { type: string }) => e.type === 'rectification_submitted')).toHaveLength(1);
  });

  it('replays a review, and a refusal too', async () => {
    const { id, photo } = await hazardWithPhoto();
    const k = key();
    const early = await supA('POST', `/api/hazards/${id}/reviews`, withKey(k, { decision: 'accept' }));
    expectProblem(early, 409);
    const earlyAgain = await supA('POST', `/api/hazards/${id}/reviews`, withKey(k, { decision: 'accept' }));
    expectProblem(earlyAgain, 409);
    expect(earlyAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(earlyAgain.body).toEqual(early.body);

    await entA('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [photo] } });
    const k2 = key();
    const accepted = await supA('POST', `/api/hazards/${id}/reviews`, withKey(k2, { decision: 'accept', comment: '好' }));
    expect(accepted.body.status).toBe('closed');
    const again = await supA('POST', `/api/hazards/${id}/reviews`, withKey(k2, { decision: 'accept', comment: '好' }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(accepted.body);
  });

  it('does not replay one upload as the answer to a different upload under the same key', async () => {
    const { id } = await hazardWithPhoto();
    const k = key();
    const first = await entA('POST', `/api/hazards/${id}/evidence`, {
      raw: evidenceForm([{ name: 'one.png', bytes: SAMPLE_PNG }]),
      headers: { 'idempotency-key': k },
    });
    const second = await entA('POST', `/api/hazards/${id}/evidence`, {
      raw: evidenceForm([{ name: 'two.jpg', bytes: SAMPLE_JPEG }]),
      headers: { 'idempotency-key': k },
    });
    // An upload is fingerprinted by its files once read: the JPEG under the PNG's key is refused.
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expectProblem(second, 422);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    const listed = await entA('GET', `/api/hazards/${id}/evidence`);
    const names = listed.body.items.map((f: { originalName: string }) => f.originalName);
    expect(names).toEqual(['a.jpg', 'one.png']);
  });
});

describe('abandoned keys and malformed requests', () => {
  it('takes over a key left in progress by a process that died, at once (no live holder renews it)', async () => {
    const sup = await h.as('supervisor-a');
    const key = `abandoned-${Date.now()}`;
    const hazard = { enterpriseId: h.world.enterpriseA, title: '接管', category: '测试', source: 'inspection', grade: 'general', deadline: addDays(shanghaiDate(Date.now()), 10) };
    await h.database.db.insert(idempotencyKeys).values({
      userId: h.world.users['supervisor-a'],
      key,
      requestHash: fingerprint(h.deps.tokens.secret, 'POST', '/api/hazards', hazard),
      state: 'in_progress',
      holder: 'a process that died',
      leaseUntil: new Date(Date.now() - 1000),
    });
    const res = await sup('POST', '/api/hazards', { headers: { 'idempotency-key': key }, body: hazard });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toBe(idFromKey(h.world.users['supervisor-a'], key));
  });

  it('answers requests Node refuses itself (oversized headers) with problem+json', async () => {
    const res = await fetch(`${h.http.baseUrl}/api/health`, { headers: { 'x-big': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 431, title: 'Request headers too large' });
  });
});
