/**
 * The hazard read model that activities keep current, the hazard's trail (hazard_events), its
 * evidence files and the reminders and escalations it sent.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, smallint, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { HAZARD_STATUSES } from '../../domain/hazard-lifecycle';
import { instant } from './columns';
import { enterprises } from './directory';
import { inspections } from './inspections';
import { policies } from './policies';

export const hazards = pgTable(
  'hazards',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull().unique(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The enterprise's region path at registration: the jurisdiction that sees this hazard. */
    regionPath: text('region_path').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    source: text('source').notNull(),
    location: text('location').notNull().default(''),
    legalBasis: text('legal_basis').notNull().default(''),
    requiredMeasures: text('required_measures').notNull().default(''),
    grade: text('grade', { enum: ['general', 'major'] }).notNull(),
    policy: jsonb('policy').notNull(),
    /** The stored policy version the hazard runs on (null: given inline at registration). */
    policyId: integer('policy_id').references((): AnyPgColumn => policies.id),
    status: text('status', { enum: HAZARD_STATUSES }).notNull(),
    round: integer('round').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    dueAt: instant('due_at').notNull(),
    overdueSince: instant('overdue_since'),
    escalationLevel: integer('escalation_level').notNull(),
    nextStepKind: text('next_step_kind'),
    nextStepAt: instant('next_step_at'),
    submittedAt: instant('submitted_at'),
    closedAt: instant('closed_at'),
    /** The deadline the current round was ordered with, before extensions (null: not written since extensions exist). */
    originalDeadline: date('original_deadline', { mode: 'string' }),
    /** An extension request awaits a supervisor's decision; the request itself (date, reason, by, at). */
    extensionPending: boolean('extension_pending').notNull().default(false),
    extensionRequest: jsonb('extension_request').$type<{ requestedDeadline: string; reason: string; by: string; at: string }>(),
    /** Extensions granted in the hazard's whole life, and in its current round. */
    extensionsGranted: integer('extensions_granted').notNull().default(0),
    roundExtensions: integer('round_extensions').notNull().default(0),
    /** How the deadline was counted ({from, days, unit, legalBasis}); null when it was given as a date. */
    deadlineRule: jsonb('deadline_rule'),
    /** Some date the hazard runs on was counted into a year without calendar data (weekends only). */
    provisional: boolean('provisional').notNull().default(false),
    /** The deadline itself was counted so (期限待定); or only steps after it (escalations, the review deadline). */
    deadlineProvisional: boolean('deadline_provisional').notNull().default(false),
    laterStepsProvisional: boolean('later_steps_provisional').notNull().default(false),
    reviewDueAt: instant('review_due_at'),
    reviewOverdueSince: instant('review_overdue_since'),
    /** 误报/豁免: kind, reason, by, at. */
    voided: jsonb('voided').$type<{ kind: string; reason: string; by: string; at: string }>(),
    /** User names: the supervisor in charge, the enterprise's contact, the supervisor's delegate. */
    assignedSupervisor: text('assigned_supervisor'),
    enterpriseContact: text('enterprise_contact'),
    delegate: text('delegate'),
    /** Major hazards: the listing level (挂牌督办) and the five-point plan on record. */
    listingLevel: text('listing_level', { enum: ['province', 'city', 'county', 'township'] }),
    plan: jsonb('plan'),
    /** This round's acceptances by party (major hazards). */
    acceptances: jsonb('acceptances'),
    reopenings: integer('reopenings').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    /** Sequence of the newest workflow change applied; older (retried, reordered) writes lose. */
    projectionSeq: integer('projection_seq').notNull(),
    // Inspection link and repeat flag: defined with the inspection tables at the end of this file.
    ...hazardOriginColumns(),
  },
  (t) => [
    index('hazards_status_due_idx').on(t.status, t.dueAt),
    index('hazards_enterprise_idx').on(t.enterpriseId, t.createdAt),
    index('hazards_created_idx').on(t.createdAt, t.id),
    index('hazards_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    // The lists behind the leaders' figures, newest first, read with a limit: the open ones (also
    // those overdue, by supervisor or listing), the major ones, those awaiting an extension
    // decision; closures by day; a supervisor's own.
    index('hazards_open_created_idx').on(t.createdAt, t.id).where(sql`${t.status} in ('rectifying', 'under_review')`),
    // The overdue list's page read from the index alone (db/hazard-queries.ts, overduePage).
    index('hazards_rectifying_due_idx').on(t.dueAt, t.regionPath, t.createdAt, t.id).where(sql`${t.status} = 'rectifying'`),
    index('hazards_major_created_idx').on(t.createdAt, t.id).where(sql`${t.grade} = 'major'`),
    index('hazards_extension_pending_idx').on(t.createdAt, t.id).where(sql`${t.extensionPending}`),
    index('hazards_closed_idx').on(t.closedAt).where(sql`${t.closedAt} is not null`),
    index('hazards_supervisor_idx').on(t.assignedSupervisor, t.createdAt),
    // Repeats by enterprise under a node over a period (the figures' ranking) read from the index
    // alone: repeats are not few (a third to two thirds of a ledger where enterprises are inspected often).
    index('hazards_repeats_idx')
      .using('btree', t.regionPath.op('text_pattern_ops'), t.createdAt, t.enterpriseId)
      .where(sql`${t.repeatOf} is not null`),
    check('hazards_round_positive', sql`${t.round} >= 1`),
  ],
);

/**
 * The trail of every change to a hazard, append-only and tamper-evident: each row carries the
 * hash of its content and of the hazard's previous row (one chain per hazard, so hazards are
 * written in parallel while each chain stays strictly ordered by its workflow).
 */
export const hazardEvents = pgTable(
  'hazard_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    /** The workflow step that made the event; with the hazard it makes each write idempotent. */
    stepKey: text('step_key').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    data: jsonb('data').notNull().default({}),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
    /** Position in the hazard's chain, from 1. */
    chainSeq: integer('chain_seq').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** How `hash` was made: 1 unkeyed SHA-256 (rows from before the audit key), 2 HMAC-SHA256. */
    hashVersion: smallint('hash_version').notNull(),
  },
  (t) => [
    uniqueIndex('hazard_events_step_uq').on(t.hazardId, t.stepKey),
    uniqueIndex('hazard_events_chain_uq').on(t.hazardId, t.chainSeq),
    index('hazard_events_time_idx').on(t.hazardId, t.occurredAt),
  ],
);

/** Evidence files: stored by content hash outside any served folder; frozen at submission. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mediaType: text('media_type').notNull(),
    /** The name the uploader gave, for display only; storage uses the hash. */
    originalName: text('original_name').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: instant('uploaded_at').notNull().defaultNow(),
    capturedAt: instant('captured_at'),
    /** Set when a submission freezes the file into its evidence set (round and manifest). */
    submittedRound: integer('submitted_round'),
    manifestHash: text('manifest_hash'),
    /** A photo of the hazard as found (before) or of the rectification (after): reviewers compare the two. */
    phase: text('phase', { enum: ['before', 'after'] }).notNull().default('after'),
  },
  (t) => [index('evidence_files_hazard_idx').on(t.hazardId, t.uploadedAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    stepKey: text('step_key').notNull(),
    kind: text('kind', { enum: ['reminder', 'escalation', 'urge'] }).notNull(),
    recipientRole: text('recipient_role').notNull(),
    level: integer('level'),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_step_uq').on(t.hazardId, t.stepKey), index('notifications_recipient_idx').on(t.recipientRole, t.createdAt)],
);

/**
 * Columns of `hazards` that say where a hazard came from: the inspection finding it was
 * registered from, and the closed hazard it repeats (same enterprise and category, closed within
 * the policy's repeat window before registration). A function so it is hoisted above `hazards`.
 */
function hazardOriginColumns() {
  return {
    inspectionId: uuid('inspection_id').references((): AnyPgColumn => inspections.id),
    /** The finding's number (1-based) within the inspection. */
    inspectionFinding: integer('inspection_finding'),
    /** The most recently closed hazard this one repeats (null: not a repeat). */
    repeatOf: uuid('repeat_of').references((): AnyPgColumn => hazards.id),
  };
}
