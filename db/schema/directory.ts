/**
 * The directory: the region tree, enterprises, the people and service accounts who act, and their
 * API keys.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uuid, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { instant } from './columns';
import { instruments } from './instruments';

export const REGION_LEVELS = ['city', 'county', 'township', 'grid'] as const;
export const ROLES = ['supervisor', 'enterprise', 'leader', 'admin'] as const;
/** A person signs in and acts for themself; a service account is another system, acting only by API key. */
export const USER_KINDS = ['person', 'service'] as const;
/** Service accounts are named so in every record they make: `system:<name>` and 系统对接：<system>. */
export const SERVICE_USERNAME_PREFIX = 'system:';
export const SERVICE_DISPLAY_PREFIX = '系统对接：';

/**
 * The jurisdiction tree: city → county → township → grid. `path` lists the ids from the root,
 * `/city/county/…/`, so "within my jurisdiction" is a prefix match on an index.
 */
export const regions = pgTable(
  'regions',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: REGION_LEVELS }).notNull(),
    parentId: text('parent_id').references((): AnyPgColumn => regions.id),
    path: text('path').notNull().unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Notices: the short name the agency here signs instruments with (e.g. 甲县应急); null: none here. */
    agencyShortName: text('agency_short_name'),
  },
  (t) => [index('regions_path_idx').using('btree', t.path.op('text_pattern_ops'))],
);

export const enterprises = pgTable(
  'enterprises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Unified social credit code (统一社会信用代码), unique per enterprise. */
    creditCode: text('credit_code').notNull().unique(),
    regionId: text('region_id')
      .notNull()
      .references(() => regions.id),
    /** Copied from the region: lists are scoped by prefix without a join. */
    regionPath: text('region_path').notNull(),
    industry: text('industry'),
    /** 包联领导: the leader answerable for this enterprise. */
    responsibleLeaderId: uuid('responsible_leader_id').references((): AnyPgColumn => users.id),
    /** The enterprise's own responsible person (name and phone as given). */
    responsiblePerson: text('responsible_person').notNull().default(''),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('enterprises_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    // A 包联 leader's or an industry's enterprises: the lists behind those breakdowns start here.
    index('enterprises_leader_idx').on(t.responsibleLeaderId),
    index('enterprises_industry_idx').on(t.industry),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    regionId: text('region_id')
      .notNull()
      .references(() => regions.id),
    /** Exactly one enterprise for enterprise users, none for everyone else. */
    enterpriseId: uuid('enterprise_id').references((): AnyPgColumn => enterprises.id),
    /** argon2id; null for people who have none yet, and always for service accounts. */
    passwordHash: text('password_hash'),
    kind: text('kind', { enum: USER_KINDS }).notNull().default('person'),
    active: boolean('active').notNull().default(true),
    /**
     * Which sign-ins still stand: a token carries the generation it was issued at and is refused
     * once this differs. Raised by a trigger (migration 0043) whenever the password, the active
     * flag, the role, the region or the enterprise changes, by whatever route.
     */
    sessionGeneration: integer('session_generation').notNull().default(0),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    check(
      'users_enterprise_matches_role',
      sql`(${t.role} = 'enterprise') = (${t.enterpriseId} is not null)`,
    ),
    // A service account never signs in, and no person can carry a service account's name.
    check('users_service_has_no_password', sql`${t.kind} = 'person' or ${t.passwordHash} is null`),
    check(
      'users_service_named_as_such',
      sql`(${t.kind} = 'service') = (${t.username} like 'system:%') and (${t.kind} = 'person' or ${t.displayName} like '系统对接：%')`,
    ),
  ],
);

/** Keys for other systems; only a SHA-256 of the key is stored. */
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: instant('created_at').notNull().defaultNow(),
  revokedAt: instant('revoked_at'),
});
