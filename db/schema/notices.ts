/** Supervision notices (督办通知). */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { enterprises, regions } from './directory';
import { hazards } from './hazards';
import { instruments } from './instruments';
import { policies } from './policies';

// Supervision notices (督办通知): the read model the notice workflow's activity keeps current.
// Their audit trail is case_events (caseType 'notice'); their numbers are in instruments.

export const NOTICE_STATUSES = ['issued', 'signed', 'closed'] as const;

export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull().unique(),
    /** The notice's own instrument number (责令限期整改指令书), e.g. 甲县应急〔2026〕1号. */
    code: text('code').notNull(),
    agency: text('agency').notNull(),
    enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
    /** A government body or department addressed instead of an enterprise. */
    addressee: text('addressee'),
    addresseeRegionId: text('addressee_region_id').references(() => regions.id),
    /** The jurisdiction that sees the notice: the enterprise's or the addressee region's path. */
    regionPath: text('region_path').notNull(),
    title: text('title').notNull(),
    requirements: text('requirements').notNull(),
    legalBasis: text('legal_basis').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    dueAt: instant('due_at').notNull(),
    /** The rule the deadline was computed by (null: set by a person). */
    deadlineRule: jsonb('deadline_rule'),
    provisional: boolean('provisional').notNull(),
    /** The deadline itself was counted into a year without data (期限待定); or only the sign-by date or ladder steps ahead. */
    deadlineProvisional: boolean('deadline_provisional').notNull().default(false),
    laterStepsProvisional: boolean('later_steps_provisional').notNull().default(false),
    grade: text('grade', { enum: ['general', 'major'] }).notNull(),
    policy: jsonb('policy').notNull(),
    policyId: integer('policy_id').references((): AnyPgColumn => policies.id),
    status: text('status', { enum: NOTICE_STATUSES }).notNull(),
    signedAt: instant('signed_at'),
    signedBy: text('signed_by'),
    signDueAt: instant('sign_due_at'),
    overdueSince: instant('overdue_since'),
    ladderLevel: integer('ladder_level').notNull().default(0),
    lastInstrumentCode: text('last_instrument_code'),
    openHazards: integer('open_hazards').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: instant('issued_at').notNull(),
    closedAt: instant('closed_at'),
    updatedAt: instant('updated_at').notNull(),
    projectionSeq: integer('projection_seq').notNull(),
  },
  (t) => [
    index('notices_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    index('notices_enterprise_idx').on(t.enterpriseId, t.issuedAt),
    index('notices_issued_idx').on(t.issuedAt, t.id),
    index('notices_status_due_idx').on(t.status, t.dueAt),
    // The open ones newest first: every filter of the ladder, overdue and open reads these only.
    index('notices_open_issued_idx').on(t.issuedAt, t.id).where(sql`${t.status} <> 'closed'`),
    check('notices_addressed', sql`(${t.enterpriseId} is null) <> (${t.addressee} is null)`),
  ],
);

export const noticeHazards = pgTable(
  'notice_hazards',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    /** open, or the outcome that settled it for the notice: closed or void. */
    outcome: text('outcome', { enum: ['open', 'closed', 'void'] }).notNull().default('open'),
  },
  (t) => [uniqueIndex('notice_hazards_pair_uq').on(t.noticeId, t.hazardId), index('notice_hazards_hazard_idx').on(t.hazardId)],
);

/**
 * Which open notice holds a hazard: at most one, by the primary key. Taken in one short
 * transaction for all of a notice's hazards before its workflow starts; released as it closes.
 */
export const noticeClaims = pgTable('notice_claims', {
  hazardId: uuid('hazard_id')
    .primaryKey()
    .references(() => hazards.id),
  noticeId: uuid('notice_id').notNull(),
  claimedBy: text('claimed_by').notNull(),
  claimedAt: instant('claimed_at').notNull().defaultNow(),
});

/** The instruments of a notice's ladder, by workflow step (the step makes issuing idempotent). */
export const noticeInstruments = pgTable(
  'notice_instruments',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    stepKey: text('step_key').notNull(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
    recipientRole: text('recipient_role').notNull(),
  },
  (t) => [uniqueIndex('notice_instruments_step_uq').on(t.noticeId, t.stepKey)],
);

export const noticeDecisions = pgTable(
  'notice_decisions',
  {
    id: uuid('id').primaryKey(),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    kind: text('kind').notNull(),
    deciderRole: text('decider_role').notNull(),
    openedAt: instant('opened_at').notNull(),
    status: text('status', { enum: ['pending', 'taken', 'declined', 'lapsed'] }).notNull(),
    documentNumber: text('document_number'),
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
  },
  (t) => [index('notice_decisions_notice_idx').on(t.noticeId, t.openedAt)],
);

/** Who a notice's steps told (sign escalation, instruments, decisions), by role. */
export const noticeNotifications = pgTable(
  'notice_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => notices.id),
    stepKey: text('step_key').notNull(),
    kind: text('kind').notNull(),
    recipientRole: text('recipient_role').notNull(),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notice_notifications_step_uq').on(t.noticeId, t.stepKey), index('notice_notifications_recipient_idx').on(t.recipientRole, t.createdAt)],
);
