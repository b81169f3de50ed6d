/**
 * A small demo city for `npm start`: a jurisdiction tree, enterprises with their responsible
 * leaders, a user of every role, and hazards in every state — rectifying, overdue and
 * escalated, an extension asked for and one granted, under review, rejected into a second
 * round, closed. Hazards go through the real
 * API as the demo people (evidence uploads included); stock that was already overdue when it
 * entered the system is imported through the workflow gateway, as a migration would, with the
 * day it was found; those imports are the stock of the demo campaign (专项行动).
 */
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords';
import type { Database } from '../db/client';
import { createEnterprise, createRegion, createUser, type RegionLevel, type Role } from '../db/directory';
import { setUserPost } from '../db/posts';
import type { Post } from '../domain/posts';
import { enterprises, regions } from '../db/schema';
import type { HazardGrade, HazardPolicy } from '../domain/policy';
import { currentPolicy } from '../db/policies';
import { addDays, shanghaiDate, shanghaiInstant } from '../domain/shanghai-time';
import { createCampaign } from '../db/campaigns';
import type { HazardGateway } from '../temporal/hazard-gateway';
import type { NoticeGateway } from '../temporal/notice-gateway';
import { agencyOf } from '../db/notice-queries';
import { noticePolicyOf } from '../domain/notice-lifecycle';
import { DEFAULT_POLICIES, dayUnitOf } from '../domain/policy';
import { distributionBoxPhotos } from './demo-photos';
import { evidenceForm, SAMPLE_PDF } from './sample-files';

export const DEMO_PASSWORD = 'duban-demo-2026';

const REGIONS: Array<{ id: string; name: string; level: RegionLevel; parentId?: string }> = [
  { id: 'demo-city', name: '示范市', level: 'city' },
  { id: 'jiangbei', name: '江北区', level: 'county', parentId: 'demo-city' },
  { id: 'jiangbei-t1', name: '江北街道', level: 'township', parentId: 'jiangbei' },
  { id: 'jiangbei-g1', name: '江北第一网格', level: 'grid', parentId: 'jiangbei-t1' },
  { id: 'chengnan', name: '城南区', level: 'county', parentId: 'demo-city' },
  { id: 'chengnan-t1', name: '城南街道', level: 'township', parentId: 'chengnan' },
  { id: 'chengnan-g1', name: '城南第一网格', level: 'grid', parentId: 'chengnan-t1' },
  { id: 'xishan', name: '西山县', level: 'county', parentId: 'demo-city' },
  { id: 'xishan-t1', name: '西山镇', level: 'township', parentId: 'xishan' },
  { id: 'xishan-g1', name: '西山镇第一网格', level: 'grid', parentId: 'xishan-t1' },
];

const AGENCY_SHORT_NAMES: Record<string, string> = { 'demo-city': '示范市应急', jiangbei: '江北应急', chengnan: '城南应急', xishan: '西山应急' };

/** People who are not tied to an enterprise, with the post each holds in their region. */
const STAFF: Array<{ username: string; displayName: string; role: Role; regionId: string; post: Post | null }> = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', regionId: 'demo-city', post: null },
  { username: 'city-leader', displayName: '市应急管理局 王局长', role: 'leader', regionId: 'demo-city', post: 'city_leader' },
  { username: 'city-chief', displayName: '市应急管理局执法科 周科长', role: 'supervisor', regionId: 'demo-city', post: 'section_chief' },
  { username: 'jiangbei-leader', displayName: '江北区 李副区长', role: 'leader', regionId: 'jiangbei', post: 'county_leader' },
  { username: 'jiangbei-chief', displayName: '江北区执法科 孙科长', role: 'supervisor', regionId: 'jiangbei', post: 'section_chief' },
  { username: 'jiangbei-inspector', displayName: '江北区执法员 张明', role: 'supervisor', regionId: 'jiangbei', post: 'inspector' },
  { username: 'chengnan-inspector', displayName: '城南区执法员 刘芳', role: 'supervisor', regionId: 'chengnan', post: 'inspector' },
  { username: 'xishan-inspector', displayName: '西山县执法员 陈刚', role: 'supervisor', regionId: 'xishan', post: 'inspector' },
  { username: 'jiangbei-grid', displayName: '江北第一网格员 赵强', role: 'supervisor', regionId: 'jiangbei-g1', post: 'grid_worker' },
];

const ENTERPRISES = [
  { user: 'jiangbei-chem', name: '江北化工有限公司', creditCode: '91320100MA1DEMO001', regionId: 'jiangbei-g1', industry: '危险化学品', inspector: 'jiangbei-inspector' },
  { user: 'chengnan-machinery', name: '城南机械制造厂', creditCode: '91320100MA1DEMO002', regionId: 'chengnan-g1', industry: '机械制造', inspector: 'chengnan-inspector' },
  { user: 'chengnan-mall', name: '东湖商贸综合体', creditCode: '91320100MA1DEMO003', regionId: 'chengnan-g1', industry: '商贸', inspector: 'chengnan-inspector' },
  { user: 'xishan-building', name: '西山建材有限公司', creditCode: '91320100MA1DEMO004', regionId: 'xishan-g1', industry: '建材', inspector: 'xishan-inspector' },
  { user: 'jiangbei-logistics', name: '临港仓储物流中心', creditCode: '91320100MA1DEMO005', regionId: 'jiangbei-g1', industry: '仓储物流', inspector: 'jiangbei-inspector' },
];

interface DemoHazard {
  enterprise: number;
  title: string;
  category: string;
  grade: HazardGrade;
  /** Days from today; negative: stock that was already overdue when it was entered. */
  deadlineIn: number;
  then?: 'submit' | 'close' | 'reject' | 'ask-extension' | 'extended';
}

const HAZARDS: DemoHazard[] = [
  { enterprise: 0, title: '储罐区可燃气体报警器失效', category: '危险化学品', grade: 'major', deadlineIn: -9 },
  { enterprise: 0, title: '装卸区静电接地装置缺失', category: '危险化学品', grade: 'general', deadlineIn: 12, then: 'ask-extension' },
  { enterprise: 1, title: '冲压设备防护罩缺失', category: '机械伤害', grade: 'general', deadlineIn: -4 },
  { enterprise: 1, title: '配电箱未上锁且无警示标识', category: '电气安全', grade: 'general', deadlineIn: 6, then: 'submit' },
  { enterprise: 2, title: '消防通道被商品堵塞', category: '消防安全', grade: 'general', deadlineIn: 3 },
  { enterprise: 2, title: '疏散指示标志损坏', category: '消防安全', grade: 'general', deadlineIn: 10, then: 'close' },
  { enterprise: 3, title: '粉尘车间除尘系统未定期清理', category: '粉尘防爆', grade: 'major', deadlineIn: 20, then: 'reject' },
  { enterprise: 3, title: '有限空间作业未设审批', category: '有限空间', grade: 'general', deadlineIn: -1 },
  { enterprise: 4, title: '货架超高堆放无防倾倒措施', category: '仓储安全', grade: 'general', deadlineIn: 2, then: 'extended' },
  { enterprise: 4, title: '叉车司机无证上岗', category: '特种设备', grade: 'general', deadlineIn: 15, then: 'close' },
];

export const DEMO_USERS = [...STAFF.map((s) => ({ username: s.username, role: s.role, displayName: s.displayName })),
  ...ENTERPRISES.map((e) => ({ username: e.user, role: 'enterprise' as Role, displayName: `${e.name} 安全负责人` }))];

/** A signed-in caller of the running API. */
async function signIn(apiUrl: string, username: string) {
  const login = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`demo log-in as ${username} failed: ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  return async (method: string, path: string, body?: unknown) => {
    const form = body instanceof FormData;
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(form || body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: form ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`demo ${method} ${path} as ${username}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Seeds only an empty database, so a second `npm start` keeps what is there. */
export async function seedDemo(db: Database, gateway: HazardGateway, notices: NoticeGateway, apiUrl: string, log: (msg: string) => void): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(enterprises);
  if ((existing?.n ?? 0) > 0) return false;

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const region of REGIONS) await createRegion(db, 'seed', region);
  // The short names the agencies sign their instruments with (江北应急〔2026〕1号); the
  // township without one signs as its district.
  for (const [id, agencyShortName] of Object.entries(AGENCY_SHORT_NAMES)) await db.update(regions).set({ agencyShortName }).where(eq(regions.id, id));
  const staff = new Map<string, string>();
  for (const { post, ...person } of STAFF) {
    const id = (await createUser(db, 'seed', { ...person, passwordHash })).id;
    staff.set(person.username, id);
    if (post) await setUserPost(db, 'seed', id, post);
  }
  const enterpriseIds: string[] = [];
  for (const e of ENTERPRISES) {
    const leader = e.regionId.startsWith('jiangbei') ? staff.get('jiangbei-leader') : staff.get('city-leader');
    const row = await createEnterprise(db, 'seed', {
      name: e.name,
      creditCode: e.creditCode,
      regionId: e.regionId,
      industry: e.industry,
      responsibleLeaderId: leader ?? null,
      responsiblePerson: `${e.name} 安全负责人`,
    });
    enterpriseIds.push(row.id);
    const contact = await createUser(db, 'seed', { username: e.user, displayName: `${e.name} 安全负责人`, role: 'enterprise', regionId: e.regionId, enterpriseId: row.id, passwordHash });
    await setUserPost(db, 'seed', contact.id, 'safety_officer');
  }

  const today = shanghaiDate(Date.now());
  const photos = await distributionBoxPhotos();
  const imported: Array<{ hazardId: string; enterprise: number; grade: HazardGrade }> = [];
  for (const h of HAZARDS) {
    const company = ENTERPRISES[h.enterprise]!;
    const inspector = await signIn(apiUrl, company.inspector);
    const registration = {
      title: h.title,
      category: h.category,
      source: 'inspection',
      legalBasis: '《中华人民共和国安全生产法》第四十一条',
      requiredMeasures: '立即整改，整改完成后上传整改前后照片申请复查',
    };
    if (h.deadlineIn < 0) {
      const policy = (await currentPolicy(db, { grade: h.grade, source: 'inspection', industry: company.industry }))!;
      const hazardId = randomUUID();
      imported.push({ hazardId, enterprise: h.enterprise, grade: h.grade });
      await gateway.start({
        hazard: {
          hazardId,
          enterpriseId: enterpriseIds[h.enterprise]!,
          grade: h.grade,
          policy: policy.policy as HazardPolicy,
          deadline: addDays(today, h.deadlineIn),
          ...(h.grade === 'major' ? { listingLevel: 'city' as const } : {}),
          assignment: { supervisor: company.inspector, enterpriseContact: company.user, delegate: null },
        },
        // Found a fortnight before its deadline, in the ledger it comes from: stock of the demo campaign.
        registration: { ...registration, description: '历史存量隐患导入', location: '', policyId: policy.id, createdBy: company.inspector, foundAt: new Date(shanghaiInstant(addDays(today, h.deadlineIn - 14), 9)).toISOString() },
      });
      continue;
    }
    const hazard = (await inspector('POST', '/hazards', {
      ...registration,
      enterpriseId: enterpriseIds[h.enterprise],
      grade: h.grade,
      deadline: addDays(today, h.deadlineIn),
      ...(h.grade === 'major' ? { listingLevel: 'county' } : {}),
    })) as { id: string };
    // The inspector photographs what was found when registering it: the review shows it beside the rectification.
    if (h.then === 'submit' || h.then === 'close' || h.then === 'reject') {
      await inspector('POST', `/hazards/${hazard.id}/evidence?phase=before`, evidenceForm([{ name: '现场检查照片.jpg', bytes: photos.asFound }]));
    }
    if (!h.then) continue;
    const enterprise = await signIn(apiUrl, company.user);
    if (h.then === 'ask-extension' || h.then === 'extended') {
      await enterprise('POST', `/hazards/${hazard.id}/extensions`, {
        requestedDeadline: addDays(today, h.deadlineIn + 7),
        reason: '整改所需设备需向厂家定制，到货周期约一周',
      });
      if (h.then === 'extended') await inspector('POST', `/hazards/${hazard.id}/extension-decisions`, { decision: 'approve' });
      continue;
    }
    const submit = async () => {
      // A major hazard takes evidence only after its five-point plan (五落实) is on record.
      if (h.grade === 'major') {
        await enterprise('POST', `/hazards/${hazard.id}/plan`, {
          measures: '清理除尘管道积尘，加装清灰记录台账，每班次检查',
          funds: 120000,
          deadline: addDays(today, h.deadlineIn),
          responsiblePerson: `${company.name} 设备部经理`,
          contingencyPlan: '清理期间停用相关产线，配备灭火器材和专人监护',
        });
      }
      const uploaded = (await enterprise('POST', `/hazards/${hazard.id}/evidence`, evidenceForm([
        { name: '整改后.jpg', bytes: photos.rectified },
        { name: '整改验收记录.pdf', bytes: SAMPLE_PDF },
      ]))) as { items: Array<{ id: string }> };
      await enterprise('POST', `/hazards/${hazard.id}/submissions`, { evidence: uploaded.items.map((f) => f.id), note: '已完成整改' });
    };
    await submit();
    if (h.then === 'close') await inspector('POST', `/hazards/${hazard.id}/reviews`, { decision: 'accept', comment: '整改到位，同意销号' });
    if (h.then === 'reject') {
      await inspector('POST', `/hazards/${hazard.id}/reviews`, {
        decision: 'reject',
        reasons: ['除尘管道仍有积尘，需提供清理记录'],
        newDeadline: addDays(today, 10),
      });
    }
  }
  // A supervision notice imported with the overdue stock: long past its deadline, so its ladder
  // (提示卡 → 清单 → 督办函 → 指令) has run and decisions await a leader (see the README's curl walk).
  const stock = imported[0];
  if (stock) {
    const company = ENTERPRISES[stock.enterprise]!;
    const policyRow = await currentPolicy(db, { grade: stock.grade, industry: company.industry });
    const policy = (policyRow?.policy as HazardPolicy | undefined) ?? DEFAULT_POLICIES[stock.grade];
    const rule = policy.deadline ?? DEFAULT_POLICIES[stock.grade].deadline!;
    const noticePolicy = noticePolicyOf(policy, stock.grade);
    const [enterprise] = await db.select().from(enterprises).where(eq(enterprises.id, enterpriseIds[stock.enterprise]!));
    await notices.start({
      notice: { noticeId: randomUUID(), enterpriseId: enterprise!.id, grade: stock.grade, policy: noticePolicy, dayUnit: dayUnitOf(policy), hazardIds: [stock.hazardId], deadline: addDays(today, -60), rule },
      issue: {
        agency: await agencyOf(db, 'jiangbei'),
        enterpriseId: enterprise!.id,
        addressee: null,
        addresseeRegionId: null,
        regionPath: enterprise!.regionPath,
        title: '督促整改历史存量隐患',
        requirements: '限期完成整改并申请复查',
        legalBasis: rule.legalBasis,
        grade: stock.grade,
        policy: noticePolicy,
        policyId: policyRow?.id ?? null,
        issuedBy: company.inspector,
        hazardIds: [stock.hazardId],
      },
    });
  }
  // The city's campaign: the imported hazards are its stock, everything registered since is new.
  await createCampaign(db, 'admin', '/demo-city/', { name: '全市安全隐患存量清零百日行动', regionId: 'demo-city', cutoff: addDays(today, -7), target: addDays(today, 93) });
  log(`demo data: ${REGIONS.length} regions, ${ENTERPRISES.length} enterprises, ${DEMO_USERS.length} users, ${HAZARDS.length} hazards`);
  return true;
}
