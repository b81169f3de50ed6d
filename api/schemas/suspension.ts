/** Request shapes of the suspension routes. Strict: a field the API does not know is refused. */
import { z } from 'zod';
import { SUSPENSION_SCOPES, SUSPENSION_STATUSES } from '../../domain/suspension';
import { isoDate } from './hazard';
import { urlNumber } from './url-number';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1, 'required').max(max);

export const createSuspensionBody = z.strictObject({
  enterpriseId: z.uuid(),
  /** A hazard of that enterprise the suspension is ordered for (usually a major one). */
  hazardId: z.uuid().optional(),
  /** Where the order came from, e.g. the decision of a supervision notice's ladder (a loose link). */
  origin: z.strictObject({ type: z.literal('notice_decision'), id: z.uuid().describe('the taken 停产整顿 decision of a notice this order carries out') }).optional(),
  /** The order's document number, e.g. 甲县应急停〔2026〕3号. */
  documentNumber: required(100),
  reason: required(2000),
  scope: z.enum(SUSPENSION_SCOPES),
  scopeNote: text(1000).default(''),
  startsOn: isoDate,
  plannedEnd: isoDate,
});
export type CreateSuspensionBody = z.infer<typeof createSuspensionBody>;

export const listSuspensionsQuery = z.strictObject({
  status: z.enum(SUSPENSION_STATUSES).optional(),
  enterpriseId: z.uuid().optional(),
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

/** 复产申请: after a passing self-check, with a note and optional evidence references. */
export const resumptionRequestBody = z.strictObject({
  note: text(2000).default(''),
  evidence: z
    .array(required(200))
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, 'each reference once')
    .default([]),
  selfCheck: z.strictObject({ passed: z.boolean(), summary: required(2000) }),
});

export const resumptionReviewBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comment: text(2000).default('') }),
  z.strictObject({
    decision: z.literal('reject'),
    reasons: z.array(required(1000)).min(1, 'a rejection needs at least one reason').max(20),
    /** A new planned end, never beyond the maximum. */
    plannedEnd: isoDate.optional(),
  }),
]);

export const extendSuspensionBody = z.strictObject({ plannedEnd: isoDate, reason: required(1000) });

export const liftSuspensionBody = z.strictObject({ documentNumber: required(100), reason: required(1000) });

export const suspensionIdParams = z.strictObject({ id: z.uuid() });
