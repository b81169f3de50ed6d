/**
 * The database schema: the single truth from which migrations are generated (drizzle-kit).
 * `hazards` is the read model that activities keep current; `hazard_events` is the trail of
 * every change, who made it and when; `notifications` holds every reminder and escalation.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  check,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const enterprises = pgTable('enterprises', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Unified social credit code (统一社会信用代码), unique per enterprise. */
  creditCode: text('credit_code').notNull().unique(),
  region: text('region').notNull(),
  industry: text('industry'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const hazards = pgTable(
  'hazards',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull().unique(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    source: text('source').notNull(),
    location: text('location').notNull().default(''),
    legalBasis: text('legal_basis').notNull().default(''),
    requiredMeasures: text('required_measures').notNull().default(''),
    grade: text('grade', { enum: ['general', 'major'] }).notNull(),
    policy: jsonb('policy').notNull(),
    status: text('status', { enum: ['rectifying', 'under_review', 'closed'] }).notNull(),
    round: integer('round').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    dueAt: instant('due_at').notNull(),
    overdueSince: instant('overdue_since'),
    escalationLevel: integer('escalation_level').notNull(),
    nextStepKind: text('next_step_kind'),
    nextStepAt: instant('next_step_at'),
    submittedAt: instant('submitted_at'),
    closedAt: instant('closed_at'),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    /** Sequence of the newest workflow change applied; older (retried, reordered) writes lose. */
    projectionSeq: integer('projection_seq').notNull(),
  },
  (t) => [
    index('hazards_status_due_idx').on(t.status, t.dueAt),
    index('hazards_enterprise_idx').on(t.enterpriseId, t.createdAt),
    index('hazards_created_idx').on(t.createdAt, t.id),
    check('hazards_round_positive', sql`${t.round} >= 1`),
  ],
);

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
  },
  (t) => [uniqueIndex('hazard_events_step_uq').on(t.hazardId, t.stepKey), index('hazard_events_time_idx').on(t.hazardId, t.occurredAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hazardId: uuid('hazard_id')
      .notNull()
      .references(() => hazards.id),
    stepKey: text('step_key').notNull(),
    kind: text('kind', { enum: ['reminder', 'escalation'] }).notNull(),
    recipientRole: text('recipient_role').notNull(),
    level: integer('level'),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notifications_step_uq').on(t.hazardId, t.stepKey), index('notifications_recipient_idx').on(t.recipientRole, t.createdAt)],
);
