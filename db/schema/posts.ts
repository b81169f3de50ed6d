/**
 * Posts people hold (domain/posts.ts), whom each notification step reached when it fired, and the
 * inbox: one delivery per person told, with its read state.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { users } from './directory';

/** One post per person, held in the person's own region; changes are on the administrative chain. */
export const userPosts = pgTable('user_posts', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  post: text('post').notNull(),
  assignedBy: text('assigned_by').notNull(),
  assignedAt: instant('assigned_at').notNull().defaultNow(),
});

export const SUBJECT_TYPES = ['hazard', 'notice', 'suspension'] as const;

/**
 * Whom a notification step reached, resolved at the moment it fired: the post looked for, where
 * it was found, the people, or that nobody held it (unresolved). Keyed like the notification.
 */
export const recipientResolutions = pgTable(
  'recipient_resolutions',
  {
    workflowId: text('workflow_id').notNull(),
    stepKey: text('step_key').notNull(),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    recipientRole: text('recipient_role').notNull(),
    post: text('post'),
    foundAt: text('found_at'),
    userIds: jsonb('user_ids').$type<string[]>().notNull(),
    unresolved: boolean('unresolved').notNull(),
    resolvedAt: instant('resolved_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.stepKey] }), index('recipient_resolutions_subject_idx').on(t.subjectType, t.subjectId)],
);

export const DELIVERY_CHANNELS = ['inbox'] as const;

/** A notification delivered to one person on one channel; the inbox reads these. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    workflowId: text('workflow_id').notNull(),
    stepKey: text('step_key').notNull(),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull().default('inbox'),
    subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    kind: text('kind').notNull(),
    recipientRole: text('recipient_role').notNull(),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
  },
  (t) => [
    uniqueIndex('deliveries_dedup_uq').on(t.workflowId, t.stepKey, t.userId, t.channel),
    index('deliveries_user_idx').on(t.userId, t.id),
    index('deliveries_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);
