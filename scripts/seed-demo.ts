/**
 * A small demo city for `npm start`: enterprises in several districts and hazards in every
 * state — rectifying, overdue and escalated, under review, rejected into a second round, closed.
 * Everything goes through the real workflows, so the records are what the system itself made.
 */
import { randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Database } from '../db/client';
import { enterprises } from '../db/schema';
import { DEFAULT_POLICIES, type HazardGrade } from '../domain/policy';
import { addDays, shanghaiDate } from '../domain/shanghai-time';
import type { HazardGateway } from '../temporal/hazard-gateway';

const ENTERPRISES = [
  { name: '江北化工有限公司', creditCode: '91320100MA1DEMO001', region: '江北区', industry: '危险化学品' },
  { name: '城南机械制造厂', creditCode: '91320100MA1DEMO002', region: '城南区', industry: '机械制造' },
  { name: '东湖商贸综合体', creditCode: '91320100MA1DEMO003', region: '东湖区', industry: '商贸' },
  { name: '西山建材有限公司', creditCode: '91320100MA1DEMO004', region: '西山县', industry: '建材' },
  { name: '临港仓储物流中心', creditCode: '91320100MA1DEMO005', region: '临港区', industry: '仓储物流' },
];

interface DemoHazard {
  enterprise: number;
  title: string;
  category: string;
  grade: HazardGrade;
  /** Days from today; negative: stock already overdue when it was entered. */
  deadlineIn: number;
  then?: 'submit' | 'close' | 'reject';
}

const HAZARDS: DemoHazard[] = [
  { enterprise: 0, title: '储罐区可燃气体报警器失效', category: '危险化学品', grade: 'major', deadlineIn: -9 },
  { enterprise: 0, title: '装卸区静电接地装置缺失', category: '危险化学品', grade: 'general', deadlineIn: 12 },
  { enterprise: 1, title: '冲压设备防护罩缺失', category: '机械伤害', grade: 'general', deadlineIn: -4 },
  { enterprise: 1, title: '配电箱未上锁且无警示标识', category: '电气安全', grade: 'general', deadlineIn: 6, then: 'submit' },
  { enterprise: 2, title: '消防通道被商品堵塞', category: '消防安全', grade: 'general', deadlineIn: 3 },
  { enterprise: 2, title: '疏散指示标志损坏', category: '消防安全', grade: 'general', deadlineIn: 10, then: 'close' },
  { enterprise: 3, title: '粉尘车间除尘系统未定期清理', category: '粉尘防爆', grade: 'major', deadlineIn: 20, then: 'reject' },
  { enterprise: 3, title: '有限空间作业未设审批', category: '有限空间', grade: 'general', deadlineIn: -1 },
  { enterprise: 4, title: '货架超高堆放无防倾倒措施', category: '仓储安全', grade: 'general', deadlineIn: 2 },
  { enterprise: 4, title: '叉车司机无证上岗', category: '特种设备', grade: 'general', deadlineIn: 15, then: 'close' },
];

/** Seeds only an empty database, so a second `npm start` keeps what is there. */
export async function seedDemo(db: Database, gateway: HazardGateway, log: (msg: string) => void): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(enterprises);
  if ((existing?.n ?? 0) > 0) return false;

  const ids = await db
    .insert(enterprises)
    .values(ENTERPRISES)
    .returning({ id: enterprises.id })
    .then((rows) => rows.map((r) => r.id));
  const today = shanghaiDate(Date.now());

  for (const h of HAZARDS) {
    const hazardId = randomUUID();
    await gateway.start({
      hazard: {
        hazardId,
        enterpriseId: ids[h.enterprise]!,
        grade: h.grade,
        policy: DEFAULT_POLICIES[h.grade],
        deadline: addDays(today, h.deadlineIn),
      },
      registration: {
        title: h.title,
        description: '',
        category: h.category,
        source: 'inspection',
        location: '',
        legalBasis: '《中华人民共和国安全生产法》第四十一条',
        requiredMeasures: '立即整改，整改完成后上传整改前后照片申请复查',
        createdBy: 'inspector-demo',
      },
    });
    if (h.then) {
      await gateway.submitRectification(hazardId, { evidence: ['demo/before.jpg', 'demo/after.jpg'], note: '已完成整改', by: 'enterprise-demo' });
    }
    if (h.then === 'close') await gateway.review(hazardId, { decision: 'accept', comment: '整改到位，同意销号', by: 'inspector-demo' });
    if (h.then === 'reject') {
      await gateway.review(hazardId, {
        decision: 'reject',
        reasons: ['除尘管道仍有积尘，需提供清理记录'],
        newDeadline: addDays(today, 10),
        by: 'inspector-demo',
      });
    }
  }
  log(`demo data: ${ENTERPRISES.length} enterprises, ${HAZARDS.length} hazards`);
  return true;
}
