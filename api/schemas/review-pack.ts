/** Shapes of the review packs' requests and answers; the content's shape is domain/figures/review-pack-content.ts. */
import { z } from 'zod';
import { REVIEW_INTERVALS } from '../../domain/figures/review-pack';
import { reviewPackContentSchema } from '../../domain/figures/review-pack-content';
import { urlNumber } from './url-number';

const regionId = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected a region id');
const period = z.object({ from: z.string(), to: z.string() });
const region = z.object({ id: z.string(), name: z.string(), level: z.string() });

export const listReviewPacksQuery = z.strictObject({
  /** Packs of this region and those below it (within reach). */
  region: regionId.optional(),
  limit: urlNumber(z.number().int().min(1).max(100).default(20)),
  cursor: z.string().max(400).optional(),
});

export const packIdParams = z.object({ id: z.uuid() });
export const policyParams = z.object({ regionId });

export const assemblePackBody = z.strictObject({ regionId });

export const savePolicyBody = z.strictObject({
  everyMonths: z.literal([...REVIEW_INTERVALS]).describe('months between meetings: 1, 2, 3, 4, 6 or 12'),
  active: z.boolean().default(true),
});

export const packSummarySchema = z.object({
  id: z.uuid(),
  region,
  period,
  assembledAt: z.string(),
  assembledBy: z.string(),
});

/** Who assembled the packs (`assembledBy`, a login name; "system": the schedule), by display name. */
const people = z.record(z.string(), z.string()).describe('the display name of each person named by login name');

export const packSchema = packSummarySchema.extend({ people, content: reviewPackContentSchema });
export const packPageSchema = z.object({ items: z.array(packSummarySchema), nextCursor: z.string().nullable(), people });
