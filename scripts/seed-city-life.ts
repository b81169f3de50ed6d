/**
 * One hazard's life, lived by the project's own rules (domain/): registered as the API registers
 * it, then each step the workflow would fire and each command people would give, in time order,
 * up to the seed's "now". What comes out is exactly what the recording activity writes: the
 * events with their step keys, the notifications, and the read-model row from the last snapshot.
 * Nothing here decides a rule; it only decides what people do and when.
 */
import { projection, type HazardRegistration } from '../activities/hazard-records';
import { latestExtendedDeadline, requestClosesAt } from '../domain/extension';
import type { HazardChange, HazardRecord } from '../domain/hazard-events';
import { registeredEvent } from '../domain/hazard-events';
import {
  acceptanceChange, extensionDecisionChange, extensionRequestChange, planChange, reviewChange, stepChange, submitChange, voidChange,
} from '../domain/hazard-changes';
import { orderDeadline } from '../domain/hazard-calendar';
import { checkReview, checkSubmit, checkVoid, initialState, nextStep, type HazardState, type NewHazard, type ReviewCommand } from '../domain/hazard-lifecycle';
import { checkExtensionDecision, checkExtensionRequest } from '../domain/extension';
import { checkAcceptance, checkPlan, type ListingLevel } from '../domain/major-hazard';
import { snapshotOf } from '../domain/hazard-view';
import type { HazardGrade, HazardPolicy } from '../domain/policy';
import { extensionPolicyOf } from '../domain/policy-rules';
import { quietOffsetMs } from '../domain/quiet-offset';
import { addDays, dueInstant, SHANGHAI_OFFSET_MS, shanghaiDate } from '../domain/shanghai-time';
import { WorkCalendar, type YearCalendar } from '../domain/work-calendar';
import { hazardWorkflowId } from '../workflows/hazard.messages';
import { EXTENSION_REASONS, LEGAL_BASES, MEASURES, REJECTION_REASONS, VOID_REASONS } from './seed-city-names';
import type { Random } from './seed-city-random';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Who and what a registration is: decided by the city plan before the life is lived. */
export interface HazardPlan {
  id: string;
  enterpriseId: string;
  regionPath: string;
  title: string;
  category: string;
  source: string;
  location: string;
  grade: HazardGrade;
  listingLevel: ListingLevel | null;
  createdBy: string;
  /** Who acts for the enterprise: its own user, or the supervisor recording for it. */
  enterpriseActor: string;
  registeredAt: number;
  policy: { id: number; policy: HazardPolicy };
  /** The published years the API hands a registration on that day (yearsFrom(today) that exist). */
  calendar: YearCalendar[];
  workCalendar: WorkCalendar;
  repeatOf: string | null;
}

export interface LivedHazard {
  state: HazardState;
  /** The hazard's row in the read model, as the recording activity leaves it (drizzle field names). */
  row: Record<string, unknown>;
  records: HazardRecord[];
}

/** The next time within office hours (8:30–18:00 Shanghai) at or after `t`, a little later on a random minute. */
function officeTime(r: Random, t: number): number {
  const local = t + SHANGHAI_OFFSET_MS;
  const hour = (local % DAY) / HOUR;
  if (hour >= 8.5 && hour < 18) return t;
  const startOfDay = local - (local % DAY) - SHANGHAI_OFFSET_MS;
  return startOfDay + (hour >= 18 ? DAY : 0) + 8.5 * HOUR + r.int(150) * 60_000;
}

/** Stops the life at the seed's now: whatever would happen later has not happened yet. */
class Stop extends Error {}

export function liveHazard(plan: HazardPlan, asOf: number, r: Random): LivedHazard {
  const workflowId = hazardWorkflowId(plan.id);
  const rules = plan.policy.policy;
  const today = shanghaiDate(plan.registeredAt);
  // One in five orders names a date; the rest are counted by the policy's rule, as the API does.
  const given = r.chance(0.2) ? addDays(today, r.between(3, 30)) : undefined;
  const ordered = orderDeadline(given, rules.deadline, today, plan.workCalendar)!;
  const hazard: NewHazard = {
    hazardId: plan.id,
    enterpriseId: plan.enterpriseId,
    grade: plan.grade,
    deadline: ordered.deadline,
    policy: rules,
    calendar: plan.calendar,
    ...(ordered.rule ? { deadlineRule: ordered.rule } : {}),
    ...(plan.listingLevel ? { listingLevel: plan.listingLevel } : {}),
    assignment: { supervisor: plan.createdBy, enterpriseContact: null, delegate: null },
  };
  let state = initialState(hazard, plan.registeredAt);
  const records: HazardRecord[] = [registeredEvent(hazard, plan.createdBy, plan.registeredAt)];
  let lastAt = plan.registeredAt;

  const apply = (change: HazardChange) => {
    state = change.state;
    for (const e of change.events) {
      records.push(e);
      lastAt = e.event.occurredAt;
    }
  };
  /** Fires every step the workflow's clock would have fired by `t` (the overdue mark at its quiet offset). */
  const advance = (t: number) => {
    for (;;) {
      const step = nextStep(state);
      if (!step) return;
      const firesAt = step.kind === 'overdue' ? step.at + quietOffsetMs(workflowId) : step.at;
      if (firesAt > t) return;
      apply(stepChange(state, step, plan.title, firesAt));
    }
  };
  /** A command at `t` (moved into office hours, never before the last record): the steps due first, then the command. */
  const at = (t: number) => {
    const when = Math.max(officeTime(r, t), lastAt + 60_000 + r.int(600_000));
    if (when > asOf) throw new Stop();
    advance(when);
    return when;
  };

  try {
    live();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  advance(asOf);

  function live() {
    const major = plan.grade === 'major';
    // 误报/豁免: a few are voided soon after registration.
    if (r.chance(0.006)) {
      const t = at(plan.registeredAt + (0.5 + r.next() * 5) * DAY);
      const kind = r.chance(0.6) ? 'misreport' : 'exempt';
      const cmd = { kind, reason: r.pick(VOID_REASONS[kind]), by: plan.createdBy } as const;
      if (!checkVoid(state, cmd)) apply(voidChange(state, cmd, t));
      return;
    }
    // Enterprises that drag on: some for weeks (overdue and escalated), a few for months (the stock that outlives a campaign's cut-off).
    const stubborn = r.chance(major ? 0.06 : 0.008);
    for (let round = 1; round <= 4; round++) {
      const started = state.roundStartedAt;
      if (major && !state.plan) {
        const t = at(started + (0.5 + r.next() * 3) * DAY);
        const cmd = {
          measures: '制定专项整改方案，落实隔离和监测措施，分阶段完成整改',
          funds: 10_000 * r.between(5, 200),
          deadline: state.deadline,
          responsiblePerson: '企业主要负责人',
          contingencyPlan: '整改期间停用相关设施，配备应急器材并安排专人监护',
          by: plan.enterpriseActor,
        };
        if (!checkPlan(state, cmd)) apply(planChange(state, cmd, t));
      }
      // 延期: asked for before the deadline, mostly granted.
      if (r.chance(0.06)) {
        const limits = extensionPolicyOf(state.policy);
        const closes = requestClosesAt(state.deadline, limits);
        const asked = started + r.next() * 0.8 * Math.max(0, closes - started);
        const latest = latestExtendedDeadline(state);
        const wanted = addDays(state.deadline, r.between(5, 20));
        const cmd = { requestedDeadline: wanted < latest ? wanted : latest, reason: r.pick(EXTENSION_REASONS), by: plan.enterpriseActor };
        const t = at(asked);
        if (!checkExtensionRequest(state, cmd, t)) {
          apply(extensionRequestChange(state, cmd, t));
          const d = at(t + (0.3 + r.exponential(1.5)) * DAY);
          const decision = r.chance(0.85)
            ? ({ decision: 'approve', by: plan.createdBy } as const)
            : ({ decision: 'deny', reason: '整改期限内可以完成，不予延期', by: plan.createdBy } as const);
          if (!checkExtensionDecision(state, decision, d)) apply(extensionDecisionChange(state, decision, d));
        }
      }
      const due = dueInstant(state.deadline);
      const from = Math.max(lastAt, started);
      const behaviour = stubborn ? 'stubborn' : r.weighted([['prompt', 0.87], ['late', 0.13]] as const);
      const submitAt =
        behaviour === 'prompt'
          ? from + (0.3 + r.next() * 0.65) * Math.max(HOUR, due - from)
          : behaviour === 'late'
            ? due + (0.2 + r.exponential(6)) * DAY
            : due + r.between(20, 240) * DAY;
      const sub = at(submitAt);
      const submission = { evidence: [`seed-evidence-${plan.id.slice(0, 8)}-r${state.round}`], note: '已按要求完成整改', by: plan.enterpriseActor };
      if (checkSubmit(state, submission)) return;
      apply(submitChange(state, submission, sub));
      const reviewAt = sub + (r.chance(0.95) ? 2 * HOUR + r.exponential(2.5) * DAY : r.between(15, 40) * DAY);
      if (major) {
        for (const party of ['enterprise', 'expert'] as const) {
          const t = at(sub + (reviewAt - sub) * (party === 'enterprise' ? 0.3 : 0.6));
          const cmd = { party, passed: true, opinion: '整改措施落实到位，同意通过验收', signatory: party === 'expert' ? '安全生产专家组' : '企业安全负责人', by: plan.createdBy };
          if (!checkAcceptance(state, cmd)) apply(acceptanceChange(state, cmd, t));
        }
      }
      const rev = at(reviewAt);
      const reject = r.chance(round === 1 ? 0.08 : 0.04);
      const cmd: ReviewCommand = reject
        ? { decision: 'reject', reasons: [r.pick(REJECTION_REASONS)], newDeadline: addDays(shanghaiDate(rev), r.between(7, 20)), by: plan.createdBy }
        : { decision: 'accept', comment: '整改到位，同意销号', by: plan.createdBy };
      if (checkReview(state, cmd, rev)) return;
      apply(reviewChange(state, cmd, rev));
      if (state.status === 'closed') return;
    }
  }

  const registration: HazardRegistration = {
    title: plan.title,
    description: '',
    category: plan.category,
    source: plan.source,
    location: plan.location,
    legalBasis: ordered.rule?.legalBasis ?? LEGAL_BASES[plan.id.charCodeAt(0) % LEGAL_BASES.length]!,
    requiredMeasures: MEASURES[plan.id.charCodeAt(1) % MEASURES.length]!,
    createdBy: plan.createdBy,
    policyId: plan.policy.id,
    inspectionId: null,
    inspectionFinding: null,
    repeatOf: plan.repeatOf,
  };
  const { createdBy, ...details } = registration;
  const row = {
    id: plan.id,
    workflowId,
    enterpriseId: plan.enterpriseId,
    regionPath: plan.regionPath,
    grade: plan.grade,
    policy: rules,
    createdBy,
    createdAt: new Date(plan.registeredAt),
    ...details,
    ...projection(snapshotOf(state, lastAt)),
  };
  return { state, row, records };
}
