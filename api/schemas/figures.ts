/** Query shapes of the leaders' figures. */
import { z } from 'zod';
import { PERIOD_KINDS } from '../../domain/figures/periods';
import { queryDate } from './hazard';
import { urlNumber } from './url-number';

const regionId = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected a region id');

/** The node figures are for (default: the caller's own region) and the period they compare. */
export const figuresQuery = z.strictObject({
  region: regionId.optional(),
  period: z.enum(PERIOD_KINDS).default('month'),
  /** A day within the period (default: today in Shanghai). */
  date: queryDate.optional(),
});

export const breakdownQuery = figuresQuery.extend({
  by: z.enum(['region', 'industry', 'leader', 'supervisor']),
  /** Rows with the most overdue work first; a city has thousands of supervisors. */
  limit: urlNumber(z.number().int().min(1).max(1000).default(100)),
});

export const rankingQuery = figuresQuery.extend({
  rank: z.enum(['overdue', 'repeats']).default('overdue'),
  limit: urlNumber(z.number().int().min(1).max(100).default(10)),
});

export const trendQuery = z
  .strictObject({
    region: regionId.optional(),
    interval: z.enum(['week', 'month']).default('week'),
    from: queryDate.optional(),
    to: queryDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'must not be after `to`' });

export const regionQuery = z.strictObject({ region: regionId.optional() });
