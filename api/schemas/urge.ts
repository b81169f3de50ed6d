/** Request shapes of the urge (催办) and escalation routes. Strict: a field the API does not know is refused. */
import { z } from 'zod';
import { URGE_MESSAGE_MAX } from '../../domain/urge';
import { BULK_URGE_PREFIX } from '../../workflows/urge.messages';
import { urlNumber } from './url-number';

const message = z.string().trim().max(URGE_MESSAGE_MAX).describe('the leader’s own words to the enterprise and the supervisor (optional)');

export const urgeBody = z.strictObject({ message: message.optional() });

/** Every overdue item of one enterprise, or of one region's subtree (a county, township or grid). */
export const bulkUrgeBody = z
  .strictObject({
    enterpriseId: z.uuid().optional(),
    regionId: z.string().trim().min(1).max(40).optional(),
    message: message.optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.enterpriseId === undefined) === (b.regionId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'name an enterprise or (regionId) a region, one of the two' });
    }
  });

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listUrgesQuery = z.strictObject({
  by: z.enum(['me', 'all']).default('me').describe('me: the caller’s own urges; all: everyone’s within the caller’s reach'),
  kind: z.enum(['hazard', 'notice']).optional(),
  moved: booleanParam.optional().describe('only urges whose item moved since (true), or not (false)'),
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

export const listEscalationsQuery = z.strictObject({
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

export const bulkUrgeParams = z.strictObject({ id: z.string().startsWith(BULK_URGE_PREFIX).max(100) });
