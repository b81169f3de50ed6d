/**
 * How a suspension for rectification (停产整顿) is answered: the list item a ledger page shows,
 * and the timeline and notifications its record adds; with the schemas the OpenAPI documents them by.
 */
import { z } from 'zod';
import { namedTimelineEntrySchema, reachedSchema } from './people';
import { listTotalSchema } from './schemas/list-total';
import type { SuspensionRow } from '../db/suspension-queries';
import { SUSPENSION_SCOPES, SUSPENSION_STATUSES, daysRemaining, isOpen } from '../domain/suspension';
import { shownOrigin } from '../domain/suspension-disclosure';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The list item; `openable`: the decisions whose notice the reader may open (db/suspension-origins' openableOrigins). */
export function suspensionJson(row: SuspensionRow, now: number, openable: ReadonlySet<string>) {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    hazardId: row.hazardId,
    origin: shownOrigin(row.origin, openable),
    documentNumber: row.documentNumber,
    reason: row.reason,
    scope: row.scope,
    scopeNote: row.scopeNote,
    startsOn: row.startsOn,
    plannedEnd: row.plannedEnd,
    maxEnd: row.maxEnd,
    maxDays: row.maxDays,
    status: row.status,
    /** Calendar days from today (Asia/Shanghai) to each end; negative once past. */
    daysRemaining: daysRemaining(row, now),
    reviewOverdue: row.reviewOverdueSince !== null && isOpen(row),
    reviewOverdueSince: iso(row.reviewOverdueSince),
    maximumReachedAt: iso(row.maximumReachedAt),
    resumptionRequestedAt: iso(row.resumptionRequestedAt),
    resumedAt: iso(row.resumedAt),
    liftedAt: iso(row.liftedAt),
    next: row.nextStepKind && row.nextStepAt ? { kind: row.nextStepKind, at: row.nextStepAt.toISOString() } : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One suspension as a list page answers it. */
export const suspensionListItemSchema = z.object({
  id: z.uuid(),
  enterpriseId: z.uuid(),
  hazardId: z.uuid().nullable(),
  origin: z.object({ type: z.literal('notice_decision'), id: z.uuid() }).nullable().describe('the notice decision (停产整顿) the order carries out; null too where the reader may not open its notice'),
  documentNumber: z.string(),
  reason: z.string(),
  scope: z.enum(SUSPENSION_SCOPES),
  scopeNote: z.string(),
  startsOn: z.string(),
  plannedEnd: z.string(),
  maxEnd: z.string().describe('the last day the policy allows (major.suspensionMaxDays after startsOn)'),
  maxDays: z.number().int().describe('that limit, in days'),
  status: z.enum(SUSPENSION_STATUSES),
  daysRemaining: z.object({ plannedEnd: z.number().int(), maxEnd: z.number().int() }).describe('calendar days from today to each end; negative once past'),
  reviewOverdue: z.boolean(),
  reviewOverdueSince: z.string().nullable(),
  maximumReachedAt: z.string().nullable(),
  resumptionRequestedAt: z.string().nullable(),
  resumedAt: z.string().nullable(),
  liftedAt: z.string().nullable(),
  next: z.object({ kind: z.string(), at: z.string() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One suspension as its record answers it. */
export const suspensionSchema = suspensionListItemSchema.extend({
  timeline: z.array(namedTimelineEntrySchema),
  notifications: z
    .array(z.strictObject({ step: z.string(), kind: z.enum(['reminder', 'escalation']), recipientRole: z.string(), message: z.string(), scheduledAt: z.string() }))
    .describe('what its clock sent (an enterprise: what was sent to it)'),
  people: z.record(z.string(), z.string()).describe('display name of each person the answer names by login name'),
  reached: reachedSchema,
});

export const suspensionPageSchema = z.object({ items: z.array(suspensionListItemSchema), ...listTotalSchema('suspensions'), nextCursor: z.string().nullable() });
