/** Request shapes of the changes admins make to the directory. */
import { z } from 'zod';
import { creditCode } from './directory';
import { urlNumber } from './url-number';

export const regionParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) });

const atLeastOne = (b: Record<string, unknown>) => Object.values(b).some((v) => v !== undefined);

export const updateRegionBody = z
  .strictObject({
    name: z.string().trim().min(1, 'required').max(100).optional(),
    /** The short name the agency here signs instruments with (江北应急〔2026〕1号); null: none here (it signs as the nearest above). */
    agencyShortName: z
      .string()
      .trim()
      .min(1, 'required (or null for none)')
      .max(20)
      .regex(/^[^〔〕\[\]\s]+$/, 'no brackets or spaces: it stands before 〔year〕')
      .nullable()
      .optional(),
  })
  .refine(atLeastOne, 'name at least one of name, agencyShortName');

export const updateEnterpriseBody = z
  .strictObject({
    name: z.string().trim().min(1, 'required').max(200).optional(),
    creditCode: creditCode.optional(),
    regionId: z.string().max(40).optional(),
    industry: z.string().trim().max(100).nullable().optional(),
    responsibleLeaderId: z.uuid().nullable().optional(),
    responsiblePerson: z.string().trim().max(200).optional(),
  })
  .refine(atLeastOne, 'name at least one field to change');

export const resetPasswordBody = z.strictObject({
  password: z.string().min(12, 'at least 12 characters').max(256),
});

export const apiKeyListQuery = z.strictObject({
  userId: z.uuid().optional(),
  limit: urlNumber(z.number().int().min(1).max(500).default(200)),
});
