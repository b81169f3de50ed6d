/**
 * Reminder and escalation policy of a hazard: data, not code. Who is told, and when, depends on
 * the grade and is configured by the bureau; this module only says what a valid policy is.
 */
import { z } from 'zod';
import { ACCEPTANCE_PARTIES, DECISION_KINDS, INSTRUMENT_KINDS } from './instruments';
import { MAX_REPEAT_WINDOW_MONTHS } from './policy-rules';
import {
  DAY_UNITS,
  RECIPIENT_ROLES,
  type DeadlineRule,
  type EscalationStep,
  type ExtensionPolicy,
  type HazardPolicy,
  type MajorPolicy,
  type NoticePolicy,
  type ReviewPolicy,
} from './policy-types';

// The plain types and the defaults live apart from zod, so workflow code reads them without it.
export { DAY_UNITS, HAZARD_GRADES, RECIPIENT_ROLES } from './policy-types';
export type { DayUnit, DeadlineRule, EscalationStep, ExtensionPolicy, HazardGrade, HazardPolicy, MajorPolicy, NoticePolicy, RecipientRole, ReviewPolicy } from './policy-types';
export { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from './policy-defaults';

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


/** The rule a deadline is computed by when the person ordering gives none: N days from the order. */
export const deadlineRuleSchema = z.strictObject({
  days: days.describe('days from the order to the deadline'),
  unit: z.enum(DAY_UNITS),
  legalBasis: z.string().trim().min(1).max(500).describe('the provision the time limit comes from'),
});

/** A supervisor must review submitted evidence in time, or the supervisor's chief is told. */
export const reviewPolicySchema = z.strictObject({
  withinDays: days.describe('days (in dayUnit) after submission by which the review is due'),
  escalateTo: z.enum(RECIPIENT_ROLES),
});

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
      orHigher: z.boolean().optional().describe('a holder of a higher post of the same line may take it too'),
    }),
    'decision steps',
  ),
});

/** Major hazards (重大事故隐患): who must accept the rectification, and how long a suspension may last. */
export const majorPolicySchema = z.strictObject({
  acceptanceParties: z
    .array(z.enum(ACCEPTANCE_PARTIES))
    .min(1)
    .refine((p) => new Set(p).size === p.length, { message: 'parties must be distinct' })
    .refine((p) => p.includes('government'), { message: 'the government reviewer always takes part' }),
  suspensionMaxDays: z.number().int().min(1).max(366).describe('calendar days a suspension for rectification may last at most'),
});

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

/** The schemas accept exactly the plain types the rules read (a compile error here otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agrees = <T extends true>(_: T) => undefined;
agrees<Same<z.infer<typeof escalationStepSchema>, EscalationStep>>(true);
agrees<Same<z.infer<typeof extensionPolicySchema>, ExtensionPolicy>>(true);
agrees<Same<z.infer<typeof deadlineRuleSchema>, DeadlineRule>>(true);
agrees<Same<z.infer<typeof reviewPolicySchema>, ReviewPolicy>>(true);
agrees<Same<z.infer<typeof noticePolicySchema>, NoticePolicy>>(true);
agrees<Same<z.infer<typeof majorPolicySchema>, MajorPolicy>>(true);
agrees<Same<z.infer<typeof hazardPolicySchema>, HazardPolicy>>(true);

export { DEFAULT_MAJOR_POLICY, DEFAULT_REPEAT_WINDOW_MONTHS, MAX_REPEAT_WINDOW_MONTHS, dayUnitOf, repeatWindowOf } from './policy-rules';

export { DEFAULT_EXTENSION_POLICY, extensionPolicyOf } from './policy-rules';
