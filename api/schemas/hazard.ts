/** Request shapes of the hazard routes. Strict: a field the API does not know is refused. */
import { z } from 'zod';
import { HAZARD_STATUSES } from '../../domain/hazard-lifecycle';
import { HAZARD_GRADES } from '../../domain/policy';
import { LISTING_LEVELS } from '../../domain/major-hazard';
import { isIsoDate } from '../../domain/shanghai-time';
import { AGE_BUCKET_KEYS } from '../../domain/figures/ageing';
import { urlNumber } from './url-number';

export const HAZARD_SOURCES = ['inspection', 'grid_patrol', 'self_report', 'public_report'] as const;

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1, 'required').max(max);
export const isoDate = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');

/**
 * A day a query names (from, to, as of): a calendar date of the years records can be of. Lists
 * and figures count whole days and periods past it, which near the calendar's end (9999-12-31)
 * would fall outside any date and fail the request; a far year is refused as such instead.
 */
export const queryDate = isoDate.refine((d) => !isIsoDate(d) || (d >= '1900-01-01' && d <= '2999-12-31'), 'expected a date from 1900-01-01 to 2999-12-31');

export const createHazardBody = z.strictObject({
  enterpriseId: z.uuid(),
  title: required(200),
  description: text(5000).default(''),
  category: required(100),
  source: z.enum(HAZARD_SOURCES),
  location: text(500).default(''),
  legalBasis: text(2000).default(''),
  requiredMeasures: text(5000).default(''),
  grade: z.enum(HAZARD_GRADES),
  /** Absent: counted by the policy's deadline rule from today (working days on the calendar). */
  deadline: isoDate.optional(),
  /** 挂牌督办 level; required for a major hazard, refused for a general one. */
  listingLevel: z.enum(LISTING_LEVELS).optional(),
}).superRefine((b, ctx) => {
  if (b.grade === 'major' && !b.listingLevel) ctx.addIssue({ code: 'custom', path: ['listingLevel'], message: 'a major hazard is listed for supervision at a level (province, city, county or township)' });
  if (b.grade === 'general' && b.listingLevel) ctx.addIssue({ code: 'custom', path: ['listingLevel'], message: 'only a major hazard is listed for supervision' });
});
export type CreateHazardBody = z.infer<typeof createHazardBody>;

export const submissionBody = z.strictObject({
  /** Ids of evidence files uploaded to this hazard and not yet part of a submitted set. */
  evidence: z
    .array(z.uuid())
    .min(1, 'at least one piece of evidence is required')
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, 'each file once'),
  note: text(2000).default(''),
});

export const reviewBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), comment: text(2000).default('') }),
  z.strictObject({
    decision: z.literal('reject'),
    reasons: z.array(required(1000)).min(1, 'a rejection needs at least one reason').max(20),
    newDeadline: isoDate,
  }),
]);

/** The enterprise asks to move the deadline (延期). A date not later than the current deadline is a 422. */
export const extensionRequestBody = z.strictObject({
  requestedDeadline: isoDate,
  reason: required(1000),
});

/** A supervisor approves (optionally an earlier date than requested) or denies with a reason. */
export const extensionDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), newDeadline: isoDate.optional() }),
  z.strictObject({ decision: z.literal('deny'), reason: required(1000) }),
]);

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The hazard list's filters: the same for a page of the list and for its exported ledger. */
const hazardListFilters = {
  status: z.enum(HAZARD_STATUSES).optional(),
  overdue: booleanParam.optional(),
  enterpriseId: z.uuid().optional(),
  grade: z.enum(HAZARD_GRADES).optional(),
  /** Hazards with an extension request awaiting a decision (or none). */
  extensionPending: booleanParam.optional(),
  /** Hazards flagged as repeats of a recently closed one (or not). */
  repeat: booleanParam.optional(),
  /** Within this region's subtree (a region within reach). */
  region: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected a region id').optional(),
  /** Still open: being rectified or under review. */
  open: booleanParam.optional(),
  /** The enterprise's industry, its responsible leader (user id), the supervisor in charge (user name); `none`: not recorded. */
  industry: z.string().trim().min(1).max(100).optional(),
  leader: z.union([z.uuid(), z.literal('none')]).optional(),
  supervisor: z.string().trim().min(1).max(100).optional(),
  /** Overdue by this many working days (an age bucket of the figures). */
  age: z.enum(AGE_BUCKET_KEYS).optional(),
  listingLevel: z.enum(LISTING_LEVELS).optional(),
  listed: booleanParam.optional(),
  /** Found, and closed, on these Shanghai days (inclusive). */
  foundFrom: queryDate.optional(),
  foundTo: queryDate.optional(),
  closedFrom: queryDate.optional(),
  closedTo: queryDate.optional(),
  /** A campaign's stock or new hazards. */
  campaign: z.uuid().optional(),
  cohort: z.enum(['stock', 'new']).optional(),
};

type FilterRanges = { foundFrom?: string; foundTo?: string; closedFrom?: string; closedTo?: string; campaign?: string; cohort?: string };
function filterRules(q: FilterRanges, ctx: z.RefinementCtx) {
  if (q.foundFrom && q.foundTo && q.foundFrom > q.foundTo) ctx.addIssue({ code: 'custom', path: ['foundFrom'], message: 'must not be after foundTo' });
  if (q.closedFrom && q.closedTo && q.closedFrom > q.closedTo) ctx.addIssue({ code: 'custom', path: ['closedFrom'], message: 'must not be after closedTo' });
  if ((q.campaign === undefined) !== (q.cohort === undefined)) ctx.addIssue({ code: 'custom', path: ['cohort'], message: 'campaign and cohort go together' });
}

export const listHazardsQuery = z
  .strictObject({
    ...hazardListFilters,
    limit: urlNumber(z.number().int().min(1).max(200).default(50)),
    cursor: z.string().max(200).optional(),
  })
  .superRefine(filterRules);
export type ListHazardsQuery = z.infer<typeof listHazardsQuery>;

/** The language of an exported ledger's titles and labels: Chinese unless English is asked for. */
export const ledgerLang = z.enum(['zh', 'en']).default('zh');

/** The hazard ledger's export: the list's filters, every matching row. */
export const hazardExportQuery = z.strictObject({ ...hazardListFilters, lang: ledgerLang }).superRefine(filterRules);
export type HazardExportQuery = z.infer<typeof hazardExportQuery>;
export type HazardListFilters = Omit<ListHazardsQuery, 'limit' | 'cursor'>;

export const hazardIdParams = z.strictObject({ id: z.uuid() });
