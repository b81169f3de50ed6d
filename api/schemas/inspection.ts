/**
 * Request shapes of the inspection routes. Strict: unknown fields are refused. Shape errors are a
 * 400; the record's rules (domain/inspection-checklist.ts) are checked by the handler, a 422.
 */
import { z } from 'zod';
import { LISTING_LEVELS } from '../../domain/major-hazard';
import { INSPECTION_RESULTS, MAX_CHECKLIST_ITEMS } from '../../domain/inspection-checklist';
import { HAZARD_GRADES } from '../../domain/policy';
import { isoDate } from './hazard';
import { urlNumber } from './url-number';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1, 'required').max(max);
const instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant with a time zone' });

export const checklistFinding = z.strictObject({
  item: required(500),
  result: z.enum(INSPECTION_RESULTS),
  note: text(2000).optional(),
  /** The hazard category a failed item found; required for `fail`. */
  category: text(100).optional(),
  /** The hazard's grade for a failed item (general when absent). */
  grade: z.enum(HAZARD_GRADES).optional(),
  legalBasis: text(2000).optional(),
  requiredMeasures: text(5000).optional(),
});

export const createInspectionBody = z.strictObject({
  enterpriseId: z.uuid(),
  location: text(500).default(''),
  startedAt: instant,
  endedAt: instant,
  /** Other supervisors who inspected with the signed-in one, by user id. */
  coInspectors: z.array(z.uuid()).max(20).default([]),
  findings: z.array(checklistFinding).max(MAX_CHECKLIST_ITEMS),
});
export type CreateInspectionBody = z.infer<typeof createInspectionBody>;

/** What the registering supervisor may change from the finding; the rest comes from it. */
export const findingHazardBody = z
  .strictObject({
    title: required(200).optional(),
    description: text(5000).optional(),
    grade: z.enum(HAZARD_GRADES).optional(),
    /** Absent: the policy's default time limit from today. */
    deadline: isoDate.optional(),
    /** 挂牌督办 level, required when the hazard is major. */
    listingLevel: z.enum(LISTING_LEVELS).optional(),
  })
  .default({});

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listInspectionsQuery = z.strictObject({
  enterpriseId: z.uuid().optional(),
  /** Inspections with a failed finding that has not become a hazard yet (or none). */
  pendingFindings: booleanParam.optional(),
  limit: urlNumber(z.number().int().min(1).max(200).default(50)),
  cursor: z.string().max(200).optional(),
});

export const inspectionIdParams = z.strictObject({ id: z.uuid() });
export const findingParams = z.strictObject({ id: z.uuid(), n: urlNumber(z.number().int().min(1).max(MAX_CHECKLIST_ITEMS)) });
