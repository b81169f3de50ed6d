/**
 * Posts people hold (domain/posts.ts), whom each notification step reached when it fired, and the
 * inbox: one delivery per person told, with its read state.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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

/** The in-app inbox and the channels that leave the database (domain/delivery-rules.ts). */
export const DELIVERY_CHANNELS = ['inbox', 'email', 'sms', 'wecom', 'dingtalk'] as const;
export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
/** What a delivery is about: an item, or a person's daily digest (subject id: the person). */
export const DELIVERY_SUBJECTS = [...SUBJECT_TYPES, 'digest'] as const;

/**
 * The outbox: a notification for one person on one channel, written with the notification in
 * one transaction, unique per workflow id + step + person + channel. An inbox row is delivered by
 * being written; the others wait for the dispatcher (activities/delivery-dispatcher.ts) until
 * `notBefore` (quiet hours) or, for a person who takes a digest, until their digest carries it.
 */
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
    subjectType: text('subject_type', { enum: DELIVERY_SUBJECTS }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    kind: text('kind').notNull(),
    recipientRole: text('recipient_role').notNull(),
    message: text('message').notNull(),
    scheduledAt: instant('scheduled_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
    state: text('state', { enum: DELIVERY_STATES }).notNull().default('pending'),
    /** Not sent before (quiet hours move a reminder to the morning). */
    notBefore: instant('not_before').notNull().defaultNow(),
    /** The next try after a failed one (backoff); a claim moves it past its lease. */
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    sentAt: instant('sent_at'),
    /** Why it was not sent (the item was closed, the channel not configured, carried by a digest). */
    skipReason: text('skip_reason'),
    lastError: text('last_error'),
    /** The Shanghai day whose digest carries it (a person who takes a digest); null: sent alone. */
    digestDate: date('digest_date', { mode: 'string' }),
    /** The digest delivery that carried it. */
    digestId: bigint('digest_id', { mode: 'number' }),
  },
  (t) => [
    index('deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending' and ${t.digestDate} is null`),
    index('deliveries_digest_idx').on(t.digestDate, t.userId).where(sql`${t.state} = 'pending' and ${t.digestDate} is not null`),
    index('deliveries_subject_idx').on(t.subjectType, t.subjectId),
    uniqueIndex('deliveries_dedup_uq').on(t.workflowId, t.stepKey, t.userId, t.channel),
    index('deliveries_user_idx').on(t.userId, t.id),
    index('deliveries_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

/**
 * Each try to send a delivery, recorded before the provider is called ('sending') and finished
 * after: a try whose process died stays 'sending', and the next one carries the same
 * idempotency key.
 */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => deliveries.id),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome', { enum: ['sending', 'sent', 'failed', 'skipped'] }).notNull(),
    error: text('error'),
    startedAt: instant('started_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** How a person wants to be told: channels beyond the inbox, their addresses, quiet hours, a daily digest. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  channels: jsonb('channels').$type<string[]>().notNull(),
  email: text('email'),
  phone: text('phone'),
  /** Quiet hours, Shanghai wall clock in minutes of the day; start after end spans midnight. */
  quietFrom: integer('quiet_from'),
  quietUntil: integer('quiet_until'),
  digest: boolean('digest').notNull().default(false),
  updatedBy: text('updated_by').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
