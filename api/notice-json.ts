/**
 * How a supervision notice is answered: the list item a ledger page shows, and the parts its
 * record adds (hazards, instruments, decisions, timeline, notifications); with the schemas the
 * OpenAPI documents them by.
 */
import { z } from 'zod';
import { namedTimelineEntrySchema, reachedSchema } from './people';
import { listTotalSchema } from './schemas/list-total';
import type { Principal } from '../auth/principal';
import type { NoticeListRow } from '../db/notice-queries';
import { HAZARD_STATUSES } from '../domain/hazard-lifecycle';
import { DECISION_NAMES, INSTRUMENT_NAMES, type DecisionKind, type InstrumentKind } from '../domain/instruments';
import { NOTICE_STATUSES } from '../domain/notice-lifecycle';
import { postOf } from '../domain/posts';
import { DAY_UNITS, HAZARD_GRADES, type DeadlineRule } from '../domain/policy-types';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function noticeJson(row: NoticeListRow, now: number) {
  return {
    id: row.id,
    code: row.code,
    agency: row.agency,
    enterpriseId: row.enterpriseId,
    addressee: row.addressee,
    title: row.title,
    requirements: row.requirements,
    legalBasis: row.legalBasis,
    grade: row.grade,
    status: row.status,
    deadline: row.deadline,
    dueAt: row.dueAt.toISOString(),
    deadlineRule: (row.deadlineRule as DeadlineRule | null) ?? null,
    provisional: row.provisional,
    deadlineProvisional: row.deadlineProvisional,
    laterStepsProvisional: row.laterStepsProvisional,
    overdue: row.status !== 'closed' && now >= row.dueAt.getTime(),
    overdueSince: iso(row.overdueSince),
    signDueAt: iso(row.signDueAt),
    signedAt: iso(row.signedAt),
    signedBy: row.signedBy,
    ladderLevel: row.ladderLevel,
    lastInstrumentCode: row.lastInstrumentCode,
    openHazards: row.openHazards,
    issuedBy: row.issuedBy,
    issuedAt: row.issuedAt.toISOString(),
    closedAt: iso(row.closedAt),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A notice as the caller may see it: an enterprise is not shown the number of an instrument addressed to an official. */
export function noticeJsonFor(principal: Principal, row: NoticeListRow, now: number) {
  const json = noticeJson(row, now);
  return principal.role === 'enterprise' ? { ...json, lastInstrumentCode: null } : json;
}

/** The rows of a notice's record (db/notice-queries.ts noticeDetailParts, as disclosed to the caller). */
export interface NoticeParts {
  hazards: Array<{ id: string; title: string; grade: (typeof HAZARD_GRADES)[number]; status: (typeof HAZARD_STATUSES)[number]; deadline: string; outcome: 'open' | 'closed' | 'void' }>;
  instruments: Array<{ code: string; kind: string; recipientRole: string; issuedAt: Date; step: string }>;
  decisions: Array<{
    id: string;
    kind: string;
    deciderRole: string;
    status: 'pending' | 'taken' | 'declined' | 'lapsed';
    openedAt: Date;
    documentNumber: string | null;
    reason: string | null;
    decidedBy: string | null;
    decidedAt: Date | null;
  }>;
  timeline: Array<{ stepKey: string; type: string; actor: string; occurredAt: Date; data: unknown }>;
  notifications: Array<{ stepKey: string; kind: string; recipientRole: string; message: string; scheduledAt: Date }>;
}

/** The parts a notice's record adds to its list item; `carriedOut` names the suspension carrying out each taken 停产整顿 decision. */
export function noticePartsJson(parts: NoticeParts, carriedOut: ReadonlyMap<string, string>) {
  // A decision's step is the one that opened it (its people were resolved under that key).
  const openedBy = new Map(parts.timeline.filter((e) => e.type === 'decision_opened').map((e) => [(e.data as { decisionId?: unknown } | null)?.decisionId, e.stepKey]));
  return {
    hazards: parts.hazards,
    instruments: parts.instruments.map((i) => ({
      code: i.code,
      kind: i.kind,
      name: INSTRUMENT_NAMES[i.kind as InstrumentKind]?.zh ?? i.kind,
      recipientRole: i.recipientRole,
      issuedAt: i.issuedAt.toISOString(),
      step: i.step,
    })),
    decisions: parts.decisions.map((d) => ({
      /** The suspension that carries out a 停产整顿 decision, once ordered. */
      suspensionId: carriedOut.get(d.id) ?? null,
      id: d.id,
      kind: d.kind,
      name: DECISION_NAMES[d.kind as DecisionKind]?.zh ?? d.kind,
      deciderRole: d.deciderRole,
      deciderPost: postOf(d.deciderRole),
      step: openedBy.get(d.id) ?? null,
      status: d.status,
      openedAt: d.openedAt.toISOString(),
      documentNumber: d.documentNumber,
      reason: d.reason,
      decidedBy: d.decidedBy,
      decidedAt: iso(d.decidedAt),
    })),
    // Events are stored with an object of data (case_events.data defaults to {}).
    timeline: parts.timeline.map((e) => ({ step: e.stepKey, type: e.type, actor: e.actor, occurredAt: e.occurredAt.toISOString(), data: e.data as Record<string, unknown> })),
    notifications: parts.notifications.map((n) => ({ step: n.stepKey, kind: n.kind, recipientRole: n.recipientRole, message: n.message, scheduledAt: n.scheduledAt.toISOString() })),
  };
}

/** One notice as a list page answers it. */
export const noticeListItemSchema = z.object({
  id: z.uuid(),
  code: z.string().describe('the official number, e.g. 甲县应急〔2026〕1号'),
  agency: z.string().describe('the agency that signs it, e.g. 甲县应急'),
  enterpriseId: z.uuid().nullable().describe('the enterprise addressed; null for a notice to a government body'),
  addressee: z.string().nullable().describe('the government body or department addressed instead of an enterprise'),
  title: z.string(),
  requirements: z.string(),
  legalBasis: z.string(),
  grade: z.enum(HAZARD_GRADES),
  status: z.enum(NOTICE_STATUSES),
  deadline: z.string(),
  dueAt: z.string(),
  deadlineRule: z
    .object({ days: z.number().int(), unit: z.enum(DAY_UNITS), legalBasis: z.string() })
    .nullable()
    .describe('the rule the deadline was counted by; null when a person set it'),
  provisional: z.boolean().describe('some date was counted into a year without calendar data: deadlineProvisional or laterStepsProvisional'),
  deadlineProvisional: z.boolean().describe('the deadline itself was so counted (期限待定)'),
  laterStepsProvisional: z.boolean().describe('only other dates were: the sign-by date while unsigned, or steps of the ladder ahead'),
  overdue: z.boolean(),
  overdueSince: z.string().nullable(),
  signDueAt: z.string().nullable().describe('by when the enterprise addressed is to sign for it (签收)'),
  signedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  ladderLevel: z.number().int().describe('the steps of the ladder (提示卡 → 清单 → 督办函 → 指令) taken so far'),
  lastInstrumentCode: z.string().nullable().describe('the number of the latest instrument of the ladder (null for an enterprise when it was addressed to an official)'),
  openHazards: z.number().int(),
  issuedBy: z.string(),
  issuedAt: z.string(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
});

/** One notice as its record answers it. */
export const noticeSchema = noticeListItemSchema.extend({
  policy: z.record(z.string(), z.unknown()).optional().describe('the notice policy it runs under (not shown to enterprises)'),
  policyId: z.number().int().nullable().optional(),
  hazards: z.array(
    z.strictObject({ id: z.uuid(), title: z.string(), grade: z.enum(HAZARD_GRADES), status: z.enum(HAZARD_STATUSES), deadline: z.string(), outcome: z.enum(['open', 'closed', 'void']).describe('open, or what settled it for the notice') }),
  ),
  instruments: z
    .array(z.strictObject({ code: z.string(), kind: z.string(), name: z.string().describe('its Chinese name'), recipientRole: z.string(), issuedAt: z.string(), step: z.string().describe('the ladder step that issued it (a key of `reached`)') }))
    .describe('the instruments its ladder issued, in order (an enterprise: those addressed to it)'),
  decisions: z
    .array(
      z.strictObject({
        suspensionId: z.uuid().nullable().describe('the suspension carrying out a taken 停产整顿 decision, once ordered'),
        id: z.uuid(),
        kind: z.string(),
        name: z.string().describe('its Chinese name'),
        deciderRole: z.string(),
        deciderPost: z.string().nullable().describe('the post whose holders take it (domain/posts.ts), when the role names one'),
        step: z.string().nullable().describe('the step that opened it (a key of `reached`)'),
        status: z.enum(['pending', 'taken', 'declined', 'lapsed']),
        openedAt: z.string(),
        documentNumber: z.string().nullable(),
        reason: z.string().nullable(),
        decidedBy: z.string().nullable(),
        decidedAt: z.string().nullable(),
      }),
    )
    .describe('the decisions for people (约谈, 行政处罚, 停产整顿, 移送司法); an enterprise sees those taken'),
  timeline: z.array(namedTimelineEntrySchema),
  notifications: z.array(z.strictObject({ step: z.string(), kind: z.string(), recipientRole: z.string(), message: z.string(), scheduledAt: z.string() })),
  people: z.record(z.string(), z.string()).describe('display name of each person the answer names by login name'),
  reached: reachedSchema,
});

export const noticePageSchema = z.object({ items: z.array(noticeListItemSchema), ...listTotalSchema('notices'), nextCursor: z.string().nullable() });
