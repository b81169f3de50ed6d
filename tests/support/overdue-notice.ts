/**
 * A general notice to enterprise A issued with a deadline long past: its ladder catches up at once
 * and the policy's decisions (约谈, 行政处罚) open, as a leader would find them after months of
 * silence. Started through the gateway, as the API does after its checks.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { noticeDecisions } from '../../db/schema';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import type { ApiHarness } from './api-harness';

export async function overdueNotice(h: ApiHarness): Promise<{ noticeId: string; decisions: Array<{ id: string; kind: string }> }> {
  const noticeId = randomUUID();
  const rule = DEFAULT_POLICIES.general.deadline!;
  const policy = DEFAULT_NOTICE_POLICIES.general;
  await h.deps.notices.start({
    notice: { noticeId, enterpriseId: h.world.enterpriseA, grade: 'general', policy, dayUnit: 'working', hazardIds: [], deadline: addDays(shanghaiDate(Date.now()), -90), rule },
    issue: { agency: '甲县应急', enterpriseId: h.world.enterpriseA, addressee: null, addresseeRegionId: null, regionPath: h.world.a.grid.path, title: '逾期督办', requirements: '按期整改', legalBasis: rule.legalBasis, grade: 'general', policy, policyId: null, issuedBy: 'supervisor-a', hazardIds: [] },
  });
  for (let i = 0; i < 600; i++) {
    const rows = await h.database.db.select({ id: noticeDecisions.id, kind: noticeDecisions.kind }).from(noticeDecisions).where(eq(noticeDecisions.noticeId, noticeId));
    if (rows.length === 2) return { noticeId, decisions: rows };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('decisions did not open');
}
