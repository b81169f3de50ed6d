/**
 * The state a reopened hazard starts its new run from. A closed hazard's run may be long gone from
 * Temporal's retention, so the state is rebuilt from its record at closure: what the hazard was
 * (grade, policy, people, plan, notices, calendar) carries over, the round's clock starts afresh,
 * and the reopening itself (domain/hazard-lifecycle `reopen`) is applied by the new run.
 */
import { roundExtensions } from './extension';
import type { Assignment, HazardState, ListingLevel, PlanRecord } from './hazard-state';
import type { HazardGrade, HazardPolicy } from './policy-types';
import type { IsoDate } from './shanghai-time';
import type { YearCalendar } from './work-calendar';

/** What a reopening needs from the closed hazard's record. */
export interface ClosedHazard {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  policy: HazardPolicy;
  round: number;
  deadline: IsoDate;
  closedAt: number | null;
  seq: number;
  policyId: number | null;
  calendar: YearCalendar[];
  assignment: Assignment;
  listingLevel: ListingLevel | null | undefined;
  plan: PlanRecord | null | undefined;
  reopenings: number;
  notices: Array<{ noticeId: string; workflowId: string }>;
}

/** The closed hazard as its new run receives it, at the moment of reopening (`at`). */
export function closedHazardState(record: ClosedHazard, at: number): HazardState {
  return {
    hazardId: record.hazardId,
    enterpriseId: record.enterpriseId,
    grade: record.grade,
    policy: record.policy,
    status: 'closed',
    round: record.round,
    deadline: record.deadline,
    roundStartedAt: at,
    fired: [],
    overdueSince: null,
    escalationLevel: 0,
    submission: null,
    closedAt: record.closedAt,
    extension: roundExtensions(record.deadline),
    // The new run's changes must outrank every change the read model has seen.
    seq: record.seq,
    policyId: record.policyId,
    calendar: record.calendar,
    deadlineRule: null,
    assignment: record.assignment,
    listingLevel: record.listingLevel,
    plan: record.plan,
    acceptances: [],
    reopenings: record.reopenings,
    notices: record.notices,
  };
}
