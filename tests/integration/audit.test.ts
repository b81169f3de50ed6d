/**
 * The audit trail on real Postgres: a hazard's life through the API leaves intact hash chains;
 * the application's role cannot change or remove audit rows and a trigger stops even the owner;
 * and when a tamperer with full rights edits or deletes a row anyway, verification — over HTTP
 * and by `npm run audit:verify` — names the chain and the first broken link.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../db/audit-key';
import { sealLegacyChains } from '../../db/audit-legacy';
import { appendCaseEvent, caseEventContent } from '../../db/case-events';
import { appendHazardEvent, hazardEventContent } from '../../db/hazard-events';
import { adminEvents, auditHeads, auditLegacy, caseEvents, hazardEvents } from '../../db/schema';
import { GENESIS_HASH, headMac, linkHash, linkMac } from '../../domain/audit-chain';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG, SAMPLE_PDF } from '../../scripts/sample-files';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { Requester } from '../support/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

let h: ApiHarness;
let admin: Requester;
let sup: Requester;
let ent: Requester;
/** A hazard taken through its whole life (registered, submitted, rejected, submitted, accepted). */
let closedId: string;
/** A second hazard, just registered: a chain of one row. */
let openId: string;
const today = () => shanghaiDate(Date.now());

async function register(title: string): Promise<string> {
  const res = await sup('POST', '/api/hazards', {
    body: { enterpriseId: h.world.enterpriseA, title, category: '消防安全', source: 'inspection', grade: 'general', deadline: addDays(today(), 12) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
async function submit(id: string, bytes: Buffer, name: string) {
  const up = await ent('POST', `/api/hazards/${id}/evidence`, { raw: evidenceForm([{ name, bytes }]) });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const res = await ent('POST', `/api/hazards/${id}/submissions`, { body: { evidence: [up.body.items[0].id], note: '已整改' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  h = await startApiHarness('audit');
  admin = await h.as('admin');
  sup = await h.as('supervisor-a');
  ent = await h.as('enterprise-a');
  closedId = await register('消防栓被遮挡');
  await submit(closedId, SAMPLE_JPEG, 'after.jpg');
  const rejected = await sup('POST', `/api/hazards/${closedId}/reviews`, { body: { decision: 'reject', reasons: ['标识缺失'], newDeadline: addDays(today(), 5) } });
  expect(rejected.status).toBe(200);
  await submit(closedId, SAMPLE_PDF, 'report.pdf');
  const accepted = await sup('POST', `/api/hazards/${closedId}/reviews`, { body: { decision: 'accept', comment: '整改到位' } });
  expect(accepted.body.status).toBe('closed');
  openId = await register('安全出口指示灯损坏');
});
afterAll(async () => h?.stop());

/** Runs `npm run audit:verify`'s script against the test database. */
function verifyCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/verify-audit.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: h.database.url, AUDIT_HMAC_KEY: auditKey() }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The SQLSTATE a statement fails with (drizzle wraps the driver's error), or null if it succeeds. */
async function sqlState(run: () => Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const e = error as { code?: string; message: string; cause?: { code?: string; message: string } };
    const source = e.code ? e : (e.cause ?? e);
    return { code: source.code ?? '?', message: source.message };
  }
}

/** What a tamperer with the owner's rights does: switch the guards off, change rows, switch them on. */
async function tamper(table: 'hazard_events' | 'admin_events' | 'case_events' | 'audit_heads', change: () => Promise<unknown>) {
  const db = h.database.db;
  const triggers = table === 'audit_heads' ? ['audit_heads_append_only', 'audit_heads_forward_only'] : [`${table}_append_only`];
  for (const t of triggers) await db.execute(sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${t}`));
  try {
    await change();
  } finally {
    for (const t of triggers) await db.execute(sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${t}`));
  }
}

async function chainRows(hazardId: string) {
  return h.database.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazardId)).orderBy(asc(hazardEvents.chainSeq));
}
const verify = async () => {
  const res = await admin('GET', '/api/audit/verify');
  expect(res.status).toBe(200);
  return res.body as {
    ok: boolean;
    chainsChecked: number;
    rowsChecked: number;
    chains: Record<string, number>;
    firstBreak: { chain: string; seq: number; reason: string } | null;
  };
};

describe('the audit chains', () => {
  it('are intact after a hazard’s life through the API', async () => {
    const rows = await chainRows(closedId);
    expect(rows.map((r) => [r.chainSeq, r.type])).toEqual([
      [1, 'registered'],
      [2, 'rectification_submitted'],
      [3, 'review_rejected'],
      [4, 'rectification_submitted'],
      [5, 'review_accepted'],
    ]);
    const report = await verify();
    expect(report).toMatchObject({ ok: true, firstBreak: null, chainsChecked: 3 });
    const [adminRows] = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(adminEvents);
    expect(report.rowsChecked).toBe(5 + 1 + adminRows!.n);

    // One hazard's trail: its entries as stored, each linked to the one before, and who made them by name.
    const one = await admin('GET', `/api/hazards/${closedId}/audit`);
    expect(one.body).toMatchObject({ ok: true, rowsChecked: 5, firstBreak: null });
    const link = (e: { type: string; actor: string; prevHash: string; hash: string }) => [e.type, e.actor, e.prevHash, e.hash];
    expect(one.body.entries.map(link)).toEqual(rows.map(link));
    expect(one.body.entries.map((e: { seq: number; occurredAt: string }) => [e.seq, e.occurredAt])).toEqual(rows.map((r) => [r.chainSeq, r.occurredAt.toISOString()]));
    expect(one.body.entries[0]).toMatchObject({ prevHash: GENESIS_HASH, hashVersion: 2 });
    expect(one.body.people).toEqual({ 'supervisor-a': 'supervisor-a', 'enterprise-a': 'enterprise-a' });
    expect((await sup('GET', `/api/hazards/${closedId}/audit`)).body.ok).toBe(true);

    const cli = await verifyCli();
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/audit intact: 3 chains/);
  });

  it('are open to admins only for the full check', async () => {
    for (const user of ['supervisor-a', 'enterprise-a', 'leader-city'] as const) {
      const res = await (await h.as(user))('GET', '/api/audit/verify');
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await (await h.as('enterprise-a'))('GET', `/api/hazards/${closedId}/audit`)).status).toBe(403);
    expect((await (await h.as('supervisor-b'))('GET', `/api/hazards/${closedId}/audit`)).status).toBe(404);
  });
});

describe('append-only, enforced by the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of audit rows to the app role (permission denied, 42501)', async () => {
    const app = h.database.app;
    const [role] = (await app.execute<{ current_user: string }>(sql`select current_user`)).rows;
    expect(role!.current_user).toBe('duban_app');
    const attempts = [
      () => app.update(hazardEvents).set({ actor: 'mallory' }).where(eq(hazardEvents.hazardId, closedId)),
      () => app.delete(hazardEvents).where(and(eq(hazardEvents.hazardId, closedId), eq(hazardEvents.chainSeq, 3))),
      () => app.execute(sql`truncate hazard_events cascade`),
      () => app.update(adminEvents).set({ actor: 'mallory' }),
      () => app.delete(adminEvents).where(eq(adminEvents.chainSeq, 1)),
      () => app.execute(sql`truncate admin_events`),
    ];
    for (const attempt of attempts) {
      const refused = await sqlState(attempt);
      expect(refused?.code).toBe('42501');
      expect(refused?.message).toMatch(/permission denied/);
    }
    // Appending remains the app's to do, and reading.
    expect((await app.select().from(hazardEvents).where(eq(hazardEvents.hazardId, closedId))).length).toBe(5);
  });

  it('gives the application no way around the grants: its login cannot become the owner or drop the trigger', async () => {
    const app = h.database.app;
    const [who] = (await app.execute<{ session_user: string; superuser: string }>(sql`select session_user, current_setting('is_superuser') as superuser`)).rows;
    expect(who!.superuser).toBe('off');
    expect(who!.session_user).not.toBe('duban');
    const escape = await sqlState(() => app.execute(sql`set role duban`));
    expect(escape?.code).toBe('42501');
    const untrigger = await sqlState(() => app.execute(sql`alter table hazard_events disable trigger hazard_events_append_only`));
    expect(untrigger?.code).toBe('42501');
  });

  it('refuses UPDATE, DELETE and TRUNCATE even to the owner, by trigger', async () => {
    const db = h.database.db;
    const attempts = [
      () => db.update(hazardEvents).set({ actor: 'mallory' }).where(eq(hazardEvents.hazardId, closedId)),
      () => db.delete(hazardEvents).where(and(eq(hazardEvents.hazardId, closedId), eq(hazardEvents.chainSeq, 3))),
      () => db.execute(sql`truncate hazard_events cascade`),
      () => db.update(adminEvents).set({ actor: 'mallory' }),
      () => db.delete(adminEvents).where(eq(adminEvents.chainSeq, 1)),
      () => db.execute(sql`truncate admin_events`),
    ];
    for (const attempt of attempts) {
      const refused = await sqlState(attempt);
      expect(refused?.code).toBe('42501');
      expect(refused?.message).toMatch(/append-only/);
    }
    expect((await chainRows(closedId)).map((r) => r.actor)).not.toContain('mallory');
    expect((await verify()).ok).toBe(true);
  });
});

describe('tampering by someone with full rights is found', () => {
  it('names the chain and the row when a row is edited (content hash mismatch), over HTTP and on the command line', async () => {
    const before = await chainRows(closedId);
    const victim = before[2]!; // seq 3: the rejection
    await tamper('hazard_events', () => h.database.db.update(hazardEvents).set({ actor: 'someone-else' }).where(eq(hazardEvents.id, victim.id)));

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toEqual({ chain: `hazard:${closedId}`, seq: 3, reason: 'content hash mismatch' });
    const one = await admin('GET', `/api/hazards/${closedId}/audit`);
    expect(one.body).toMatchObject({ ok: false, rowsChecked: 5, firstBreak: { seq: 3, reason: 'content hash mismatch' } });
    // The trail still shows every entry, the edited one as it now reads.
    expect(one.body.entries.map((e: { seq: number; actor: string }) => [e.seq, e.actor])).toEqual([
      [1, 'supervisor-a'],
      [2, 'enterprise-a'],
      [3, 'someone-else'],
      [4, 'enterprise-a'],
      [5, 'supervisor-a'],
    ]);
    // The other hazard's chain is untouched.
    expect((await admin('GET', `/api/hazards/${openId}/audit`)).body.ok).toBe(true);

    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`audit BROKEN in chain hazard:${closedId} at row 3: content hash mismatch`);

    // Data edits are found just the same: the reasons of the rejection.
    await tamper('hazard_events', () =>
      h.database.db
        .update(hazardEvents)
        .set({ actor: victim.actor, data: { ...(victim.data as object), reasons: ['无'] } })
        .where(eq(hazardEvents.id, victim.id)),
    );
    expect((await verify()).firstBreak).toEqual({ chain: `hazard:${closedId}`, seq: 3, reason: 'content hash mismatch' });

    // Put back exactly as it was: the chain holds again.
    await tamper('hazard_events', () => h.database.db.update(hazardEvents).set({ actor: victim.actor, data: victim.data }).where(eq(hazardEvents.id, victim.id)));
    expect((await verify()).ok).toBe(true);
    expect((await verifyCli()).code).toBe(0);
  });

  it('finds an edited row whose own hash was recomputed, at the next link', async () => {
    const rows = await chainRows(closedId);
    const victim = rows[1]!; // seq 2
    // Even with the key, a recomputed row no longer fits the next link.
    const forged = { ...victim, actor: 'enterprise-forged' };
    const hash = linkMac(auditKey(), victim.prevHash, hazardEventContent(forged));
    await tamper('hazard_events', () => h.database.db.update(hazardEvents).set({ actor: forged.actor, hash }).where(eq(hazardEvents.id, victim.id)));
    expect((await verify()).firstBreak).toEqual({ chain: `hazard:${closedId}`, seq: 3, reason: 'previous hash mismatch' });
    await tamper('hazard_events', () => h.database.db.update(hazardEvents).set({ actor: victim.actor, hash: victim.hash }).where(eq(hazardEvents.id, victim.id)));
    expect((await verify()).ok).toBe(true);
  });

  it('names the gap when a middle row is deleted', async () => {
    const rows = await chainRows(closedId);
    const victim = rows[1]!; // seq 2: the first submission
    await tamper('hazard_events', () => h.database.db.delete(hazardEvents).where(eq(hazardEvents.id, victim.id)));

    const report = await verify();
    expect(report).toMatchObject({ ok: false, firstBreak: { chain: `hazard:${closedId}`, seq: 2, reason: 'sequence gap' } });
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`audit BROKEN in chain hazard:${closedId} at row 2: sequence gap`);

    // Renumbering the rest to close the gap does not help: the next link no longer fits.
    await tamper('hazard_events', async () => {
      for (const r of rows.slice(2)) {
        await h.database.db.update(hazardEvents).set({ chainSeq: r.chainSeq - 1 }).where(eq(hazardEvents.id, r.id));
      }
    });
    expect((await verify()).firstBreak).toMatchObject({ chain: `hazard:${closedId}`, seq: 2 });

    await tamper('hazard_events', async () => {
      for (const r of rows.slice(2).reverse()) await h.database.db.update(hazardEvents).set({ chainSeq: r.chainSeq }).where(eq(hazardEvents.id, r.id));
      await h.database.db.insert(hazardEvents).values(victim);
    });
    expect((await verify()).ok).toBe(true);
  });

  it('names the administrative chain when one of its rows is edited', async () => {
    const [victim] = await h.database.db.select().from(adminEvents).where(eq(adminEvents.chainSeq, 2));
    await tamper('admin_events', () => h.database.db.update(adminEvents).set({ data: { ...(victim!.data as object), role: 'admin' } }).where(eq(adminEvents.id, victim!.id)));
    expect((await verify()).firstBreak).toEqual({ chain: 'admin', seq: 2, reason: 'content hash mismatch' });
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('audit BROKEN in chain admin at row 2: content hash mismatch');
    await tamper('admin_events', () => h.database.db.update(adminEvents).set({ data: victim!.data }).where(eq(adminEvents.id, victim!.id)));
    expect((await verify()).ok).toBe(true);
  });
});

describe('every chain, anchored by its signed head', () => {
  let noticeId: string;
  let suspensionId: string;
  let inspectionId: string;

  beforeAll(async () => {
    const hazardForNotice = await register('配电箱门未关闭');
    const notice = await sup('POST', '/api/notices', {
      body: { enterpriseId: h.world.enterpriseA, hazardIds: [hazardForNotice], title: '督促整改', requirements: '立即整改' },
    });
    expect(notice.status, JSON.stringify(notice.body)).toBe(201);
    noticeId = notice.body.id;
    const suspension = await sup('POST', '/api/suspensions', {
      body: { enterpriseId: h.world.enterpriseA, documentNumber: '甲县应急停〔2026〕9号', reason: '重大事故隐患', scope: 'full', startsOn: today(), plannedEnd: addDays(today(), 30) },
    });
    expect(suspension.status, JSON.stringify(suspension.body)).toBe(201);
    suspensionId = suspension.body.id;
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const inspection = await sup('POST', '/api/inspections', {
      body: { enterpriseId: h.world.enterpriseA, location: '一号厂房', startedAt: ago(90), endedAt: ago(30), findings: [{ item: '安全出口畅通', result: 'pass' }] },
    });
    expect(inspection.status, JSON.stringify(inspection.body)).toBe(201);
    inspectionId = inspection.body.id;
  });

  const db = () => h.database.db;
  const caseRows = (caseType: 'notice' | 'suspension' | 'inspection', caseId: string) =>
    db()
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseType, caseType), eq(caseEvents.caseId, caseId)))
      .orderBy(asc(caseEvents.chainSeq));

  it('verifies clean data with notices, suspensions and inspections, and counts each kind of chain', async () => {
    const report = await verify();
    expect(report.ok, JSON.stringify(report.firstBreak)).toBe(true);
    expect(report.chains).toEqual({ admin: 1, hazard: 3, notice: 1, suspension: 1, inspection: 1 });
    expect(report.chainsChecked).toBe(7);
    const cli = await verifyCli();
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('audit intact: 7 chains (admin 1, hazard 3, notice 1, suspension 1, inspection 1)');
    expect(cli.stdout).toMatch(/checkpoint [0-9a-f]{64} \(7 heads\)/);
    // Each chain has its head, kept apart from its rows.
    const heads = (await db().select().from(auditHeads)).map((x) => x.chain);
    expect(heads).toHaveLength(7);
    expect(heads).toEqual(
      expect.arrayContaining(['admin', `hazard:${closedId}`, `hazard:${openId}`, `notice:${noticeId}`, `suspension:${suspensionId}`, `inspection:${inspectionId}`]),
    );
  });

  it('stays within reach over HTTP: a county admin checks its county’s chains only, without the administrative chain', async () => {
    const created = await admin('POST', '/api/users', {
      body: { username: 'admin-b', displayName: '乙县管理员', role: 'admin', regionId: h.world.b.county.id, password: 'correct horse battery staple' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const adminB = await h.as('admin-b' as never);
    const countyB = async () => (await adminB('GET', '/api/audit/verify')).body;
    expect(await countyB()).toMatchObject({ ok: true, chainsChecked: 0, chains: { admin: 0, hazard: 0, notice: 0, suspension: 0, inspection: 0 } });
    // A break in county A's notice is not county B's to see; the city's admin sees it.
    const last = (await caseRows('notice', noticeId)).at(-1)!;
    await tamper('case_events', () => db().delete(caseEvents).where(eq(caseEvents.id, last.id)));
    try {
      expect((await countyB()).ok).toBe(true);
      expect((await verify()).firstBreak).toMatchObject({ chain: `notice:${noticeId}` });
    } finally {
      await tamper('case_events', () => db().insert(caseEvents).values(last));
    }
    expect((await verify()).ok).toBe(true);
  });

  it('finds the last rows of each kind of chain deleted (truncation), naming the chain', async () => {
    const lastHazardRow = (await chainRows(closedId)).at(-1)!;
    const lastAdminRow = (await db().select().from(adminEvents).orderBy(asc(adminEvents.chainSeq))).at(-1)!;
    const cases = [
      ['notice', noticeId],
      ['suspension', suspensionId],
      ['inspection', inspectionId],
    ] as const;
    const victims: Array<{ chain: string; seq: number; remove: () => Promise<unknown>; restore: () => Promise<unknown>; table: 'hazard_events' | 'admin_events' | 'case_events' }> = [
      {
        chain: `hazard:${closedId}`,
        seq: lastHazardRow.chainSeq,
        table: 'hazard_events',
        remove: () => db().delete(hazardEvents).where(eq(hazardEvents.id, lastHazardRow.id)),
        restore: () => db().insert(hazardEvents).values(lastHazardRow),
      },
      {
        chain: 'admin',
        seq: lastAdminRow.chainSeq,
        table: 'admin_events',
        remove: () => db().delete(adminEvents).where(eq(adminEvents.id, lastAdminRow.id)),
        restore: () => db().insert(adminEvents).values(lastAdminRow),
      },
    ];
    for (const [caseType, caseId] of cases) {
      const last = (await caseRows(caseType, caseId)).at(-1)!;
      victims.push({
        chain: `${caseType}:${caseId}`,
        seq: last.chainSeq,
        table: 'case_events',
        remove: () => db().delete(caseEvents).where(eq(caseEvents.id, last.id)),
        restore: () => db().insert(caseEvents).values(last),
      });
    }
    for (const v of victims) {
      await tamper(v.table, v.remove);
      const report = await verify();
      expect(report.firstBreak, v.chain).toEqual({ chain: v.chain, seq: v.seq, reason: 'rows missing before the anchored head' });
      const cli = await verifyCli();
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`audit BROKEN in chain ${v.chain} at row ${v.seq}: rows missing before the anchored head`);
      await tamper(v.table, v.restore);
      expect((await verify()).ok, v.chain).toBe(true);
    }
  });

  it('finds rows and head deleted together: a chain with rows and no head, an existing record with no chain at all', async () => {
    const rows = await chainRows(closedId);
    const chain = `hazard:${closedId}`;
    const [head] = await db().select().from(auditHeads).where(eq(auditHeads.chain, chain));
    await tamper('hazard_events', () => db().delete(hazardEvents).where(eq(hazardEvents.id, rows.at(-1)!.id)));
    await tamper('audit_heads', () => db().delete(auditHeads).where(eq(auditHeads.chain, chain)));
    expect((await verify()).firstBreak).toEqual({ chain, seq: rows.length - 1, reason: 'head anchor missing' });
    await tamper('hazard_events', () => db().insert(hazardEvents).values(rows.at(-1)!));
    await db().insert(auditHeads).values(head!);
    expect((await verify()).ok).toBe(true);

    const cases = await caseRows('suspension', suspensionId);
    const [caseHead] = await db().select().from(auditHeads).where(eq(auditHeads.chain, `suspension:${suspensionId}`));
    await tamper('case_events', () => db().delete(caseEvents).where(and(eq(caseEvents.caseType, 'suspension'), eq(caseEvents.caseId, suspensionId))));
    await tamper('audit_heads', () => db().delete(auditHeads).where(eq(auditHeads.chain, caseHead!.chain)));
    expect((await verify()).firstBreak).toEqual({ chain: caseHead!.chain, seq: 1, reason: 'chain missing for an existing record' });
    const cli = await verifyCli();
    expect(cli.stderr).toContain(`audit BROKEN in chain ${caseHead!.chain} at row 1: chain missing for an existing record`);

    await tamper('case_events', () => db().insert(caseEvents).values(cases));
    await db().insert(auditHeads).values(caseHead!);
    expect((await verify()).ok).toBe(true);
  });

  it('refuses the service login a forged append: an unkeyed hash, a hash under the wrong key, or a head it signs itself', async () => {
    const app = h.database.app;
    const rows = await caseRows('notice', noticeId);
    const last = rows.at(-1)!;
    const forged = {
      caseType: 'notice' as const,
      caseId: noticeId,
      chainSeq: last.chainSeq + 1,
      stepKey: 'forged',
      type: 'notice_closed',
      actor: 'mallory',
      occurredAt: new Date(),
      data: {},
      prevHash: last.hash,
    };
    const content = caseEventContent(forged);
    const attempts = [
      { hash: linkHash(last.hash, content), hashVersion: 1, reason: 'unkeyed hash on a row written after the audit key' },
      { hash: linkHash(last.hash, content), hashVersion: 2, reason: 'content hash mismatch' },
      { hash: linkMac('a-key-that-is-not-the-audit-key-000000', last.hash, content), hashVersion: 2, reason: 'content hash mismatch' },
    ];
    for (const a of attempts) {
      const [row] = await app.insert(caseEvents).values({ ...forged, hash: a.hash, hashVersion: a.hashVersion }).returning();
      const report = await verify();
      expect(report.firstBreak).toEqual({ chain: `notice:${noticeId}`, seq: forged.chainSeq, reason: a.reason });
      await tamper('case_events', () => db().delete(caseEvents).where(eq(caseEvents.id, row!.id)));
      expect((await verify()).firstBreak).toBeNull();
    }

    // The head can only move forward for the app, and one it signs without the key is found.
    const chain = `notice:${noticeId}`;
    const [head] = await db().select().from(auditHeads).where(eq(auditHeads.chain, chain));
    const back = await sqlState(() => app.update(auditHeads).set({ seq: head!.seq - 1 }).where(eq(auditHeads.chain, chain)));
    expect(back?.code).toBe('42501');
    expect((await sqlState(() => app.delete(auditHeads).where(eq(auditHeads.chain, chain))))?.code).toBe('42501');
    const [row] = await app
      .insert(caseEvents)
      .values({ ...forged, hash: linkMac('a-key-that-is-not-the-audit-key-000000', last.hash, content), hashVersion: 2 })
      .returning();
    await app
      .update(auditHeads)
      .set({ seq: forged.chainSeq, hash: row!.hash, mac: headMac('a-key-that-is-not-the-audit-key-000000', chain, forged.chainSeq, row!.hash) })
      .where(eq(auditHeads.chain, chain));
    expect((await verify()).firstBreak).toEqual({ chain, seq: forged.chainSeq, reason: 'content hash mismatch' });
    await tamper('case_events', () => db().delete(caseEvents).where(eq(caseEvents.id, row!.id)));
    expect((await verify()).firstBreak).toEqual({ chain, seq: forged.chainSeq, reason: 'head anchor forged' });
    await tamper('audit_heads', () => db().update(auditHeads).set(head!).where(eq(auditHeads.chain, chain)));
    expect((await verify()).ok).toBe(true);
  });

  it('finds a rollback of rows and head together only against a checkpoint kept outside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-checkpoint-'));
    try {
      const file = join(dir, 'checkpoint.json');
      expect((await verifyCli('--checkpoint', file)).code).toBe(0);
      // The owner with a saved earlier head: drop the last row of a chain and put the old head back.
      const rows = await chainRows(openId);
      const [head] = await db().select().from(auditHeads).where(eq(auditHeads.chain, `hazard:${openId}`));
      // One more event, appended as the hazard workflow's activity appends (as the service login).
      await h.database.app.transaction((tx) =>
        appendHazardEvent(tx, { hazardId: openId, stepKey: 'test-note', type: 'note', actor: 'supervisor-a', occurredAt: Date.now(), data: {} }),
      );
      const grown = await chainRows(openId);
      expect(grown.length).toBe(rows.length + 1);
      expect((await verifyCli('--checkpoint', file)).code).toBe(0);
      await tamper('hazard_events', () => db().delete(hazardEvents).where(eq(hazardEvents.id, grown.at(-1)!.id)));
      await tamper('audit_heads', () => db().update(auditHeads).set(head!).where(eq(auditHeads.chain, `hazard:${openId}`)));
      // Consistent in itself: the chains verify…
      expect((await verify()).ok).toBe(true);
      // …but not against the checkpoint kept before the rollback.
      const cli = await verifyCli('--against', file);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`audit ROLLED BACK in chain hazard:${openId}: row ${grown.length}`);
      // A tampered checkpoint file is refused rather than trusted.
      const kept = JSON.parse(await readFile(file, 'utf8'));
      kept.heads[0].seq += 1;
      await writeFile(file, JSON.stringify(kept));
      expect((await verifyCli('--against', file)).stderr).toContain('does not match its own digest');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('chains from before the audit key', () => {
  it('verify with their unkeyed hashes once sealed, take keyed rows after them, and accept no unkeyed row past the bound', async () => {
    const db = h.database.db;
    const caseId = randomUUID();
    // As the table held them before the key: unkeyed (version 1), no head.
    let prev = GENESIS_HASH;
    const legacy = [];
    for (const [i, type] of ['created', 'finding_to_hazard'].entries()) {
      const row = { caseType: 'inspection' as const, caseId, chainSeq: i + 1, stepKey: `step-${i + 1}`, type, actor: 'inspector', occurredAt: new Date(Date.UTC(2025, 5, 1 + i)), data: { n: i } };
      const hash = linkHash(prev, caseEventContent(row));
      legacy.push({ ...row, prevHash: prev, hash, hashVersion: 1 });
      prev = hash;
    }
    const inserted = await db.insert(caseEvents).values(legacy).returning({ id: caseEvents.id });
    const bound = Math.max(...inserted.map((r) => r.id));
    // What the migration records: rows up to here came before the key; the old chains are not sealed yet.
    await db.update(auditLegacy).set({ caseEventsMaxId: bound, sealedAt: null });
    expect((await verify()).firstBreak).toBeNull(); // out of every admin's reach: no inspection record
    expect((await verifyCli()).stderr).toContain(`audit BROKEN in chain inspection:${caseId} at row 2: head anchor missing`);

    expect(await sealLegacyChains(db)).toBe(1);
    expect((await verifyCli()).code).toBe(0);
    // Sealing happens once: a chain of unkeyed rows turning up later is never signed.
    expect(await sealLegacyChains(db)).toBe(0);

    // New events continue the old chain, keyed.
    await h.database.app.transaction((tx) =>
      appendCaseEvent(tx, { caseType: 'inspection', caseId, stepKey: 'step-3', type: 'note', actor: 'inspector', occurredAt: Date.now(), data: {} }),
    );
    const rows = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.chainSeq));
    expect(rows.map((r) => r.hashVersion)).toEqual([1, 1, 2]);
    expect((await verifyCli()).code).toBe(0);

    // An unkeyed row written now (by the service login) is refused, its hash correct or not.
    const last = rows.at(-1)!;
    const forged = { caseType: 'inspection' as const, caseId, chainSeq: 4, stepKey: 'step-4', type: 'note', actor: 'mallory', occurredAt: new Date(), data: {} };
    const [row] = await h.database.app.insert(caseEvents).values({ ...forged, prevHash: last.hash, hash: linkHash(last.hash, caseEventContent(forged)), hashVersion: 1 }).returning();
    expect((await verifyCli()).stderr).toContain(`audit BROKEN in chain inspection:${caseId} at row 4: unkeyed hash on a row written after the audit key`);
    await tamper('case_events', () => db.delete(caseEvents).where(eq(caseEvents.id, row!.id)));
    // An edited unkeyed row is found like any other.
    await tamper('case_events', () => db.update(caseEvents).set({ actor: 'someone-else' }).where(eq(caseEvents.id, rows[0]!.id)));
    expect((await verifyCli()).stderr).toContain(`audit BROKEN in chain inspection:${caseId} at row 1: content hash mismatch`);
    await tamper('case_events', () => db.update(caseEvents).set({ actor: rows[0]!.actor }).where(eq(caseEvents.id, rows[0]!.id)));
    expect((await verifyCli()).code).toBe(0);
  });
});
