/** Request shapes of the notice routes. Strict: a field the API does not know is refused. */
import { z } from 'zod';
import { DECISION_KINDS, INSTRUMENT_KINDS } from '../../domain/instruments';
import { NOTICE_STATUSES } from '../../domain/notice-lifecycle';
import { RECIPIENT_ROLES } from '../../domain/policy-types';
import { isoDate } from './hazard';
import { urlNumber } from './url-number';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1, 'required').max(max);

/** Whom a notice is addressed to, and its hazards: issuing and the deadline preview take the same. */
const addressing = {
    enterpriseId: z.uuid().optional(),
    addressee: z.strictObject({ regionId: z.string().trim().min(1).max(40), department: text(200).optional() }).optional(),
    hazardIds: z
      .array(z.uuid())
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, 'each hazard once')
      .default([]),
};

/** To an enterprise or to a government body, one of the two; to an enterprise, with at least one hazard. */
function refuseBadAddressing(b: { enterpriseId?: string; addressee?: unknown; hazardIds: string[] }, ctx: z.RefinementCtx): void {
  if ((b.enterpriseId === undefined) === (b.addressee === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'address the notice to an enterprise or (addressee) to a government body, one of the two' });
  }
  if (b.enterpriseId !== undefined && b.hazardIds.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['hazardIds'], message: 'a notice to an enterprise names at least one of its hazards' });
  }
}

/** To one enterprise (with its hazards), or to a government body or department (hazards optional). */
export const createNoticeBody = z
  .strictObject({
    ...addressing,
    title: required(200),
    requirements: required(5000),
    legalBasis: text(2000).optional(),
    deadline: isoDate.optional(),
  })
  .superRefine(refuseBadAddressing);
export type CreateNoticeBody = z.infer<typeof createNoticeBody>;

export const decisionBody = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('taken'), documentNumber: required(100), reason: required(2000) }),
  z.strictObject({ outcome: z.literal('declined'), reason: required(2000) }),
]);

export const extendNoticeBody = z.strictObject({ newDeadline: isoDate, reason: required(1000) });
export const confirmCompletionBody = z.strictObject({ reason: required(2000) });

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');
export const listNoticesQuery = z.strictObject({
  status: z.enum(NOTICE_STATUSES).optional(),
  overdue: booleanParam.optional(),
  enterpriseId: z.uuid().optional(),
  /** Within this region's subtree (a region within reach). */
  region: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected a region id').optional(),
  /** Not yet closed. */
  open: booleanParam.optional(),
  /** Still unsigned after the time it had to be signed by. */
  signOverdue: booleanParam.optional(),
  /** Open notices whose ladder reached this level. */
  ladderLevel: urlNumber(z.number().int().min(1).max(20).optional()),
  /** Open notices whose latest ladder instrument is of this kind. */
  instrument: z.enum(INSTRUMENT_KINDS).optional(),
  /** With a decision of this kind pending, to be taken by this role. */
  pendingDecision: z.enum(DECISION_KINDS).optional(),
  decider: z.enum(RECIPIENT_ROLES).optional(),
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

export const noticeIdParams = z.strictObject({ id: z.uuid() });
export const noticeDecisionParams = z.strictObject({ id: z.uuid(), decisionId: z.uuid() });

/** What the deadline preview needs: the addressing and hazards of a notice, and the issuer's own deadline if any. */
export const noticePreviewBody = z
  .strictObject({
    ...addressing,
    deadline: isoDate.optional(),
  })
  .superRefine(refuseBadAddressing);
