/** Request shapes of the commands that void, reopen, reassign and accept hazards, and file plans. */
import { z } from 'zod';
import { ASSIGNMENT_ROLES } from '../../domain/hazard-assignment';
import { VOID_KINDS } from '../../domain/hazard-lifecycle';
import { isoDate } from './hazard';

const required = (max: number) => z.string().trim().min(1, 'required').max(max);
const username = z.string().trim().min(1, 'required').max(100);

/** 误报 (misreport) or 豁免 (exempt), always with a reason. */
export const voidBody = z.strictObject({ kind: z.enum(VOID_KINDS), reason: required(1000) });

export const reopenBody = z.strictObject({ reason: required(1000), newDeadline: isoDate });

export const assignmentBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reassign'), role: z.enum(ASSIGNMENT_ROLES), to: username.describe('user name of the new person'), reason: required(1000) }),
  z.strictObject({
    kind: z.literal('delegate'),
    to: username.nullable().describe("user name of the supervisor acting in the assigned supervisor's place; null withdraws the delegation"),
    reason: required(1000),
  }),
]);

/** Whose place the people are listed for: the supervisor's (also a delegate's) or the enterprise contact's. */
export const assigneesQuery = z.strictObject({ place: z.enum(ASSIGNMENT_ROLES).default('supervisor') });

export const assigneesAnswer = z.object({
  place: z.enum(ASSIGNMENT_ROLES),
  items: z.array(z.object({ username: z.string(), displayName: z.string(), post: z.string().nullable(), regionName: z.string() })),
});

/** 五落实: measures, funds (yuan), deadline, responsible person, contingency plan. */
export const planBody = z.strictObject({
  measures: required(5000),
  funds: z.number().positive().max(1e12),
  deadline: isoDate,
  responsiblePerson: required(200),
  contingencyPlan: required(5000),
});

export const acceptanceBody = z.strictObject({
  party: z.enum(['enterprise', 'expert']).describe('the enterprise records its own check; a supervisor records an expert’s opinion'),
  passed: z.boolean(),
  opinion: required(2000),
  signatory: required(200).describe('who signed for the party: the enterprise’s checker or the expert'),
});

/** Move a running hazard to another stored policy version of its grade, with a reason. */
export const policyChangeBody = z.strictObject({ policyId: z.number().int().positive().max(2_147_483_647), reason: required(1000) });
