/** Request shapes of the directory routes (regions, enterprises, users, API keys). */
import { z } from 'zod';
import { REGION_LEVELS, ROLES, USER_KINDS } from '../../db/schema';
import { creditCodeProblem } from '../../domain/credit-code';
import { urlNumber } from './url-number';

const name = z.string().trim().min(1, 'required').max(100);

export const createRegionBody = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and - only, up to 40'),
  name,
  level: z.enum(REGION_LEVELS),
  parentId: z.string().max(40).nullable().default(null),
});

/** 统一社会信用代码, its check character verified (GB 32100): a mistyped code is named, not stored. */
export const creditCode = z
  .string()
  .trim()
  .superRefine((code, ctx) => {
    const problem = creditCodeProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const createEnterpriseBody = z.strictObject({
  name: z.string().trim().min(1, 'required').max(200),
  creditCode,
  regionId: z.string().max(40),
  industry: z.string().trim().max(100).nullable().default(null),
  responsibleLeaderId: z.uuid().nullable().default(null),
  responsiblePerson: z.string().trim().max(200).default(''),
});

export const createUserBody = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9._@-]{3,64}$/, '3–64 letters, digits or ._@-'),
  displayName: name,
  role: z.enum(ROLES),
  regionId: z.string().max(40),
  enterpriseId: z.uuid().nullable().default(null),
  password: z.string().min(12, 'at least 12 characters').max(256).nullable().default(null),
});

const keyName = z.string().trim().min(1).max(100);

/** A key for the caller. `userId` is read only to refuse it by name: a key never acts as someone else. */
export const createApiKeyBody = z.strictObject({
  name: keyName,
  userId: z.unknown().optional().describe('not accepted: a key acts as whoever makes it; for another system make a service account and a key for it'),
});

export const createServiceApiKeyBody = z.strictObject({ name: keyName });

export const createServiceAccountBody = z.strictObject({
  /** Becomes the user name `system:<name>`, which every record the account makes carries. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{2,40}$/, '3–41 lower-case letters, digits or -'),
  /** The system it stands for; shown as 系统对接：<system>. */
  system: name,
  role: z.enum(ROLES),
  regionId: z.string().max(40),
  enterpriseId: z.uuid().nullable().default(null),
});

export const listPageQuery = z.strictObject({
  limit: urlNumber(z.number().int().min(1).max(500).default(100)),
  cursor: z.string().max(500).optional(),
});

/** Enterprises: a page, optionally of those whose name contains `q` or whose credit code begins with it. */
export const enterpriseListQuery = listPageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().describe('part of the name, or the beginning of the credit code'),
});

/** Users: a page, optionally narrowed by role, kind, or `q` in the user name or display name. */
export const userListQuery = listPageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().describe('part of the user name or display name'),
  role: z.enum(ROLES).optional(),
  kind: z.enum(USER_KINDS).optional(),
});
export const uuidParams = z.strictObject({ id: z.uuid() });

export const updateUserBody = z
  .strictObject({
    displayName: name.optional(),
    /** false: the account stops working at once (tokens and API keys included); its tokens never work again. */
    active: z.boolean().optional(),
  })
  .refine((b) => b.displayName !== undefined || b.active !== undefined, 'name at least one of displayName, active');
