/**
 * Reminder and escalation policy of a hazard: data, not code. Who is told, and when, depends on
 * the grade and is configured by the bureau; this module only says what a valid policy is.
 */
import { z } from 'zod';
import { DEFAULT_EXTENSION_POLICY } from './extension';

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

/** The longest offset a policy may name; a year is far beyond any rectification deadline. */
export const MAX_OFFSET_DAYS = 366;

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

export const hazardPolicySchema = z
  .strictObject({
    reminderDaysBefore: z.array(days).max(10).describe('days before the deadline a reminder goes out'),
    escalation: z.array(escalationStepSchema).max(10),
    extension: extensionPolicySchema.optional(),
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

// The defaults live beside the extension rules, which workflow code runs without zod.
export { DEFAULT_EXTENSION_POLICY, extensionPolicyOf } from './extension';

/**
 * The bureau's starting policies. A major hazard is urged earlier and climbs faster and higher.
 */
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
  },
};
