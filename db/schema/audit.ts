/**
 * Audit chains besides the hazards': administrative changes, the case events of notices,
 * suspensions and inspections, and the signed heads that anchor every chain.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, smallint, integer, jsonb, pgTable, text, uniqueIndex, uuid, check } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { enterprises, regions } from './directory';

/** Changes to people, regions, enterprises and keys: one global chain, like hazard events. */
export const adminEvents = pgTable('admin_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  chainSeq: integer('chain_seq').notNull().unique(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id').notNull(),
  data: jsonb('data').notNull().default({}),
  occurredAt: instant('occurred_at').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  hashVersion: smallint('hash_version').notNull(),
});

/**
 * The head of every audit chain (`admin`, `hazard:<id>`, `notice:<id>`, …): its last seq and
 * hash, signed with the audit key, advanced in the transaction that appends. Rows deleted from
 * the end of a chain leave its head pointing past them; a head cannot be forged without the key.
 */
export const auditHeads = pgTable('audit_heads', {
  chain: text('chain').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  /** HMAC-SHA256 over chain, seq and hash (domain/audit-chain.ts headMac). */
  mac: text('mac').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * Rows hashed before the audit key existed: the highest id of each audit table when the keyed
 * chains came in (only rows up to it may carry unkeyed hashes), and when the chains that were
 * there then got their first signed head. One row; written by migrations, read by the app.
 */
export const auditLegacy = pgTable('audit_legacy', {
  id: integer('id').primaryKey().default(1),
  hazardEventsMaxId: bigint('hazard_events_max_id', { mode: 'number' }).notNull(),
  adminEventsMaxId: bigint('admin_events_max_id', { mode: 'number' }).notNull(),
  caseEventsMaxId: bigint('case_events_max_id', { mode: 'number' }).notNull(),
  sealedAt: instant('sealed_at'),
}, (t) => [check('audit_legacy_one_row', sql`${t.id} = 1`)]);

/**
 * The trail of every change to a supervision notice, suspension or inspection ("case"): one
 * hash chain per case, append-only like hazard events, keyed by case + workflow step so a
 * retried activity appends nothing twice.
 */
export const CASE_TYPES = ['notice', 'suspension', 'inspection'] as const;
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseType: text('case_type', { enum: CASE_TYPES }).notNull(),
    caseId: uuid('case_id').notNull(),
    stepKey: text('step_key').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    data: jsonb('data').notNull().default({}),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
    chainSeq: integer('chain_seq').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    hashVersion: smallint('hash_version').notNull(),
  },
  (t) => [
    uniqueIndex('case_events_step_uq').on(t.caseType, t.caseId, t.stepKey),
    uniqueIndex('case_events_chain_uq').on(t.caseType, t.caseId, t.chainSeq),
  ],
);
