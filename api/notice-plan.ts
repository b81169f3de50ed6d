/**
 * What a notice would be before it is issued: its addressee, hazards, grade and the policy version
 * whose rule counts its deadline. Issuing and the deadline preview both plan here, so the preview
 * cannot promise what issuing would not do.
 */
import { and, inArray } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { findRegion } from '../db/directory';
import { enterpriseScope, findEnterprise, hazardScope } from '../db/hazard-queries';
import { currentPolicy } from '../db/policies';
import { hazards } from '../db/schema';
import { noticeGrade, noticePolicyOf } from '../domain/notice-lifecycle';
import { DEFAULT_POLICIES, dayUnitOf, type DayUnit, type DeadlineRule, type HazardGrade, type HazardPolicy, type NoticePolicy } from '../domain/policy';
import { problems } from './problem';
import type { CreateNoticeBody } from './schemas/notice';

export interface NoticePlan {
  regionPath: string;
  addressee: string | null;
  addresseeRegionId: string | null;
  found: Array<typeof hazards.$inferSelect>;
  grade: HazardGrade;
  policyId: number | null;
  noticePolicy: NoticePolicy;
  dayUnit: DayUnit;
  rule: DeadlineRule;
}

type Addressing = Pick<CreateNoticeBody, 'enterpriseId' | 'addressee' | 'hazardIds'>;

/** Refuses (422) an addressee or hazard out of reach, or a hazard of another addressee. */
export async function planNotice(db: Database, principal: Principal, body: Addressing): Promise<NoticePlan> {
  let regionPath: string;
  let addressee: string | null = null;
  let addresseeRegionId: string | null = null;
  let industry: string | null = null;
  if (body.enterpriseId) {
    const enterprise = await findEnterprise(db, enterpriseScope(principal), body.enterpriseId);
    if (!enterprise) throw problems.unprocessable('unknown enterprise', [{ field: 'enterpriseId', message: 'no such enterprise within your jurisdiction' }], 'unknown-enterprise');
    regionPath = enterprise.regionPath;
    industry = enterprise.industry;
  } else {
    const region = await findRegion(db, body.addressee!.regionId);
    if (!region || !region.path.startsWith(principal.regionPath)) {
      throw problems.unprocessable('unknown region', [{ field: 'addressee.regionId', message: 'no such region within your jurisdiction' }], 'unknown-region');
    }
    regionPath = region.path;
    addresseeRegionId = region.id;
    addressee = body.addressee!.department ? `${region.name} ${body.addressee!.department}` : region.name;
  }
  const found = body.hazardIds.length ? await db.select().from(hazards).where(and(inArray(hazards.id, body.hazardIds), hazardScope(principal))) : [];
  if (found.length !== body.hazardIds.length) {
    throw problems.unprocessable('unknown hazard', [{ field: 'hazardIds', message: 'every id must be a hazard within your jurisdiction' }], 'unknown-hazard');
  }
  for (const h of found) {
    if (body.enterpriseId ? h.enterpriseId !== body.enterpriseId : !h.regionPath.startsWith(regionPath)) {
      throw problems.unprocessable('hazard of another addressee', [
        { field: 'hazardIds', message: body.enterpriseId ? 'every hazard must be of the enterprise addressed' : "every hazard must be within the addressee's jurisdiction" },
      ]);
    }
  }
  const grade: HazardGrade = noticeGrade(found.map((h) => h.grade));
  // The notice keeps this policy version for its whole life.
  const stored = await currentPolicy(db, { grade, industry });
  const policy = (stored?.policy as HazardPolicy | undefined) ?? DEFAULT_POLICIES[grade];
  return {
    regionPath,
    addressee,
    addresseeRegionId,
    found,
    grade,
    policyId: stored?.id ?? null,
    noticePolicy: noticePolicyOf(policy, grade),
    dayUnit: dayUnitOf(policy),
    rule: policy.deadline ?? DEFAULT_POLICIES[grade].deadline!,
  };
}

/** A closed or void hazard cannot be put in a notice (409). */
export function refuseSettledHazards(plan: NoticePlan): void {
  if (plan.found.some((h) => (h.status as string) === 'closed' || (h.status as string) === 'void')) throw problems.conflict('a closed or void hazard cannot be put in a notice', [], 'hazard-settled');
}
