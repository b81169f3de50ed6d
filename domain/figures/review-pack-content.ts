/**
 * What a review pack holds, as stored (review_packs.content) and answered by the API. Every count
 * that a hazard list can reproduce carries that list's query (`list`, `lists`) for `GET /api/hazards`.
 */
import { z } from 'zod';

const list = z.string().describe('query string of GET /api/hazards giving the hazards behind the count');
const period = z.object({ from: z.string(), to: z.string() });
const node = z.object({ id: z.string(), name: z.string(), level: z.string(), path: z.string() });
const kpi = z.looseObject({ value: z.number().nullable(), previous: z.number().nullable().optional(), list: list.optional() });

export const interviewReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('major-overdue'), workingDays: z.number() }),
  z.object({ kind: z.literal('overdue'), count: z.number() }),
  z.object({ kind: z.literal('repeats'), count: z.number() }),
]);

const scorecard = {
  open: z.number(),
  overdue: z.number(),
  overdueMajor: z.number(),
  lists: z.object({ open: list, overdue: list }),
};

export const reviewPackContentSchema = z.object({
  region: node,
  period,
  /** The window before, which the KPIs are compared with. */
  previousPeriod: period,
  /** The Shanghai day the pack was assembled; "now" figures (open, overdue) are as of it. */
  today: z.string(),
  /** When the figures summary had last been folded. */
  computedAt: z.string().nullable(),
  overview: z.looseObject({
    open: kpi,
    overdue: kpi,
    majorListed: kpi,
    registered: kpi,
    closed: kpi,
    onTimeRate: kpi,
    medianWorkingDaysToClose: kpi,
    escalated: kpi,
    repeats: kpi,
  }),
  /** The longest-overdue hazards now. */
  overdueTop: z.object({
    limit: z.number(),
    list,
    rows: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        grade: z.string(),
        deadline: z.string(),
        workingDaysOverdue: z.number(),
        enterprise: z.object({ id: z.string(), name: z.string() }),
      }),
    ),
  }),
  /** Enterprises with hazards registered in the period as repeats. */
  repeats: z.array(z.object({ id: z.string(), name: z.string(), repeats: z.number(), list })),
  /** Enterprises the meeting may call in for a warning interview (约谈), with the rule applied. */
  interviews: z.object({
    rule: z.object({ majorOverdueDays: z.number(), overdue: z.number(), repeats: z.number() }),
    candidates: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        overdue: z.number(),
        overdueMajor: z.number(),
        majorOverdueWorkingDays: z.number().nullable(),
        repeats: z.number(),
        reasons: z.array(interviewReasonSchema),
        lists: z.object({ overdue: list, repeats: list }),
      }),
    ),
  }),
  /** Per responsible leader (包联): open, overdue, overdue major now. */
  leaders: z.array(z.object({ key: z.string(), label: z.string().nullable(), ...scorecard })),
  /** Per grid: the same now, and closures in the period and the share on time. */
  grids: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      ...scorecard,
      closed: z.number(),
      onTimeRate: z.number().nullable(),
      lists: z.object({ open: list, overdue: list, closed: list }),
    }),
  ),
  /** Campaigns (专项行动) covering the region, with their stock still open now. */
  campaigns: z.array(z.object({ id: z.string(), name: z.string(), regionId: z.string(), cutoff: z.string(), target: z.string(), stockOpen: z.number(), list })),
});

export type ReviewPackContent = z.infer<typeof reviewPackContentSchema>;
