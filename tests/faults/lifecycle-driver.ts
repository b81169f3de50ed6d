/**
 * Drives hazards and notices through their lives for the fault tests: overdue stock imported
 * through the workflow gateways (as a migration would: its escalations and a notice's ladder of
 * numbered instruments fire at once), then rectification through the API as people do it —
 * evidence, submission, a rejection into a second round for some, acceptance. Every command
 * carries an Idempotency-Key and is retried with the same key while the servers answer 503,
 * 429, 409 in-progress or not at all, as a client should.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { claimHazards } from '../../db/notice-claims';
import { agencyOf } from '../../db/notice-queries';
import { currentPolicy } from '../../db/policies';
import { enterprises } from '../../db/schema';
import { noticePolicyOf } from '../../domain/notice-lifecycle';
import { DEFAULT_POLICIES, dayUnitOf, type HazardPolicy } from '../../domain/policy';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/shanghai-time';
import { evidenceForm, SAMPLE_JPEG } from '../../scripts/sample-files';
import type { HazardGateway } from '../../temporal/hazard-gateway';
import type { NoticeGateway } from '../../temporal/notice-gateway';
import type { World } from '../support/world';
import type { Answer, Call } from '../support/private-servers';

export interface DriverStats {
  commands: number;
  retries: number;
  refused: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A command sent until the servers give a real answer, always under the same Idempotency-Key. */
export async function persist(stats: DriverStats, send: () => Promise<Answer>, giveUpMs = 120_000): Promise<Answer> {
  const deadline = Date.now() + giveUpMs;
  stats.commands++;
  for (;;) {
    let res: Answer | undefined;
    try {
      res = await send();
    } catch {
      // The connection broke (a process killed, a server restarting): the same request again.
    }
    const transient = !res || res.status === 503 || res.status === 429 || (res.status === 409 && res.body?.code === 'in-progress');
    if (!transient) return res!;
    if (Date.now() > deadline) return res ?? { status: 0, headers: new Headers(), body: 'no answer', ms: 0 };
    stats.retries++;
    await sleep(res?.status === 429 || res?.status === 409 ? 1_000 : 400);
  }
}

/** Starts `count` overdue hazards of enterprise A (deadline 20 days ago) and, for every `noticeEvery`th, an overdue notice holding it. */
export async function importOverdueStock(
  db: Database,
  world: World,
  gateways: { hazards: HazardGateway; notices: NoticeGateway },
  count: number,
  noticeEvery: number,
  concurrency = 8,
): Promise<{ hazardIds: string[]; noticeIds: string[] }> {
  const today = shanghaiDate(Date.now());
  const [enterprise] = await db.select().from(enterprises).where(eq(enterprises.id, world.enterpriseA));
  const row = (await currentPolicy(db, { grade: 'general', source: 'inspection', industry: enterprise!.industry }))!;
  const policy = row.policy as HazardPolicy;
  const rule = policy.deadline ?? DEFAULT_POLICIES.general.deadline!;
  const agency = await agencyOf(db, world.a.county.id);
  const hazardIds = Array.from({ length: count }, () => randomUUID());
  const noticeIds: string[] = [];
  let next = 0;
  const one = async (i: number) => {
    const hazardId = hazardIds[i]!;
    await gateways.hazards.start({
      hazard: {
        hazardId,
        enterpriseId: world.enterpriseA,
        grade: 'general',
        policy,
        deadline: addDays(today, -20),
        assignment: { supervisor: 'supervisor-a', enterpriseContact: 'enterprise-a', delegate: null },
      },
      registration: {
        title: `存量隐患 ${i + 1}`,
        category: '消防安全',
        source: 'inspection',
        legalBasis: '《中华人民共和国安全生产法》第四十一条',
        requiredMeasures: '立即整改并上传整改照片',
        description: '历史存量隐患导入',
        location: '',
        policyId: row.id,
        createdBy: 'supervisor-a',
        foundAt: new Date(shanghaiInstant(addDays(today, -34), 9)).toISOString(),
      },
    });
    if (i % noticeEvery !== 0) return;
    const noticeId = randomUUID();
    noticeIds.push(noticeId);
    await claimHazards(db, noticeId, [hazardId], 'supervisor-a');
    await gateways.notices.start({
      notice: { noticeId, enterpriseId: world.enterpriseA, grade: 'general', policy: noticePolicyOf(policy, 'general'), dayUnit: dayUnitOf(policy), hazardIds: [hazardId], deadline: addDays(today, -30), rule },
      issue: {
        agency,
        enterpriseId: world.enterpriseA,
        addressee: null,
        addresseeRegionId: null,
        regionPath: enterprise!.regionPath,
        title: '督促整改存量隐患',
        requirements: '限期完成整改并申请复查',
        legalBasis: rule.legalBasis,
        grade: 'general',
        policy: noticePolicyOf(policy, 'general'),
        policyId: row.id,
        issuedBy: 'supervisor-a',
        hazardIds: [hazardId],
      },
    });
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await one(i);
    }),
  );
  return { hazardIds, noticeIds };
}

async function upload(base: string, token: string, hazardId: string, key: string, round: number): Promise<Answer> {
  const started = Date.now();
  // Bytes of each round differ, so the second round's photo is a new file, not the frozen first.
  const bytes = Buffer.concat([SAMPLE_JPEG.subarray(0, SAMPLE_JPEG.length - 2), Buffer.from(`round${round}`), SAMPLE_JPEG.subarray(SAMPLE_JPEG.length - 2)]);
  const res = await fetch(`${base}/api/hazards/${hazardId}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: evidenceForm([{ name: `整改后-${round}.jpg`, bytes: round === 1 ? SAMPLE_JPEG : bytes }]),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body, ms: Date.now() - started };
}

/**
 * One hazard's rectification through the API: evidence, submission, acceptance; every
 * `rejectEvery`th is first rejected into a second round. Answers with what went wrong, if anything.
 */
export async function rectify(
  stats: DriverStats,
  call: Call,
  base: () => string,
  tokens: { enterprise: string; supervisor: string },
  hazardId: string,
  reject: boolean,
): Promise<void> {
  const today = shanghaiDate(Date.now());
  const expect200 = (what: string, res: Answer) => {
    if (res.status !== 200 && res.status !== 201) stats.refused.push(`${hazardId} ${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.status === 200 || res.status === 201;
  };
  const round = async (n: number) => {
    const up = await persist(stats, () => upload(base(), tokens.enterprise, hazardId, `${hazardId}-up-${n}`, n));
    if (!expect200(`upload ${n}`, up)) return false;
    const sub = await persist(stats, () =>
      call('POST', `/api/hazards/${hazardId}/submissions`, tokens.enterprise, { evidence: [up.body.items[0].id], note: `第${n}轮整改完成` }, { 'idempotency-key': `${hazardId}-sub-${n}` }),
    );
    return expect200(`submission ${n}`, sub);
  };
  if (!(await round(1))) return;
  if (reject) {
    const rej = await persist(stats, () =>
      call('POST', `/api/hazards/${hazardId}/reviews`, tokens.supervisor, { decision: 'reject', reasons: ['整改照片不清晰'], newDeadline: addDays(today, 10) }, { 'idempotency-key': `${hazardId}-reject` }),
    );
    if (!expect200('rejection', rej)) return;
    if (!(await round(2))) return;
  }
  const acc = await persist(stats, () =>
    call('POST', `/api/hazards/${hazardId}/reviews`, tokens.supervisor, { decision: 'accept', comment: '整改到位' }, { 'idempotency-key': `${hazardId}-accept` }),
  );
  expect200('acceptance', acc);
}

/** Runs `work` over the items, `concurrency` at a time. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i]!, i);
    }),
  );
}

/** A small seeded generator (mulberry32): the same seed, the same fault times. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
