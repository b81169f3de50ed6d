/**
 * How a hazard is answered: the list item a ledger page shows, and the whole record (the list item
 * with the texts, the plan and acceptances, and what the policy it keeps implies).
 */
import { z } from 'zod';
import type { HazardListRow, HazardRow } from '../db/hazard-queries';
import { HAZARD_STATUSES, isOverdue } from '../domain/hazard-lifecycle';
import { LISTING_LEVELS } from '../domain/hazard-state';
import { HAZARD_GRADES } from '../domain/policy-types';
import { extensionPolicyOf } from '../domain/extension';
import { acceptancePartiesOf, acceptancesOutstanding, majorRulesOf, type Acceptance, type PlanRecord } from '../domain/major-hazard';
import type { DeadlineBasis } from '../domain/hazard-state';
import type { HazardPolicy } from '../domain/policy';
import { reachedSchema } from './people';

export function hazardListJson(row: HazardListRow, now: number) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    title: row.title,
    category: row.category,
    source: row.source,
    location: row.location,
    grade: row.grade,
    status: row.status,
    round: row.round,
    deadline: row.deadline,
    dueAt: row.dueAt.toISOString(),
    overdue: isOverdue(row, now),
    overdueSince: row.overdueSince?.toISOString() ?? null,
    escalationLevel: row.escalationLevel,
    next: row.nextStepKind && row.nextStepAt ? { kind: row.nextStepKind, at: row.nextStepAt.toISOString() } : null,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    extension: {
      pending: row.extensionRequest
        ? {
            requestedDeadline: row.extensionRequest.requestedDeadline,
            reason: row.extensionRequest.reason,
            requestedBy: row.extensionRequest.by,
            requestedAt: row.extensionRequest.at,
          }
        : null,
      /** The deadline this round was ordered with (rows not written since extensions exist: the deadline). */
      originalDeadline: row.originalDeadline ?? row.deadline,
      grantedThisRound: row.roundExtensions,
      granted: row.extensionsGranted,
    },
    /** The most recently closed hazard of the same enterprise and category within the policy's window, if any. */
    repeatOf: row.repeatOf,
    isRepeat: row.repeatOf !== null,
    /** The inspection finding the hazard was registered from. */
    inspection: row.inspectionId ? { id: row.inspectionId, finding: row.inspectionFinding } : null,
    /** A date counted into a calendar year not yet published (weekends only), to be recomputed when it is. */
    provisional: row.provisional,
    /** The deadline itself is provisional (期限待定); or only the steps after it (escalations, the review deadline). */
    deadlineProvisional: row.deadlineProvisional,
    laterStepsProvisional: row.laterStepsProvisional,
    reviewDueAt: row.reviewDueAt?.toISOString() ?? null,
    reviewOverdueSince: row.reviewOverdueSince?.toISOString() ?? null,
    voided: row.voided ?? null,
    assignment: { supervisor: row.assignedSupervisor, enterpriseContact: row.enterpriseContact, delegate: row.delegate },
    listingLevel: row.listingLevel,
    reopenings: row.reopenings,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function hazardJson(row: HazardRow, now: number) {
  const listed = hazardListJson(row, now);
  const policy = row.policy as HazardPolicy;
  return {
    ...listed,
    description: row.description,
    legalBasis: row.legalBasis,
    requiredMeasures: row.requiredMeasures,
    /** The limits the enterprise's requests are held to (count, total days, notice). */
    extension: { ...listed.extension, limits: extensionPolicyOf(policy) },
    deadlineRule: (row.deadlineRule as DeadlineBasis | null) ?? null,
    /** The major-hazard rules apply: a five-point plan must be on file before rectification is submitted. */
    planRequired: majorRulesOf({ grade: row.grade, policy }) !== null,
    plan: (row.plan as PlanRecord | null) ?? null,
    acceptances: row.acceptances ?? [],
    /** The parties (besides the government's review) whose acceptance the policy calls for, and those not yet passed this round. */
    acceptanceParties: acceptancePartiesOf({ grade: row.grade, policy }),
    acceptancesOutstanding: acceptancesOutstanding({
      grade: row.grade,
      policy,
      round: row.round,
      acceptances: (row.acceptances as Acceptance[] | null) ?? [],
    }),
  };
}

/** One hazard as a list page answers it. */
export const hazardListItemSchema = z.object({
  id: z.uuid(),
  enterpriseId: z.uuid(),
  title: z.string(),
  category: z.string(),
  source: z.string().describe('how it was found: inspection, self-check, report…'),
  location: z.string(),
  grade: z.enum(HAZARD_GRADES),
  status: z.enum(HAZARD_STATUSES),
  provisional: z.boolean().describe('some date was counted into a calendar year not yet published: deadlineProvisional or laterStepsProvisional'),
  deadlineProvisional: z.boolean().describe('the deadline itself was counted into a year not yet published (期限待定): it moves when the year is'),
  laterStepsProvisional: z.boolean().describe('steps after the deadline (escalations ahead, the review deadline) were: they may move, the deadline does not'),
  round: z.number().int(),
  deadline: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  overdueSince: z.string().nullable(),
  escalationLevel: z.number().int(),
  next: z.object({ kind: z.string(), at: z.string() }).nullable(),
  submittedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reviewDueAt: z.string().nullable().describe('by when the submitted rectification is to be reviewed'),
  reviewOverdueSince: z.string().nullable(),
  voided: z.object({ kind: z.string(), reason: z.string(), by: z.string(), at: z.string() }).nullable().describe('voided (销案) as registered in error or merged, with why and by whom'),
  assignment: z.object({ supervisor: z.string().nullable(), enterpriseContact: z.string().nullable(), delegate: z.string().nullable() }),
  listingLevel: z.enum(LISTING_LEVELS).nullable().describe('a major hazard’s listed supervision level (挂牌督办)'),
  reopenings: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  repeatOf: z.uuid().nullable().describe('the closed hazard this one repeats'),
  isRepeat: z.boolean(),
  inspection: z.object({ id: z.uuid(), finding: z.number().int().nullable() }).nullable().describe('the inspection finding it was registered from'),
  extension: z.object({
    pending: z
      .object({ requestedDeadline: z.string(), reason: z.string(), requestedBy: z.string(), requestedAt: z.string() })
      .nullable()
      .describe('the request awaiting a decision'),
    originalDeadline: z.string().describe('the deadline the current round was ordered with'),
    grantedThisRound: z.number().int(),
    granted: z.number().int().describe('extensions granted in every round'),
  }),
});

/** One hazard as its record answers it. */
const planSchema = z.object({
  measures: z.string(),
  funds: z.number().describe('yuan set aside'),
  deadline: z.string(),
  responsiblePerson: z.string(),
  contingencyPlan: z.string(),
  version: z.number().int().describe('1 for the first plan filed, 2 for its first revision…'),
  by: z.string(),
  at: z.number().describe('epoch milliseconds'),
});

const acceptanceSchema = z.object({
  round: z.number().int(),
  party: z.enum(['enterprise', 'expert']),
  passed: z.boolean(),
  opinion: z.string(),
  signatory: z.string(),
  by: z.string(),
  at: z.number().describe('epoch milliseconds'),
});

export const hazardSchema = hazardListItemSchema.extend({
  extension: hazardListItemSchema.shape.extension.extend({
    limits: z.object({ maxCount: z.number().int(), maxTotalDays: z.number().int(), minLeadDays: z.number().int() }).describe('the limits the enterprise’s requests are held to'),
  }),
  deadlineRule: z
    .object({ from: z.string(), days: z.number().int(), unit: z.enum(['working', 'calendar']), legalBasis: z.string() })
    .nullable()
    .describe('the rule the deadline was counted by, when the order gave none'),
  plan: planSchema.nullable().describe('the five-point plan (五落实) on file, its latest version'),
  acceptances: z.array(acceptanceSchema),
  policy: z.record(z.string(), z.unknown()).optional().describe('the policy the hazard runs under (not shown to enterprises)'),
  policyId: z.number().int().nullable().optional(),
  timeline: z.array(
    z.looseObject({ step: z.string(), type: z.string(), actor: z.string(), occurredAt: z.string(), data: z.record(z.string(), z.unknown()).nullable() }),
  ),
  notifications: z.array(z.looseObject({ recipientRole: z.string(), scheduledAt: z.string() })),
  reached: reachedSchema,
  description: z.string(),
  legalBasis: z.string().describe('the provision the order cites'),
  requiredMeasures: z.string(),
  planRequired: z.boolean().describe('the major-hazard rules apply: the five-point plan (五落实) must be on file before rectification is submitted'),
  acceptanceParties: z.array(z.enum(['enterprise', 'expert'])).describe('the parties whose acceptance the policy calls for, besides the government’s review'),
  acceptancesOutstanding: z.array(z.enum(['enterprise', 'expert'])).describe('those of them not yet passed in this round'),
  people: z.record(z.string(), z.string()).optional().describe('display name of each person the answer names by login name (one hazard’s answers)'),
});
