/**
 * Who may do what to which object, over every route of the table: each caller of the world
 * (anonymous, every role at several levels, and an API key) against objects inside and outside
 * their reach and against ids that do not exist.
 *
 *   anonymous                      → 401 (public routes excepted)
 *   role not allowed               → 403, whatever the object
 *   object out of reach            → exactly what a missing id gets (404, or 422 for an id in a body)
 *   allowed and within reach       → 2xx, or the documented 409 when the object's state forbids
 *
 * Lists and counts hold only objects within reach, and no answer — refused or listed — carries
 * the id, name or user name of anything outside the caller's reach. The matrix is keyed by the
 * route table itself: a route added without an entry here fails.
 *
 * Every object is made through the API (supervisors register, enterprises upload and submit,
 * the admin creates directory entries). Reach is modelled here from the region tree (parent
 * links), independently of the path-prefix queries it checks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { routeTable, type AppDeps } from '../../api/app';
import type { Access } from '../../api/route-spec';
import type { Role } from '../../db/directory';
import { stockImports, campaigns, caseEvents, deliveries, enterprises, evidenceFiles, hazards, inspections, instruments, noticeDecisions, notices, regions, ROLES, suspensions, users } from '../../db/schema';
import { DEFAULT_NOTICE_POLICIES } from '../../domain/policy';
import { withCreditCheckChar } from '../../domain/credit-code';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import { assembleReviewPack } from '../../db/figures/review-pack-assembly';
import { storeReviewPack } from '../../db/review-packs';
import { createStockImport, finishValidation } from '../../db/stock-imports';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import type { HttpResponse, Requester, RequestOptions } from '../support/http';
import { PASSWORD, WORLD_USERS, type WorldUser } from '../support/world';

// ---------------------------------------------------------------------------------------------
// Callers

type Identity = WorldUser | 'admin-a' | 'leader-b' | typeof SERVICE_B;
/** Another system's account: a supervisor of county B acting by API key, named as a system. */
const SERVICE_B = 'system:matrix-b';
interface Caller {
  name: string;
  /** Whose reach the caller has; null: anonymous. */
  identity: Identity | null;
}

const CALLERS: Caller[] = [
  { name: 'anonymous', identity: null },
  { name: 'admin', identity: 'admin' },
  { name: 'admin-a', identity: 'admin-a' }, // an admin of county A only, created through the API: city-wide data is not theirs
  { name: 'leader-city', identity: 'leader-city' },
  { name: 'leader-a', identity: 'leader-a' },
  { name: 'supervisor-a', identity: 'supervisor-a' },
  { name: 'supervisor-b', identity: 'supervisor-b' },
  { name: 'supervisor-b (API key)', identity: SERVICE_B }, // a service account's key, with supervisor-b's reach
  { name: 'grid-a', identity: 'grid-a' },
  { name: 'enterprise-a', identity: 'enterprise-a' },
  { name: 'enterprise-b', identity: 'enterprise-b' },
];

// ---------------------------------------------------------------------------------------------
// The universe as the database holds it, and reach modelled from the region tree

interface Universe {
  regions: Map<string, { id: string; parentId: string | null; name: string }>;
  enterprises: Map<string, { id: string; regionId: string; name: string; creditCode: string; responsibleLeaderId: string | null }>;
  hazards: Map<string, { id: string; enterpriseId: string }>;
  notices: Map<string, { id: string; enterpriseId: string | null; addresseeRegionId: string | null }>;
  evidence: Map<string, { id: string; hazardId: string }>;
  inspections: Map<string, { id: string; enterpriseId: string }>;
  suspensions: Map<string, { id: string; enterpriseId: string }>;
  campaigns: Map<string, { id: string; regionId: string }>;
  users: Map<string, { id: string; username: string; role: Role; regionId: string; enterpriseId: string | null }>;
  byName: Map<string, { id: string; username: string; role: Role; regionId: string; enterpriseId: string | null }>;
}

async function loadUniverse(): Promise<Universe> {
  const db = h.database.db;
  const [r, e, hz, ev, us, insp, su, nt, cp] = await Promise.all([
    db.select({ id: regions.id, parentId: regions.parentId, name: regions.name }).from(regions),
    db
      .select({ id: enterprises.id, regionId: enterprises.regionId, name: enterprises.name, creditCode: enterprises.creditCode, responsibleLeaderId: enterprises.responsibleLeaderId })
      .from(enterprises),
    db.select({ id: hazards.id, enterpriseId: hazards.enterpriseId }).from(hazards),
    db.select({ id: evidenceFiles.id, hazardId: evidenceFiles.hazardId }).from(evidenceFiles),
    db.select({ id: users.id, username: users.username, role: users.role, regionId: users.regionId, enterpriseId: users.enterpriseId }).from(users),
    db.select({ id: inspections.id, enterpriseId: inspections.enterpriseId }).from(inspections),
    db.select({ id: suspensions.id, enterpriseId: suspensions.enterpriseId }).from(suspensions),
    db.select({ id: notices.id, enterpriseId: notices.enterpriseId, addresseeRegionId: notices.addresseeRegionId }).from(notices),
    db.select({ id: campaigns.id, regionId: campaigns.regionId }).from(campaigns),
  ]);
  return {
    regions: new Map(r.map((x) => [x.id, x])),
    enterprises: new Map(e.map((x) => [x.id, x])),
    hazards: new Map(hz.map((x) => [x.id, x])),
    notices: new Map(nt.map((x) => [x.id, x])),
    evidence: new Map(ev.map((x) => [x.id, x])),
    inspections: new Map(insp.map((x) => [x.id, x])),
    suspensions: new Map(su.map((x) => [x.id, x])),
    campaigns: new Map(cp.map((x) => [x.id, x])),
    users: new Map(us.map((x) => [x.id, x])),
    byName: new Map(us.map((x) => [x.username, x])),
  };
}

type Me = Universe['users'] extends Map<string, infer U> ? U : never;

/** The region and every region above it. */
function chain(u: Universe, regionId: string): string[] {
  const out: string[] = [];
  for (let id: string | null = regionId; id; id = u.regions.get(id)?.parentId ?? null) out.push(id);
  return out;
}
const inSubtree = (u: Universe, regionId: string, root: string) => chain(u, regionId).includes(root);
const seesEnterprise = (u: Universe, me: Me, enterpriseId: string) => {
  if (me.role === 'enterprise') return me.enterpriseId === enterpriseId;
  const e = u.enterprises.get(enterpriseId);
  return !!e && inSubtree(u, e.regionId, me.regionId);
};
const seesInspection = (u: Universe, me: Me, inspectionId: string) => {
  const i = u.inspections.get(inspectionId);
  return !!i && seesEnterprise(u, me, i.enterpriseId);
};
const seesHazard = (u: Universe, me: Me, hazardId: string) => {
  const hz = u.hazards.get(hazardId);
  return !!hz && seesEnterprise(u, me, hz.enterpriseId);
};
/** A notice to an enterprise is seen as its enterprise is; one to a government body by those above that body only. */
const seesNotice = (u: Universe, me: Me, noticeId: string) => {
  const n = u.notices.get(noticeId);
  if (!n) return false;
  if (n.enterpriseId) return seesEnterprise(u, me, n.enterpriseId);
  return me.role !== 'enterprise' && inSubtree(u, n.addresseeRegionId!, me.regionId);
};

const seesSuspension = (u: Universe, me: Me, id: string) => {
  const s = u.suspensions.get(id);
  return !!s && seesEnterprise(u, me, s.enterpriseId);
};

/** A campaign is a jurisdiction's: seen by everyone but enterprises whose region it covers or who oversee its region. */
const seesCampaign = (u: Universe, me: Me, id: string) => {
  const c = u.campaigns.get(id);
  return !!c && me.role !== 'enterprise' && (inSubtree(u, c.regionId, me.regionId) || inSubtree(u, me.regionId, c.regionId));
};

type Ref =
  | { kind: 'hazard' | 'enterprise' | 'region' | 'user' | 'evidence' | 'inspection' | 'suspension' | 'notice' | 'campaign'; id: string }
  | { kind: 'api_key'; id: string; userId: string }
  /** A bulk urge, read within the reach of the jurisdiction of the leader who began it. */
  | { kind: 'bulk_urge'; id: string; regionId: string }
  /** A review pack, seen by those whose reach holds its region. */
  | { kind: 'review_pack'; id: string; regionId: string }
  /** A stock import, seen by the admins whose reach holds the region of the admin who uploaded it. */
  | { kind: 'stock_import'; id: string; regionId: string }
  /** A region as the subject of figures: an enterprise's people have their own figures, never a region's. */
  | { kind: 'figures_of_region'; id: string }
  /** An inbox delivery: its owner's alone. */
  | { kind: 'delivery'; id: string; ownerId: string }
  /** A notice's instrument, named in the path by its number or id: seen as its notice is. */
  | { kind: 'instrument'; id: string; noticeId: string }
  | { kind: 'missing'; id: string }
  | { kind: 'none' };

function reachable(u: Universe, me: Me, ref: Ref): boolean {
  switch (ref.kind) {
    case 'none':
      return true;
    case 'missing':
      return false;
    case 'hazard':
      return seesHazard(u, me, ref.id);
    case 'notice':
      return seesNotice(u, me, ref.id);
    case 'instrument':
      return seesNotice(u, me, ref.noticeId);
    case 'evidence':
      return seesHazard(u, me, u.evidence.get(ref.id)!.hazardId);
    case 'inspection':
      return seesInspection(u, me, ref.id);
    case 'suspension':
      return seesSuspension(u, me, ref.id);
    case 'campaign':
      return seesCampaign(u, me, ref.id);
    case 'enterprise':
      return seesEnterprise(u, me, ref.id);
    case 'region':
      return inSubtree(u, ref.id, me.regionId);
    case 'figures_of_region':
      return me.role !== 'enterprise' && inSubtree(u, ref.id, me.regionId);
    case 'user':
      return inSubtree(u, u.users.get(ref.id)!.regionId, me.regionId);
    case 'api_key':
      return inSubtree(u, u.users.get(ref.userId)!.regionId, me.regionId);
    case 'bulk_urge':
    case 'review_pack':
    case 'stock_import':
      return inSubtree(u, ref.regionId, me.regionId);
    case 'delivery':
      return ref.ownerId === me.id;
  }
}

/**
 * What must never appear in an answer to `me` (null: anonymous): ids of hazards, evidence and
 * enterprises out of reach (and those enterprises' names and credit codes); regions that are
 * neither below nor above the caller's own; users placed in such regions, by id and user name,
 * unless named as the responsible leader (包联) of an enterprise the caller sees.
 */
function foreignMarks(u: Universe, me: Me | null): string[] {
  const marks: string[] = [];
  const related = (regionId: string) => !!me && (inSubtree(u, regionId, me.regionId) || chain(u, me.regionId).includes(regionId));
  for (const hz of u.hazards.values()) if (!me || !seesHazard(u, me, hz.id)) marks.push(hz.id);
  for (const n of u.notices.values()) if (!me || !seesNotice(u, me, n.id)) marks.push(n.id);
  for (const f of u.evidence.values()) if (!me || !seesHazard(u, me, f.hazardId)) marks.push(f.id);
  for (const i of u.inspections.values()) if (!me || !seesInspection(u, me, i.id)) marks.push(i.id);
  for (const x of u.suspensions.values()) if (!me || !seesSuspension(u, me, x.id)) marks.push(x.id);
  for (const c of u.campaigns.values()) if (!me || !seesCampaign(u, me, c.id)) marks.push(c.id);
  for (const e of u.enterprises.values()) {
    if (!me || !seesEnterprise(u, me, e.id)) marks.push(e.id, `"${e.name}"`, e.creditCode);
  }
  for (const r of u.regions.values()) if (!related(r.id)) marks.push(`"${r.id}"`, `/${r.id}/`, `"${r.name}"`);
  const leaders = new Set([...u.enterprises.values()].filter((e) => me && seesEnterprise(u, me, e.id)).map((e) => e.responsibleLeaderId));
  for (const user of u.users.values()) {
    if (!related(user.regionId) && user.id !== me?.id && !leaders.has(user.id)) marks.push(user.id, `"${user.username}"`);
  }
  return marks;
}

// ---------------------------------------------------------------------------------------------
// The matrix

interface Call {
  path: string;
  body?: unknown;
  form?: () => FormData;
}
interface Target {
  label: string;
  ref: (c: Caller) => Ref;
  call: (c: Caller) => Call;
  /** Status when the role is allowed and the object within reach; 200 unless said. */
  ok?: number;
  /** Status for an object out of reach, the same as for a missing one; 404 unless said. */
  hidden?: 404 | 422;
  /** More to check on a 2xx answer. */
  check?: (c: Caller, me: Me | null, res: HttpResponse, u: Universe) => void;
  /** Out-of-reach targets are compared with the missing target of the same group. */
  group?: string;
  /** A target whose answer this one's must equal (the ids sent aside), for every caller. */
  twin?: string;
  /** Within reach and of an allowed role, yet refused (403) for this caller: e.g. not holding the post a decision names. */
  refused?: (c: Caller) => boolean;
}
interface Entry {
  /** Expected access rule, declared here independently of the table and compared with it. */
  access: Access;
  targets: () => Target[];
}

let h: ApiHarness;
let requesters: Map<string, Requester>;
let apiKeyB: string;
let f: Fixtures;
/** Requests sent by the tests (fixtures not counted), by what they were for. */
const sent = { matrix: 0, paging: 0, other: 0 };
let phase: keyof typeof sent = 'other';
let harnessReadyAt = 0;
let fixturesReadyAt = 0;
const startedAt = Date.now();

interface Fixtures {
  entA: string;
  entA2: string; // at township A: outside grid A
  entB: string;
  hzA: string;
  hzA2: string;
  hzB: string;
  fileA: string;
  fileA2: string;
  fileB: string;
  subA: string;
  subB: string;
  fileSubA: string;
  fileSubB: string;
  /** Under review, one per supervisor caller who will accept it. */
  review: Record<string, { A?: string; B?: string }>;
  closedA: string;
  closedB: string;
  fileClosedA: string;
  fileClosedB: string;
  leaderB: string;
  /** The deadline every fixture hazard was registered with, and the date their extension requests ask for. */
  deadline: string;
  requested: string;
  /** Rectifying, no request: each enterprise asks for an extension once. */
  extA: string;
  extB: string;
  /** A request pending that nobody decides (a second request is 409; a bad approval 422). */
  pendA: string;
  pendB: string;
  /** A request pending, one per supervisor caller who will approve it. */
  decide: Record<string, { A?: string; B?: string }>;
  /** Rectifying, one per leader who will void it (void is final). */
  voidable: Record<string, { A?: string; B?: string }>;
  /** A general policy version of its own for each caller to move hazards to, and a major one (wrong grade). */
  policyFor: Record<string, number>;
  majorPolicy: number;
  /** Closed, one per supervisor or leader who will reopen it. */
  reopenable: Record<string, { A?: string; B?: string }>;
  /** Rectifying, registered by each county's supervisor: any number of delegations go through. */
  assignA: string;
  assignB: string;
  /** Major hazards being rectified (plans are filed again and again as new versions). */
  majorA: string;
  majorB: string;
  /** Major hazards under review, their plans on record: acceptances pile up. */
  majorReviewA: string;
  majorReviewB: string;
  /** Throwaway people to rename, and service accounts with keys to revoke, one in each county. */
  tempUserA: string;
  tempUserB: string;
  serviceA: string;
  serviceB: string;
  keyA: string;
  keyB: string;
  /** Notices: open ones of enterprise A and B, one signed, one to township A closed by confirmation. */
  noticeA: string;
  noticeB: string;
  noticeSignedA: string;
  noticeClosedA: string;
  /** Unsigned: each enterprise signs its own once. */
  signA: string;
  signB: string;
  /** To a government body, one per supervisor caller who will confirm its completion. */
  confirm: Record<string, { A?: string; B?: string }>;
  /** A pending decision (notice, decision), one per leader or supervisor caller who will decide it; one already taken. */
  decision: Record<string, { A?: { notice: string; id: string }; B?: { notice: string; id: string } }>;
  decidedA: { notice: string; id: string };
  /** Inspections whose findings 1–11 failed (one for each caller to register), 12 passed and 13 is already a hazard. */
  inspA: string;
  inspA2: string;
  inspB: string;
  /** Suspensions: running at A, A2 and B; ended (lifted) at A and B. */
  susA: string;
  susA2: string;
  susB: string;
  endedA: string;
  endedB: string;
  /** Suspended, no request: each enterprise asks for resumption once. */
  askA: string;
  askB: string;
  /** A resumption request pending that nobody reviews (a second request is 409). */
  askedA: string;
  /** A request pending, one per supervisor or leader caller who will approve it. */
  resume: Record<string, { A?: string; B?: string }>;
  /** Running, one per leader caller who will lift it. */
  lift: Record<string, { A?: string; B?: string }>;
  /** A calendar publication (the bureau's, not a region's: every admin reads it). */
  publication: string;
  /** Rectifying hazards and open notices (to a township), one per leader who will urge it (an urge keeps others off for a day). */
  urgeable: Record<string, { A?: string; B?: string }>;
  urgeableNotice: Record<string, { A?: string; B?: string }>;
  /** Bulk urges begun by leader-a (reach county A) and by the city leader (reach the city). */
  bulkByLeaderA: string;
  bulkByCity: string;
  /** Campaigns (专项行动) of the city, county A and county B. */
  campaignCity: string;
  campaignA: string;
  campaignB: string;
  /** Review packs of county A and B, for a window long past. */
  packA: string;
  packB: string;
  /** Stock imports already done, uploaded by an admin of county A and one of the city. */
  importA: string;
  importCity: string;
  /** A checked batch of county A awaiting confirmation, one per admin caller (an import starts once). */
  importable: Record<string, string>;
  /** One inbox delivery of each person who was told something, by user id (read by its owner only). */
  deliveryOf: Map<string, number>;
}

const seq = (() => {
  let n = 0;
  return () => `${++n}${randomBytes(3).toString('hex')}`;
})();
const creditCode = () => withCreditCheckChar(`91320100${randomBytes(5).toString('hex').toUpperCase().slice(0, 9)}`);
const missing = (): Ref => ({ kind: 'missing', id: MISSING });
const MISSING = randomUUID();
const none = (): Ref => ({ kind: 'none' });
const ids = (res: HttpResponse) => (res.body?.items ?? []).map((i: { id: string }) => i.id as string).sort();
const sorted = (xs: Iterable<string>) => [...xs].sort();

function hazardTargets(path: (id: string) => string, opts: Partial<Target> = {}): Target[] {
  const t = (label: string, id: () => string): Target => ({ label, ref: () => ({ kind: 'hazard', id: id() }), call: () => ({ path: path(id()) }), ...opts });
  return [
    t('hazard A (grid A)', () => f.hzA),
    t('hazard A2 (township A)', () => f.hzA2),
    t('hazard B', () => f.hzB),
    t('closed hazard A', () => f.closedA),
    { label: 'missing hazard', ref: missing, call: () => ({ path: path(MISSING) }) },
  ];
}

function noticeTargets(path: (id: string) => string, opts: Partial<Target> = {}): Target[] {
  const t = (label: string, id: () => string): Target => ({ label, ref: () => ({ kind: 'notice', id: id() }), call: () => ({ path: path(id()) }), ...opts });
  return [
    t('notice A', () => f.noticeA),
    t('notice B', () => f.noticeB),
    t('closed notice to township A', () => f.noticeClosedA),
    { label: 'missing notice', ref: missing, call: () => ({ path: path(MISSING) }) },
  ];
}

function campaignTargets(path: (id: string) => string, opts: Partial<Target> & { labelSuffix?: string } = {}): Target[] {
  const { labelSuffix = '', ...rest } = opts;
  const group = `campaign${labelSuffix}`;
  const t = (label: string, id: () => string): Target => ({ label: label + labelSuffix, group, ref: () => ({ kind: 'campaign', id: id() }), call: () => ({ path: path(id()) }), ...rest });
  return [
    t('city campaign', () => f.campaignCity),
    t('county A campaign', () => f.campaignA),
    t('county B campaign', () => f.campaignB),
    { label: `missing campaign${labelSuffix}`, group, ref: missing, call: () => ({ path: path(MISSING) }) },
  ];
}

/** Who a caller signs in as: a service account's caller as the person of the same reach. */
const person = (c: Caller) => (c.identity === SERVICE_B ? 'supervisor-b' : (c.identity ?? 'leader-city'));

/** A figures route asked about the caller's own region, a county on each side, a grid and a missing region. */
function figureTargets(path: string, extra = ''): () => Target[] {
  const at = (region: () => string | null) => () => ({ path: `${path}?${[region() ? `region=${region()}` : '', extra].filter(Boolean).join('&')}` });
  return () => [
    {
      label: 'own region',
      ref: none,
      call: at(() => null),
      check: (_c, me, res) => (me!.role === 'enterprise' ? expect(res.body.enterprise.id).toBe(me!.enterpriseId) : expect(res.body.region.id).toBe(me!.regionId)),
    },
    { label: 'county A', ref: () => ({ kind: 'figures_of_region', id: h.world.a.county.id }), call: at(() => h.world.a.county.id), group: 'region' },
    { label: 'county B', ref: () => ({ kind: 'figures_of_region', id: h.world.b.county.id }), call: at(() => h.world.b.county.id), group: 'region' },
    { label: 'grid A', ref: () => ({ kind: 'figures_of_region', id: h.world.a.grid.id }), call: at(() => h.world.a.grid.id), group: 'region' },
    { label: 'missing region', ref: () => ({ kind: 'missing', id: `nope-${MISSING.slice(0, 8)}` }), call: at(() => `nope-${MISSING.slice(0, 8)}`), group: 'region' },
  ];
}
const FIGURES: Access = ['leader', 'supervisor', 'admin'];
/** KPIs, ageing and trend: an enterprise's people get their own enterprise's. */
const OWN_FIGURES: Access = ['leader', 'supervisor', 'admin', 'enterprise'];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An exported ledger: a workbook whose row count (X-Ledger-Rows) is what the caller's list holds. */
function ledgerTargets(path: string, expected: (me: Me, u: Universe, enterpriseId?: string) => number, withEnterprises = true): () => Target[] {
  const t = (label: string, enterpriseId?: () => string): Target => ({
    label,
    ref: none,
    call: () => ({ path: `${path}${enterpriseId ? `?enterpriseId=${enterpriseId()}` : ''}` }),
    check: (_c, me, res, u) => {
      expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
      expect(Number(res.headers.get('x-ledger-rows'))).toBe(expected(me!, u, enterpriseId?.()));
    },
  });
  return () => [t('all within reach'), ...(withEnterprises ? [t('filtered to enterprise A', () => f.entA), t('filtered to enterprise B', () => f.entB)] : [])];
}
/** A figures export: as the figures route it exports, a workbook instead of JSON. */
function figureExportTargets(path: string, extra = ''): () => Target[] {
  return () => figureTargets(path, extra)().map((target) => (target.check ? { ...target, check: (_c, _me, res) => expect(res.headers.get('content-type')).toBe(XLSX_TYPE) } : target));
}

const MATRIX: Record<string, Entry> = {
  'get /api/figures/overview': { access: OWN_FIGURES, targets: figureTargets('/api/figures/overview', 'period=month') },
  'get /api/figures/ageing': { access: OWN_FIGURES, targets: figureTargets('/api/figures/ageing') },
  'get /api/figures/breakdown': { access: FIGURES, targets: figureTargets('/api/figures/breakdown', 'by=region') },
  'get /api/figures/enterprises': { access: FIGURES, targets: figureTargets('/api/figures/enterprises', 'rank=overdue') },
  'get /api/figures/trend': { access: OWN_FIGURES, targets: figureTargets('/api/figures/trend', 'interval=week') },
  'get /api/figures/notices': { access: FIGURES, targets: figureTargets('/api/figures/notices') },
  'get /api/figures/breakdown/export.xlsx': { access: FIGURES, targets: figureExportTargets('/api/figures/breakdown/export.xlsx', 'by=region') },
  'get /api/figures/enterprises/export.xlsx': { access: FIGURES, targets: figureExportTargets('/api/figures/enterprises/export.xlsx', 'rank=overdue') },
  'get /api/figures/ageing/export.xlsx': { access: FIGURES, targets: figureExportTargets('/api/figures/ageing/export.xlsx') },
  'get /api/hazards/export.xlsx': {
    access: 'authenticated',
    targets: ledgerTargets('/api/hazards/export.xlsx', (me, u, ent) => [...u.hazards.values()].filter((x) => seesHazard(u, me, x.id) && (!ent || x.enterpriseId === ent)).length),
  },
  'get /api/notices/export.xlsx': {
    access: 'authenticated',
    targets: ledgerTargets('/api/notices/export.xlsx', (me, u) => [...u.notices.keys()].filter((id) => seesNotice(u, me, id)).length, false),
  },
  'get /api/suspensions/export.xlsx': {
    access: 'authenticated',
    targets: ledgerTargets('/api/suspensions/export.xlsx', (me, u, ent) => [...u.suspensions.values()].filter((x) => seesSuspension(u, me, x.id) && (!ent || x.enterpriseId === ent)).length),
  },
  'get /api/inspections/export.xlsx': {
    access: 'authenticated',
    targets: ledgerTargets('/api/inspections/export.xlsx', (me, u, ent) => [...u.inspections.values()].filter((x) => seesInspection(u, me, x.id) && (!ent || x.enterpriseId === ent)).length),
  },
  'get /api/health': {
    access: 'public',
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/health' }) }],
  },
  'get /api/health/live': {
    access: 'public',
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/health/live' }) }],
  },
  'get /api/health/ready': {
    access: 'public',
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/health/ready' }) }],
  },
  'post /api/auth/login': {
    access: 'public',
    targets: () => [
      {
        // A service account never signs in (tests/api/service-accounts.api.test.ts): its caller
        // signs in as the person of the same reach.
        label: 'own account',
        ref: none,
        call: (c) => ({ path: '/api/auth/login', body: { username: person(c), password: PASSWORD } }),
        check: (c, _me, res) => expect(res.body.user.username).toBe(person(c)),
      },

    ],
  },
  'get /api/auth/me': {
    access: 'authenticated',
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/auth/me' }), check: (c, _me, res) => expect(res.body.username).toBe(c.identity) }],
  },
  'post /api/hazards': {
    access: ['supervisor'],
    targets: () => {
      const body = (enterpriseId: string) => ({
        enterpriseId,
        title: '矩阵测试隐患',
        category: '消防安全',
        source: 'inspection',
        grade: 'general',
        deadline: addDays(shanghaiDate(Date.now()), 20),
      });
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: '/api/hazards', body: body(id()) }),
        ok: 201,
        hidden: 422,
        check: (c, _me, res) => expect(res.body).toMatchObject({ enterpriseId: id(), createdBy: c.identity, status: 'rectifying' }),
      });
      return [
        t('enterprise A', () => f.entA),
        t('enterprise A2 (township A)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: '/api/hazards', body: body(MISSING) }), hidden: 422 },
      ];
    },
  },
  'get /api/hazards': {
    access: 'authenticated',
    targets: () => {
      const list = (label: string, enterpriseId?: () => string): Target => ({
        label,
        ref: none,
        call: () => ({ path: `/api/hazards?limit=200${enterpriseId ? `&enterpriseId=${enterpriseId()}` : ''}` }),
        check: (_c, me, res, u) => {
          const expected = [...u.hazards.values()].filter((hz) => seesHazard(u, me!, hz.id) && (!enterpriseId || hz.enterpriseId === enterpriseId()));
          expect(ids(res)).toEqual(sorted(expected.map((hz) => hz.id)));
          expect(res.body.total).toBe(expected.length);
        },
      });
      return [
        list('all within reach'),
        list('filtered to enterprise A', () => f.entA),
        list('filtered to enterprise A2', () => f.entA2),
        list('filtered to enterprise B', () => f.entB),
      ];
    },
  },
  'get /api/hazards/:id': {
    access: 'authenticated',
    targets: () =>
      hazardTargets((id) => `/api/hazards/${id}`, {
        check: (_c, _me, res, u) => expect(res.body.enterpriseId).toBe(u.hazards.get(res.body.id)?.enterpriseId),
      }),
  },
  'post /api/hazards/:id/submissions': {
    access: ['enterprise'],
    targets: () => {
      const t = (label: string, id: () => string, file: () => string, ok: number): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: () => ({ path: `/api/hazards/${id()}/submissions`, body: { evidence: [file()], note: '已整改' } }),
        ok,
        check: (_c, _me, res) => expect(res.body.status).toBe('under_review'),
      });
      const withFile = (label: string, file: () => string, twin?: string): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: f.subA }),
        call: () => ({ path: `/api/hazards/${f.subA}/submissions`, body: { evidence: [file()] } }),
        ok: 422,
        ...(twin ? { twin } : {}),
      });
      return [
        t('hazard A being rectified', () => f.subA, () => f.fileSubA, 200),
        // A file of another hazard, out of reach, is refused exactly like one that does not exist.
        withFile('hazard A, naming a file of hazard B', () => f.fileB, 'hazard A, naming a missing file'),
        withFile('hazard A, naming a missing file', () => MISSING),
        t('hazard B being rectified', () => f.subB, () => f.fileSubB, 200),
        t('hazard A2 (township A)', () => f.hzA2, () => f.fileA2, 200),
        t('closed hazard A', () => f.closedA, () => f.fileClosedA, 409),
        t('closed hazard B', () => f.closedB, () => f.fileClosedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/submissions`, body: { evidence: [f.fileSubA] } }) },
      ];
    },
  },
  'post /api/hazards/:id/reviews': {
    access: ['supervisor'],
    targets: () => {
      /** Each supervisor who may accept gets a hazard of their own under review. */
      const underReview = (side: 'A' | 'B') => (c: Caller) => f.review[c.name]?.[side] ?? (side === 'A' ? f.review['supervisor-a']!.A! : f.review['supervisor-b']!.B!);
      const body = { decision: 'accept', comment: '整改到位' };
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'hazard', id: id(c) }),
        call: (c) => ({ path: `/api/hazards/${id(c)}/reviews`, body }),
        ok,
        check: (_c, _me, res) => expect(res.body.status).toBe('closed'),
      });
      return [
        t('hazard A under review', underReview('A'), 200),
        t('hazard B under review', underReview('B'), 200),
        t('hazard A2 being rectified (nothing to review)', () => f.hzA2, 409),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/reviews`, body }) },
      ];
    },
  },
  'post /api/hazards/:id/extensions': {
    access: ['enterprise'],
    targets: () => {
      const t = (label: string, id: () => string, ok: number, requestedDeadline = () => f.requested): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: () => ({ path: `/api/hazards/${id()}/extensions`, body: { requestedDeadline: requestedDeadline(), reason: '设备需定制，到货约五天' } }),
        ok,
        check: (c, _me, res) =>
          expect(res.body.extension.pending).toMatchObject({ requestedDeadline: f.requested, requestedBy: c.identity }),
      });
      return [
        t('hazard A being rectified', () => f.extA, 200),
        t('hazard B being rectified', () => f.extB, 200),
        t('hazard A, a date not after its deadline', () => f.hzA, 422, () => f.deadline),
        t('hazard A with a request pending', () => f.pendA, 409),
        t('hazard B with a request pending', () => f.pendB, 409),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/extensions`, body: { requestedDeadline: f.requested, reason: '设备需定制，到货约五天' } }) },
      ];
    },
  },
  'post /api/hazards/:id/extension-decisions': {
    access: ['supervisor'],
    targets: () => {
      /** Each supervisor who may approve gets a hazard of their own with a request pending. */
      const pendingFor = (side: 'A' | 'B') => (c: Caller) => f.decide[c.name]?.[side] ?? (side === 'A' ? f.decide['supervisor-a']!.A! : f.decide['supervisor-b']!.B!);
      const approve = { decision: 'approve' };
      const t = (label: string, id: (c: Caller) => string, ok: number, body: unknown = approve): Target => ({
        label,
        ref: (c) => ({ kind: 'hazard', id: id(c) }),
        call: (c) => ({ path: `/api/hazards/${id(c)}/extension-decisions`, body }),
        ok,
        check: (_c, _me, res) => expect(res.body).toMatchObject({ deadline: f.requested, extension: { pending: null, granted: 1, originalDeadline: f.deadline } }),
      });
      return [
        t('hazard A with a request pending', pendingFor('A'), 200),
        t('hazard B with a request pending', pendingFor('B'), 200),
        t('hazard A, approving a date later than requested', () => f.pendA, 422, { decision: 'approve', newDeadline: addDays(f.requested, 1) }),
        t('hazard A2 being rectified (nothing to decide)', () => f.hzA2, 409),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/extension-decisions`, body: approve }) },
      ];
    },
  },
  'post /api/hazards/:id/void': {
    access: ['leader'],
    targets: () => {
      /** Each leader who may void gets a hazard of their own (void is final); the others aim at a shared one. */
      const voidable = (side: 'A' | 'B') => (c: Caller) => f.voidable[c.name]?.[side] ?? (side === 'A' ? f.hzA : f.hzB);
      const body = { kind: 'misreport', reason: '复核确认为误报' };
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'hazard', id: id(c) }),
        call: (c) => ({ path: `/api/hazards/${id(c)}/void`, body }),
        ok,
        check: (c, _me, res) => expect(res.body).toMatchObject({ status: 'void', voided: { kind: 'misreport', by: c.identity } }),
      });
      return [
        t('hazard A being rectified', voidable('A'), 200),
        t('hazard B being rectified', voidable('B'), 200),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/void`, body }) },
      ];
    },
  },
  'post /api/hazards/:id/policy': {
    access: ['supervisor', 'leader'],
    targets: () => {
      /** Each caller moves hazards to a version of its own, so no change repeats the version a hazard runs on. */
      const body = (c: Caller) => ({ policyId: f.policyFor[c.name]!, reason: '执行新版督办政策' });
      const t = (label: string, id: () => string, ok: number, b?: unknown): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: (c) => ({ path: `/api/hazards/${id()}/policy`, body: b ?? body(c) }),
        ok,
        check: (c, _me, res) => expect(res.body.policyId).toBe(f.policyFor[c.name]),
      });
      return [
        t('hazard A being rectified', () => f.hzA, 200),
        t('hazard B being rectified', () => f.hzB, 200),
        t('hazard A, a major policy for a general hazard', () => f.hzA, 422, { policyId: f.majorPolicy, reason: '错误等级' }),
        t('closed hazard A', () => f.closedA, 409),
        { label: 'missing hazard', ref: missing, call: (c) => ({ path: `/api/hazards/${MISSING}/policy`, body: body(c) }) },
      ];
    },
  },
  'post /api/hazards/:id/reopen': {
    access: ['supervisor', 'leader'],
    targets: () => {
      /** Each caller who may reopen gets a closed hazard of their own (a reopened one is no longer closed). */
      const closed = (side: 'A' | 'B') => (c: Caller) => f.reopenable[c.name]?.[side] ?? (side === 'A' ? f.closedA : f.closedB);
      const body = (newDeadline = f.deadline) => ({ reason: '复查发现问题反弹', newDeadline });
      const t = (label: string, id: (c: Caller) => string, ok: number, b = body()): Target => ({
        label,
        ref: (c) => ({ kind: 'hazard', id: id(c) }),
        call: (c) => ({ path: `/api/hazards/${id(c)}/reopen`, body: b }),
        ok,
        check: (_c, _me, res, u) => expect(res.body.enterpriseId).toBe(u.hazards.get(res.body.id)?.enterpriseId),
      });
      return [
        t('closed hazard A', closed('A'), 200),
        t('closed hazard B', closed('B'), 200),
        t('closed hazard A, a past date', () => f.closedA, 422, body(addDays(shanghaiDate(Date.now()), -1))),
        t('hazard A2 being rectified (not closed)', () => f.hzA2, 409),
        t('hazard B being rectified (not closed)', () => f.hzB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/reopen`, body: body() }) },
      ];
    },
  },
  'post /api/hazards/:id/assignments': {
    access: ['supervisor', 'leader'],
    targets: () => {
      const t = (label: string, id: () => string, ok: number, to: string): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: () => ({ path: `/api/hazards/${id()}/assignments`, body: { kind: 'delegate', to, reason: '出差期间代为跟进' } }),
        ok,
        check: (_c, _me, res) => expect(res.body.assignment.delegate).toBe(to),
      });
      return [
        // Delegating to the same person again is allowed: every caller in reach gets 200.
        t('hazard A, delegating to grid-a', () => f.assignA, 200, 'grid-a'),
        t('hazard B, delegating to temp-b', () => f.assignB, 200, 'temp-b'),
        t('hazard A, delegating to a supervisor of county B', () => f.assignA, 422, 'supervisor-b'),
        t('closed hazard A', () => f.closedA, 409, 'grid-a'),
        t('closed hazard B', () => f.closedB, 409, 'temp-b'),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/assignments`, body: { kind: 'delegate', to: 'grid-a', reason: '出差期间代为跟进' } }) },
      ];
    },
  },
  'get /api/hazards/:id/assignees': {
    access: ['supervisor', 'leader'],
    targets: () =>
      hazardTargets((id) => `/api/hazards/${id}/assignees?place=supervisor`, {
        // Every hazard has supervisors covering it; who they are is checked in hazard-actions.api.test.ts.
        check: (_c, _me, res) => expect(res.body.items.length).toBeGreaterThan(0),
      }),
  },
  'get /api/hazards/:id/policy-choices': {
    access: ['supervisor', 'leader'],
    targets: () =>
      hazardTargets((id) => `/api/hazards/${id}/policy-choices`, {
        // Only versions of the hazard's own grade; what each changes is checked in hazard-actions.api.test.ts.
        check: (_c, _me, res) => expect(res.body.items.every((p: { grade: string }) => p.grade === res.body.items[0]?.grade)).toBe(true),
      }),
  },
  'post /api/hazards/:id/plan': {
    access: ['enterprise'],
    targets: () => {
      const plan = (deadline = f.deadline) => ({ measures: '更换储罐并加装报警装置', funds: 200000, deadline, responsiblePerson: '王厂长', contingencyPlan: '停用罐区，专人值守' });
      const t = (label: string, id: () => string, ok: number, body = plan()): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: () => ({ path: `/api/hazards/${id()}/plan`, body }),
        ok,
        check: (c, _me, res) => expect(res.body.plan).toMatchObject({ by: c.identity, deadline: f.deadline }),
      });
      return [
        // Filing again is a revision: every enterprise in reach gets 200.
        t('major hazard A being rectified', () => f.majorA, 200),
        t('major hazard B being rectified', () => f.majorB, 200),
        t('major hazard A, a plan later than its deadline', () => f.majorA, 422, plan(addDays(f.deadline, 1))),
        t('general hazard A', () => f.hzA, 409),
        t('general hazard B', () => f.hzB, 409),
        t('major hazard A under review', () => f.majorReviewA, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/plan`, body: plan() }) },
      ];
    },
  },
  'post /api/hazards/:id/acceptances': {
    access: ['enterprise', 'supervisor'],
    targets: () => {
      /** The enterprise records its own check, a supervisor an expert's opinion. */
      const own = (c: Caller) => (c.identity?.startsWith('enterprise') ? 'enterprise' : 'expert');
      const other = (c: Caller) => (own(c) === 'enterprise' ? 'expert' : 'enterprise');
      const body = (party: string) => ({ party, passed: true, opinion: '整改到位，同意验收', signatory: '张工' });
      const t = (label: string, id: () => string, ok: number, party: (c: Caller) => string = own): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: (c) => ({ path: `/api/hazards/${id()}/acceptances`, body: body(party(c)) }),
        ok,
        check: (c, _me, res) => expect(res.body.acceptances).toContainEqual(expect.objectContaining({ party: own(c), passed: true, by: c.identity })),
      });
      return [
        t('major hazard A under review', () => f.majorReviewA, 200),
        t('major hazard B under review', () => f.majorReviewB, 200),
        t('major hazard A under review, the other party', () => f.majorReviewA, 422, other),
        t('major hazard A being rectified', () => f.majorA, 409),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: (c) => ({ path: `/api/hazards/${MISSING}/acceptances`, body: body(own(c)) }) },
      ];
    },
  },
  'get /api/inspectors': {
    access: ['supervisor'],
    targets: () => [
      {
        label: '-',
        ref: none,
        call: () => ({ path: '/api/inspectors' }),
        // Supervisors within the caller's own jurisdiction, never the caller.
        check: (_c, me, res, u) => {
          for (const x of res.body.items) {
            const them = u.users.get(x.id)!;
            expect(them.role).toBe('supervisor');
            expect(them.id).not.toBe(me!.id);
            expect(inSubtree(u, them.regionId, me!.regionId)).toBe(true);
          }
        },
      },
    ],
  },
  'get /api/calendars': {
    access: 'authenticated',
    targets: () => [
      {
        label: '-',
        ref: none,
        call: () => ({ path: '/api/calendars' }),
        check: (_c, _me, res) => expect(res.body.items.length).toBeGreaterThan(0),
      },
    ],
  },
  'post /api/calendars': {
    access: { roles: ['admin'], jurisdiction: 'city' },
    targets: () => {
      // The calendar applies to every county: only the city's admins publish. A year far off, so
      // no fixture's dates move; publishing it again replaces it.
      const year = Number(shanghaiDate(Date.now()).slice(0, 4)) + 20;
      const calendar = (workday: string) => ({
        year,
        source: `国务院办公厅关于${year}年部分节假日安排的通知（矩阵测试）`,
        holidays: [1, 2, 3].map((d) => ({ date: `${year}-01-0${d}`, name: '元旦' })),
        workdays: [{ date: workday, name: '调休' }],
      });
      let saturday = `${year}-09-30`;
      while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, -1);
      return [
        {
          label: 'a year with a make-up Saturday',
          ref: none,
          call: () => ({ path: '/api/calendars', body: calendar(saturday) }),
          ok: 202,
          check: (_c, _me, res) => expect(res.body).toMatchObject({ year, progressUrl: expect.stringMatching(/^\/api\/calendars\/publications\/calendar-publication-/) }),
        },
        { label: 'a weekday as a make-up day', ref: none, call: () => ({ path: '/api/calendars', body: calendar(addDays(saturday, -1)) }), ok: 400 },
      ];
    },
  },
  'get /api/calendars/publications/:id': {
    access: ['admin'],
    targets: () => [
      {
        label: 'a publication',
        ref: none,
        // The bureau's, not a region's: nothing to hide, so nothing to compare with a missing one.
        group: 'bureau',
        call: () => ({ path: `/api/calendars/publications/${f.publication}` }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ publicationId: f.publication, year: expect.any(Number), phase: expect.any(String) }),
      },
      { label: 'missing publication', ref: missing, call: () => ({ path: `/api/calendars/publications/calendar-publication-1999-${MISSING.slice(0, 12)}` }) },
    ],
  },
  'post /api/hazards/:id/evidence': {
    access: ['enterprise', 'supervisor'],
    targets: () => {
      const form = () => evidenceForm([{ name: '整改照片.jpg', bytes: SAMPLE_JPEG }]);
      const t = (label: string, id: () => string, ok: number): Target => ({
        label,
        ref: () => ({ kind: 'hazard', id: id() }),
        call: () => ({ path: `/api/hazards/${id()}/evidence`, form }),
        ok,
        check: (c, _me, res) => expect(res.body.items).toEqual([expect.objectContaining({ hazardId: id(), uploadedBy: c.identity, mediaType: 'image/jpeg' })]),
      });
      return [
        t('hazard A being rectified', () => f.hzA, 201),
        t('hazard A2 being rectified', () => f.hzA2, 201),
        t('hazard B being rectified', () => f.hzB, 201),
        t('closed hazard A', () => f.closedA, 409),
        t('closed hazard B', () => f.closedB, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/evidence`, form }) },
      ];
    },
  },
  'get /api/hazards/:id/evidence': {
    access: 'authenticated',
    targets: () =>
      hazardTargets((id) => `/api/hazards/${id}/evidence`, {
        check: (_c, _me, res, u) => {
          const hazardId = res.body.items[0]?.hazardId as string;
          expect(res.body.items.length).toBeGreaterThan(0);
          expect(ids(res)).toEqual(sorted([...u.evidence.values()].filter((e) => e.hazardId === hazardId).map((e) => e.id)));
        },
      }),
  },
  'get /api/evidence/:id': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'evidence', id: id() }),
        call: () => ({ path: `/api/evidence/${id()}` }),
        check: (_c, _me, res) => {
          expect(res.headers.get('content-type')).toBe('image/jpeg');
          expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
          expect(Number(res.headers.get('content-length'))).toBe(SAMPLE_JPEG.length);
        },
      });
      return [
        t('file of hazard A', () => f.fileA),
        t('file of hazard A2', () => f.fileA2),
        t('file of hazard B', () => f.fileB),
        t('file of closed hazard B', () => f.fileClosedB),
        { label: 'missing file', ref: missing, call: () => ({ path: `/api/evidence/${MISSING}` }) },
      ];
    },
  },
  'get /api/evidence/:id/thumbnail': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'evidence', id: id() }),
        call: () => ({ path: `/api/evidence/${id()}/thumbnail?size=160` }),
        check: (_c, _me, res) => {
          expect(res.headers.get('content-type')).toBe('image/jpeg');
          expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        },
      });
      return [
        t('file of hazard A', () => f.fileA),
        t('file of hazard B', () => f.fileB),
        t('file of closed hazard B', () => f.fileClosedB),
        { label: 'missing file', ref: missing, call: () => ({ path: `/api/evidence/${MISSING}/thumbnail?size=160` }) },
      ];
    },
  },
  'get /api/regions': {
    access: 'authenticated',
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/regions?limit=500' }),
        check: (_c, me, res, u) => expect(ids(res)).toEqual(sorted([...u.regions.keys()].filter((id) => inSubtree(u, id, me!.regionId)))),
      },
    ],
  },
  'post /api/regions': {
    access: ['admin'],
    targets: () => {
      const body = (parentId: string, level: string) => ({ id: `mx-${seq()}`, name: `矩阵区域${seq()}`, level, parentId });
      const t = (label: string, parent: () => string, level: string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: parent() }),
        call: () => ({ path: '/api/regions', body: body(parent(), level) }),
        ok: 201,
        hidden: 422,
        check: (_c, _me, res) => expect(res.body.parentId).toBe(parent()),
      });
      return [
        t('grid under township A', () => h.world.a.township.id, 'grid'),
        t('township under county B', () => h.world.b.county.id, 'township'),
        t('county under the city', () => h.world.a.city.id, 'county'),
        { label: 'missing parent', ref: missing, call: () => ({ path: '/api/regions', body: body(`nope-${seq()}`, 'grid') }), hidden: 422 },
      ];
    },
  },
  'get /api/enterprises': {
    access: 'authenticated',
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/enterprises?limit=500' }),
        check: (_c, me, res, u) => expect(ids(res)).toEqual(sorted([...u.enterprises.keys()].filter((id) => seesEnterprise(u, me!, id)))),
      },
    ],
  },
  'get /api/enterprises/:id': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: `/api/enterprises/${id()}` }),
        check: (_c, _me, res) => expect(res.body.id).toBe(id()),
      });
      return [
        t('enterprise A', () => f.entA),
        t('enterprise A2 (township A)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: `/api/enterprises/${MISSING}` }) },
      ];
    },
  },
  'post /api/enterprises': {
    access: ['admin'],
    targets: () => {
      const body = (regionId: string, responsibleLeaderId: string | null = null) => ({
        name: `矩阵企业${seq()}`,
        creditCode: creditCode(),
        regionId,
        industry: '机械制造',
        responsibleLeaderId,
      });
      const t = (label: string, group: string, ref: () => Ref, b: () => ReturnType<typeof body>): Target => ({
        label,
        group,
        ref,
        call: () => ({ path: '/api/enterprises', body: b() }),
        ok: 201,
        hidden: 422,
      });
      return [
        t('in grid A', 'region', () => ({ kind: 'region', id: h.world.a.grid.id }), () => body(h.world.a.grid.id)),
        t('in grid B', 'region', () => ({ kind: 'region', id: h.world.b.grid.id }), () => body(h.world.b.grid.id)),
        t('in grid A, led by leader-a', 'leader', () => ({ kind: 'user', id: h.world.users['leader-a'] }), () => body(h.world.a.grid.id, h.world.users['leader-a'])),
        t(LEADER_B_TARGET, 'leader', () => ({ kind: 'user', id: f.leaderB }), () => body(h.world.a.grid.id, f.leaderB)),
        t('missing region', 'region', missing, () => body(`nope-${seq()}`)),
        t('missing leader', 'leader', missing, () => body(h.world.a.grid.id, MISSING)),
      ];
    },
  },
  'get /api/users': {
    access: ['admin'],
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/users?limit=500' }),
        check: (_c, me, res, u) => {
          expect(ids(res)).toEqual(sorted([...u.users.values()].filter((x) => inSubtree(u, x.regionId, me!.regionId)).map((x) => x.id)));
          expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2/);
        },
      },
    ],
  },
  'post /api/users': {
    access: ['admin'],
    targets: () => {
      const body = (regionId: string, role = 'supervisor') => ({ username: `mx-user-${seq()}`, displayName: '矩阵用户', role, regionId });
      const t = (label: string, regionId: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: regionId() }),
        call: () => ({ path: '/api/users', body: body(regionId()) }),
        ok: 201,
        hidden: 422,
        check: (_c, _me, res) => {
          expect(res.body.regionId).toBe(regionId());
          expect(res.body).not.toHaveProperty('passwordHash');
        },
      });
      return [
        t('supervisor in county A', () => h.world.a.county.id),
        t('supervisor in county B', () => h.world.b.county.id),
        t('supervisor at the city', () => h.world.a.city.id),
        { label: 'missing region', ref: missing, call: () => ({ path: '/api/users', body: body(`nope-${seq()}`) }), hidden: 422 },
      ];
    },
  },
  'patch /api/users/:id': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'user', id: id() }),
        call: () => ({ path: `/api/users/${id()}`, body: { displayName: `改名${seq()}` } }),
        check: (_c, _me, res) => expect(res.body).not.toHaveProperty('passwordHash'),
      });
      return [
        t('a user in grid A', () => f.tempUserA),
        t('a user in grid B', () => f.tempUserB),
        { label: 'missing user', ref: missing, call: () => ({ path: `/api/users/${MISSING}`, body: { displayName: 'x' } }) },
      ];
    },
  },
  'put /api/users/:id/post': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'user', id: id() }),
        call: () => ({ path: `/api/users/${id()}/post`, body: { post: 'inspector' } }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ userId: id(), post: 'inspector' }),
      });
      return [
        t('a user in grid A', () => f.tempUserA),
        t('a user in grid B', () => f.tempUserB),
        { label: 'missing user', ref: missing, call: () => ({ path: `/api/users/${MISSING}/post`, body: { post: 'inspector' } }) },
      ];
    },
  },
  'get /api/inbox': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => [
      {
        label: 'my deliveries',
        ref: none,
        call: () => ({ path: '/api/inbox?limit=200' }),
        check: (_c, me, res, u) => {
          const seen = { hazard: seesHazard, notice: seesNotice, suspension: seesSuspension } as const;
          for (const d of res.body.items as Array<{ subjectType: keyof typeof seen; subjectId: string; link: string }>) {
            expect(seen[d.subjectType](u, me!, d.subjectId), `${d.subjectType} ${d.subjectId}`).toBe(true);
            expect(d.link).toContain(d.subjectId);
          }
          if (f.deliveryOf.has(me!.id)) expect(res.body.items.length).toBeGreaterThan(0);
        },
      },
    ],
  },
  'get /api/inbox/unread-count': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/inbox/unread-count' }), check: (_c, _me, res) => expect(res.body.unread).toBeGreaterThanOrEqual(0) }],
  },
  'post /api/inbox/:id/read': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => {
      const own = (c: Caller) => {
        const me = c.identity ? h.world.users[c.identity as WorldUser] : undefined;
        const mine = me !== undefined ? f.deliveryOf.get(me) : undefined;
        // Callers told nothing try the first delivery of supervisor-a: not theirs.
        return mine !== undefined ? { id: mine, owner: me! } : { id: f.deliveryOf.get(h.world.users['supervisor-a'])!, owner: h.world.users['supervisor-a'] };
      };
      const other = () => ({ id: f.deliveryOf.get(h.world.users['enterprise-b'])!, owner: h.world.users['enterprise-b'] });
      const t = (label: string, d: (c: Caller) => { id: number; owner: string }): Target => ({
        label,
        // The id is a small serial: the whole path stands for it when answers are compared.
        ref: (c) => ({ kind: 'delivery', id: `/api/inbox/${d(c).id}/read`, ownerId: d(c).owner }),
        call: (c) => ({ path: `/api/inbox/${d(c).id}/read` }),
        group: 'delivery',
        check: (c, _me, res) => expect(res.body).toMatchObject({ id: d(c).id, readAt: expect.any(String) }),
      });
      return [
        t('my own delivery', own),
        t('enterprise B’s delivery', other),
        { label: 'missing delivery', ref: () => ({ kind: 'missing', id: '/api/inbox/999999999/read' }), call: () => ({ path: '/api/inbox/999999999/read' }), group: 'delivery' },
      ];
    },
  },
  'post /api/inbox/read-all': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => [{ label: '-', ref: none, call: () => ({ path: '/api/inbox/read-all' }), check: (_c, _me, res) => expect(res.body.unread).toBe(0) }],
  },
  'get /api/notification-preferences': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => [{ label: 'my own', ref: none, call: () => ({ path: '/api/notification-preferences' }), check: (_c, me, res) => expect(res.body).toMatchObject({ userId: me!.id, channels: expect.any(Array) }) }],
  },
  'put /api/notification-preferences': {
    access: ['supervisor', 'enterprise', 'leader', 'admin'],
    targets: () => [
      {
        label: 'my own',
        ref: none,
        call: () => ({ path: '/api/notification-preferences', body: { channels: [], email: null, phone: null, quietFrom: 1320, quietUntil: 420, digest: false } }),
        check: (_c, me, res) => expect(res.body).toMatchObject({ userId: me!.id, quietFrom: 1320, quietUntil: 420 }),
      },
    ],
  },
  'get /api/users/:id/notification-preferences': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'user', id: id() }),
        call: () => ({ path: `/api/users/${id()}/notification-preferences` }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ userId: id() }),
      });
      return [
        t('a user in grid A', () => f.tempUserA),
        t('a user in grid B', () => f.tempUserB),
        { label: 'missing user', ref: missing, call: () => ({ path: `/api/users/${MISSING}/notification-preferences` }) },
      ];
    },
  },
  'get /api/hazards/:id/deliveries': {
    access: ['supervisor', 'leader', 'admin'],
    targets: () => hazardTargets((id) => `/api/hazards/${id}/deliveries`, { check: (_c, _me, res) => expect(res.body.items).toEqual(expect.any(Array)) }),
  },
  'get /api/notices/:id/deliveries': {
    access: ['supervisor', 'leader', 'admin'],
    targets: () => noticeTargets((id) => `/api/notices/${id}/deliveries`, { check: (_c, _me, res) => expect(res.body.items).toEqual(expect.any(Array)) }),
  },
  'get /api/posts': {
    access: ['admin'],
    targets: () => {
      const inRegion = (label: string, region: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: region() }),
        call: () => ({ path: `/api/posts?limit=500&regionId=${region()}` }),
        group: 'region',
        check: (_c, _me, res, u) => {
          for (const x of res.body.items) expect(inSubtree(u, x.regionId, region())).toBe(true);
        },
      });
      return [
        {
          label: 'all within reach',
          ref: none,
          call: () => ({ path: '/api/posts?limit=500' }),
          check: (_c, me, res, u) => {
            expect(res.body.items.length).toBeGreaterThan(0);
            for (const x of res.body.items) expect(inSubtree(u, u.users.get(x.userId)!.regionId, me!.regionId)).toBe(true);
          },
        },
        inRegion('county A', () => h.world.a.county.id),
        inRegion('county B', () => h.world.b.county.id),
        { label: 'missing region', ref: () => ({ kind: 'missing', id: 'nope-region' }), call: () => ({ path: '/api/posts?limit=500&regionId=nope-region' }), group: 'region' },
      ];
    },
  },
  'post /api/api-keys/:id/revocation': {
    access: ['admin'],
    targets: () => {
      // Revoking is idempotent, so every admin in reach gets 200 in turn.
      const t = (label: string, id: () => string, user: () => string): Target => ({
        label,
        ref: () => ({ kind: 'api_key', id: id(), userId: user() }),
        call: () => ({ path: `/api/api-keys/${id()}/revocation` }),
        check: (_c, _me, res) => expect(res.body).toEqual({ id: id(), revokedAt: expect.any(String) }),
      });
      return [
        t('a key of a service account in grid A', () => f.keyA, () => f.serviceA),
        t('a key of a service account in grid B', () => f.keyB, () => f.serviceB),
        { label: 'missing key', ref: missing, call: () => ({ path: `/api/api-keys/${MISSING}/revocation` }) },
      ];
    },
  },
  'post /api/api-keys': {
    access: ['admin'],
    targets: () => [
      {
        // A key acts as whoever makes it.
        label: 'for oneself',
        ref: none,
        call: () => ({ path: '/api/api-keys', body: { name: `矩阵密钥${seq()}` } }),
        ok: 201,
        check: (_c, _me, res) => expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^dbk_/) }),
      },
      // Naming anyone — a person in reach, out of reach, oneself, nobody — is refused alike.
      { label: 'naming supervisor-a', ref: none, call: () => ({ path: '/api/api-keys', body: { userId: h.world.users['supervisor-a'], name: 'x' } }), ok: 422, twin: 'naming a missing user' },
      { label: 'naming supervisor-b', ref: none, call: () => ({ path: '/api/api-keys', body: { userId: h.world.users['supervisor-b'], name: 'x' } }), ok: 422, twin: 'naming a missing user' },
      { label: 'naming the city admin', ref: none, call: () => ({ path: '/api/api-keys', body: { userId: h.world.users.admin, name: 'x' } }), ok: 422, twin: 'naming a missing user' },
      { label: 'naming a missing user', ref: none, call: () => ({ path: '/api/api-keys', body: { userId: MISSING, name: 'x' } }), ok: 422 },
    ],
  },
  'post /api/service-accounts': {
    access: ['admin'],
    targets: () => {
      const body = (regionId: string) => ({ name: `mx-system-${seq()}`, system: '矩阵对接系统', role: 'supervisor', regionId });
      const t = (label: string, regionId: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: regionId() }),
        call: () => ({ path: '/api/service-accounts', body: body(regionId()) }),
        ok: 201,
        hidden: 422,
        check: (_c, _me, res) => {
          expect(res.body).toMatchObject({ regionId: regionId(), kind: 'service', username: expect.stringMatching(/^system:mx-system-/), displayName: '系统对接：矩阵对接系统' });
          expect(res.body).not.toHaveProperty('passwordHash');
        },
      });
      return [
        t('in county A', () => h.world.a.county.id),
        t('in county B', () => h.world.b.county.id),
        t('at the city', () => h.world.a.city.id),
        { label: 'missing region', ref: missing, call: () => ({ path: '/api/service-accounts', body: body(`nope-${seq()}`) }), hidden: 422 },
      ];
    },
  },
  'post /api/service-accounts/:id/api-keys': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string, ok = 201): Target => ({
        label,
        ref: () => ({ kind: 'user', id: id() }),
        call: () => ({ path: `/api/service-accounts/${id()}/api-keys`, body: { name: `矩阵密钥${seq()}` } }),
        ok,
        check: (_c, _me, res) => expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^dbk_/) }),
      });
      return [
        t('a service account in grid A', () => f.serviceA),
        t('a service account in grid B', () => f.serviceB),
        // A person is no service account, in reach or not: nobody makes a key that acts as them.
        t('supervisor-a, a person', () => h.world.users['supervisor-a'], 404),
        t('the city admin, a person', () => h.world.users.admin, 404),
        { label: 'missing account', ref: missing, call: () => ({ path: `/api/service-accounts/${MISSING}/api-keys`, body: { name: 'x' } }) },
      ];
    },
  },
  'patch /api/regions/:id': {
    access: ['admin'],
    targets: () => {
      // The name it already has: the rule is exercised without renaming the world under other cells.
      const t = (label: string, region: () => { id: string; name: string }): Target => ({
        label,
        ref: () => ({ kind: 'region', id: region().id }),
        call: () => ({ path: `/api/regions/${region().id}`, body: { name: region().name } }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ id: region().id, name: region().name }),
      });
      return [
        t('grid A', () => h.world.a.grid),
        t('township B', () => h.world.b.township),
        { label: 'missing region', ref: () => ({ kind: 'missing', id: 'nope-region' }), call: () => ({ path: '/api/regions/nope-region', body: { name: 'x' } }) },
      ];
    },
  },
  'patch /api/enterprises/:id': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: `/api/enterprises/${id()}`, body: { responsiblePerson: `矩阵负责人${seq()}` } }),
        check: (_c, _me, res) => expect(res.body.id).toBe(id()),
      });
      return [
        t('enterprise A', () => f.entA),
        t('enterprise A2 (township A)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: `/api/enterprises/${MISSING}`, body: { responsiblePerson: 'x' } }) },
      ];
    },
  },
  'post /api/users/:id/password': {
    access: ['admin'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'user', id: id() }),
        call: () => ({ path: `/api/users/${id()}/password`, body: { password: 'matrix password 2026' } }),
        check: (_c, _me, res) => {
          expect(res.body.id).toBe(id());
          expect(res.body).not.toHaveProperty('passwordHash');
        },
      });
      return [
        t('a user in grid A', () => f.tempUserA),
        t('a user in grid B', () => f.tempUserB),
        { label: 'missing user', ref: missing, call: () => ({ path: `/api/users/${MISSING}/password`, body: { password: 'matrix password 2026' } }) },
      ];
    },
  },
  'get /api/api-keys': {
    access: ['admin'],
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/api-keys?limit=500' }),
        check: (_c, me, res, u) => {
          expect(res.body.items.length).toBeGreaterThan(0);
          for (const k of res.body.items as Array<{ userId: string }>) expect(inSubtree(u, u.users.get(k.userId)!.regionId, me!.regionId)).toBe(true);
          expect(JSON.stringify(res.body)).not.toMatch(/keyHash|dbk_/);
        },
      },
    ],
  },
  'get /api/policies/:id': {
    access: ['admin', 'supervisor', 'leader'],
    targets: () => [
      {
        label: 'a version',
        ref: none,
        // City-wide data: nothing to hide, so nothing to compare with a missing one.
        group: 'bureau',
        call: () => ({ path: `/api/policies/${f.majorPolicy}` }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ id: f.majorPolicy, grade: 'major', changes: expect.any(Array) }),
      },
      { label: 'missing version', ref: missing, call: () => ({ path: '/api/policies/999999999' }) },
    ],
  },
  'get /api/calendars/publications': {
    access: ['admin'],
    targets: () => [
      {
        label: 'the latest',
        ref: none,
        call: () => ({ path: '/api/calendars/publications' }),
        check: (_c, _me, res) => expect(res.body.items.map((p: { publicationId: string }) => p.publicationId)).toContain(f.publication),
      },
    ],
  },
  'get /api/policies': {
    access: ['admin', 'supervisor', 'leader'],
    targets: () => [
      {
        label: 'every version',
        ref: none,
        call: () => ({ path: '/api/policies' }),
        check: (_c, _me, res) => expect(res.body.items.length).toBeGreaterThan(0),
      },
    ],
  },
  'post /api/policies': {
    access: { roles: ['admin'], jurisdiction: 'city' },
    targets: () => [
      {
        // Policies apply to every county: only the city's admins save one (a narrow scope here,
        // so no other hazard of this database runs on it).
        label: 'a new version for one industry',
        ref: none,
        call: () => ({ path: '/api/policies', body: { grade: 'general', industry: `矩阵测试行业${seq()}`, policy: DEFAULT_POLICIES.general, note: 'matrix' } }),
        ok: 201,
        check: (c, _me, res) => expect(res.body).toMatchObject({ grade: 'general', version: 1, createdBy: c.identity }),
      },
    ],
  },
  'post /api/hazards/:id/urge': {
    access: ['leader'],
    targets: () => {
      /** Each leader urges a hazard of their own (a second urge within the quiet window is refused); the others aim at a shared one. */
      const urgeable = (side: 'A' | 'B') => (c: Caller) => f.urgeable[c.name]?.[side] ?? (side === 'A' ? f.hzA : f.hzB);
      const body = { message: '限期整改到位' };
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'hazard', id: id(c) }),
        call: (c) => ({ path: `/api/hazards/${id(c)}/urge`, body }),
        ok,
        check: (c, _me, res) => expect(res.body).toMatchObject({ itemKind: 'hazard', itemId: id(c), urgedBy: c.identity, message: '限期整改到位' }),
      });
      return [
        t('hazard A being rectified', urgeable('A'), 200),
        t('hazard B being rectified', urgeable('B'), 200),
        t('closed hazard A', () => f.closedA, 409),
        { label: 'missing hazard', ref: missing, call: () => ({ path: `/api/hazards/${MISSING}/urge`, body }) },
      ];
    },
  },
  'post /api/notices/:id/urge': {
    access: ['leader'],
    targets: () => {
      const urgeable = (side: 'A' | 'B') => (c: Caller) => f.urgeableNotice[c.name]?.[side] ?? (side === 'A' ? f.noticeA : f.noticeB);
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'notice', id: id(c) }),
        call: (c) => ({ path: `/api/notices/${id(c)}/urge`, body: {} }),
        ok,
        check: (c, _me, res) => expect(res.body).toMatchObject({ itemKind: 'notice', itemId: id(c), urgedBy: c.identity }),
      });
      return [
        t('open notice to township A', urgeable('A'), 200),
        t('open notice to township B', urgeable('B'), 200),
        t('closed notice to township A', () => f.noticeClosedA, 409),
        { label: 'missing notice', ref: missing, call: () => ({ path: `/api/notices/${MISSING}/urge`, body: {} }) },
      ];
    },
  },
  'post /api/urges': {
    access: ['leader'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: '/api/urges', body: { enterpriseId: id(), message: '统一催办' } }),
        ok: 202,
        hidden: 422,
        check: (_c, _me, res) => expect(res.body).toMatchObject({ bulkUrgeId: expect.stringMatching(/^urge-/), concerned: expect.any(Number), progressUrl: expect.stringMatching(/^\/api\/bulk-urges\/urge-/) }),
      });
      return [
        t('enterprise A2 (no overdue items)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: '/api/urges', body: { enterpriseId: MISSING } }), hidden: 422 },
      ];
    },
  },
  'get /api/bulk-urges/:id': {
    access: ['leader'],
    targets: () => [
      // A bulk urge is read within the reach of the leader who began it: its jurisdiction stands for it.
      {
        label: 'begun by leader-a',
        ref: () => ({ kind: 'bulk_urge', id: f.bulkByLeaderA.slice('urge-'.length), regionId: h.world.a.county.id }),
        call: () => ({ path: `/api/bulk-urges/${f.bulkByLeaderA}` }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ bulkUrgeId: f.bulkByLeaderA, done: true, scope: { kind: 'enterprise', id: f.entA2 } }),
      },
      { label: 'begun by the city leader', ref: () => ({ kind: 'bulk_urge', id: f.bulkByCity.slice('urge-'.length), regionId: h.world.a.city.id }), call: () => ({ path: `/api/bulk-urges/${f.bulkByCity}` }) },
      { label: 'missing bulk urge', ref: missing, call: () => ({ path: `/api/bulk-urges/urge-${MISSING}` }) },
    ],
  },
  'get /api/urges': {
    access: ['leader'],
    targets: () => {
      const t = (by: 'me' | 'all'): Target => ({
        label: `urged ${by === 'me' ? 'by me' : 'within reach'}`,
        ref: none,
        call: () => ({ path: `/api/urges?by=${by}&limit=200` }),
        check: (c, me, res, u) => {
          expect(res.body.items.length).toBeGreaterThan(0);
          for (const x of res.body.items as Array<{ itemKind: string; itemId: string; urgedBy: string }>) {
            expect(x.itemKind === 'hazard' ? seesHazard(u, me!, x.itemId) : seesNotice(u, me!, x.itemId)).toBe(true);
            if (by === 'me') expect(x.urgedBy).toBe(c.identity);
          }
        },
      });
      return [t('me'), t('all')];
    },
  },
  'get /api/escalations': {
    access: ['leader', 'supervisor'],
    targets: () => [
      {
        label: 'addressed to me',
        ref: none,
        call: () => ({ path: '/api/escalations?limit=200' }),
        check: (_c, me, res, u) => {
          for (const x of res.body.items as Array<{ itemKind: string; itemId: string }>) {
            expect(x.itemKind === 'hazard' ? seesHazard(u, me!, x.itemId) : seesNotice(u, me!, x.itemId)).toBe(true);
          }
        },
      },
    ],
  },
  'post /api/campaigns': {
    access: ['admin'],
    targets: () => {
      const body = (regionId: string) => ({ name: `矩阵专项${seq()}`, regionId, cutoff: '2026-03-01', target: '2026-06-30' });
      const t = (label: string, regionId: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: regionId() }),
        call: () => ({ path: '/api/campaigns', body: body(regionId()) }),
        ok: 201,
        hidden: 422,
        check: (c, _me, res) => expect(res.body).toMatchObject({ regionId: regionId(), createdBy: c.identity }),
      });
      return [
        t('county A', () => h.world.a.county.id),
        t('grid B', () => h.world.b.grid.id),
        t('the city', () => h.world.a.city.id),
        { label: 'missing region', ref: missing, call: () => ({ path: '/api/campaigns', body: body(`nope-${seq()}`) }), hidden: 422 },
      ];
    },
  },
  'get /api/campaigns': {
    access: ['supervisor', 'leader', 'admin'],
    targets: () => [
      {
        label: 'all seen',
        ref: none,
        call: () => ({ path: '/api/campaigns' }),
        check: (_c, me, res, u) => expect(ids(res)).toEqual(sorted([...u.campaigns.keys()].filter((id) => seesCampaign(u, me!, id)))),
      },
    ],
  },
  'get /api/campaigns/:id': {
    access: ['supervisor', 'leader', 'admin'],
    targets: () => campaignTargets((id) => `/api/campaigns/${id}`, { check: (_c, _me, res, u) => expect(res.body.regionId).toBe(u.campaigns.get(res.body.id)?.regionId) }),
  },
  'get /api/campaigns/:id/burndown': {
    access: ['supervisor', 'leader', 'admin'],
    targets: () => [
      ...campaignTargets((id) => `/api/campaigns/${id}/burndown`, {
        // The caller's own part: its region when within the campaign's, else the campaign's whole region.
        check: (_c, me, res, u) => {
          const campaign = u.campaigns.get(res.body.campaign.id)!;
          expect(res.body.scope.regionId).toBe(inSubtree(u, me!.regionId, campaign.regionId) ? me!.regionId : campaign.regionId);
          expect(sorted(res.body.breakdown.map((b: { key: string }) => b.key))).toEqual(sorted([...u.regions.values()].filter((r) => r.parentId === res.body.scope.regionId).map((r) => r.id)));
        },
      }),
      ...campaignTargets((id) => `/api/campaigns/${id}/burndown?by=leader`, { labelSuffix: ' by leader' }),
    ],
  },
  'get /api/review-packs': {
    access: FIGURES,
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/review-packs?limit=100' }),
        check: (_c, me, res, u) => {
          const regionsListed = (res.body.items as Array<{ region: { id: string } }>).map((i) => i.region.id);
          for (const r of regionsListed) expect(inSubtree(u, r, me!.regionId)).toBe(true);
          const got = ids(res);
          expect(got.includes(f.packA)).toBe(inSubtree(u, h.world.a.county.id, me!.regionId));
          expect(got.includes(f.packB)).toBe(inSubtree(u, h.world.b.county.id, me!.regionId));
        },
      },
    ],
  },
  'get /api/stock-imports/template.xlsx': {
    access: ['admin'],
    targets: () => [{ label: 'the template', ref: none, call: () => ({ path: '/api/stock-imports/template.xlsx?examples=true' }), check: (_c, _me, res) => expect(res.headers.get('content-type')).toBe(XLSX_TYPE) }],
  },
  'post /api/stock-imports': {
    access: ['admin'],
    targets: () => {
      const form = () => {
        const data = new FormData();
        data.append('file', new Blob(['\ufeff隐患名称,企业名称,隐患类别,隐患等级,发现日期,整改期限,状态,责任监管人员\r\n矩阵存量,甲化工有限公司,消防安全,一般,2026-01-05,2026-01-20,未销号,supervisor-a\r\n']), '存量.csv');
        return data;
      };
      return [{ label: 'a sheet', ref: none, call: () => ({ path: '/api/stock-imports', form }), ok: 202, check: (c, _me, res) => expect(res.body).toMatchObject({ createdBy: c.identity, status: 'judging', fileName: '存量.csv' }) }];
    },
  },
  'get /api/stock-imports': {
    access: ['admin'],
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/stock-imports' }),
        check: (_c, me, res, u) => {
          const got = ids(res);
          expect(got.includes(f.importA)).toBe(inSubtree(u, h.world.a.county.id, me!.regionId));
          expect(got.includes(f.importCity)).toBe(inSubtree(u, h.world.a.city.id, me!.regionId));
        },
      },
    ],
  },
  ...Object.fromEntries(
    (
      [
        ['get /api/stock-imports/:id', (id: string) => `/api/stock-imports/${id}`, 200],
        ['get /api/stock-imports/:id/rows', (id: string) => `/api/stock-imports/${id}/rows?problems=false`, 200],
        ['get /api/stock-imports/:id/report.xlsx', (id: string) => `/api/stock-imports/${id}/report.xlsx`, 200],
        ['post /api/stock-imports/:id/import', (id: string) => `/api/stock-imports/${id}/import`, 409],
      ] as const
    ).map(([key, path, ok]) => [
      key,
      {
        access: ['admin'],
        targets: (): Target[] => [
          { label: 'import of county A', group: 'import', ref: () => ({ kind: 'stock_import', id: f.importA, regionId: h.world.a.county.id }), call: () => ({ path: path(f.importA) }), ok },
          { label: 'import of the city', group: 'import', ref: () => ({ kind: 'stock_import', id: f.importCity, regionId: h.world.a.city.id }), call: () => ({ path: path(f.importCity) }), ok },
          { label: 'missing import', group: 'import', ref: missing, call: () => ({ path: path(MISSING) }) },
          ...(key === 'post /api/stock-imports/:id/import'
            ? [{ label: 'checked import of county A', ref: () => ({ kind: 'stock_import', id: f.importA, regionId: h.world.a.county.id }) as Ref, call: (c: Caller) => ({ path: path(f.importable[c.name] ?? f.importA) }), ok: 202 }]
            : []),
        ],
      } satisfies Entry,
    ]),
  ),
  'get /api/review-packs/:id': {
    access: FIGURES,
    targets: () => [
      { label: 'pack of county A', ref: () => ({ kind: 'review_pack', id: f.packA, regionId: h.world.a.county.id }), call: () => ({ path: `/api/review-packs/${f.packA}` }), group: 'pack', check: (_c, _me, res) => expect(res.body.content.region.id).toBe(h.world.a.county.id) },
      { label: 'pack of county B', ref: () => ({ kind: 'review_pack', id: f.packB, regionId: h.world.b.county.id }), call: () => ({ path: `/api/review-packs/${f.packB}` }), group: 'pack' },
      { label: 'missing pack', ref: missing, call: () => ({ path: `/api/review-packs/${MISSING}` }), group: 'pack' },
    ],
  },
  'post /api/review-packs': {
    access: ['leader', 'admin'],
    targets: () => {
      const t = (label: string, region: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: region() }),
        call: () => ({ path: '/api/review-packs', body: { regionId: region() } }),
        ok: 202,
        hidden: 422,
        group: 'region',
        check: (_c, _me, res) => expect(res.headers.get('location')).toBe(`/api/review-packs/${res.body.id}`),
      });
      return [
        t('county A', () => h.world.a.county.id),
        t('county B', () => h.world.b.county.id),
        { label: 'missing region', ref: () => ({ kind: 'missing', id: 'nope-region' }), call: () => ({ path: '/api/review-packs', body: { regionId: 'nope-region' } }), hidden: 422, group: 'region' },
      ];
    },
  },
  'get /api/review-packs/policies': {
    access: ['admin'],
    targets: () => [
      {
        // Every jurisdiction within reach, and none outside (the matrix checks no name leaks).
        label: '-',
        ref: none,
        call: () => ({ path: '/api/review-packs/policies' }),
        check: (_c, me, res) => expect(res.body.items.map((p: { regionId: string }) => p.regionId)).toContain(me!.regionId === h.world.a.city.id ? h.world.b.county.id : h.world.a.county.id),
      },
    ],
  },
  'put /api/review-packs/policies/:regionId': {
    access: { roles: ['admin'], jurisdiction: 'city' },
    targets: () => [
      {
        // Inactive, so no schedule is left behind on the shared server.
        label: 'county A stops meeting',
        ref: none,
        call: () => ({ path: `/api/review-packs/policies/${h.world.a.county.id}`, body: { everyMonths: 2, active: false } }),
        check: (_c, _me, res) => expect(res.body).toMatchObject({ regionId: h.world.a.county.id, active: false, schedule: 'removed' }),
      },
      { label: 'missing region', ref: () => ({ kind: 'missing', id: 'nope-region' }), call: () => ({ path: '/api/review-packs/policies/nope-region', body: { everyMonths: 2 } }), group: 'missing region' },
    ],
  },
  'get /api/audit/verify': {
    access: ['admin'],
    targets: () => [
      {
        label: '-',
        ref: none,
        call: () => ({ path: '/api/audit/verify' }),
        check: (_c, me, res, u) => {
          expect(res.body.ok).toBe(true);
          // Counts are lists too: only chains within reach (plus the administrative chain).
          const within = (ids: Iterable<string>, sees: (u: Universe, me: Me, id: string) => boolean) => [...ids].filter((id) => sees(u, me!, id)).length;
          expect(res.body.chains.hazard, 'hazard chains counted beyond reach').toBeLessThanOrEqual(within(u.hazards.keys(), seesHazard));
          expect(res.body.chains.notice, 'notice chains counted beyond reach').toBeLessThanOrEqual(within(u.notices.keys(), seesNotice));
          expect(res.body.chains.suspension, 'suspension chains counted beyond reach').toBeLessThanOrEqual(within(u.suspensions.keys(), seesSuspension));
          expect(res.body.chains.inspection, 'inspection chains counted beyond reach').toBeLessThanOrEqual(within(u.inspections.keys(), seesInspection));
          expect(res.body.chains.admin).toBeLessThanOrEqual(1);
        },
      },
    ],
  },
  'post /api/inspections': {
    access: ['supervisor'],
    targets: () => {
      const body = (enterpriseId: string) => ({
        enterpriseId,
        location: '矩阵测试车间',
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
        endedAt: new Date(Date.now() - 600_000).toISOString(),
        findings: [{ item: '消防通道畅通', result: 'pass' }],
      });
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: '/api/inspections', body: body(id()) }),
        ok: 201,
        hidden: 422,
        check: (c, me, res) => expect(res.body).toMatchObject({ enterpriseId: id(), createdBy: c.identity, inspectors: [me!.id] }),
      });
      return [
        t('enterprise A', () => f.entA),
        t('enterprise A2 (township A)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: '/api/inspections', body: body(MISSING) }), hidden: 422 },
      ];
    },
  },
  'get /api/inspections': {
    access: 'authenticated',
    targets: () => {
      const list = (label: string, enterpriseId?: () => string): Target => ({
        label,
        ref: none,
        call: () => ({ path: `/api/inspections?limit=200${enterpriseId ? `&enterpriseId=${enterpriseId()}` : ''}` }),
        check: (_c, me, res, u) => {
          const expected = [...u.inspections.values()].filter((i) => seesInspection(u, me!, i.id) && (!enterpriseId || i.enterpriseId === enterpriseId()));
          expect(ids(res)).toEqual(sorted(expected.map((i) => i.id)));
          expect(res.body.total).toBe(expected.length);
        },
      });
      return [list('all within reach'), list('filtered to enterprise A', () => f.entA), list('filtered to enterprise B', () => f.entB)];
    },
  },
  'get /api/inspections/:id': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'inspection', id: id() }),
        call: () => ({ path: `/api/inspections/${id()}` }),
        check: (_c, _me, res, u) => expect(res.body.enterpriseId).toBe(u.inspections.get(id())?.enterpriseId),
      });
      return [
        t('inspection A (grid A)', () => f.inspA),
        t('inspection A2 (township A)', () => f.inspA2),
        t('inspection B', () => f.inspB),
        { label: 'missing inspection', ref: missing, call: () => ({ path: `/api/inspections/${MISSING}` }) },
      ];
    },
  },
  'post /api/inspections/:id/findings/:n/hazard': {
    access: ['supervisor'],
    targets: () => {
      const body = { deadline: addDays(shanghaiDate(Date.now()), 20) };
      /** Each caller registers a finding of its own (its place among the callers), so none is used twice. */
      const own = (c: Caller) => CALLERS.indexOf(c) + 1;
      // Grouped by finding number: an out-of-reach answer is compared with a missing inspection's
      // answer for the same number (the number is in the problem's instance).
      const t = (label: string, id: () => string, n: (c: Caller) => number, ok: number, group: string): Target => ({
        label,
        ref: () => ({ kind: 'inspection', id: id() }),
        call: (c) => ({ path: `/api/inspections/${id()}/findings/${n(c)}/hazard`, body }),
        ok,
        group,
        check: (c, _me, res) => expect(res.body).toMatchObject({ inspection: { id: id(), finding: n(c) }, source: 'inspection', createdBy: c.identity }),
      });
      const absent = (group: string, n: (c: Caller) => number): Target => ({
        label: `missing inspection (${group})`,
        ref: missing,
        group,
        call: (c) => ({ path: `/api/inspections/${MISSING}/findings/${n(c)}/hazard`, body }),
      });
      return [
        t('inspection A, a failed finding', () => f.inspA, own, 201, 'own'),
        t('inspection A2 (township A), a failed finding', () => f.inspA2, own, 201, 'own'),
        t('inspection B, a failed finding', () => f.inspB, own, 201, 'own'),
        absent('own', own),
        t('inspection A, a passed finding', () => f.inspA, () => 12, 422, 'passed'),
        absent('passed', () => 12),
        t('inspection A, a finding that is already a hazard', () => f.inspA, () => 13, 409, 'linked'),
        t('inspection B, a finding that is already a hazard', () => f.inspB, () => 13, 409, 'linked'),
        absent('linked', () => 13),
      ];
    },
  },
  'get /api/hazards/:id/audit': {
    access: ['admin', 'supervisor', 'leader'],
    targets: () => hazardTargets((id) => `/api/hazards/${id}/audit`, { check: (_c, _me, res) => expect(res.body.ok).toBe(true) }),
  },

  'post /api/notices': {
    access: ['supervisor', 'leader'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: id() }),
        call: () => ({ path: '/api/notices', body: { addressee: { regionId: id(), department: '安监办' }, title: '矩阵督办', requirements: '按要求落实' } }),
        ok: 201,
        hidden: 422,
        check: (c, _me, res) => expect(res.body).toMatchObject({ addressee: expect.stringContaining('安监办'), issuedBy: c.identity, status: 'issued', code: expect.stringMatching(/〔\d{4}〕[1-9]\d*号$/) }),
      });
      return [
        t('township A', () => h.world.a.township.id),
        t('grid A', () => h.world.a.grid.id),
        t('county B', () => h.world.b.county.id),
        { label: 'missing region', ref: missing, call: () => ({ path: '/api/notices', body: { addressee: { regionId: `nope-${seq()}` }, title: '矩阵督办', requirements: '按要求落实' } }), hidden: 422 },
      ];
    },
  },
  'post /api/notices/deadline-preview': {
    access: ['supervisor', 'leader'],
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'region', id: id() }),
        call: () => ({ path: '/api/notices/deadline-preview', body: { addressee: { regionId: id() } } }),
        ok: 200,
        hidden: 422,
        check: (_c, _me, res) => expect(res.body).toMatchObject({ grade: 'general', deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), deadlineRule: { days: 10, unit: 'working' } }),
      });
      return [
        t('township A', () => h.world.a.township.id),
        t('county B', () => h.world.b.county.id),
        { label: 'missing region', ref: missing, call: () => ({ path: '/api/notices/deadline-preview', body: { addressee: { regionId: `nope-${seq()}` } } }), hidden: 422 },
      ];
    },
  },
  'get /api/notices': {
    access: 'authenticated',
    targets: () => [
      {
        label: 'all within reach',
        ref: none,
        call: () => ({ path: '/api/notices?limit=200' }),
        check: (_c, me, res, u) => {
          const expected = [...u.notices.keys()].filter((id) => seesNotice(u, me!, id));
          expect(ids(res)).toEqual(sorted(expected));
          expect(res.body.total).toBe(expected.length);
        },
      },
    ],
  },
  'get /api/notices/:id': {
    access: 'authenticated',
    targets: () => {
      // An enterprise sees what is addressed to it: no pending or declined decision, no instrument
      // or notification to an official, no decision opened on the timeline.
      const check = (_c: Caller, me: Me | null, res: HttpResponse) => {
        expect(res.body.code).toMatch(/号$/);
        if (me?.role !== 'enterprise') return;
        expect(res.body.decisions.filter((d: { status: string }) => d.status !== 'taken')).toEqual([]);
        expect(res.body.instruments.filter((i: { recipientRole: string }) => i.recipientRole !== 'enterprise')).toEqual([]);
        expect(res.body.notifications.filter((n: { recipientRole: string }) => n.recipientRole !== 'enterprise')).toEqual([]);
        expect(res.body.timeline.map((e: { type: string }) => e.type)).not.toContain('decision_opened');
        expect(res.body).not.toHaveProperty('policy');
      };
      const overdueA: Target = { label: 'overdue notice A, decisions pending', ref: () => ({ kind: 'notice', id: f.decision['grid-a']!.A!.notice }), call: () => ({ path: `/api/notices/${f.decision['grid-a']!.A!.notice}` }), check };
      return [...noticeTargets((id) => `/api/notices/${id}`, { check }), overdueA];
    },
  },
  'post /api/notices/:id/sign': {
    access: ['enterprise'],
    targets: () => {
      const t = (label: string, id: () => string, ok: number): Target => ({
        label,
        ref: () => ({ kind: 'notice', id: id() }),
        call: () => ({ path: `/api/notices/${id()}/sign` }),
        ok,
        check: (c, _me, res) => expect(res.body).toMatchObject({ status: 'signed', signedBy: c.identity }),
      });
      return [
        t('unsigned notice A', () => f.signA, 200),
        t('unsigned notice B', () => f.signB, 200),
        t('signed notice A', () => f.noticeSignedA, 409),
        t('notice to township A', () => f.noticeClosedA, 409),
        { label: 'missing notice', ref: missing, call: () => ({ path: `/api/notices/${MISSING}/sign` }) },
      ];
    },
  },
  'post /api/notices/:id/decisions/:decisionId': {
    access: ['leader', 'supervisor'],
    targets: () => {
      const pendingFor = (side: 'A' | 'B') => (c: Caller) => f.decision[c.name]?.[side] ?? (side === 'A' ? f.decision['supervisor-a']!.A! : f.decision['supervisor-b']!.B!);
      const body = { outcome: 'taken', documentNumber: '矩阵罚〔2026〕1号', reason: '逾期未整改' };
      const t = (label: string, d: (c: Caller) => { notice: string; id: string }, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'notice', id: d(c).notice }),
        call: (c) => ({ path: `/api/notices/${d(c).notice}/decisions/${d(c).id}`, body }),
        ok,
        check: (c, _me, res) => expect(res.body.decisions.find((x: { id: string }) => x.id === d(c).id)).toMatchObject({ status: 'taken', decidedBy: c.identity, documentNumber: '矩阵罚〔2026〕1号' }),
      });
      // Each in-reach target is compared with a missing notice named by the same decision id.
      const missingWith = (label: string, d: (c: Caller) => { notice: string; id: string }, group: string): Target => ({
        label,
        ref: missing,
        call: (c) => ({ path: `/api/notices/${MISSING}/decisions/${d(c).id}`, body }),
        group,
      });
      // The policy names posts: the penalty is the section chief's (grid-a is a grid worker, a
      // service account holds no post), the warning interview the county leader's (not the city
      // leader's: the default policy allows no higher post).
      const notHolder = (c: Caller) => ['grid-a', 'leader-city', 'supervisor-b (API key)'].includes(c.name);
      return [
        { ...t('pending decision on notice A', pendingFor('A'), 200), group: 'A', refused: notHolder },
        missingWith('missing notice, decision of notice A', pendingFor('A'), 'A'),
        { ...t('pending decision on notice B', pendingFor('B'), 200), group: 'B', refused: notHolder },
        missingWith('missing notice, decision of notice B', pendingFor('B'), 'B'),
        { ...t('decision taken on notice A', () => f.decidedA, 409), group: 'taken' },
        missingWith('missing notice, decision taken', () => f.decidedA, 'taken'),
        // Within reach, a decision the notice does not have is not found either.
        { ...t('missing decision on notice A', () => ({ notice: f.noticeA, id: MISSING }), 404), group: 'decision' },
      ];
    },
  },
  'post /api/notices/:id/extend': {
    access: ['supervisor'],
    targets: () => {
      let shift = 0;
      const later = () => addDays(f.deadline, 30 + ++shift);
      const t = (label: string, id: () => string, ok: number): Target => ({
        label,
        ref: () => ({ kind: 'notice', id: id() }),
        call: () => ({ path: `/api/notices/${id()}/extend`, body: { newDeadline: later(), reason: '需外购设备' } }),
        ok,
        check: (c, _me, res) => expect(res.body.timeline.at(-1)).toMatchObject({ type: 'deadline_extended', actor: c.identity }),
      });
      return [
        t('notice A', () => f.noticeA, 200),
        t('notice B', () => f.noticeB, 200),
        t('closed notice to township A', () => f.noticeClosedA, 409),
        { label: 'missing notice', ref: missing, call: () => ({ path: `/api/notices/${MISSING}/extend`, body: { newDeadline: later(), reason: '需外购设备' } }) },
      ];
    },
  },
  'post /api/notices/:id/confirm-completion': {
    access: ['supervisor'],
    targets: () => {
      const openFor = (side: 'A' | 'B') => (c: Caller) => f.confirm[c.name]?.[side] ?? (side === 'A' ? f.confirm['supervisor-a']!.A! : f.confirm['supervisor-b']!.B!);
      const body = { reason: '已按要求落实' };
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'notice', id: id(c) }),
        call: (c) => ({ path: `/api/notices/${id(c)}/confirm-completion`, body }),
        ok,
        check: (_c, _me, res) => expect(res.body.status).toBe('closed'),
      });
      return [
        t('notice to a body in county A', openFor('A'), 200),
        t('notice to a body in county B', openFor('B'), 200),
        t('notice A with hazards', () => f.noticeA, 409),
        t('closed notice to township A', () => f.noticeClosedA, 409),
        { label: 'missing notice', ref: missing, call: () => ({ path: `/api/notices/${MISSING}/confirm-completion`, body }) },
      ];
    },
  },
  'post /api/suspensions': {
    access: ['supervisor', 'leader'],
    targets: () => {
      const body = (enterpriseId: string) => ({
        enterpriseId,
        documentNumber: '矩阵应急停〔2026〕1号',
        reason: '重大事故隐患逾期未整改',
        scope: 'full',
        startsOn: shanghaiDate(Date.now()),
        plannedEnd: addDays(shanghaiDate(Date.now()), 30),
      });
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'enterprise', id: id() }),
        call: () => ({ path: '/api/suspensions', body: body(id()) }),
        ok: 201,
        hidden: 422,
        check: (c, _me, res) => expect(res.body).toMatchObject({ enterpriseId: id(), createdBy: c.identity, status: 'suspended' }),
      });
      return [
        t('enterprise A', () => f.entA),
        t('enterprise A2 (township A)', () => f.entA2),
        t('enterprise B', () => f.entB),
        { label: 'missing enterprise', ref: missing, call: () => ({ path: '/api/suspensions', body: body(MISSING) }), hidden: 422 },
      ];
    },
  },
  'get /api/suspensions': {
    access: 'authenticated',
    targets: () => {
      const list = (label: string, enterpriseId?: () => string): Target => ({
        label,
        ref: none,
        call: () => ({ path: `/api/suspensions?limit=200${enterpriseId ? `&enterpriseId=${enterpriseId()}` : ''}` }),
        check: (_c, me, res, u) => {
          const expected = [...u.suspensions.values()].filter((x) => seesSuspension(u, me!, x.id) && (!enterpriseId || x.enterpriseId === enterpriseId()));
          expect(ids(res)).toEqual(sorted(expected.map((x) => x.id)));
          expect(res.body.total).toBe(expected.length);
        },
      });
      return [list('all within reach'), list('filtered to enterprise A', () => f.entA), list('filtered to enterprise B', () => f.entB)];
    },
  },
  'get /api/suspensions/:id': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string): Target => ({
        label,
        ref: () => ({ kind: 'suspension', id: id() }),
        call: () => ({ path: `/api/suspensions/${id()}` }),
        check: (_c, _me, res, u) => expect(res.body.enterpriseId).toBe(u.suspensions.get(id())?.enterpriseId),
      });
      return [
        t('suspension A', () => f.susA),
        t('suspension A2 (township A)', () => f.susA2),
        t('suspension B', () => f.susB),
        t('lifted suspension A', () => f.endedA),
        { label: 'missing suspension', ref: missing, call: () => ({ path: `/api/suspensions/${MISSING}` }) },
      ];
    },
  },
  'post /api/suspensions/:id/resumption-requests': {
    access: ['enterprise'],
    targets: () => {
      const body = { note: '整改完成', selfCheck: { passed: true, summary: '自查合格' } };
      const t = (label: string, id: () => string, ok: number): Target => ({
        label,
        ref: () => ({ kind: 'suspension', id: id() }),
        call: () => ({ path: `/api/suspensions/${id()}/resumption-requests`, body }),
        ok,
        check: (c, _me, res) => expect(res.body).toMatchObject({ status: 'resumption_requested', timeline: expect.arrayContaining([expect.objectContaining({ actor: c.identity })]) }),
      });
      return [
        t('suspension A', () => f.askA, 200),
        t('suspension B', () => f.askB, 200),
        t('suspension A with a request pending', () => f.askedA, 409),
        t('lifted suspension A', () => f.endedA, 409),
        t('lifted suspension B', () => f.endedB, 409),
        { label: 'missing suspension', ref: missing, call: () => ({ path: `/api/suspensions/${MISSING}/resumption-requests`, body }) },
      ];
    },
  },
  'post /api/suspensions/:id/resumption-review': {
    access: ['supervisor', 'leader'],
    targets: () => {
      /** Each supervisor or leader who may approve gets a suspension of their own with a request pending. */
      const pendingFor = (side: 'A' | 'B') => (c: Caller) => f.resume[c.name]?.[side] ?? (side === 'A' ? f.resume['supervisor-a']!.A! : f.resume['supervisor-b']!.B!);
      const body = { decision: 'approve', comment: '验收合格' };
      const t = (label: string, id: (c: Caller) => string, ok: number, b: unknown = body): Target => ({
        label,
        ref: (c) => ({ kind: 'suspension', id: id(c) }),
        call: (c) => ({ path: `/api/suspensions/${id(c)}/resumption-review`, body: b }),
        ok,
        check: (_c, _me, res) => expect(res.body.status).toBe('resumed'),
      });
      return [
        t('suspension A with a request pending', pendingFor('A'), 200),
        t('suspension B with a request pending', pendingFor('B'), 200),
        t('suspension A, a new planned end beyond the maximum', () => f.askedA, 422, { decision: 'reject', reasons: ['不合格'], plannedEnd: addDays(shanghaiDate(Date.now()), 400) }),
        t('suspension A2 (nothing to review)', () => f.susA2, 409),
        t('lifted suspension A', () => f.endedA, 409),
        t('lifted suspension B', () => f.endedB, 409),
        { label: 'missing suspension', ref: missing, call: () => ({ path: `/api/suspensions/${MISSING}/resumption-review`, body }) },
      ];
    },
  },
  'post /api/suspensions/:id/extend': {
    access: ['supervisor', 'leader'],
    targets: () => {
      // Every caller in reach extends once more: a day later than the caller before.
      const later = (c: Caller) => addDays(shanghaiDate(Date.now()), 60 + CALLERS.indexOf(c) + 1);
      const t = (label: string, id: () => string, ok: number, date: (c: Caller) => string = later): Target => ({
        label,
        ref: () => ({ kind: 'suspension', id: id() }),
        call: (c) => ({ path: `/api/suspensions/${id()}/extend`, body: { plannedEnd: date(c), reason: '设备到货推迟' } }),
        ok,
        check: (c, _me, res) => expect(res.body.plannedEnd).toBe(later(c)),
      });
      return [
        t('suspension A', () => f.susA, 200),
        t('suspension A2 (township A)', () => f.susA2, 200),
        t('suspension B', () => f.susB, 200),
        t('suspension A, beyond the maximum', () => f.susA, 422, () => addDays(shanghaiDate(Date.now()), 400)),
        t('lifted suspension A', () => f.endedA, 409),
        t('lifted suspension B', () => f.endedB, 409),
        { label: 'missing suspension', ref: missing, call: (c) => ({ path: `/api/suspensions/${MISSING}/extend`, body: { plannedEnd: later(c), reason: '设备到货推迟' } }) },
      ];
    },
  },
  'post /api/suspensions/:id/lift': {
    access: ['leader'],
    targets: () => {
      const runningFor = (side: 'A' | 'B') => (c: Caller) => f.lift[c.name]?.[side] ?? (side === 'A' ? f.lift['leader-a']!.A! : f.lift['leader-city']!.B!);
      const body = { documentNumber: '矩阵应急解〔2026〕1号', reason: '停产决定撤销' };
      const t = (label: string, id: (c: Caller) => string, ok: number): Target => ({
        label,
        ref: (c) => ({ kind: 'suspension', id: id(c) }),
        call: (c) => ({ path: `/api/suspensions/${id(c)}/lift`, body }),
        ok,
        check: (_c, _me, res) => expect(res.body.status).toBe('lifted'),
      });
      return [
        t('suspension A', runningFor('A'), 200),
        t('suspension B', runningFor('B'), 200),
        t('lifted suspension A', () => f.endedA, 409),
        t('lifted suspension B', () => f.endedB, 409),
        { label: 'missing suspension', ref: missing, call: () => ({ path: `/api/suspensions/${MISSING}/lift`, body }) },
      ];
    },
  },
  // Printed documents: the reach of the record they are printed from.
  'get /api/instruments/:ref/pdf': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, notice: () => string, ref: () => string): Target => ({
        label,
        ref: () => ({ kind: 'instrument', id: encodeURIComponent(ref()), noticeId: notice() }),
        call: () => ({ path: `/api/instruments/${encodeURIComponent(ref())}/pdf` }),
        check: (_c, _me, res) => expect(res.headers.get('content-type')).toBe('application/pdf'),
      });
      return [
        t('order of notice A, by number', () => f.noticeA, () => printed.orders.get(f.noticeA)!.code),
        t('order of notice A, by id', () => f.noticeA, () => printed.orders.get(f.noticeA)!.id),
        t('order of notice B', () => f.noticeB, () => printed.orders.get(f.noticeB)!.code),
        t('order of the closed notice to township A', () => f.noticeClosedA, () => printed.orders.get(f.noticeClosedA)!.code),
        { label: 'missing instrument', ref: missing, call: () => ({ path: `/api/instruments/${MISSING}/pdf` }) },
      ];
    },
  },
  'get /api/notices/:id/decisions/:decisionId/pdf': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, d: () => { notice: string; id: string }, ok = 200): Target[] => [
        { label, group: label, ref: () => ({ kind: 'notice', id: d().notice }), call: () => ({ path: `/api/notices/${d().notice}/decisions/${d().id}/pdf` }), ok },
        { label: `missing notice, ${label}`, group: label, ref: missing, call: () => ({ path: `/api/notices/${MISSING}/decisions/${d().id}/pdf` }) },
      ];
      return [
        ...t('decision taken on notice A', () => printed.takenA),
        ...t('decision taken on notice B', () => printed.takenB),
        // A declined decision is a deliberation, not a document.
        ...t('decision declined on notice A', () => f.decidedA, 404),
      ];
    },
  },
  'get /api/suspensions/:id/pdf': {
    access: 'authenticated',
    targets: () => suspensionDocumentTargets((id) => `/api/suspensions/${id}/pdf`),
  },
  'get /api/suspensions/:id/documents': {
    access: 'authenticated',
    targets: () => suspensionDocumentTargets((id) => `/api/suspensions/${id}/documents`),
  },
  'get /api/suspensions/:id/decisions/:seq/pdf': {
    access: 'authenticated',
    targets: () => {
      const t = (label: string, id: () => string, seq: () => number, ok = 200): Target[] => [
        { label, group: label, ref: () => ({ kind: 'suspension', id: id() }), call: () => ({ path: `/api/suspensions/${id()}/decisions/${seq()}/pdf` }), ok },
        { label: `missing suspension, ${label}`, group: label, ref: missing, call: () => ({ path: `/api/suspensions/${MISSING}/decisions/${seq()}/pdf` }) },
      ];
      return [
        ...t('lifting of suspension A', () => f.endedA, () => printed.lifted.get(f.endedA)!),
        ...t('lifting of suspension B', () => f.endedB, () => printed.lifted.get(f.endedB)!),
        // The order's own entry is printed by its own route, not as a decision on resumption.
        ...t('order entry of suspension A', () => f.endedA, () => 1, 404),
      ];
    },
  },
  // The case file is the bureau's: supervisors and leaders within reach, never an enterprise.
  'get /api/hazards/:id/case-file': {
    access: ['supervisor', 'leader'],
    targets: () => hazardTargets((id) => `/api/hazards/${id}/case-file`, { check: (_c, _me, res) => expect(res.headers.get('x-case-file-signature')).toMatch(/^[0-9a-f]{64}$/) }),
  },
  'get /api/hazards/:id/case-file.json': {
    access: ['supervisor', 'leader'],
    targets: () => hazardTargets((id) => `/api/hazards/${id}/case-file.json`, { check: (_c, _me, res, u) => expect(res.body.hazard.enterprise.id).toBe(u.hazards.get(res.body.hazard.id)?.enterpriseId) }),
  },
  'get /api/hazards/:id/documents': {
    access: 'authenticated',
    targets: () => hazardTargets((id) => `/api/hazards/${id}/documents`, { check: (_c, _me, res) => expect(Array.isArray(res.body.documents)).toBe(true) }),
  },
};

function suspensionDocumentTargets(path: (id: string) => string): Target[] {
  const t = (label: string, id: () => string): Target => ({ label, ref: () => ({ kind: 'suspension', id: id() }), call: () => ({ path: path(id()) }) });
  return [
    t('suspension A', () => f.susA),
    t('suspension B', () => f.susB),
    t('lifted suspension A', () => f.endedA),
    { label: 'missing suspension', ref: missing, call: () => ({ path: path(MISSING) }) },
  ];
}

/** What the document cells print: each notice's order, a decision taken on notices A and B, each lifting's place in its trail. */
const printed = {
  orders: new Map<string, { id: string; code: string }>(),
  takenA: { notice: '', id: '' },
  takenB: { notice: '', id: '' },
  lifted: new Map<string, number>(),
};

async function preparePrinted(): Promise<void> {
  const db = h.database.db;
  const orders = await db.select({ id: instruments.id, code: instruments.code, subjectId: instruments.subjectId }).from(instruments).where(eq(instruments.kind, 'rectification_order'));
  for (const o of orders) printed.orders.set(o.subjectId, { id: o.id, code: o.code });
  // Taken as the notice workflow records a decision: written here so no cell of the decide route is disturbed.
  // Each taken by the chief of its own county, so nothing of one county appears in the other's.
  const taken = (notice: string, decidedBy: string) => ({ id: randomUUID(), noticeId: notice, kind: 'penalty', deciderRole: 'supervisor_chief', openedAt: new Date(), status: 'taken' as const, documentNumber: '罚〔2026〕1号', reason: '逾期', decidedBy, decidedAt: new Date() });
  const [a, b] = [taken(f.noticeA, 'supervisor-a'), taken(f.noticeB, 'supervisor-b')];
  await db.insert(noticeDecisions).values([a, b]);
  printed.takenA = { notice: f.noticeA, id: a.id };
  printed.takenB = { notice: f.noticeB, id: b.id };
  const lifts = await db.select({ id: caseEvents.caseId, seq: caseEvents.chainSeq }).from(caseEvents).where(and(eq(caseEvents.caseType, 'suspension'), eq(caseEvents.type, 'lifted')));
  for (const l of lifts) printed.lifted.set(l.id, l.seq);
}

const LEADER_B_TARGET = 'in grid A, led by a leader of county B';

// ---------------------------------------------------------------------------------------------
// Fixtures, through the API

function requesterFor(token: string): Requester {
  return (method, path, opts = {}) => h.http.request(method, path, { token, ...opts });
}

async function ok<T = any>(res: Promise<HttpResponse>, status: number): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`fixture: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

async function buildFixtures(): Promise<Fixtures> {
  const as = (u: Identity) => requesters.get(u)!;
  const admin = as('admin');
  const entA2 = (await ok(admin('POST', '/api/enterprises', { body: { name: '甲二建材有限公司', creditCode: creditCode(), regionId: h.world.a.township.id, industry: '建材' } }), 201)).id as string;
  const leaderB = (await ok(admin('POST', '/api/users', { body: { username: 'leader-b', displayName: '乙县领导', role: 'leader', regionId: h.world.b.county.id } }), 201)).id as string;
  const tempUserA = (await ok(admin('POST', '/api/users', { body: { username: 'temp-a', displayName: '甲临时', role: 'supervisor', regionId: h.world.a.grid.id } }), 201)).id as string;
  const tempUserB = (await ok(admin('POST', '/api/users', { body: { username: 'temp-b', displayName: '乙临时', role: 'supervisor', regionId: h.world.b.grid.id } }), 201)).id as string;
  const service = async (name: string, regionId: string) =>
    (await ok(admin('POST', '/api/service-accounts', { body: { name, system: `${name} 对接系统`, role: 'supervisor', regionId } }), 201)).id as string;
  const serviceA = await service('temp-system-a', h.world.a.grid.id);
  const serviceB = await service('temp-system-b', h.world.b.grid.id);
  const keyA = (await ok(admin('POST', `/api/service-accounts/${serviceA}/api-keys`, { body: { name: '甲临时密钥' } }), 201)).id as string;
  const keyB = (await ok(admin('POST', `/api/service-accounts/${serviceB}/api-keys`, { body: { name: '乙临时密钥' } }), 201)).id as string;

  const farYear = Number(shanghaiDate(Date.now()).slice(0, 4)) + 30;
  const publication = (await ok(admin('POST', '/api/calendars', { body: { year: farYear, source: '矩阵测试', holidays: [], workdays: [] } }), 202)).publicationId as string;
  const campaign = async (regionId: string) =>
    (await ok(admin('POST', '/api/campaigns', { body: { name: `矩阵清零${seq()}`, regionId, cutoff: addDays(shanghaiDate(Date.now()), -3), target: addDays(shanghaiDate(Date.now()), 30) } }), 201)).id as string;
  const [campaignCity, campaignA, campaignB] = [await campaign(h.world.a.city.id), await campaign(h.world.a.county.id), await campaign(h.world.b.county.id)];

  const deadline = addDays(shanghaiDate(Date.now()), 15);
  const register = async (who: Identity, enterpriseId: string) =>
    (await ok(as(who)('POST', '/api/hazards', { body: { enterpriseId, title: '安全出口堵塞', category: '消防安全', source: 'inspection', grade: 'general', deadline } }), 201)).id as string;
  const upload = async (who: Identity, hazardId: string) =>
    (await ok(as(who)('POST', `/api/hazards/${hazardId}/evidence`, { raw: evidenceForm([{ name: '整改后.jpg', bytes: SAMPLE_JPEG }]) }), 201)).items[0].id as string;
  const submit = (who: Identity, hazardId: string, file: string) => ok(as(who)('POST', `/api/hazards/${hazardId}/submissions`, { body: { evidence: [file] } }), 200);
  const accept = (who: Identity, hazardId: string) => ok(as(who)('POST', `/api/hazards/${hazardId}/reviews`, { body: { decision: 'accept' } }), 200);

  const rectifying = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const id = await register(sup, enterpriseId);
    return { id, file: await upload(ent, id) };
  };
  const underReview = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const r = await rectifying(sup, ent, enterpriseId);
    await submit(ent, r.id, r.file);
    return r.id;
  };
  const requested = addDays(deadline, 5);
  const asking = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const id = await register(sup, enterpriseId);
    await ok(as(ent)('POST', `/api/hazards/${id}/extensions`, { body: { requestedDeadline: requested, reason: '设备需定制，到货约五天' } }), 200);
    return id;
  };
  const closed = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const r = await rectifying(sup, ent, enterpriseId);
    await submit(ent, r.id, r.file);
    await accept(sup, r.id);
    return r;
  };

  const inspect = async (who: Identity, enterpriseId: string) => {
    const failed = Array.from({ length: 11 }, (_, i) => ({ item: `检查项${i + 1}`, result: 'fail', category: '消防安全' }));
    const findings = [...failed, { item: '安全出口畅通', result: 'pass' }, { item: '灭火器过期', result: 'fail', category: '消防安全' }];
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const id = (await ok(as(who)('POST', '/api/inspections', { body: { enterpriseId, location: '一号车间', startedAt: at(60), endedAt: at(10), findings } }), 201)).id as string;
    await ok(as(who)('POST', `/api/inspections/${id}/findings/13/hazard`, { body: { deadline } }), 201);
    return id;
  };

  const { enterpriseA: entA, enterpriseB: entB } = h.world;
  const [hzA, hzA2, hzB, subA, subB, revSupA, revGridA, revSupB, revKeyB, closedA, closedB] = await Promise.all([
    rectifying('supervisor-a', 'enterprise-a', entA),
    rectifying('supervisor-a', 'supervisor-a', entA2),
    rectifying('supervisor-b', 'enterprise-b', entB),
    rectifying('supervisor-a', 'enterprise-a', entA),
    rectifying('supervisor-b', 'enterprise-b', entB),
    underReview('supervisor-a', 'enterprise-a', entA),
    underReview('grid-a', 'enterprise-a', entA),
    underReview('supervisor-b', 'enterprise-b', entB),
    underReview('supervisor-b', 'enterprise-b', entB),
    closed('supervisor-a', 'enterprise-a', entA),
    closed('supervisor-b', 'enterprise-b', entB),
  ]);
  const major = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const id = (await ok(as(sup)('POST', '/api/hazards', { body: { enterpriseId, title: '液氨储罐泄漏报警缺失', category: '危险化学品', source: 'inspection', grade: 'major', listingLevel: 'county', deadline } }), 201)).id as string;
    await ok(as(ent)('POST', `/api/hazards/${id}/plan`, { body: { measures: '加装报警装置', funds: 100000, deadline, responsiblePerson: '王厂长', contingencyPlan: '停用罐区' } }), 200);
    return id;
  };
  const majorUnderReview = async (sup: Identity, ent: Identity, enterpriseId: string) => {
    const id = await major(sup, ent, enterpriseId);
    await submit(ent, id, await upload(ent, id));
    return id;
  };
  // Versions narrowed to industries no fixture enterprise has, so no registration picks them up.
  const policyFor: Record<string, number> = {};
  for (const c of CALLERS) {
    const saved = await ok(admin('POST', '/api/policies', { body: { grade: 'general', industry: `矩阵策略-${c.name}`, policy: DEFAULT_POLICIES.general, note: 'matrix' } }), 201);
    policyFor[c.name] = saved.id as number;
  }
  const majorPolicy = (await ok(admin('POST', '/api/policies', { body: { grade: 'major', industry: '矩阵策略-重大', policy: DEFAULT_POLICIES.major, note: 'matrix' } }), 201)).id as number;
  const [urgeCityA, urgeLeaderA, urgeCityB] = await Promise.all([register('supervisor-a', entA), register('supervisor-a', entA), register('supervisor-b', entB)]);
  const [voidCityA, voidLeaderA, voidCityB, assignA, assignB, majorA, majorB, majorReviewA, majorReviewB] = await Promise.all([
    register('supervisor-a', entA),
    register('supervisor-a', entA),
    register('supervisor-b', entB),
    register('supervisor-a', entA),
    register('supervisor-b', entB),
    major('supervisor-a', 'enterprise-a', entA),
    major('supervisor-b', 'enterprise-b', entB),
    majorUnderReview('supervisor-a', 'enterprise-a', entA),
    majorUnderReview('supervisor-b', 'enterprise-b', entB),
  ]);
  const reopeners = { A: ['leader-city', 'leader-a', 'supervisor-a', 'grid-a'], B: ['leader-city', 'supervisor-b', 'supervisor-b (API key)'] };
  const reopenable: Fixtures['reopenable'] = {};
  await Promise.all(
    (['A', 'B'] as const).flatMap((side) =>
      reopeners[side].map(async (name) => {
        const r = side === 'A' ? await closed('supervisor-a', 'enterprise-a', entA) : await closed('supervisor-b', 'enterprise-b', entB);
        (reopenable[name] ??= {})[side] = r.id;
      }),
    ),
  );
  const [extA, extB, pendA, pendB, decSupA, decGridA, decSupB, decKeyB] = await Promise.all([
    register('supervisor-a', entA),
    register('supervisor-b', entB),
    asking('supervisor-a', 'enterprise-a', entA),
    asking('supervisor-b', 'enterprise-b', entB),
    asking('supervisor-a', 'enterprise-a', entA),
    asking('grid-a', 'enterprise-a', entA),
    asking('supervisor-b', 'enterprise-b', entB),
    asking('supervisor-b', 'enterprise-b', entB),
  ]);
  // Notices. Decisions open only once a notice is long overdue: those notices are started with a
  // deadline already past (the API refuses that), so their ladders catch up at once.
  const notice = async (who: Identity, body: Record<string, unknown>) =>
    (await ok(as(who)('POST', '/api/notices', { body: { title: '督促整改', requirements: '按期整改', ...body } }), 201)).id as string;
  const [nA, nB, nSignedA, nClosedA, sA, sB] = await Promise.all([
    register('supervisor-a', entA).then((hz) => notice('supervisor-a', { enterpriseId: entA, hazardIds: [hz] })),
    register('supervisor-b', entB).then((hz) => notice('supervisor-b', { enterpriseId: entB, hazardIds: [hz] })),
    register('supervisor-a', entA).then((hz) => notice('supervisor-a', { enterpriseId: entA, hazardIds: [hz] })),
    notice('supervisor-a', { addressee: { regionId: h.world.a.township.id } }),
    register('supervisor-a', entA).then((hz) => notice('supervisor-a', { enterpriseId: entA, hazardIds: [hz] })),
    register('supervisor-b', entB).then((hz) => notice('supervisor-b', { enterpriseId: entB, hazardIds: [hz] })),
  ]);
  await ok(as('enterprise-a')('POST', `/api/notices/${nSignedA}/sign`), 200);
  await ok(as('supervisor-a')('POST', `/api/notices/${nClosedA}/confirm-completion`, { body: { reason: '已落实' } }), 200);
  const [uNoticeCityA, uNoticeLeaderA, uNoticeCityB] = await Promise.all([
    notice('supervisor-a', { addressee: { regionId: h.world.a.township.id } }),
    notice('supervisor-a', { addressee: { regionId: h.world.a.township.id } }),
    notice('supervisor-b', { addressee: { regionId: h.world.b.township.id } }),
  ]);
  // Bulk urges of enterprise A2 (nothing overdue there): read by the leaders whose reach covers the one who began each.
  const bulk = async (who: Identity) => {
    const begun = await ok(as(who)('POST', '/api/urges', { body: { enterpriseId: entA2 } }), 202);
    for (let i = 0; i < 300 && !(await ok(as(who)('GET', begun.progressUrl), 200)).done; i++) await new Promise((r) => setTimeout(r, 100));
    return begun.bulkUrgeId as string;
  };
  const [bulkByLeaderA, bulkByCity] = await Promise.all([bulk('leader-a'), bulk('leader-city')]);
  // Something urged by each leader, so their lists are not empty.
  await ok(as('leader-a')('POST', `/api/hazards/${hzA2.id}/urge`, { body: {} }), 200);
  await ok(as('leader-city')('POST', `/api/notices/${nSignedA}/urge`, { body: {} }), 200);
  const [cSupA, cGridA, cSupB, cKeyB] = await Promise.all([
    notice('supervisor-a', { addressee: { regionId: h.world.a.township.id } }),
    notice('grid-a', { addressee: { regionId: h.world.a.grid.id } }),
    notice('supervisor-b', { addressee: { regionId: h.world.b.township.id } }),
    notice('supervisor-b', { addressee: { regionId: h.world.b.township.id } }),
  ]);
  const overdueNotice = async (enterpriseId: string, regionPath: string, issuedBy: Identity) => {
    const noticeId = randomUUID();
    const rule = DEFAULT_POLICIES.general.deadline!;
    await h.deps.notices.start({
      notice: { noticeId, enterpriseId, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline: addDays(shanghaiDate(Date.now()), -90), rule },
      issue: { agency: '矩阵应急', enterpriseId, addressee: null, addresseeRegionId: null, regionPath, title: '逾期督办', requirements: '按期整改', legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy, hazardIds: [] },
    });
    // The ladder catches up through one activity per step, and the decisions are taken from the
    // read model that those activities write: wait for the rows, not the workflow's own state.
    for (let i = 0; i < 600; i++) {
      const rows = await h.deps.db.select({ id: noticeDecisions.id, kind: noticeDecisions.kind }).from(noticeDecisions).where(eq(noticeDecisions.noticeId, noticeId));
      // In the policy's order (约谈 for the county leader, then 处罚 for the section chief), whatever order the rows come in.
      const order = DEFAULT_NOTICE_POLICIES.general.decisions.map((d) => d.kind as string);
      rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
      if (rows.length === 2) return rows.map((d) => ({ notice: noticeId, id: d.id }));
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('fixture: decisions did not open');
  };
  const pathA = `${h.world.a.grid.path}`;
  const pathB = `${h.world.b.grid.path}`;
  const [dA1, dA2, dA3, dB1, dB2] = await Promise.all([overdueNotice(entA, pathA, 'supervisor-a'), overdueNotice(entA, pathA, 'supervisor-a'), overdueNotice(entA, pathA, 'supervisor-a'), overdueNotice(entB, pathB, 'supervisor-b'), overdueNotice(entB, pathB, 'supervisor-b')]);
  await ok(as('supervisor-a')('POST', `/api/notices/${dA3[1]!.notice}/decisions/${dA3[1]!.id}`, { body: { outcome: 'declined', reason: '已约谈' } }), 200);
  const [inspA, inspA2, inspB] = await Promise.all([inspect('supervisor-a', entA), inspect('supervisor-a', entA2), inspect('supervisor-b', entB)]);
  const sus = async (who: Identity, enterpriseId: string) =>
    (
      await ok(
        as(who)('POST', '/api/suspensions', {
          body: { enterpriseId, documentNumber: '矩阵应急停〔2026〕9号', reason: '重大事故隐患', scope: 'full', startsOn: shanghaiDate(Date.now()), plannedEnd: addDays(shanghaiDate(Date.now()), 60) },
        }),
        201,
      )
    ).id as string;
  const resumptionAsked = async (who: Identity, ent: Identity, enterpriseId: string) => {
    const id = await sus(who, enterpriseId);
    await ok(as(ent)('POST', `/api/suspensions/${id}/resumption-requests`, { body: { selfCheck: { passed: true, summary: '自查合格' } } }), 200);
    return id;
  };
  const liftedSus = async (who: Identity, enterpriseId: string) => {
    const id = await sus(who, enterpriseId);
    await ok(as('leader-city')('POST', `/api/suspensions/${id}/lift`, { body: { documentNumber: '矩阵应急解〔2026〕9号', reason: '撤销' } }), 200);
    return id;
  };
  const [susA, susA2, susB, endedA, endedB, askA, askB, askedA, resCityA, resLeaderA, resSupA, resGridA, resCityB, resSupB, resKeyB, liftCityA, liftLeaderA, liftCityB] = await Promise.all([
    sus('supervisor-a', entA),
    sus('leader-a', entA2),
    sus('supervisor-b', entB),
    liftedSus('supervisor-a', entA),
    liftedSus('supervisor-b', entB),
    sus('supervisor-a', entA),
    sus('supervisor-b', entB),
    resumptionAsked('supervisor-a', 'enterprise-a', entA),
    resumptionAsked('supervisor-a', 'enterprise-a', entA),
    resumptionAsked('supervisor-a', 'enterprise-a', entA),
    resumptionAsked('supervisor-a', 'enterprise-a', entA),
    resumptionAsked('supervisor-a', 'enterprise-a', entA),
    resumptionAsked('supervisor-b', 'enterprise-b', entB),
    resumptionAsked('supervisor-b', 'enterprise-b', entB),
    resumptionAsked('supervisor-b', 'enterprise-b', entB),
    sus('leader-a', entA),
    sus('leader-a', entA),
    sus('supervisor-b', entB),
  ]);
  // The steps above told people: one delivery of each, to read.
  const told = await h.database.db.select({ id: deliveries.id, userId: deliveries.userId }).from(deliveries);
  const deliveryOf = new Map<string, number>();
  for (const d of told) if (!deliveryOf.has(d.userId)) deliveryOf.set(d.userId, d.id);
  return {
    deliveryOf,
    noticeA: nA,
    noticeB: nB,
    noticeSignedA: nSignedA,
    noticeClosedA: nClosedA,
    signA: sA,
    signB: sB,
    confirm: { 'supervisor-a': { A: cSupA }, 'grid-a': { A: cGridA }, 'supervisor-b': { B: cSupB }, 'supervisor-b (API key)': { B: cKeyB } },
    // Each notice opens a warning interview (a county leader's to decide) and a penalty (the
    // supervisor's chief's, a section chief): the holders take them, the others are refused.
    decision: {
      'leader-city': { A: dA1[0]!, B: dB1[0]! },
      'leader-a': { A: dA2[0]! },
      'supervisor-a': { A: dA1[1]! },
      'grid-a': { A: dA2[1]! },
      'supervisor-b': { B: dB1[1]! },
      'supervisor-b (API key)': { B: dB2[1]! },
    },
    decidedA: dA3[1]!,
    inspA,
    inspA2,
    inspB,
    entA,
    entA2,
    entB,
    hzA: hzA.id,
    hzA2: hzA2.id,
    hzB: hzB.id,
    fileA: hzA.file,
    fileA2: hzA2.file,
    fileB: hzB.file,
    subA: subA.id,
    subB: subB.id,
    fileSubA: subA.file,
    fileSubB: subB.file,
    review: { 'supervisor-a': { A: revSupA }, 'grid-a': { A: revGridA }, 'supervisor-b': { B: revSupB }, 'supervisor-b (API key)': { B: revKeyB } },
    closedA: closedA.id,
    closedB: closedB.id,
    fileClosedA: closedA.file,
    fileClosedB: closedB.file,
    leaderB,
    tempUserA,
    tempUserB,
    keyA,
    keyB,
    serviceA,
    serviceB,
    deadline,
    requested,
    extA,
    extB,
    pendA,
    pendB,
    decide: { 'supervisor-a': { A: decSupA }, 'grid-a': { A: decGridA }, 'supervisor-b': { B: decSupB }, 'supervisor-b (API key)': { B: decKeyB } },
    susA,
    susA2,
    susB,
    endedA,
    endedB,
    askA,
    askB,
    askedA,
    resume: {
      'leader-city': { A: resCityA, B: resCityB },
      'leader-a': { A: resLeaderA },
      'supervisor-a': { A: resSupA },
      'grid-a': { A: resGridA },
      'supervisor-b': { B: resSupB },
      'supervisor-b (API key)': { B: resKeyB },
    },
    lift: { 'leader-city': { A: liftCityA, B: liftCityB }, 'leader-a': { A: liftLeaderA } },
    voidable: { 'leader-city': { A: voidCityA, B: voidCityB }, 'leader-a': { A: voidLeaderA } },
    urgeable: { 'leader-city': { A: urgeCityA, B: urgeCityB }, 'leader-a': { A: urgeLeaderA } },
    urgeableNotice: { 'leader-city': { A: uNoticeCityA, B: uNoticeCityB }, 'leader-a': { A: uNoticeLeaderA } },
    bulkByLeaderA,
    bulkByCity,
    policyFor,
    majorPolicy,
    reopenable,
    assignA,
    assignB,
    majorA,
    majorB,
    majorReviewA,
    majorReviewB,
    publication,
    campaignCity,
    campaignA,
    campaignB,
    packA: await fixturePack(h.world.a.county),
    packB: await fixturePack(h.world.b.county),
    importA: await fixtureImport(h.world.a.county.path),
    importCity: await fixtureImport(h.world.a.city.path),
    importable: {
      admin: await fixtureImport(h.world.a.county.path, false),
      'admin-a': await fixtureImport(h.world.a.county.path, false),
    },
  };
}

/** A stock import that has run to its end (the import itself is covered by its own tests). */
async function fixtureImport(regionPath: string, done = true): Promise<string> {
  const { id } = await createStockImport(h.database.db, { fileName: '存量.csv', fileFormat: 'csv', regionPath, createdBy: 'admin', fileSha256: '0'.repeat(64), fileBytes: 0 });
  await finishValidation(h.database.db, id, { rowsTotal: 0, rowsValid: 0, rowsDuplicate: 0, rowsInvalid: 0, rowsOpen: 0 }, new Date());
  if (!done) return id;
  await h.database.db.update(stockImports).set({ status: 'done', committedBy: 'admin', committedAt: new Date(), finishedAt: new Date() }).where(eq(stockImports.id, id));
  return id;
}

/** A pack stored as its activity would store it (the workflow is covered by its own tests). */
async function fixturePack(county: { id: string; name: string; level: string; path: string }): Promise<string> {
  const period = { from: '2020-01-01', to: '2020-02-29' };
  const content = await assembleReviewPack(h.database.db, county, period, { from: '2019-11-01', to: '2019-12-31' }, Date.now());
  return storeReviewPack(h.database.db, content, 'system', new Date());
}

beforeAll(async () => {
  h = await startApiHarness('access-matrix');
  harnessReadyAt = Date.now();
  requesters = new Map();
  const world: WorldUser[] = ['admin', 'leader-city', 'leader-a', 'supervisor-a', 'supervisor-b', 'grid-a', 'enterprise-a', 'enterprise-b'];
  for (const u of world) requesters.set(u, await h.as(u));
  const admin = requesters.get('admin')!;
  await ok(admin('POST', '/api/users', { body: { username: 'admin-a', displayName: '甲县管理员', role: 'admin', regionId: h.world.a.county.id, password: PASSWORD } }), 201);
  const signedIn = await ok(h.http.request('POST', '/api/auth/login', { body: { username: 'admin-a', password: PASSWORD } }), 200);
  requesters.set('admin-a', requesterFor(signedIn.token));
  const serviceB = await ok(admin('POST', '/api/service-accounts', { body: { name: SERVICE_B.slice('system:'.length), system: '矩阵测试系统', role: 'supervisor', regionId: h.world.b.county.id } }), 201);
  apiKeyB = (await ok(admin('POST', `/api/service-accounts/${serviceB.id}/api-keys`, { body: { name: 'matrix' } }), 201)).key;
  f = await buildFixtures();
  await preparePrinted();
  fixturesReadyAt = Date.now();
});

afterAll(async () => {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `access matrix: ${sent.matrix} matrix cells (${TABLE.length} routes × ${CALLERS.length} callers × their targets), ${sent.paging} paging requests, ${sent.other} others; ` +
      `harness ${s(harnessReadyAt - startedAt)}, fixtures ${s(fixturesReadyAt - harnessReadyAt)}, tests ${s(Date.now() - fixturesReadyAt)}`,
  );
  await h?.stop();
});

function send(c: Caller, method: string, call: Call): Promise<HttpResponse> {
  sent[phase]++;
  const opts: RequestOptions = call.form ? { raw: call.form() } : call.body !== undefined ? { body: call.body } : {};
  if (c.identity === null) return h.http.request(method, call.path, opts);
  if (c.name.endsWith('(API key)')) return h.http.request(method, call.path, { ...opts, headers: { 'x-api-key': apiKeyB } });
  return requesters.get(c.identity)!(method, call.path, opts);
}

function roleAllowed(access: Access, role: Role): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return ('roles' in access ? access.roles : access).includes(role);
}

/** City-wide data is for those whose region is the top of the tree (modelled from parent links). */
const atTheTop = (u: Universe, me: Me) => u.regions.get(me.regionId)?.parentId === null;

function expectedStatus(entry: Entry, t: Target, c: Caller, u: Universe): number {
  if (entry.access === 'public') return t.ok ?? 200;
  if (!c.identity) return 401;
  const me = u.byName.get(c.identity)!;
  if (!roleAllowed(entry.access, me.role)) return 403;
  if (typeof entry.access === 'object' && 'jurisdiction' in entry.access && !atTheTop(u, me)) return 403;
  const ref = t.ref(c);
  if (!reachable(u, me, ref)) return t.hidden ?? 404;
  if (t.refused?.(c)) return 403;
  return t.ok ?? 200;
}

const TABLE = routeTable({} as AppDeps).map((s) => ({ key: `${s.method} ${s.path}`, method: s.method.toUpperCase(), access: s.access }));

interface Cell {
  caller: Caller;
  target: Target;
  call: Call;
  res: HttpResponse;
  text: string;
}

describe('the access matrix', () => {
  it('has an entry for every route of the table, with the same access rule, and none for routes that do not exist', () => {
    expect(sorted(Object.keys(MATRIX))).toEqual(sorted(TABLE.map((r) => r.key)));
    for (const r of TABLE) expect(r.access, r.key).toEqual(MATRIX[r.key]?.access);
  });

  for (const route of TABLE) {
    it(`${route.key}`, async () => {
      const entry = MATRIX[route.key];
      if (!entry) throw new Error(`no access-matrix entry for ${route.key}: add one`);
      phase = 'matrix';
      onTestFinished(() => void (phase = 'other'));
      const u = await loadUniverse();
      const targets = entry.targets();
      const wrong: string[] = [];
      const cells: Cell[] = [];

      for (const caller of CALLERS) {
        for (const target of targets) {
          const call = target.call(caller);
          const res = await send(caller, route.method, call);
          const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
          cells.push({ caller, target, call, res, text });
          const want = expectedStatus(entry, target, caller, u);
          const where = `${caller.name} → ${route.key} [${target.label}]`;
          if (res.status !== want) {
            wrong.push(`${where}: expected ${want}, got ${res.status} ${text.slice(0, 300)}`);
            continue;
          }
          if (res.status >= 400) {
            const type = res.headers.get('content-type') ?? '';
            if (!type.startsWith('application/problem+json')) wrong.push(`${where}: refusal is ${type}, not problem+json`);
            else if (res.body?.status !== res.status) wrong.push(`${where}: problem status ${res.body?.status}`);
          } else if (target.check) {
            const me = caller.identity ? u.byName.get(caller.identity)! : null;
            try {
              target.check(caller, me, res, u);
            } catch (error) {
              wrong.push(`${where}: ${(error as Error).message.split('\n')[0]}`);
            }
          }
        }
      }

      // Out of reach looks exactly like missing: same status, type and body (the id aside).
      const isMissing = (t: Target) => t.ref(CALLERS[0]!).kind === 'missing';
      for (const missingTarget of targets.filter(isMissing)) {
        for (const caller of CALLERS) {
          const missingCell = cells.find((c) => c.caller === caller && c.target === missingTarget);
          if (!missingCell) continue;
          const peers = cells.filter((c) => c.caller === caller && !isMissing(c.target) && c.target.group === missingTarget.group && c.res.status === missingCell.res.status);
          for (const cell of peers) {
            const normalise = (c: Cell) => {
              const ref = c.target.ref(c.caller);
              return 'id' in ref ? c.text.split(ref.id).join('<id>') : c.text;
            };
            if (normalise(cell) !== normalise(missingCell) || cell.res.headers.get('content-type') !== missingCell.res.headers.get('content-type')) {
              wrong.push(`${caller.name} → ${route.key} [${cell.target.label}]: differs from a missing id: ${cell.text} vs ${missingCell.text}`);
            }
          }
        }
      }

      // Twins: the same answer for every caller (what each request named aside).
      for (const target of targets.filter((t) => t.twin)) {
        const twin = targets.find((t) => t.label === target.twin)!;
        for (const caller of CALLERS) {
          const a = cells.find((c) => c.caller === caller && c.target === target);
          const b = cells.find((c) => c.caller === caller && c.target === twin);
          if (!a || !b) continue;
          const strip = (c: Cell) => c.text.split(JSON.stringify(c.call.body ?? '')).join('');
          if (a.res.status !== b.res.status || strip(a) !== strip(b)) {
            wrong.push(`${caller.name} → ${route.key} [${target.label}]: differs from [${twin.label}]: ${a.text} vs ${b.text}`);
          }
        }
      }

      // Zero leaks: nothing outside the caller's reach in any answer (what the caller sent aside).
      const after = await loadUniverse();
      for (const cell of cells) {
        const identity = route.key === 'post /api/auth/login' && cell.res.status === 200 ? (cell.call.body as { username: string }).username : cell.caller.identity;
        const me = identity ? after.byName.get(identity)! : null;
        const sent = `${cell.call.path} ${JSON.stringify(cell.call.body ?? '')}`;
        for (const mark of foreignMarks(after, me)) {
          const bare = mark.replace(/^["/]|["/]$/g, '');
          if (cell.text.includes(mark) && !sent.includes(bare)) {
            wrong.push(`${cell.caller.name} → ${route.key} [${cell.target.label}]: LEAK of ${mark} in ${cell.text.slice(0, 300)}`);
          }
        }
      }

      expect(wrong).toEqual([]);
      // Every route is exercised both ways: at least one caller got through, and one was refused.
      expect(cells.some((c) => c.res.status < 300), 'no caller succeeded').toBe(true);
      if (entry.access !== 'public') expect(cells.some((c) => c.res.status === 401)).toBe(true);
    });
  }

  it('pages through every list, even with a cursor from a wider reach, to the same in-reach set', async () => {
    const u = await loadUniverse();
    const admin = CALLERS.find((c) => c.name === 'admin')!;
    const lists: Array<{ path: string; roles?: Role[]; expected: (me: Me) => string[] }> = [
      { path: '/api/hazards', expected: (me) => [...u.hazards.keys()].filter((id) => seesHazard(u, me, id)) },
      { path: '/api/notices', expected: (me) => [...u.notices.keys()].filter((id) => seesNotice(u, me, id)) },
      { path: '/api/inspections', expected: (me) => [...u.inspections.keys()].filter((id) => seesInspection(u, me, id)) },
      { path: '/api/suspensions', expected: (me) => [...u.suspensions.keys()].filter((id) => seesSuspension(u, me, id)) },
      { path: '/api/regions', expected: (me) => [...u.regions.keys()].filter((id) => inSubtree(u, id, me.regionId)) },
      { path: '/api/enterprises', expected: (me) => [...u.enterprises.keys()].filter((id) => seesEnterprise(u, me, id)) },
      { path: '/api/users', roles: ['admin'], expected: (me) => [...u.users.values()].filter((x) => inSubtree(u, x.regionId, me.regionId)).map((x) => x.id) },
    ];
    const wrong: string[] = [];
    phase = 'paging';
    onTestFinished(() => void (phase = 'other'));
    for (const list of lists) {
      // The city admin's second page starts deep inside the city: a cursor from a wider reach.
      const wide = await send(admin, 'GET', { path: `${list.path}?limit=3` });
      const wideCursor = wide.body.nextCursor as string;
      expect(wideCursor, list.path).toEqual(expect.any(String));
      for (const caller of CALLERS.filter((c) => c.identity)) {
        const me = u.byName.get(caller.identity!)!;
        if (list.roles && !list.roles.includes(me.role)) continue;
        const marks = foreignMarks(u, me);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: HttpResponse = await send(caller, 'GET', { path: `${list.path}?limit=2${cursor ? `&cursor=${cursor}` : ''}` });
          if (res.status !== 200) {
            wrong.push(`${caller.name} ${list.path} page ${pages}: ${res.status}`);
            break;
          }
          const text = JSON.stringify(res.body);
          for (const mark of marks) if (text.includes(mark)) wrong.push(`${caller.name} ${list.path} page ${pages}: LEAK of ${mark}`);
          seen.push(...res.body.items.map((i: { id: string }) => i.id));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 100);
        if (JSON.stringify(sorted(seen)) !== JSON.stringify(sorted(list.expected(me)))) wrong.push(`${caller.name} ${list.path}: paged ${seen.length}, expected ${list.expected(me).length}`);
        if (new Set(seen).size !== seen.length) wrong.push(`${caller.name} ${list.path}: an item on two pages`);
        const resumed = await send(caller, 'GET', { path: `${list.path}?limit=200&cursor=${wideCursor}` });
        const outside = (resumed.body.items ?? []).map((i: { id: string }) => i.id).filter((id: string) => !list.expected(me).includes(id));
        if (resumed.status !== 200 || outside.length) wrong.push(`${caller.name} ${list.path} with a wider cursor: ${resumed.status}, ${outside.length} out of reach`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('shows each person the hazards of their own reach (stated plainly, not from the model)', async () => {
    const list = async (name: string) => {
      const res = await send(CALLERS.find((c) => c.name === name)!, 'GET', { path: '/api/hazards?limit=200' });
      expect(res.status).toBe(200);
      return { ids: ids(res), enterprises: new Set(res.body.items.map((i: { enterpriseId: string }) => i.enterpriseId)), total: res.body.total as number };
    };
    const entA = await list('enterprise-a');
    expect([...entA.enterprises]).toEqual([f.entA]);
    expect(entA.ids).toContain(f.hzA);
    expect(entA.ids).not.toContain(f.hzA2);
    const supB = await list('supervisor-b');
    expect(supB.enterprises.has(f.entA) || supB.enterprises.has(f.entA2)).toBe(false);
    expect(supB.ids).toContain(f.hzB);
    const grid = await list('grid-a');
    expect([...grid.enterprises]).toEqual([f.entA]);
    expect(grid.ids).not.toContain(f.hzA2);
    const county = await list('leader-a');
    expect(county.ids).toEqual(expect.arrayContaining([f.hzA, f.hzA2]));
    expect(county.enterprises.has(f.entB)).toBe(false);
    const city = await list('leader-city');
    const [{ n }] = (await h.database.db.execute<{ n: number }>(sql`select count(*)::int as n from hazards`)).rows as [{ n: number }];
    expect(city.total).toBe(n);
    expect(city.ids).toEqual(expect.arrayContaining([f.hzA, f.hzA2, f.hzB]));
  });

  it('refuses a forged cursor of the hazard list with 400', async () => {
    const forged = Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url');
    const res = await send(CALLERS.find((c) => c.name === 'supervisor-a')!, 'GET', { path: `/api/hazards?cursor=${forged}` });
    expect(res.status).toBe(400);
  });

  it(
    'refuses forged cursors of the enterprise, region and user lists with 400: ids of another kind, control characters in the key',
    async () => {
      const admin = CALLERS.find((c) => c.name === 'admin')!;
      const cursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
      const statuses: string[] = [];
      // Enterprises and users are keyed by UUID; a region id may be any short slug, so only the
      // control character is foreign there.
      const forged = [
        ['/api/enterprises', cursor('a', 'not-a-uuid')],
        ['/api/users', cursor('a', 'not-a-uuid')],
        ['/api/regions', cursor('a', 'not a region id!')],
        ...['/api/enterprises', '/api/regions', '/api/users'].map((p) => [p, cursor('\u0000', randomUUID())]),
      ];
      for (const [path, c] of forged) statuses.push(`${path} ${(await send(admin, 'GET', { path: `${path}?cursor=${c}` })).status}`);
      expect(statuses.filter((s) => !s.endsWith(' 400'))).toEqual([]);
    },
  );

  it('puts every role of the system among the callers', () => {
    const roles = new Set(CALLERS.filter((c) => c.identity && c.identity in WORLD_USERS).map((c) => WORLD_USERS[c.identity as WorldUser].role));
    expect(sorted(roles)).toEqual(sorted(ROLES));
  });
});
