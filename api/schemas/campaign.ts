/** Request shapes of the campaign routes (专项行动 and their burn-down). Strict: a field the API does not know is refused. */
import { z } from 'zod';
import { isoDate, queryDate } from './hazard';

export const createCampaignBody = z
  .strictObject({
    name: z.string().trim().min(1, 'required').max(200),
    /** The jurisdiction the campaign covers: the admin's own region or one below it. */
    regionId: z.string().min(1, 'required').max(40),
    /** Hazards found before this day and open at its start are the stock. */
    cutoff: isoDate,
    /** The day the stock should reach zero. */
    target: isoDate,
  })
  .superRefine((b, ctx) => {
    if (b.target <= b.cutoff) ctx.addIssue({ code: 'custom', path: ['target'], message: 'the target must be a day after the cut-off' });
  });
export type CreateCampaignBody = z.infer<typeof createCampaignBody>;

export const burndownQuery = z.strictObject({
  /** The day the figures are as of (default: today, Asia/Shanghai). */
  asOf: queryDate.optional(),
  /** One region level below, or by responsible leader (包联领导). */
  by: z.enum(['region', 'leader']).default('region'),
});
