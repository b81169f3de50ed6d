/** Supervision policies as versioned data. */
import { sql } from 'drizzle-orm';
import { serial, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { HazardPolicy } from '../../domain/policy-types';
import { instant } from './columns';
import { hazards } from './hazards';

/**
 * Reminder and escalation policies as data, versioned: a new version never changes hazards
 * already running (each keeps the version it started with). A policy may be narrowed to a
 * source or an industry; the most specific match wins.
 */
export const policies = pgTable(
  'policies',
  {
    id: serial('id').primaryKey(),
    grade: text('grade', { enum: ['general', 'major'] }).notNull(),
    source: text('source'),
    industry: text('industry'),
    version: integer('version').notNull(),
    // Saved only as the API's hazardPolicySchema accepts it (api/routes/policies.ts).
    policy: jsonb('policy').$type<HazardPolicy>().notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('policies_scope_version_uq').on(t.grade, sql`coalesce(${t.source}, '')`, sql`coalesce(${t.industry}, '')`, t.version)],
);
