/**
 * A hazard's signed case file on real servers: the JSON twin holds the timeline with names, the
 * evidence manifest (SHA-256 of the bytes uploaded), decisions, instruments, the audit chains'
 * entries with hashes and the workflow's runs from Temporal; the PDF prints the same and is the
 * same bytes twice; `npm run casefile:verify` passes it and fails a tampered copy naming the entry.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../db/audit-key';
import { regions } from '../../db/schema';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';
import { pdfText } from '../support/pdf-text';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

let h: ApiHarness;
let supA: Requester;
let entA: Requester;
let hazardId: string;
let dir: string;
const today = () => shanghaiDate(Date.now());

beforeAll(async () => {
  h = await startApiHarness('case-file');
  dir = await mkdtemp(join(tmpdir(), 'duban-case-file-'));
  await h.database.db.update(regions).set({ agencyShortName: '甲县应急' }).where(eq(regions.id, h.world.a.county.id));
  [supA, entA] = await Promise.all([h.as('supervisor-a'), h.as('enterprise-a')]);
  const reg = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title: '液氨储罐压力表失效', category: '危险化学品', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '罐区' },
  });
  expect(reg.status).toBe(201);
  hazardId = reg.body.id;
  const notice = await supA('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardId], title: '督促更换压力表', requirements: '更换并校验压力表', deadline: addDays(today(), 10) } });
  expect(notice.status, JSON.stringify(notice.body)).toBe(201);
  expect((await entA('POST', `/api/notices/${notice.body.id}/sign`)).status).toBe(200);
  const up = await entA('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '新压力表.jpg', bytes: SAMPLE_JPEG }]) });
  expect(up.status).toBe(201);
  expect((await entA('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [up.body.items[0].id] } })).status).toBe(200);
  expect((await supA('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'accept', comment: '压力表已更换并校验' } })).status).toBe(200);
  // The closing reaches the notice by signal and both workflows then finish: wait until the story stops moving.
  let last = '';
  for (let i = 0; i < 100; i++) {
    const [n, f] = await Promise.all([supA('GET', `/api/notices/${notice.body.id}`), supA('GET', `/api/hazards/${hazardId}/case-file.json`)]);
    const done = n.body.status === 'closed' && f.body.workflow.runs.at(-1)?.status === 'COMPLETED';
    if (done && f.body.signature === last) return;
    last = done ? f.body.signature : '';
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the case never settled');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await h?.stop();
});

function verify(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/verify-case-file.ts', '--', path], { cwd: ROOT, env: { ...process.env, DATABASE_URL: h.database.url, AUDIT_HMAC_KEY: auditKey() }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function caseFile() {
  const res = await supA('GET', `/api/hazards/${hazardId}/case-file.json`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("a hazard's case file", () => {
  it('holds the whole story: timeline with names, evidence with SHA-256, decisions, instruments, audit entries, workflow runs', async () => {
    const file = await caseFile();
    expect(file.format).toBe('duban-case-file/1');
    expect(file.hazard).toMatchObject({ id: hazardId, title: '液氨储罐压力表失效', enterprise: { id: h.world.enterpriseA, name: '甲化工有限公司' } });
    const types = file.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['registered', 'notice_attached', 'rectification_submitted', 'review_accepted', 'issued', 'signed']));
    const accepted = file.timeline.find((e: { type: string }) => e.type === 'review_accepted');
    expect(accepted).toMatchObject({ actor: 'supervisor-a', actorName: 'supervisor-a', chain: `hazard:${hazardId}` });
    expect(file.evidence).toEqual([expect.objectContaining({ name: '新压力表.jpg', sha256: createHash('sha256').update(SAMPLE_JPEG).digest('hex'), round: 1 })]);
    expect(file.decisions.map((d: { kind: string }) => d.kind)).toContain('review_accepted');
    expect(file.decisions.find((d: { kind: string }) => d.kind === 'review_accepted')).toMatchObject({ title: '整改复查意见书' });
    // Each instrument is named as the document list (and so its printed page) names it.
    const listed = (await supA('GET', `/api/hazards/${hazardId}/documents`)).body.documents as Array<{ title: string; number: string | null }>;
    for (const i of file.instruments as Array<{ code: string; title: string }>) expect(listed.find((d) => d.number === i.code)?.title, i.code).toBe(i.title);
    const kinds = file.instruments.map((i: { kind: string }) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['rectification_order', 'review_opinion']));
    expect(file.instruments.every((i: { code: string }) => /^甲县应急〔\d{4}〕\d+号$/.test(i.code))).toBe(true);
    const chains = file.audit.map((c: { chain: string }) => c.chain.split(':')[0]);
    expect(chains).toEqual(['hazard', 'notice']);
    for (const c of file.audit) for (const e of c.entries) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(file.workflow.workflowId).toBe(`hazard-${hazardId}`);
    expect(file.workflow.runs.length).toBeGreaterThanOrEqual(1);
    expect(file.workflow.runs[0].runId).toMatch(/[0-9a-f-]{36}/);
    expect(file.workflow.events).toBe(file.workflow.runs.reduce((n: number, r: { events: number }) => n + r.events, 0));
    expect(file.workflow.events).toBeGreaterThan(5);
    expect(file.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints as a PDF holding the same, the same bytes twice, and refuses an enterprise and another county', async () => {
    const file = await caseFile();
    const get = () => fetch(`${h.http.baseUrl}/api/hazards/${hazardId}/case-file`, { headers: { authorization: `Bearer ${tokenOf}` } });
    const login = await h.http.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: 'correct horse battery staple' } });
    const tokenOf = login.body.token as string;
    const [a, b] = [await get(), await get()];
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/pdf');
    const [bytesA, bytesB] = [new Uint8Array(await a.arrayBuffer()), new Uint8Array(await b.arrayBuffer())];
    const hash = (x: Uint8Array) => createHash('sha256').update(x).digest('hex');
    expect(hash(bytesB)).toBe(hash(bytesA));
    expect(a.headers.get('etag')).toBe(`"sha256-${hash(bytesA)}"`);
    expect(a.headers.get('x-case-file-signature')).toBe(file.signature);
    const text = pdfText(bytesA);
    for (const part of ['隐患督办案卷', '液氨储罐压力表失效', '甲化工有限公司', '复查通过', file.evidence[0].sha256, file.audit[0].entries[0].hash, file.workflow.runs[0].runId, file.signature]) {
      expect(text).toContain(part);
    }
    // The decisions table names each decision by its title, as the JSON twin does, not by the step that recorded it.
    const decisions = text.slice(text.indexOf('三、决定'), text.indexOf('四、文书'));
    expect(file.decisions.length).toBeGreaterThan(0);
    for (const d of file.decisions as Array<{ kind: string; title: string }>) {
      expect(decisions).toContain(d.title);
      expect(decisions).not.toContain(d.kind);
    }
    expect(decisions).not.toContain('复查通过');
    expect((await entA('GET', `/api/hazards/${hazardId}/case-file.json`)).status).toBe(403);
    expect((await (await h.as('supervisor-b'))('GET', `/api/hazards/${hazardId}/case-file.json`)).status).toBe(404);
  });

  it('holds only the notices its reader may read: a notice to the township’s bureau stays out of the grid supervisor’s file', async () => {
    const grid = await h.as('grid-a');
    const reg = await supA('POST', '/api/hazards', {
      body: { enterpriseId: h.world.enterpriseA, title: '配电箱未接地', category: '电气安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '配电室' },
    });
    expect(reg.status).toBe(201);
    const notice = await supA('POST', '/api/notices', {
      body: { addressee: { regionId: h.world.a.township.id, department: '安监办' }, hazardIds: [reg.body.id], title: '督促乡镇落实接地整改', requirements: '组织排查接地' },
    });
    expect(notice.status, JSON.stringify(notice.body)).toBe(201);
    const chain = `notice:${notice.body.id}`;
    const chainsOf = (file: { audit: Array<{ chain: string }>; instruments: Array<{ subject: string }>; timeline: Array<{ chain: string }> }) => [
      ...file.audit.map((c) => c.chain),
      ...file.instruments.map((i) => i.subject),
      ...file.timeline.map((e) => e.chain),
    ];
    // The notice reaches the hazard by signal: wait until the hazard's own chain tells it was attached.
    const attachedIn = (file: { audit: Array<{ chain: string; entries: Array<{ content: { type: string } }> }> }) =>
      file.audit.find((c) => c.chain === `hazard:${reg.body.id}`)?.entries.find((e) => e.content.type === 'notice_attached');
    let inCounty = await supA('GET', `/api/hazards/${reg.body.id}/case-file.json`);
    for (let i = 0; i < 100 && !attachedIn(inCounty.body); i++) {
      await new Promise((r) => setTimeout(r, 200));
      inCounty = await supA('GET', `/api/hazards/${reg.body.id}/case-file.json`);
    }
    expect(inCounty.status).toBe(200);
    expect(chainsOf(inCounty.body)).toContain(chain);
    expect(attachedIn(inCounty.body)).toMatchObject({ content: { data: { noticeId: notice.body.id } } });
    // The grid's supervisor sees the hazard but not the township's notice, in its file as anywhere.
    expect((await grid('GET', `/api/notices/${notice.body.id}`)).status).toBe(404);
    const inGrid = await grid('GET', `/api/hazards/${reg.body.id}/case-file.json`);
    expect(inGrid.status).toBe(200);
    expect(chainsOf(inGrid.body)).not.toContain(chain);
    expect(inGrid.body.decisions.filter((d: { noticeId?: string }) => d.noticeId === notice.body.id)).toEqual([]);
    // Its hazard's own chain keeps the entry telling it was attached, withheld: checked by its hash, not naming the notice.
    expect(attachedIn(inGrid.body)).toMatchObject({ withheld: true, content: { type: 'notice_attached', data: {} } });
    expect(JSON.stringify(inGrid.body)).not.toContain(notice.body.id);
    const gridFile = join(dir, 'grid.json');
    await writeFile(gridFile, JSON.stringify(inGrid.body));
    const checked = await verify(gridFile);
    expect(checked.code, checked.stderr).toBe(0);
  });

  it('verifies against the database, and names the entry a tampered copy changed', async () => {
    const file = await caseFile();
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify(file));
    const ok = await verify(good);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^case file MATCHES the database: hazard /);

    const tampered = structuredClone(file);
    const entry = tampered.audit[0].entries[1];
    entry.content.actor = 'someone-else';
    const bad = join(dir, 'tampered.json');
    await writeFile(bad, JSON.stringify(tampered));
    const failed = await verify(bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^case file DOES NOT MATCH the database/);
    expect(failed.stderr).toContain(`hazard:${hazardId} #${entry.seq}: its content does not hash to the hash it carries`);
    expect(failed.stderr).toContain('signature: does not cover the file as it is');

    // Outside the chains too: a changed evidence fingerprint breaks the signature.
    const swapped = structuredClone(file);
    swapped.evidence[0].sha256 = '0'.repeat(64);
    const other = join(dir, 'swapped.json');
    await writeFile(other, JSON.stringify(swapped));
    const refused = await verify(other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('signature: does not cover the file as it is');
  });
});

describe('what a hazard’s trail tells of a notice its reader cannot open', () => {
  it('leaves a notice to the township’s bureau out of the enterprise’s trail and unnamed in the grid’s; another county sees neither', async () => {
    const [grid, supB] = await Promise.all([h.as('grid-a'), h.as('supervisor-b')]);
    const register = async (title: string) => {
      const reg = await supA('POST', '/api/hazards', {
        body: { enterpriseId: h.world.enterpriseA, title, category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '仓库' },
      });
      expect(reg.status).toBe(201);
      return reg.body.id as string;
    };
    // A hazard may be in one open notice at a time: one hazard in a notice to the enterprise, one in a notice to the township's bureau.
    const [ownHazard, insideHazard] = [await register('消防通道堵塞'), await register('疏散指示灯损坏')];
    const own = await supA('POST', '/api/notices', { body: { enterpriseId: h.world.enterpriseA, hazardIds: [ownHazard], title: '督促清理消防通道', requirements: '清理通道', deadline: addDays(today(), 10) } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const inside = await supA('POST', '/api/notices', {
      body: { addressee: { regionId: h.world.a.township.id, department: '安监办' }, hazardIds: [insideHazard], title: '督促乡镇落实疏散指示整改', requirements: '组织排查疏散指示' },
    });
    expect(inside.status, JSON.stringify(inside.body)).toBe(201);
    type Event = { type: string; data: Record<string, unknown> };
    const attached = async (as: Requester, id: string) => {
      const res = await as('GET', `/api/hazards/${id}`);
      expect(res.status).toBe(200);
      return { body: res.body, attached: (res.body.timeline as Event[]).filter((e) => e.type === 'notice_attached').map((e) => e.data) };
    };
    // Each notice reaches its hazard by signal: wait until the county's supervisor, who reads both notices, sees both attached.
    for (let i = 0; i < 100; i++) {
      const [a, b] = [await attached(supA, ownHazard), await attached(supA, insideHazard)];
      if (a.attached.length && b.attached.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await attached(supA, ownHazard)).attached).toEqual([{ noticeId: own.body.id }]);
    expect((await attached(supA, insideHazard)).attached).toEqual([{ noticeId: inside.body.id }]);
    const names = [inside.body.id, inside.body.code, inside.body.title] as string[];

    // The enterprise cannot open the township's notice, and its trail does not tell of it at all; its own notice it sees named.
    expect((await entA('GET', `/api/notices/${inside.body.id}`)).status).toBe(404);
    expect((await attached(entA, ownHazard)).attached).toEqual([{ noticeId: own.body.id }]);
    const ofEnterprise = await attached(entA, insideHazard);
    expect(ofEnterprise.attached).toEqual([]);
    for (const name of names) expect(JSON.stringify(ofEnterprise.body)).not.toContain(name);

    // The grid's supervisor cannot open it either: its trail keeps the fact, not which notice.
    expect((await grid('GET', `/api/notices/${inside.body.id}`)).status).toBe(404);
    expect((await attached(grid, ownHazard)).attached).toEqual([{ noticeId: own.body.id }]);
    const ofGrid = await attached(grid, insideHazard);
    expect(ofGrid.attached).toEqual([{}]);
    for (const name of names) expect(JSON.stringify(ofGrid.body)).not.toContain(name);

    // Another county's supervisor reaches neither the hazard nor the notice.
    expect((await supB('GET', `/api/hazards/${insideHazard}`)).status).toBe(404);
    expect((await supB('GET', `/api/notices/${inside.body.id}`)).status).toBe(404);
  });
});

it('names the PDF after a title whose 40th character is a CJK Extension B one, cut whole rather than answered 500', async () => {
  const title = `${'储'.repeat(39)}𠀀罐区管线腐蚀`;
  const reg = await supA('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title, category: '危险化学品', source: 'inspection', grade: 'general', deadline: addDays(today(), 20), location: '罐区' },
  });
  expect(reg.status).toBe(201);
  const token = (await h.http.request('POST', '/api/auth/login', { body: { username: 'supervisor-a', password: 'correct horse battery staple' } })).body.token as string;
  const res = await fetch(`${h.http.baseUrl}/api/hazards/${reg.body.id}/case-file`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`案卷-${'储'.repeat(39)}𠀀`)}.pdf`);
});
