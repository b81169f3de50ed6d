/**
 * Reminder and escalation policy of a hazard: data, not code. Who is told, and when, depends on
 * the grade and is configured by the bureau; this module only says what a valid policy is.
 */
import { z } from 'zod';
import { DEFAULT_EXTENSION_POLICY } from './extension';
import { ACCEPTANCE_PARTIES, DECISION_KINDS, INSTRUMENT_KINDS } from './instruments';
import { DEFAULT_MAJOR_POLICY, DEFAULT_REPEAT_WINDOW_MONTHS, MAX_REPEAT_WINDOW_MONTHS } from './policy-rules';

export const HAZARD_GRADES = ['general', 'major'] as const;
export type HazardGrade = (typeof HAZARD_GRADES)[number];

/** Who receives an escalation step (resolved to people by jurisdiction when notifying). */
export const RECIPIENT_ROLES = [
  'enterprise',
  'supervisor',
  'supervisor_chief',
  'responsible_leader',
  'county_leader',
  'city_leader',
] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export { MAX_OFFSET_DAYS } from './policy-rules';
import { MAX_OFFSET_DAYS } from './policy-rules';

const days = z.number().int().min(1).max(MAX_OFFSET_DAYS);

export const escalationStepSchema = z.strictObject({
  afterDays: days.describe('days overdue at which the step fires'),
  level: z.number().int().min(1).max(20),
  recipientRole: z.enum(RECIPIENT_ROLES),
});

/**
 * How far the enterprise may push a round's deadline (延期). Optional in a policy: versions saved
 * before extensions existed lack it and run on DEFAULT_EXTENSION_POLICY (see extensionPolicyOf).
 */
export const extensionPolicySchema = z.strictObject({
  maxCount: z.number().int().min(0).max(10).describe('extensions granted per rectification round, at most (0: none)'),
  maxTotalDays: z.number().int().min(0).max(365).describe("calendar days a round's deadline may move past the deadline it was ordered with"),
  minLeadDays: z.number().int().min(0).max(30).describe('a request must come at least this many calendar days before the deadline ends (0: up to its last day)'),
});
export type ExtensionPolicy = z.infer<typeof extensionPolicySchema>;

/** How offsets after a deadline (escalations, review, signing) are counted. */
export const DAY_UNITS = ['working', 'calendar'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

/** The rule a deadline is computed by when the person ordering gives none: N days from the order. */
export const deadlineRuleSchema = z.strictObject({
  days: days.describe('days from the order to the deadline'),
  unit: z.enum(DAY_UNITS),
  legalBasis: z.string().trim().min(1).max(500).describe('the provision the time limit comes from'),
});
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

/** A supervisor must review submitted evidence in time, or the supervisor's chief is told. */
export const reviewPolicySchema = z.strictObject({
  withinDays: days.describe('days (in dayUnit) after submission by which the review is due'),
  escalateTo: z.enum(RECIPIENT_ROLES),
});
export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;

const ladderSteps = <T extends z.ZodObject>(step: T, what: string) =>
  z.array(step).max(10).superRefine((steps, ctx) => {
    steps.forEach((s, i) => {
      const prev = steps[i - 1] as { afterDays: number } | undefined;
      if (prev && (s as { afterDays: number }).afterDays <= prev.afterDays) {
        ctx.addIssue({ code: 'custom', path: [i, 'afterDays'], message: `${what} must come later one after another` });
      }
    });
  });

/**
 * A supervision notice's own ladder: the enterprise signs within `signWithinDays` or
 * `signEscalateTo` is told; once the notice is overdue, each instrument step issues a new numbered
 * instrument to its recipient, and each decision step opens a decision for a person to take.
 */
export const noticePolicySchema = z.strictObject({
  signWithinDays: days.describe('days (in dayUnit) after issue within which the enterprise signs for the notice'),
  signEscalateTo: z.enum(RECIPIENT_ROLES),
  ladder: ladderSteps(
    z.strictObject({
      afterDays: days.describe('days (in dayUnit) overdue at which the instrument is issued'),
      instrument: z.enum(INSTRUMENT_KINDS),
      recipientRole: z.enum(RECIPIENT_ROLES),
    }),
    'instrument steps',
  ).refine(
    (steps) => steps.every((s, i) => i === 0 || INSTRUMENT_KINDS.indexOf(s.instrument) > INSTRUMENT_KINDS.indexOf(steps[i - 1]!.instrument)),
    { message: 'instruments must rise in weight: reminder_card → list → supervision_letter → directive' },
  ),
  decisions: ladderSteps(
    z.strictObject({
      afterDays: days.describe('days (in dayUnit) overdue at which the decision is opened'),
      kind: z.enum(DECISION_KINDS),
      deciderRole: z.enum(RECIPIENT_ROLES),
    }),
    'decision steps',
  ),
});
export type NoticePolicy = z.infer<typeof noticePolicySchema>;

/** Major hazards (重大事故隐患): who must accept the rectification, and how long a suspension may last. */
export const majorPolicySchema = z.strictObject({
  acceptanceParties: z
    .array(z.enum(ACCEPTANCE_PARTIES))
    .min(1)
    .refine((p) => new Set(p).size === p.length, { message: 'parties must be distinct' })
    .refine((p) => p.includes('government'), { message: 'the government reviewer always takes part' }),
  suspensionMaxDays: z.number().int().min(1).max(366).describe('calendar days a suspension for rectification may last at most'),
});
export type MajorPolicy = z.infer<typeof majorPolicySchema>;

/**
 * Every section added after the first version is optional: a hazard keeps the version it started
 * with, so the rules read a missing section as the behaviour of its time (see the *Of helpers).
 */
export const hazardPolicySchema = z
  .strictObject({
    reminderDaysBefore: z.array(days).max(10).describe('days before the deadline a reminder goes out'),
    escalation: z.array(escalationStepSchema).max(10),
    extension: extensionPolicySchema.optional(),
    dayUnit: z.enum(DAY_UNITS).optional().describe('how escalation, review and signing offsets are counted (absent: calendar)'),
    deadline: deadlineRuleSchema.optional(),
    review: reviewPolicySchema.optional(),
    notice: noticePolicySchema.optional(),
    major: majorPolicySchema.optional(),
    repeatWindowMonths: z.number().int().min(1).max(MAX_REPEAT_WINDOW_MONTHS).optional().describe('a new hazard within this many months of a closed one of the same enterprise and category is a repeat'),
  })
  .superRefine((policy, ctx) => {
    const reminders = policy.reminderDaysBefore;
    if (new Set(reminders).size !== reminders.length) {
      ctx.addIssue({ code: 'custom', path: ['reminderDaysBefore'], message: 'reminder offsets must be distinct' });
    }
    policy.escalation.forEach((step, i) => {
      const prev = policy.escalation[i - 1];
      if (prev && step.afterDays <= prev.afterDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', i, 'afterDays'],
          message: 'escalation steps must come later one after another',
        });
      }
      if (prev && step.level <= prev.level) {
        ctx.addIssue({ code: 'custom', path: ['escalation', i, 'level'], message: 'escalation levels must rise' });
      }
    });
  });

export type EscalationStep = z.infer<typeof escalationStepSchema>;
export type HazardPolicy = z.infer<typeof hazardPolicySchema>;

export { DEFAULT_MAJOR_POLICY, DEFAULT_REPEAT_WINDOW_MONTHS, MAX_REPEAT_WINDOW_MONTHS, dayUnitOf, repeatWindowOf } from './policy-rules';

// The defaults live beside the extension rules, which workflow code runs without zod.
export { DEFAULT_EXTENSION_POLICY, extensionPolicyOf } from './extension';

/**
 * The bureau's starting policies. A major hazard is urged earlier and climbs faster and higher.
 */
const SAFETY_LAW = '《中华人民共和国安全生产法》第六十五条';

export const DEFAULT_NOTICE_POLICIES: Record<HazardGrade, NoticePolicy> = {
  general: {
    signWithinDays: 2,
    signEscalateTo: 'supervisor_chief',
    ladder: [
      { afterDays: 1, instrument: 'reminder_card', recipientRole: 'enterprise' },
      { afterDays: 3, instrument: 'list', recipientRole: 'supervisor_chief' },
      { afterDays: 7, instrument: 'supervision_letter', recipientRole: 'responsible_leader' },
      { afterDays: 15, instrument: 'directive', recipientRole: 'county_leader' },
    ],
    decisions: [
      { afterDays: 20, kind: 'warning_interview', deciderRole: 'county_leader' },
      { afterDays: 30, kind: 'penalty', deciderRole: 'supervisor_chief' },
    ],
  },
  major: {
    signWithinDays: 1,
    signEscalateTo: 'supervisor_chief',
    ladder: [
      { afterDays: 1, instrument: 'reminder_card', recipientRole: 'supervisor_chief' },
      { afterDays: 2, instrument: 'list', recipientRole: 'responsible_leader' },
      { afterDays: 5, instrument: 'supervision_letter', recipientRole: 'county_leader' },
      { afterDays: 10, instrument: 'directive', recipientRole: 'city_leader' },
    ],
    decisions: [
      { afterDays: 12, kind: 'warning_interview', deciderRole: 'county_leader' },
      { afterDays: 15, kind: 'penalty', deciderRole: 'supervisor_chief' },
      { afterDays: 20, kind: 'suspension', deciderRole: 'county_leader' },
      { afterDays: 40, kind: 'judicial_transfer', deciderRole: 'city_leader' },
    ],
  },
};


export const DEFAULT_POLICIES: Record<HazardGrade, HazardPolicy> = {
  general: {
    reminderDaysBefore: [3, 1],
    escalation: [
      { afterDays: 1, level: 1, recipientRole: 'supervisor' },
      { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
      { afterDays: 7, level: 3, recipientRole: 'responsible_leader' },
      { afterDays: 15, level: 4, recipientRole: 'county_leader' },
    ],
    extension: { ...DEFAULT_EXTENSION_POLICY },
    dayUnit: 'working',
    deadline: { days: 10, unit: 'working', legalBasis: SAFETY_LAW },
    review: { withinDays: 10, escalateTo: 'supervisor_chief' },
    notice: DEFAULT_NOTICE_POLICIES.general,
    repeatWindowMonths: DEFAULT_REPEAT_WINDOW_MONTHS,
  },
  major: {
    reminderDaysBefore: [7, 3, 1],
    escalation: [
      { afterDays: 1, level: 1, recipientRole: 'supervisor_chief' },
      { afterDays: 3, level: 2, recipientRole: 'responsible_leader' },
      { afterDays: 7, level: 3, recipientRole: 'county_leader' },
      { afterDays: 15, level: 4, recipientRole: 'city_leader' },
    ],
    extension: { ...DEFAULT_EXTENSION_POLICY },
    dayUnit: 'working',
    deadline: { days: 30, unit: 'working', legalBasis: SAFETY_LAW },
    review: { withinDays: 10, escalateTo: 'supervisor_chief' },
    notice: DEFAULT_NOTICE_POLICIES.major,
    major: DEFAULT_MAJOR_POLICY,
    repeatWindowMonths: DEFAULT_REPEAT_WINDOW_MONTHS,
  },
};
