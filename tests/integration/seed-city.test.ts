/**
 * The city seed on real Postgres, at a tiny size (2 counties, 200 enterprises, 3,000 hazards):
 * the directory has every level and role, every hazard sits where its enterprise sits and reads
 * as the workflows write it, the states come in realistic shares, the campaign's stock is there,
 * repeats point to an earlier closure of the same enterprise and category and are a small share, each decided review
 * and extension has its numbered instrument, a second run is a no-op, the same arguments make the same city, and `npm run audit:verify` finds every chain intact.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazardJson } from '../../api/hazard-json';
import { verifyPassword } from '../../auth/passwords';
import type { Principal } from '../../auth/principal';
import { auditKey } from '../../db/audit-key';
import { findHazard } from '../../db/hazard-queries';
import { dueInstant, shanghaiDate } from '../../domain/shanghai-time';
import { formatInstrumentNumber } from '../../domain/instrument-number';
import { hazardWorkflowId } from '../../workflows/hazard.messages';
import { isCreditCode } from '../../scripts/seed-city-directory';
import { DEMO_PASSWORD } from '../../scripts/seed-demo';
import { seedCity, type SeedCityOptions, type SeedCityResult } from '../../scripts/seed-city';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FigureReader } from '../../db/figures/answers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

const AS_OF = new Date('2026-11-20T03:00:00Z');
const tiny = (url: string): SeedCityOptions => ({
  url,
  seed: 3,
  hazards: 3_000,
  sizes: { counties: 2, townships: 6, grids: 20, enterprises: 200 },
  asOf: AS_OF,
  batch: 700,
  progress: null,
  log: () => undefined,
});

let db: TestDatabase;
let first: SeedCityResult;

const rows = async <T>(query: ReturnType<typeof sql>) => (await db.db.execute(query)).rows as T[];
const one = async <T>(query: ReturnType<typeof sql>) => (await rows<T>(query))[0]!;

beforeAll(async () => {
  db = await createTestDatabase();
  first = await seedCity(tiny(db.url));
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

describe('the directory', () => {
  it('has one city, its counties, townships and grids, each path the chain of ids above it', async () => {
    const levels = await rows<{ level: string; n: number }>(sql`select level, count(*)::int as n from regions where id like 'city3%' group by level`);
    expect(Object.fromEntries(levels.map((l) => [l.level, l.n]))).toEqual({ city: 1, county: 2, township: 6, grid: 20 });
    const broken = await one<{ n: number }>(sql`
      select count(*)::int as n from regions r left join regions p on p.id = r.parent_id
      where r.id like 'city3%' and r.path <> coalesce(p.path, '/') || r.id || '/'`);
    expect(broken.n).toBe(0);
    const agencies = await one<{ n: number }>(sql`select count(*)::int as n from regions where id like 'city3%' and level in ('city', 'county') and agency_short_name like '%应急'`);
    expect(agencies.n).toBe(3);
  });

  it('has the enterprises with valid, unique credit codes, each with a 包联 leader of its county or township', async () => {
    const enterprises = await rows<{ credit_code: string; region_path: string; leader_role: string; leader_path: string; leader_level: string; grid_path: string }>(sql`
      select e.credit_code, e.region_path, u.role as leader_role, lr.path as leader_path, lr.level as leader_level, g.path as grid_path
      from enterprises e join users u on u.id = e.responsible_leader_id join regions lr on lr.id = u.region_id join regions g on g.id = e.region_id
      where e.region_path like '/city3/%'`);
    expect(enterprises).toHaveLength(200);
    expect(new Set(enterprises.map((e) => e.credit_code)).size).toBe(200);
    for (const e of enterprises) {
      expect(isCreditCode(e.credit_code), e.credit_code).toBe(true);
      expect(e.region_path).toBe(e.grid_path);
      expect(e.leader_role).toBe('leader');
      expect(['county', 'township']).toContain(e.leader_level);
      expect(e.region_path.startsWith(e.leader_path)).toBe(true);
    }
  });

  it('has people of every role, enterprise users for a share of the enterprises, and passwords only for the demo log-ins', async () => {
    const roles = await rows<{ role: string; n: number; with_password: number }>(sql`
      select role, count(*)::int as n, count(password_hash)::int as with_password from users where username like 'city3-%' group by role`);
    const byRole = Object.fromEntries(roles.map((r) => [r.role, r]));
    expect(Object.keys(byRole).sort()).toEqual(['admin', 'enterprise', 'leader', 'supervisor']);
    expect(byRole.enterprise!.n).toBeGreaterThan(80);
    expect(byRole.enterprise!.n).toBeLessThan(160);
    expect(byRole.supervisor!.n).toBeGreaterThanOrEqual(20 + 6 * 2 + 2 * 4);
    const withPassword = roles.reduce((a, r) => a + r.with_password, 0);
    expect(withPassword).toBe(first.demoLogins.length);
    expect(first.demoLogins.map((u) => u.role).sort()).toEqual(expect.arrayContaining(['admin', 'enterprise', 'leader', 'supervisor']));
  });
});

describe('the demo log-ins', () => {
  it('take the demo password, hashed as the demo seed hashes it', async () => {
    const demo = await rows<{ username: string; password_hash: string }>(sql`select username, password_hash from users where password_hash is not null and username like 'city3-%'`);
    expect(demo.map((u) => u.username).sort()).toEqual(first.demoLogins.map((u) => u.username).sort());
    for (const u of demo) expect(await verifyPassword(u.password_hash, DEMO_PASSWORD)).toBe(true);
  });
});

describe('the posts', () => {
  it('are held by the people the rules name: a section chief and county leaders in every county, a grid worker in every grid, on the trail', async () => {
    const held = await rows<{ level: string; post: string; n: number }>(sql`
      select r.level, p.post, count(*)::int as n from user_posts p join users u on u.id = p.user_id join regions r on r.id = u.region_id
      where u.username like 'city3-%' group by r.level, p.post`);
    const count = (level: string, post: string) => held.find((x) => x.level === level && x.post === post)?.n ?? 0;
    const [regionCounts] = await rows<{ counties: number; grids: number }>(sql`
      select count(*) filter (where level = 'county')::int as counties, count(*) filter (where level = 'grid')::int as grids from regions where id like 'city3%'`);
    expect(count('county', 'section_chief')).toBe(regionCounts!.counties);
    expect(count('county', 'county_leader')).toBe(2 * regionCounts!.counties);
    expect(count('grid', 'grid_worker')).toBe(regionCounts!.grids);
    expect(count('city', 'city_leader')).toBe(2);
    expect(count('grid', 'safety_officer')).toBeGreaterThan(0);
    const [trail] = await rows<{ n: number }>(sql`select count(*)::int as n from admin_events where action = 'user.post_set'`);
    expect(trail!.n).toBeGreaterThanOrEqual(held.reduce((a, x) => a + x.n, 0));
  });
});

describe('the hazards', () => {
  it('read through the API’s own query and answer shape, within a leader’s reach', async () => {
    const [leader] = await rows<{ id: string; region_id: string; path: string }>(sql`select u.id, u.region_id, r.path from users u join regions r on r.id = u.region_id where u.username = 'city3-leader'`);
    const principal: Principal = { userId: leader!.id, username: 'city3-leader', kind: 'person', role: 'leader', regionId: leader!.region_id, regionPath: leader!.path, enterpriseId: null, via: 'token' };
    const sample = await rows<{ id: string; status: string }>(sql`select distinct on (status) id, status from hazards order by status, id`);
    expect(sample.map((h) => h.status).sort()).toEqual(['closed', 'rectifying', 'under_review', 'void']);
    for (const { id, status } of sample) {
      const row = await findHazard(db.db, principal, id);
      const json = hazardJson(row!, AS_OF.getTime());
      expect(json.status).toBe(status);
      expect(json.overdue).toBe(status === 'rectifying' && new Date(json.dueAt).getTime() <= AS_OF.getTime());
      expect(json.extension.limits.maxCount).toBeGreaterThan(0);
      if (status === 'closed') expect(json.closedAt).not.toBeNull();
      if (status === 'void') expect(json.voided).toMatchObject({ kind: expect.stringMatching(/misreport|exempt/) });
    }
  });

  it('sit where their enterprises sit and read as the workflows write them', async () => {
    const hazards = await rows<{ id: string; workflow_id: string; deadline: string; due_at: string; created_at: string; path_matches: boolean; creator_role: string | null; assigned_supervisor: string; created_by: string; projection_seq: number; events: number }>(sql`
      select h.id, h.workflow_id, h.deadline, h.due_at, h.created_at, h.region_path = e.region_path as path_matches, u.role as creator_role,
             h.assigned_supervisor, h.created_by, h.projection_seq, (select count(*)::int from hazard_events v where v.hazard_id = h.id) as events
      from hazards h join enterprises e on e.id = h.enterprise_id left join users u on u.username = h.created_by`);
    expect(hazards).toHaveLength(3_000);
    for (const h of hazards) {
      expect(h.path_matches).toBe(true);
      expect(h.workflow_id).toBe(hazardWorkflowId(h.id));
      expect(new Date(h.due_at).getTime()).toBe(dueInstant(h.deadline));
      expect(h.deadline >= shanghaiDate(new Date(h.created_at).getTime())).toBe(true);
      expect(new Date(h.created_at).getTime()).toBeLessThanOrEqual(AS_OF.getTime());
      expect(h.creator_role).toBe('supervisor');
      expect(h.assigned_supervisor).toBe(h.created_by);
      // Every record the workflow made advanced the read model by one.
      expect(h.projection_seq).toBeGreaterThanOrEqual(h.events);
    }
  });

  it('come in every state in realistic shares', async () => {
    const f = await one<Record<string, number>>(sql`
      select count(*)::int as total,
             count(*) filter (where status = 'closed')::int as closed,
             count(*) filter (where status in ('rectifying', 'under_review'))::int as open,
             count(*) filter (where status = 'under_review')::int as under_review,
             count(*) filter (where status = 'rectifying' and due_at <= ${AS_OF})::int as overdue,
             count(*) filter (where status = 'void')::int as void,
             count(*) filter (where escalation_level between 1 and 4)::int as escalated,
             count(*) filter (where extensions_granted > 0)::int as extended,
             count(*) filter (where round > 1)::int as rejected,
             count(*) filter (where grade = 'major')::int as major,
             count(*) filter (where grade = 'major' and listing_level is not null)::int as listed,
             count(*) filter (where status = 'closed' and closed_at is not null and submitted_at <= closed_at)::int as closed_well,
             count(*) filter (where status = 'rectifying' and overdue_since is not null and due_at > ${AS_OF})::int as overdue_wrongly
      from hazards`);
    expect(f.closed! / f.total!).toBeGreaterThan(0.85);
    expect(f.open! / f.total!).toBeGreaterThan(0.02);
    expect(f.open! / f.total!).toBeLessThan(0.12);
    expect(f.under_review).toBeGreaterThan(0);
    expect(f.overdue! / f.open!).toBeGreaterThan(0.03);
    expect(f.overdue! / f.open!).toBeLessThan(0.25);
    expect(f.void).toBeGreaterThan(0);
    expect(f.void! / f.total!).toBeLessThan(0.02);
    expect(f.escalated).toBeGreaterThan(0);
    expect(f.extended).toBeGreaterThan(0);
    expect(f.rejected).toBeGreaterThan(0);
    expect(f.major! / f.total!).toBeGreaterThan(0.015);
    expect(f.major! / f.total!).toBeLessThan(0.06);
    expect(f.listed).toBe(f.major);
    expect(f.closed_well).toBe(f.closed);
    expect(f.overdue_wrongly).toBe(0);
  });

  it('include a stock cohort: found before the campaign cut-off and still open at it', async () => {
    const campaign = await one<{ name: string; cutoff: string; region_path: string }>(sql`select name, cutoff, region_path from campaigns where region_path = '/city3/'`);
    expect(campaign.name).toMatch(/^\d{4}年隐患清零专项行动$/);
    const cutoff = new Date(`${campaign.cutoff}T00:00:00+08:00`);
    const stock = await one<{ n: number; open_now: number }>(sql`
      select count(*)::int as n, count(*) filter (where status in ('rectifying', 'under_review'))::int as open_now from hazards
      where created_at < ${cutoff} and status <> 'void' and (closed_at is null or closed_at >= ${cutoff})`);
    expect(stock.n).toBeGreaterThan(20);
    expect(stock.open_now).toBeLessThan(stock.n);
  });

  it('repeat an earlier closure of the same enterprise and category when they repeat', async () => {
    const repeats = await rows<{ same: boolean; closed_before: boolean }>(sql`
      select r.enterprise_id = o.enterprise_id and r.category = o.category as same, o.status = 'closed' and o.closed_at <= r.created_at as closed_before
      from hazards r join hazards o on o.id = r.repeat_of`);
    expect(repeats.length).toBeGreaterThan(50);
    expect(repeats.every((r) => r.same && r.closed_before)).toBe(true);
  });

  it('repeat in a realistic share: a closed hazard mostly stays fixed, so only some 5–15% of the hazards found are repeats', async () => {
    const f = await one<{ total: number; repeats: number }>(sql`select count(*)::int as total, count(repeat_of)::int as repeats from hazards`);
    expect(f.repeats / f.total).toBeGreaterThan(0.04);
    expect(f.repeats / f.total).toBeLessThan(0.15);
  });
});

describe('the leaders\' figures', () => {
  it('are rebuilt from the seeded rows: each county\'s open and overdue equal a count of its hazards', async () => {
    const reader = new FigureReader(db.db, AS_OF.getTime());
    const counties = await rows<{ id: string; name: string; level: string; path: string }>(sql`select id, name, level, path from regions where level = 'county'`);
    const today = shanghaiDate(AS_OF.getTime());
    for (const county of counties) {
      const counted = await one<{ open: number; overdue: number }>(sql`
        select count(*) filter (where status in ('rectifying', 'under_review'))::int as open,
               count(*) filter (where status = 'rectifying' and deadline < ${today}::date)::int as overdue
        from hazards where region_path like ${`${county.path}%`}`);
      const o = await reader.overview({ node: county }, 'month');
      expect([county.id, o.open.value, o.overdue.value]).toEqual([county.id, counted.open, counted.overdue]);
      expect(o.open.value).toBeGreaterThan(0);
    }
  });
});

describe('the instruments of reviews and extension decisions', () => {
  it('number each decided review and extension once, per agency and year from 1 without gaps in the order decided, the counters left at the last', async () => {
    const decided = await one<{ events: number; linked: number; once: number }>(sql`
      select count(*)::int as events, count(hi.instrument_id)::int as linked, count(distinct hi.instrument_id)::int as once
      from hazard_events e left join hazard_instruments hi on hi.hazard_id = e.hazard_id and hi.step_key = e.step_key
      where e.type in ('review_accepted', 'review_rejected', 'extension_approved', 'extension_denied')`);
    expect(decided.events).toBeGreaterThan(1_000);
    expect([decided.linked, decided.once]).toEqual([decided.events, decided.events]);
    const issued = await rows<{ agency: string; year: number; number: number; code: string; kind: string; type: string; occurred_at: string; issued_at: string; actor: string; issued_by: string }>(sql`
      select i.agency, i.year, i.number, i.code, i.kind, e.type, e.occurred_at, i.issued_at, e.actor, i.issued_by
      from instruments i join hazard_instruments hi on hi.instrument_id = i.id join hazard_events e on e.hazard_id = hi.hazard_id and e.step_key = hi.step_key
      order by i.agency, i.year, i.number`);
    expect(issued).toHaveLength(decided.events);
    const runs = new Map<string, typeof issued>();
    for (const i of issued) runs.set(`${i.agency}|${i.year}`, [...(runs.get(`${i.agency}|${i.year}`) ?? []), i]);
    // Each county numbers its own, in each of the two years the seed spans.
    expect(runs.size).toBe(2 * 2);
    for (const run of runs.values()) {
      run.forEach((i, n) => {
        expect(i.number).toBe(n + 1);
        expect(i.code).toBe(formatInstrumentNumber(i.agency, i.year, i.number));
        const at = (t: string) => new Date(t).getTime();
        expect(i.year).toBe(Number(shanghaiDate(at(i.occurred_at)).slice(0, 4)));
        expect([i.kind, at(i.issued_at), i.issued_by]).toEqual([i.type.startsWith('review') ? 'review_opinion' : 'extension_decision', at(i.occurred_at), i.actor]);
        if (n) expect(at(i.occurred_at)).toBeGreaterThanOrEqual(at(run[n - 1]!.occurred_at));
      });
    }
    const counters = await rows<{ agency: string; year: number; last_number: number }>(sql`select agency, year, last_number from instrument_counters`);
    expect(Object.fromEntries(counters.map((c) => [`${c.agency}|${c.year}`, c.last_number]))).toEqual(Object.fromEntries([...runs].map(([k, run]) => [k, run.length])));
  });
});

describe('running it again', () => {
  it('is a no-op, and the same arguments make the same city in another database', async () => {
    const counts = () => one<Record<string, number>>(sql`
      select (select count(*)::int from hazards) as hazards, (select count(*)::int from hazard_events) as events,
             (select count(*)::int from admin_events) as admin, (select count(*)::int from users) as users, (select count(*)::int from notifications) as notifications,
             (select count(*)::int from instruments) as instruments, (select sum(last_number)::int from instrument_counters) as numbers`);
    const before = await counts();
    const again = await seedCity(tiny(db.url));
    expect(again.hazardsWritten).toBe(0);
    expect(again.hazardsSkipped).toBe(3_000);
    expect(await counts()).toEqual(before);

    const other = await createTestDatabase();
    try {
      await seedCity(tiny(other.url));
      const fingerprint = `select md5(string_agg(concat_ws('|', id, status, deadline, repeat_of, projection_seq, created_at, closed_at), ',' order by id)) as f from hazards`;
      const [a, b] = await Promise.all([db.pool.query(fingerprint), other.pool.query(fingerprint)]);
      expect(b.rows[0].f).toBe(a.rows[0].f);
      const numbers = `select md5(string_agg(concat_ws('|', i.id, i.code, hi.hazard_id, hi.step_key), ',' order by i.id)) as f from instruments i join hazard_instruments hi on hi.instrument_id = i.id`;
      const [x, y] = await Promise.all([db.pool.query(numbers), other.pool.query(numbers)]);
      expect(y.rows[0].f).toBe(x.rows[0].f);
    } finally {
      await other.drop();
    }
  }, 180_000);
});

describe('running it with other arguments', () => {
  it('is refused, and writes nothing', async () => {
    const before = await one<{ n: number }>(sql`select count(*)::int as n from hazards`);
    await expect(seedCity({ ...tiny(db.url), sizes: { ...tiny(db.url).sizes, enterprises: 199 } })).rejects.toThrow(/seeded with other sizes/);
    await expect(seedCity({ ...tiny(db.url), hazards: 2_900 })).rejects.toThrow(/seeded with other arguments/);
    expect(await one<{ n: number }>(sql`select count(*)::int as n from hazards`)).toEqual(before);
  }, 120_000);
});

describe('the audit trail', () => {
  it('passes `npm run audit:verify`', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(TSX, ['scripts/verify-audit.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, AUDIT_HMAC_KEY: auditKey() }, timeout: 120_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(out).toMatch(/^audit intact: \d+ chains \(admin 1, hazard 3000,/);
  }, 150_000);
});

describe('a database with other hazards', () => {
  it('is refused unless --force', async () => {
    await db.db.execute(sql`
      insert into hazards (id, workflow_id, enterprise_id, region_path, title, category, source, grade, policy, status, round, deadline, due_at,
                           escalation_level, created_by, created_at, updated_at, projection_seq)
      select '00000000-0000-4000-8000-000000000001', 'hazard-00000000-0000-4000-8000-000000000001', enterprise_id, region_path, title, category, source,
             grade, policy, status, round, deadline, due_at, escalation_level, 'inspector-from-elsewhere', created_at, updated_at, projection_seq
      from hazards limit 1`);
    try {
      await expect(seedCity(tiny(db.url))).rejects.toThrow(/hazards that no city seed wrote/);
      await expect(seedCity({ ...tiny(db.url), force: true })).resolves.toMatchObject({ hazardsWritten: 0, hazardsSkipped: 3_000 });
    } finally {
      await db.db.execute(sql`delete from hazards where id = '00000000-0000-4000-8000-000000000001'`);
    }
  }, 120_000);
});
