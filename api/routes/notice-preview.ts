/**
 * The dates a notice would be issued with, before issuing it: the deadline the policy's rule
 * counts on the working-day calendar (or the issuer's own), whether it is provisional, and the
 * last day to sign. Counted by the same functions issuing uses, on the same calendar years.
 */
import { z } from 'zod';
import { calendarYearsAmong } from '../../db/calendar';
import { noticeDates, type NoticeDates } from '../../domain/notice-lifecycle';
import { addDays, shanghaiDate } from '../../domain/shanghai-time';
import { MAX_OFFSET_DAYS } from '../../domain/policy';
import { yearsFrom } from '../../domain/work-calendar';
import type { AppDeps } from '../app';
import { planNotice, refuseSettledHazards, type NoticePlan } from '../notice-plan';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { noticePreviewBody } from '../schemas/notice';

const previewSchema = z.object({
  grade: z.enum(['general', 'major']).describe('major when any hazard is'),
  issuedOn: z.string().describe('today in Asia/Shanghai: the day counting starts from'),
  deadline: z.string(),
  deadlineRule: z
    .object({ days: z.number().int(), unit: z.enum(['working', 'calendar']), legalBasis: z.string().optional() })
    .nullable()
    .describe("the policy's rule that counted the deadline; null when the issuer gave it"),
  deadlineProvisional: z.boolean().describe('counted into a year without calendar data (期限待定)'),
  legalBasis: z.string().describe("the rule's legal basis, unless the issuer writes another"),
  signDue: z.string().nullable().describe('the last day to sign (enterprise notices)'),
  signProvisional: z.boolean(),
  policyId: z.number().int().nullable(),
});

/** The preview's answer: the dates counted, the rule and policy they were counted by; the sign-by day for an enterprise. */
export function noticePreviewJson(plan: NoticePlan, dates: NoticeDates, toEnterprise: boolean) {
  return {
    grade: plan.grade,
    issuedOn: dates.issuedOn,
    deadline: dates.deadline,
    deadlineRule: dates.deadlineRule,
    deadlineProvisional: dates.deadlineProvisional,
    legalBasis: plan.rule.legalBasis,
    signDue: toEnterprise ? dates.signDue : null,
    signProvisional: dates.signProvisional,
    policyId: plan.policyId,
  };
}

export function noticePreviewRoutes({ db, clock }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/api/notices/deadline-preview',
      operationId: 'previewNoticeDeadline',
      summary: "The deadline (and sign-by date) a notice for these hazards would be issued with, counted now by the policy's rule; changes nothing",
      tag: 'notices',
      access: ['supervisor', 'leader'],
      body: noticePreviewBody,
      responses: {
        200: { description: 'the dates the notice would get if issued now', schema: previewSchema },
        409: { description: 'a hazard is closed or void' },
        422: { description: 'no such enterprise, region or hazard within reach; a hazard of another enterprise; a deadline in the past or too far' },
      },
      async handler({ res, body, principal }) {
        const now = clock();
        const today = shanghaiDate(now);
        if (body.deadline !== undefined && body.deadline < today) {
          throw problems.unprocessable('the deadline cannot be in the past', [{ field: 'deadline', message: `must be ${today} or later` }]);
        }
        if (body.deadline !== undefined && body.deadline > addDays(today, MAX_OFFSET_DAYS)) {
          throw problems.unprocessable('the deadline is too far away', [{ field: 'deadline', message: 'must be within a year' }]);
        }
        const plan = await planNotice(db, principal, body);
        refuseSettledHazards(plan);
        // The years the notice's workflow takes when it starts: this year and the next two.
        const years = await calendarYearsAmong(db, yearsFrom(today));
        const dates = noticeDates({ ...plan, policy: plan.noticePolicy, enterpriseId: body.enterpriseId ?? null, ...(body.deadline ? { deadline: body.deadline } : {}) }, years, now);
        res.json(noticePreviewJson(plan, dates, !!body.enterpriseId));
      },
    }),
  ];
}
