/**
 * What guards requests across API processes: rate-limit windows, log-in failures and known
 * addresses, and Idempotency-Keys with their kept answers.
 */
import { integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { users } from './directory';

/** Fixed-window counters shared by every API process (log-in and upload limits). */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: instant('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [uniqueIndex('rate_limits_key_window_uq').on(t.key, t.windowStart)],
);

/**
 * Runs of failed log-ins (per account, and per account and address): each failure after a few
 * makes the next try wait twice as long. A run is forgotten after a quiet hour.
 */
export const loginFailures = pgTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailedAt: instant('last_failed_at').notNull(),
});

/** Where each account has signed in successfully: such an address is not slowed down by others' guessing. */
export const loginAddresses = pgTable(
  'login_addresses',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    address: text('address').notNull(),
    lastSuccessAt: instant('last_success_at').notNull(),
  },
  (t) => [uniqueIndex('login_addresses_user_address_uq').on(t.userId, t.address)],
);

/**
 * Remembered answers to POSTs carrying an Idempotency-Key, per user. A request in progress holds
 * its key under a lease it renews while it runs; a key whose lease ran out (or is null: released)
 * has no live holder and may be taken over by a retry.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    /** A keyed HMAC of method, path and body: no plain hash of a password sent in a body. */
    requestHash: text('request_hash').notNull(),
    state: text('state', { enum: ['in_progress', 'done'] }).notNull(),
    /** The attempt holding an in-progress key, and until when unless it renews. */
    holder: text('holder'),
    leaseUntil: instant('lease_until'),
    responseStatus: integer('response_status'),
    /** `{ contentType, text }`, or `{ secret: true }` for an answer that carried a secret (never kept). */
    responseBody: jsonb('response_body'),
    responseLocation: text('response_location'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('idempotency_keys_user_key_uq').on(t.userId, t.key)],
);
