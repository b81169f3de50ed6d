/** Suspensions for rectification (停产整顿). */
import { bigserial, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { enterprises } from './directory';
import { hazards } from './hazards';
import { noticeDecisions } from './notices';

// Suspensions for rectification (停产整顿): the read model behind every suspension list, and the
// reminders and escalations their clocks send. Their trail is in case_events (case type
// 'suspension'); both tables are written only by the suspension workflow's activity.

export const SUSPENSION_STATUS_VALUES = ['suspended', 'resumption_requested', 'resumed', 'lifted'] as const;

export const suspensions = pgTable(
  'suspensions',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull().unique(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The enterprise's region path when ordered: the jurisdiction that sees the suspension. */
    regionPath: text('region_path').notNull(),
    hazardId: uuid('hazard_id').references(() => hazards.id),
    /** Where the order came from, e.g. a notice's decision (a loose link: text, not a key). */
    origin: jsonb('origin').$type<{ type: 'notice_decision'; id: string }>(),
    documentNumber: text('document_number').notNull(),
    reason: text('reason').notNull(),
    scope: text('scope', { enum: ['full', 'partial'] }).notNull(),
    scopeNote: text('scope_note').notNull().default(''),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    plannedEnd: date('planned_end', { mode: 'string' }).notNull(),
    /** The last day the policy allows (major.suspensionMaxDays from startsOn), and that limit. */
    maxEnd: date('max_end', { mode: 'string' }).notNull(),
    maxDays: integer('max_days').notNull(),
    status: text('status', { enum: SUSPENSION_STATUS_VALUES }).notNull(),
    reviewOverdueSince: instant('review_overdue_since'),
    maximumReachedAt: instant('maximum_reached_at'),
    resumptionRequestedAt: instant('resumption_requested_at'),
    resumedAt: instant('resumed_at'),
    liftedAt: instant('lifted_at'),
    nextStepKind: text('next_step_kind'),
    nextStepAt: instant('next_step_at'),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    /** Sequence of the newest workflow change applied; older (retried, reordered) writes lose. */
    projectionSeq: integer('projection_seq').notNull(),
  },
  (t) => [
    index('suspensions_created_idx').on(t.createdAt, t.id),
    index('suspensions_enterprise_idx').on(t.enterpriseId, t.createdAt),
    index('suspensions_status_idx').on(t.status, t.plannedEnd),
    index('suspensions_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
  ],
);

export const suspensionNotifications = pgTable(
  'suspension_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    suspensionId: uuid('suspension_id')
      .notNull()
      .references(() => suspensions.id),
    stepKey: text('step_key').notNull(),
    kind: text('kind', { enum: ['reminder', 'escalation'] }).notNull(),
    recipientRole: text('recipient_role').notNull(),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('suspension_notifications_step_uq').on(t.suspensionId, t.stepKey)],
);

/**
 * The one suspension a notice's 停产整顿 decision was carried out by: claimed in a short
 * transaction of its own before the suspension's workflow starts, so two orders from the same
 * decision cannot both go out.
 */
export const suspensionOrigins = pgTable('suspension_origins', {
  decisionId: uuid('decision_id')
    .primaryKey()
    .references(() => noticeDecisions.id),
  suspensionId: uuid('suspension_id').notNull().unique(),
  claimedBy: text('claimed_by').notNull(),
  claimedAt: instant('claimed_at').notNull().defaultNow(),
});
