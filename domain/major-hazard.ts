/**
 * Major hazards (重大事故隐患): listed for supervision at a level, rectified to a five-point plan
 * (五落实) that must be on record before evidence can be submitted, and closed only after every
 * party the policy names has accepted the rectification (the government reviewer last, by the
 * accepting review itself).
 */
import type { Acceptance, AcceptanceCommand, HazardState, ListingLevel, PlanCommand, PlanRecord } from './hazard-state';
import type { Refusal } from './refusal';
import { ACCEPTANCE_PARTIES, type AcceptanceParty } from './instruments';
import type { MajorPolicy } from './policy-types';
import { DEFAULT_MAJOR_POLICY } from './policy-rules';
import { isIsoDate, type IsoDate } from './shanghai-time';

export { LISTING_LEVELS } from './hazard-state';
export type { Acceptance, AcceptanceCommand, FivePointPlan, ListingLevel, PlanCommand, PlanRecord } from './hazard-state';


export const LISTING_LEVEL_NAMES: Record<ListingLevel, string> = { province: '省级', city: '市级', county: '县级', township: '乡镇级' };






/**
 * The major-hazard rules a hazard runs under, or null: general hazards, and major ones whose policy
 * version predates these rules (they keep the behaviour they started with).
 */
export function majorRulesOf(state: Pick<HazardState, 'policy' | 'grade'>): MajorPolicy | null {
  return state.grade === 'major' ? (state.policy.major ?? null) : null;
}

/** The suspension limit for a hazard (or the bureau's default when its policy names none). */
export function suspensionMaxDaysOf(state: Pick<HazardState, 'policy'>): number {
  return (state.policy.major ?? DEFAULT_MAJOR_POLICY).suspensionMaxDays;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

export function checkPlan(state: HazardState, cmd: PlanCommand): Refusal | null {
  if (!majorRulesOf(state)) return { kind: 'not_allowed', code: 'plan-major-only', message: 'a five-point plan is filed for major hazards only' };
  if (state.status !== 'rectifying') return { kind: 'not_allowed', code: 'plan-not-rectifying', message: `the plan can be filed only while rectifying; the hazard is ${state.status}` };
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the filing person is required' };
  for (const field of ['measures', 'responsiblePerson', 'contingencyPlan'] as const) {
    if (blank(cmd[field])) return { kind: 'invalid', field, message: `${field} is required` };
  }
  if (typeof cmd.funds !== 'number' || !Number.isFinite(cmd.funds) || cmd.funds <= 0) {
    return { kind: 'invalid', field: 'funds', message: 'funds must be a positive amount in yuan' };
  }
  if (typeof cmd.deadline !== 'string' || !isIsoDate(cmd.deadline)) return { kind: 'invalid', field: 'deadline', message: 'the deadline must be a date (YYYY-MM-DD)' };
  if (cmd.deadline > state.deadline) {
    return { kind: 'invalid', field: 'deadline', code: 'plan-deadline-after-rectification', message: `the plan must finish by the rectification deadline ${state.deadline}` };
  }
  return null;
}

export function filePlan(state: HazardState, cmd: PlanCommand, now: number): HazardState {
  const { by, ...plan } = cmd;
  const version = (state.plan?.version ?? 0) + 1;
  return { ...state, plan: { ...plan, measures: plan.measures.trim(), responsiblePerson: plan.responsiblePerson.trim(), contingencyPlan: plan.contingencyPlan.trim(), version, by, at: now }, seq: state.seq + 1 };
}

/** Why a major hazard cannot take evidence yet, or null. */
export function planMissing(state: HazardState): Refusal | null {
  if (!majorRulesOf(state) || state.plan) return null;
  return { kind: 'not_allowed', code: 'plan-required', message: 'a major hazard needs its five-point plan (五落实) on record before evidence is submitted' };
}

export function checkAcceptance(state: HazardState, cmd: AcceptanceCommand): Refusal | null {
  const rules = majorRulesOf(state);
  if (!rules) return { kind: 'not_allowed', code: 'acceptance-major-only', message: 'acceptance by several parties applies to major hazards only' };
  if (state.status !== 'under_review') return { kind: 'not_allowed', code: 'acceptance-not-submitted', message: `acceptance needs a submitted rectification; the hazard is ${state.status}` };
  if (!cmd.by) return { kind: 'invalid', field: 'by', message: 'the recording person is required' };
  if (!(ACCEPTANCE_PARTIES as readonly string[]).includes(cmd.party) || cmd.party === ('government' as string)) {
    return { kind: 'invalid', field: 'party', message: 'the party is enterprise or expert; the government accepts by its review' };
  }
  if (!rules.acceptanceParties.includes(cmd.party)) {
    return { kind: 'invalid', field: 'party', code: 'acceptance-party-not-called', message: `the policy does not call for acceptance by the ${cmd.party}` };
  }
  if (typeof cmd.passed !== 'boolean') return { kind: 'invalid', field: 'passed', message: 'passed must be true or false' };
  if (blank(cmd.opinion)) return { kind: 'invalid', field: 'opinion', message: 'an acceptance opinion is required' };
  if (blank(cmd.signatory)) return { kind: 'invalid', field: 'signatory', message: 'the signatory for the party is required' };
  return null;
}

export function recordAcceptance(state: HazardState, cmd: AcceptanceCommand, now: number): HazardState {
  const acceptance: Acceptance = { round: state.round, party: cmd.party, passed: cmd.passed, opinion: cmd.opinion.trim(), signatory: cmd.signatory.trim(), by: cmd.by, at: now };
  return { ...state, acceptances: [...(state.acceptances ?? []), acceptance], seq: state.seq + 1 };
}

/** What the acceptance rules read of a hazard. */
type AcceptanceView = Pick<HazardState, 'grade' | 'policy' | 'round'> & { acceptances?: readonly Pick<Acceptance, 'round' | 'party' | 'passed'>[] };

/** The newest acceptance of each party this round. */
export function roundAcceptances<A extends Pick<Acceptance, 'round' | 'party' | 'passed'>>(state: { round: number; acceptances?: readonly A[] }): Partial<Record<AcceptanceParty, A>> {
  const out: Partial<Record<AcceptanceParty, A>> = {};
  for (const a of state.acceptances ?? []) if (a.round === state.round) out[a.party] = a;
  return out;
}

/** The parties (other than the government) that still have to pass the rectification before it can be accepted. */
export function acceptancesOutstanding(state: AcceptanceView): AcceptanceParty[] {
  const rules = majorRulesOf(state);
  if (!rules) return [];
  const got = roundAcceptances(state);
  return rules.acceptanceParties.filter((p) => p !== 'government' && !got[p]?.passed);
}

/** The parties whose acceptance the hazard's policy calls for (the government's is its review); none for a general hazard. */
export function acceptancePartiesOf(state: Pick<HazardState, 'grade' | 'policy'>): AcceptanceParty[] {
  return majorRulesOf(state)?.acceptanceParties.filter((p) => p !== 'government') ?? [];
}
