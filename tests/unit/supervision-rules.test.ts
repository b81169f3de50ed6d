/**
 * The pure supervision rules of a hazard: counted deadlines and what a published year changes,
 * the review deadline, void and reopen, reassignment and delegation, the five-point plan and
 * acceptance by several parties, and the policy sections that configure them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCalendarYear, isProvisional, orderDeadline, provisionalDates, reviewDueOf, type DeadlineBasis } from '../../domain/hazard-calendar';
import { snapshotOf, viewOf } from '../../domain/hazard-view';
import { assign, assignmentOf, checkAssignment } from '../../domain/hazard-assignment';
import { checkReopen, checkReview, checkSubmit, checkVoid, initialState, nextStep, reopen, review, submit, voidHazard, type HazardState } from '../../domain/hazard-lifecycle';
import { acceptancesOutstanding, checkAcceptance, checkPlan, filePlan, recordAcceptance } from '../../domain/major-hazard';
import { DEFAULT_MAJOR_POLICY, DEFAULT_POLICIES, hazardPolicySchema, noticePolicySchema, type HazardPolicy } from '../../domain/policy';
import { dueInstant } from '../../domain/shanghai-time';
import { WorkCalendar, type YearCalendar } from '../../domain/work-calendar';

const CN_2026 = JSON.parse(readFileSync(new URL('../../domain/calendars/cn-2026.json', import.meta.url), 'utf8')) as YearCalendar;
const at = (s: string) => Date.parse(s);
const NOW = at('2026-12-14T02:00:00Z'); // Monday 14 December 2026, 10:00 Shanghai

const WORKING: HazardPolicy = { reminderDaysBefore: [], dayUnit: 'working', escalation: [{ afterDays: 3, level: 1, recipientRole: 'supervisor' }] };

function hazard(policy: HazardPolicy = WORKING, extra: Partial<Parameters<typeof initialState>[0]> = {}): HazardState {
  return initialState({ hazardId: 'hz-1', enterpriseId: 'ent-1', grade: 'general', policy, deadline: '2026-12-25', calendar: [CN_2026], ...extra }, NOW);
}

describe('counted deadlines', () => {
  const rule = { days: 10, unit: 'working' as const, legalBasis: '《安全生产法》第六十五条' };

  it('keeps a date the person ordering gave, rule or not', () => {
    expect(orderDeadline('2026-12-31', rule, '2026-12-14', new WorkCalendar([CN_2026]))).toEqual({ deadline: '2026-12-31', rule: null, provisional: false });
  });

  it('counts the policy rule from today on the calendar when no date is given, keeping the rule and its basis', () => {
    // Ten working days from Monday 14 December 2026: Monday 28 December.
    expect(orderDeadline(undefined, rule, '2026-12-14', new WorkCalendar([CN_2026]))).toEqual({
      deadline: '2026-12-28',
      rule: { from: '2026-12-14', ...rule },
      provisional: false,
    });
  });

  it('says provisional when the count runs into a year without data, and null when there is neither date nor rule', () => {
    const counted = orderDeadline(undefined, rule, '2026-12-24', new WorkCalendar([CN_2026]));
    expect(counted).toMatchObject({ deadline: '2027-01-07', provisional: true });
    expect(orderDeadline(undefined, undefined, '2026-12-24', new WorkCalendar([CN_2026]))).toBeNull();
  });

  it('moves a provisional counted deadline when its year is published, and records before and after', () => {
    const basis: DeadlineBasis = { from: '2026-12-24', ...rule };
    const s = hazard(WORKING, { deadline: '2027-01-07', deadlineRule: basis });
    expect(isProvisional(s)).toBe(true);
    const y2027: YearCalendar = { year: 2027, source: 'test', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
    const { state, change } = applyCalendarYear(s, y2027);
    expect(change).toEqual({ year: 2027, deadline: { from: '2027-01-07', to: '2027-01-08' }, reviewDue: null, provisionalBefore: true, provisionalAfter: false });
    expect(state).toMatchObject({ deadline: '2027-01-08', seq: s.seq + 1, extension: { originalDeadline: '2027-01-08' } });
    expect(isProvisional(state)).toBe(false);
  });

  it('leaves a deadline alone once a person fixed it (extension or rejection), replanning only the ladder', () => {
    const basis: DeadlineBasis = { from: '2026-12-24', ...rule };
    const fixed = hazard(WORKING, { deadline: '2027-01-12', deadlineRule: basis });
    const { change, state } = applyCalendarYear(fixed, { year: 2027, source: 'test', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] });
    expect(change.deadline).toBeNull();
    expect(state.deadline).toBe('2027-01-12');
  });

  it('marks a hazard provisional when only an escalation still ahead reaches into a year without data', () => {
    // Deadline Thursday 31 December 2026; 3 working days later is in 2027.
    const s = hazard(WORKING, { deadline: '2026-12-31' });
    expect(isProvisional(s)).toBe(true);
    expect(isProvisional(hazard(WORKING, { deadline: '2026-12-15' }))).toBe(false);
  });

  it('tells a provisional deadline apart from provisional steps after it', () => {
    const basis: DeadlineBasis = { from: '2026-12-24', ...rule };
    // The deadline itself counted into 2027 (and the escalation after it with it).
    expect(provisionalDates(hazard(WORKING, { deadline: '2027-01-07', deadlineRule: basis }))).toEqual({ deadline: true, laterSteps: true });
    // A deadline counted wholly in 2026 whose escalation three working days on reaches 2027: only the later steps wait.
    const counted: DeadlineBasis = { from: '2026-12-14', ...rule, days: 13 };
    const s = hazard(WORKING, { deadline: '2026-12-31', deadlineRule: counted });
    expect(provisionalDates(s)).toEqual({ deadline: false, laterSteps: true });
    expect(viewOf(s, NOW)).toMatchObject({ provisional: true, deadlineProvisional: false, laterStepsProvisional: true });
    expect(snapshotOf(s, NOW)).toMatchObject({ provisional: true, deadlineProvisional: false, laterStepsProvisional: true });
    // A deadline given as a date is never provisional itself.
    expect(provisionalDates(hazard(WORKING, { deadline: '2026-12-31' }))).toEqual({ deadline: false, laterSteps: true });
    // Once a person fixed the date (the rule's count no longer gives it), the date is not provisional.
    expect(provisionalDates(hazard(WORKING, { deadline: '2027-01-12', deadlineRule: basis }))).toEqual({ deadline: false, laterSteps: true });
    // Nothing provisional: neither.
    expect(provisionalDates(hazard(WORKING, { deadline: '2026-12-15' }))).toEqual({ deadline: false, laterSteps: false });
  });
});

describe('review deadline', () => {
  const policy: HazardPolicy = { ...WORKING, review: { withinDays: 10, escalateTo: 'supervisor_chief' } };

  it('counts the review time in the policy unit from the day of submission', () => {
    expect(reviewDueOf(policy, new WorkCalendar([CN_2026]), NOW)).toEqual({ date: '2026-12-28', provisional: false });
    expect(reviewDueOf({ ...policy, dayUnit: 'calendar' }, new WorkCalendar([CN_2026]), NOW)).toEqual({ date: '2026-12-24', provisional: false });
    expect(reviewDueOf(WORKING, new WorkCalendar([CN_2026]), NOW)).toBeNull();
  });

  it('plans the review step after submission, due at the end of the review day, and clears it on review', () => {
    const s = submit(hazard(policy), { evidence: ['e1'], by: 'ent' }, NOW);
    expect(nextStep(s)).toEqual({ kind: 'review_overdue', key: 'round-1/review-overdue', at: dueInstant('2026-12-28'), recipientRole: 'supervisor_chief' });
    expect(review(s, { decision: 'accept', by: 'sup' }, NOW)).toMatchObject({ status: 'closed', reviewDue: null, reviewOverdueSince: null });
  });
});

describe('void and reopen', () => {
  it('voids only an open hazard, only with a kind and a reason', () => {
    const s = hazard();
    expect(checkVoid(s, { kind: 'misreport', reason: '误报', by: 'leader' })).toBeNull();
    expect(checkVoid(s, { kind: 'misreport', reason: '  ', by: 'leader' })).toMatchObject({ kind: 'invalid', field: 'reason' });
    expect(checkVoid(s, { kind: 'other' as 'exempt', reason: 'x', by: 'leader' })).toMatchObject({ kind: 'invalid', field: 'kind' });
    const voided = voidHazard(s, { kind: 'exempt', reason: ' 已关停 ', by: 'leader' }, NOW);
    expect(voided).toMatchObject({ status: 'void', voided: { kind: 'exempt', reason: '已关停', by: 'leader', at: NOW } });
    expect(nextStep(voided)).toBeNull();
    expect(checkVoid(voided, { kind: 'exempt', reason: 'x', by: 'leader' })).toMatchObject({ kind: 'not_allowed' });
  });

  it('reopens only a closed hazard, into a new round with a fresh ladder and extension allowance', () => {
    const open = hazard();
    expect(checkReopen(open, { reason: 'x', newDeadline: '2027-01-10', by: 'sup' }, NOW)).toMatchObject({ kind: 'not_allowed' });
    const closed = review(submit(open, { evidence: ['e'], by: 'ent' }, NOW), { decision: 'accept', by: 'sup' }, NOW);
    expect(checkReopen(closed, { reason: 'x', newDeadline: '2026-12-01', by: 'sup' }, NOW)).toMatchObject({ field: 'newDeadline' });
    expect(checkReopen(closed, { reason: '', newDeadline: '2026-12-30', by: 'sup' }, NOW)).toMatchObject({ field: 'reason' });
    const again = reopen(closed, { reason: '隐患复现', newDeadline: '2026-12-30', by: 'sup' }, NOW);
    expect(again).toMatchObject({ status: 'rectifying', round: 2, deadline: '2026-12-30', closedAt: null, reopenings: 1, fired: [], escalationLevel: 0 });
    expect(again.extension).toMatchObject({ originalDeadline: '2026-12-30', requests: 0, pending: null });
  });
});

describe('reassignment and delegation', () => {
  const s = hazard(WORKING, { assignment: { supervisor: 'li', enterpriseContact: null, delegate: null } });

  it('names the person before and after, and a delegation ends with the supervisor’s charge', () => {
    const delegated = assign(s, { kind: 'delegate', to: 'zhou', reason: '培训', by: 'li' });
    expect(delegated.from).toBeNull();
    const moved = assign(delegated.state, { kind: 'reassign', role: 'supervisor', to: 'sun', reason: '调岗', by: 'chief' });
    expect(moved.from).toBe('li');
    expect(assignmentOf(moved.state)).toEqual({ supervisor: 'sun', enterpriseContact: null, delegate: null });
    expect(assign(s, { kind: 'reassign', role: 'enterprise_contact', to: 'wang', reason: '换人', by: 'li' }).state.assignment).toMatchObject({ enterpriseContact: 'wang', supervisor: 'li' });
  });

  it('refuses the same person, self-delegation, withdrawing nothing, a missing reason, and settled hazards', () => {
    expect(checkAssignment(s, { kind: 'reassign', role: 'supervisor', to: 'li', reason: 'x', by: 'c' })).toMatchObject({ field: 'to' });
    expect(checkAssignment(s, { kind: 'delegate', to: 'li', reason: 'x', by: 'li' })).toMatchObject({ field: 'to' });
    expect(checkAssignment(s, { kind: 'delegate', to: null, reason: 'x', by: 'li' })).toMatchObject({ kind: 'not_allowed' });
    expect(checkAssignment(s, { kind: 'delegate', to: 'zhou', reason: ' ', by: 'li' })).toMatchObject({ field: 'reason' });
    const voided = voidHazard(s, { kind: 'misreport', reason: 'x', by: 'l' }, NOW);
    expect(checkAssignment(voided, { kind: 'delegate', to: 'zhou', reason: 'x', by: 'li' })).toMatchObject({ kind: 'not_allowed' });
  });
});

describe('major hazards', () => {
  const policy: HazardPolicy = { ...WORKING, major: DEFAULT_MAJOR_POLICY };
  const major = () => hazard(policy, { grade: 'major', listingLevel: 'county' });
  const plan = { measures: '更换', funds: 5000, deadline: '2026-12-20', responsiblePerson: '王', contingencyPlan: '停用', by: 'ent' };

  it('requires the five-point plan before evidence; checks each point', () => {
    expect(checkSubmit(major(), { evidence: ['e'], by: 'ent' })).toMatchObject({ kind: 'not_allowed' });
    expect(checkPlan(major(), { ...plan, funds: 0 })).toMatchObject({ field: 'funds' });
    expect(checkPlan(major(), { ...plan, contingencyPlan: '' })).toMatchObject({ field: 'contingencyPlan' });
    expect(checkPlan(major(), { ...plan, deadline: '2026-12-26' })).toMatchObject({ field: 'deadline' });
    expect(checkPlan(hazard(), plan)).toMatchObject({ kind: 'not_allowed' });
    const filed = filePlan(major(), plan, NOW);
    expect(filed.plan).toMatchObject({ version: 1, by: 'ent', at: NOW });
    expect(filePlan(filed, plan, NOW).plan!.version).toBe(2);
    expect(checkSubmit(filed, { evidence: ['e'], by: 'ent' })).toBeNull();
  });

  it('accepts only after every party the policy names passed in this round; the government by its review', () => {
    const s = submit(filePlan(major(), plan, NOW), { evidence: ['e'], by: 'ent' }, NOW);
    const accept = { decision: 'accept' as const, by: 'sup' };
    expect(acceptancesOutstanding(s)).toEqual(['enterprise', 'expert']);
    expect(checkAcceptance(s, { party: 'government' as 'expert', passed: true, opinion: 'x', signatory: 'y', by: 'sup' })).toMatchObject({ field: 'party' });
    const one = recordAcceptance(s, { party: 'enterprise', passed: true, opinion: '合格', signatory: '王', by: 'ent' }, NOW);
    expect(checkReview(one, accept, NOW)).toMatchObject({ kind: 'not_allowed' });
    const both = recordAcceptance(one, { party: 'expert', passed: true, opinion: '合格', signatory: '张', by: 'sup' }, NOW);
    expect(checkReview(both, accept, NOW)).toBeNull();
    // A rejection starts a new round: acceptances of the old round no longer count.
    const rejected = review(both, { decision: 'reject', reasons: ['不到位'], newDeadline: '2026-12-30', by: 'sup' }, NOW);
    expect(acceptancesOutstanding(submit(rejected, { evidence: ['e2'], by: 'ent' }, NOW))).toEqual(['enterprise', 'expert']);
  });

  it('applies none of this to a major hazard whose policy predates the rules', () => {
    const old = hazard(WORKING, { grade: 'major' });
    expect(checkSubmit(old, { evidence: ['e'], by: 'ent' })).toBeNull();
    expect(acceptancesOutstanding(submit(old, { evidence: ['e'], by: 'ent' }, NOW))).toEqual([]);
  });
});

describe('policy sections', () => {
  const base = DEFAULT_POLICIES.general;
  const refused = (policy: unknown) => {
    const result = hazardPolicySchema.safeParse(policy);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => i.path.join('.'));
  };

  it('accepts both shipped policies and every section being absent', () => {
    expect(hazardPolicySchema.parse(DEFAULT_POLICIES.major)).toEqual(DEFAULT_POLICIES.major);
    expect(hazardPolicySchema.safeParse({ reminderDaysBefore: [], escalation: [] }).success).toBe(true);
  });

  it('refuses a bad day unit, deadline rule, review time and major section, naming the field', () => {
    expect(refused({ ...base, dayUnit: 'lunar' })).toEqual(['dayUnit']);
    expect(refused({ ...base, deadline: { days: 0, unit: 'working', legalBasis: 'x' } })).toEqual(['deadline.days']);
    expect(refused({ ...base, deadline: { days: 5, unit: 'working', legalBasis: ' ' } })).toEqual(['deadline.legalBasis']);
    expect(refused({ ...base, review: { withinDays: 10, escalateTo: 'nobody' } })).toEqual(['review.escalateTo']);
    expect(refused({ ...base, major: { acceptanceParties: ['expert'], suspensionMaxDays: 183 } })).toEqual(['major.acceptanceParties']);
    expect(refused({ ...base, major: { acceptanceParties: ['government', 'government'], suspensionMaxDays: 183 } })).toEqual(['major.acceptanceParties']);
    expect(refused({ ...base, major: { ...DEFAULT_MAJOR_POLICY, suspensionMaxDays: 400 } })).toEqual(['major.suspensionMaxDays']);
    expect(refused({ ...base, repeatWindowMonths: 0 })).toEqual(['repeatWindowMonths']);
  });

  it('requires a notice ladder whose instruments rise in weight and whose steps come later one after another', () => {
    const notice = DEFAULT_POLICIES.general.notice!;
    expect(noticePolicySchema.parse(notice)).toEqual(notice);
    const swapped = { ...notice, ladder: [notice.ladder[1], notice.ladder[0]].map((s, i) => ({ ...s!, afterDays: i + 1 })) };
    expect(noticePolicySchema.safeParse(swapped).success).toBe(false);
    const early = { ...notice, decisions: [{ afterDays: 5, kind: 'penalty', deciderRole: 'county_leader' }, { afterDays: 5, kind: 'suspension', deciderRole: 'county_leader' }] };
    expect(noticePolicySchema.safeParse(early).error!.issues.map((i) => i.path.join('.'))).toEqual(['decisions.1.afterDays']);
    expect(noticePolicySchema.safeParse({ ...notice, extra: 1 }).success).toBe(false);
  });
});
