/**
 * The leaders' figures: KPIs, overdue ageing, breakdowns one level down and by industry, leader
 * and supervisor, the enterprise rankings, the trend and the notices. Each reads the summary kept
 * by db/figures/, for a region within the caller's reach, and says when it was computed.
 */
import type { AppDeps } from '../app';
import { figureCacheOf } from '../../db/figures/answer-cache';
import { FigureReader } from '../../db/figures/answers';
import { nodeOf, subjectOf } from '../figure-region';
import { route, type RouteSpec } from '../route-spec';
import { breakdownQuery, figuresQuery, rankingQuery, regionQuery, trendQuery } from '../schemas/figures';

/** Breakdowns, rankings and notice figures are about jurisdictions. */
const JURISDICTIONS = ['leader', 'supervisor', 'admin'] as const;
/** KPIs, ageing and the trend: a jurisdiction's, or an enterprise's own for its people. */
const OWN_OR_JURISDICTION = ['leader', 'supervisor', 'admin', 'enterprise'] as const;

export function figureRoutes({ db, clock }: AppDeps): RouteSpec[] {
  const reader = () => new FigureReader(db, clock(), figureCacheOf(db));
  return [
    route({
      method: 'get',
      path: '/api/figures/overview',
      operationId: 'figuresOverview',
      summary: 'KPIs of a region within reach (an enterprise: its own) for a period, beside the previous period',
      tag: 'figures',
      access: OWN_OR_JURISDICTION,
      query: figuresQuery,
      responses: { 200: { description: 'the KPIs, each with the hazard-list query behind it' } },
      async handler({ res, query, principal }) {
        res.json(await reader().overview(await subjectOf(db, principal, query.region), query.period, query.date));
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/ageing',
      operationId: 'figuresAgeing',
      summary: 'Overdue hazards of a region within reach (an enterprise: its own) by working days overdue and grade',
      tag: 'figures',
      access: OWN_OR_JURISDICTION,
      query: regionQuery,
      responses: { 200: { description: 'one row per age bucket' } },
      async handler({ res, query, principal }) {
        res.json(await reader().ageing(await subjectOf(db, principal, query.region)));
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/breakdown',
      operationId: 'figuresBreakdown',
      summary: 'Open and overdue hazards of a region within reach, one level down or by industry, responsible leader or supervisor',
      tag: 'figures',
      access: JURISDICTIONS,
      query: breakdownQuery,
      responses: { 200: { description: 'one row per child region or value, most overdue first, up to the limit; totalRows: how many in all' } },
      async handler({ res, query, principal }) {
        res.json(await reader().breakdown(await nodeOf(db, principal, query.region), query.by, query.period, query.date, query.limit));
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/enterprises',
      operationId: 'figuresEnterpriseRanking',
      summary: 'Enterprises of a region within reach with the most overdue hazards, or the most repeats in a period',
      tag: 'figures',
      access: JURISDICTIONS,
      query: rankingQuery,
      responses: { 200: { description: 'the ranking' } },
      async handler({ res, query, principal }) {
        res.json(await reader().ranking(await nodeOf(db, principal, query.region), query.rank, query.period, query.limit, query.date));
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/trend',
      operationId: 'figuresTrend',
      summary: 'New, closed, newly overdue and escalated hazards of a region within reach (an enterprise: its own), per week or month',
      tag: 'figures',
      access: OWN_OR_JURISDICTION,
      query: trendQuery,
      responses: { 200: { description: 'one point per period, oldest first' } },
      async handler({ res, query, principal }) {
        res.json(await reader().trend(await subjectOf(db, principal, query.region), query.interval, query.from, query.to));
      },
    }),
    route({
      method: 'get',
      path: '/api/figures/notices',
      operationId: 'figuresNotices',
      summary: 'Open notices of a region within reach: unsigned past their signing time, by instrument reached, pending decisions by decider',
      tag: 'figures',
      access: JURISDICTIONS,
      query: regionQuery,
      responses: { 200: { description: 'the notice figures' } },
      async handler({ res, query, principal }) {
        res.json(await reader().notices(await nodeOf(db, principal, query.region)));
      },
    }),
  ];
}
