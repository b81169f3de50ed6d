/**
 * The database schema: the single truth from which migrations are generated (drizzle-kit).
 * `hazards` is the read model that activities keep current; `hazard_events` is the trail of
 * every change, who made it and when; `notifications` holds every reminder and escalation.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  serial,
  smallint,
  date,
  type AnyPgColumn,
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

import { HAZARD_STATUSES } from '../domain/hazard-lifecycle';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

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
  (t) => [index('enterprises_region_idx').using('btree', t.regionPath.op('text_pattern_ops'))],
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
  },
  (t) => [index('evidence_files_hazard_idx').on(t.hazardId, t.uploadedAt)],
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

/** The working-day calendar, a year at a time as published (see domain/work-calendar.ts). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  holidays: jsonb('holidays').notNull(),
  workdays: jsonb('workdays').notNull(),
  importedBy: text('imported_by').notNull(),
  importedAt: instant('imported_at').notNull().defaultNow(),
});

/**
 * A published year being told to the open hazards and notices it concerns: one row per
 * publication (workflow id), kept by the publication's workflow so an admin sees how far it got.
 */
export const calendarPublications = pgTable('calendar_publications', {
  id: text('id').primaryKey(),
  /** The first run of the publication's workflow: a later run with the same id starts afresh. */
  runId: text('run_id').notNull(),
  year: integer('year').notNull(),
  replaced: boolean('replaced').notNull(),
  /** The year as it was before this publication (null: first publication), to count what moves. */
  previous: jsonb('previous'),
  publishedBy: text('published_by').notNull(),
  publishedAt: instant('published_at').notNull(),
  /** Open hazards and notices the year concerned when the publication began. */
  concerned: integer('concerned').notNull(),
  hazardsTold: integer('hazards_told').notNull().default(0),
  noticesTold: integer('notices_told').notNull().default(0),
  /** Workflows that had ended before they were told (closed since the read model listed them). */
  alreadyEnded: integer('already_ended').notNull().default(0),
  /** Workflows a signal could not reach for another reason, after retries: looked at by a person. */
  failed: integer('failed').notNull().default(0),
  deadlinesMoved: integer('deadlines_moved').notNull().default(0),
  phase: text('phase', { enum: ['hazards', 'notices', 'done'] }).notNull(),
  doneAt: instant('done_at'),
  updatedAt: instant('updated_at').notNull(),
});

/** The last number issued per agency and year; its row lock makes numbering gapless. */
export const instrumentCounters = pgTable(
  'instrument_counters',
  {
    agency: text('agency').notNull(),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [uniqueIndex('instrument_counters_agency_year_uq').on(t.agency, t.year)],
);

/** Every numbered instrument issued (notices, reminder cards, lists, letters, directives). */
export const instruments = pgTable(
  'instruments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agency: text('agency').notNull(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    /** The full official form, e.g. 江北应急〔2026〕12号. */
    code: text('code').notNull().unique(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: instant('issued_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('instruments_agency_year_number_uq').on(t.agency, t.year, t.number)],
);

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
    policy: jsonb('policy').notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('policies_scope_version_uq').on(t.grade, sql`coalesce(${t.source}, '')`, sql`coalesce(${t.industry}, '')`, t.version)],
);

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

// ---------------------------------------------------------------------------------------------
// Inspections (执法检查/排查) and repeat hazards
//
// An inspection records who inspected which enterprise, where and when, with its checklist
// findings in order; a failed finding may become a hazard, and that hazard keeps the link
// (hazards.inspection_id + inspection_finding; the finding's hazard_id). Each creation and each
// finding→hazard step is also in the case-event chain (case type 'inspection').

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

export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The enterprise's region path at the inspection: the jurisdiction that sees it. */
    regionPath: text('region_path').notNull(),
    location: text('location').notNull().default(''),
    startedAt: instant('started_at').notNull(),
    endedAt: instant('ended_at').notNull(),
    /** User ids of everyone who inspected, the recording supervisor first. */
    inspectors: uuid('inspectors').array().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    findingsCount: integer('findings_count').notNull(),
    failedCount: integer('failed_count').notNull(),
    /** Findings that have become hazards so far. */
    hazardsCount: integer('hazards_count').notNull().default(0),
  },
  (t) => [
    index('inspections_created_idx').on(t.createdAt, t.id),
    index('inspections_enterprise_idx').on(t.enterpriseId, t.createdAt),
    index('inspections_region_idx').using('btree', t.regionPath.op('text_pattern_ops')),
    check('inspections_time_order', sql`${t.startedAt} <= ${t.endedAt}`),
  ],
);

export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    /** Position in the checklist, from 1. */
    n: integer('n').notNull(),
    item: text('item').notNull(),
    result: text('result', { enum: ['pass', 'fail', 'not_applicable'] }).notNull(),
    note: text('note').notNull().default(''),
    category: text('category'),
    grade: text('grade', { enum: ['general', 'major'] }),
    legalBasis: text('legal_basis').notNull().default(''),
    requiredMeasures: text('required_measures').notNull().default(''),
    /** The hazard this finding became; set once, after the hazard exists. */
    hazardId: uuid('hazard_id')
      .unique()
      .references((): AnyPgColumn => hazards.id),
  },
  (t) => [
    uniqueIndex('inspection_findings_n_uq').on(t.inspectionId, t.n),
    check('inspection_findings_n_positive', sql`${t.n} >= 1`),
    check('inspection_findings_fail_has_category', sql`${t.result} <> 'fail' or ${t.category} is not null`),
  ],
);

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

// ---------------------------------------------------------------------------------------------
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
