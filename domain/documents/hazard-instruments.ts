/**
 * The pages of a hazard's own decisions — 整改复查意见书 (a review's outcome), 延期审批意见 (an
 * extension decided) — and of a suspension: the 停产整顿 order and the decision on resumption.
 */
import { chineseDate, chineseDateOf, chineseDateTimeOf, deadlineRuleText, personName, type Field, type PrintedDocument } from './page';

/** Which events of a hazard's trail are served on paper, as which numbered instrument. */
export const HAZARD_INSTRUMENT_OF_EVENT: Record<string, string> = {
  review_accepted: 'review_opinion',
  review_rejected: 'review_opinion',
  extension_approved: 'extension_decision',
  extension_denied: 'extension_decision',
};

export const HAZARD_INSTRUMENT_TITLES: Record<string, string> = {
  review_opinion: '整改复查意见书',
  extension_decision: '延期审批意见书',
};

export const hazardInstrumentTitle = (kind: string): string => HAZARD_INSTRUMENT_TITLES[kind] ?? kind;

export interface HazardFacts {
  id: string;
  title: string;
  category: string;
  location: string;
  enterpriseName: string;
  legalBasis: string;
  requiredMeasures: string;
  deadlineRule: { days: number; unit: string; from?: string } | null;
}

export interface HazardInstrumentFacts {
  code: string;
  agency: string;
  issuedAt: number;
  event: { type: string; actor: string; occurredAt: number; data: Record<string, unknown> };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function hazardFields(h: HazardFacts): Field[] {
  return [
    { label: '隐患', value: h.title },
    { label: '类别', value: h.category },
    { label: '位置', value: h.location || '—' },
  ];
}

function outcome(e: HazardInstrumentFacts['event']): { paragraph: string; fields: Field[] } {
  const d = e.data;
  switch (e.type) {
    case 'review_accepted':
      return {
        paragraph: `经复查，你单位第${str(d.round)}轮整改已按要求完成，整改合格，准予销号。`,
        fields: [{ label: '复查意见', value: str(d.comment) || '整改合格' }],
      };
    case 'review_rejected':
      return {
        paragraph: `经复查，你单位第${str(d.round)}轮整改未达到要求，整改不合格。请于${chineseDate(str(d.newDeadline))}前重新整改完毕并申请复查。`,
        fields: [
          { label: '不合格理由', value: Array.isArray(d.reasons) ? d.reasons.map(str).join('；') : str(d.reasons) },
          { label: '重新整改期限', value: chineseDate(str(d.newDeadline)) },
        ],
      };
    case 'extension_approved':
      return {
        paragraph: `你单位申请将整改期限延至${chineseDate(str(d.requestedDeadline))}。经审查，同意延期，整改期限由${chineseDate(str(d.previousDeadline))}延至${chineseDate(str(d.newDeadline))}。`,
        fields: [
          { label: '延期天数', value: `${str(d.days)}日（本轮累计${str(d.totalDays)}日）` },
          { label: '新的整改期限', value: chineseDate(str(d.newDeadline)) },
        ],
      };
    default:
      return {
        paragraph: `你单位申请将整改期限延至${chineseDate(str(d.requestedDeadline))}。经审查，不同意延期，请按原定期限完成整改。`,
        fields: [{ label: '不予延期理由', value: str(d.reason) }],
      };
  }
}

export function hazardInstrumentDocument(kind: string, i: HazardInstrumentFacts, h: HazardFacts, people: Record<string, string>): PrintedDocument {
  const o = outcome(i.event);
  return {
    title: hazardInstrumentTitle(kind),
    number: i.code,
    addressee: h.enterpriseName,
    body: [
      { kind: 'paragraph', text: o.paragraph },
      { kind: 'fields', fields: [...hazardFields(h), ...o.fields] },
      {
        kind: 'fields',
        fields: [
          { label: '期限计算', value: deadlineRuleText(h.deadlineRule) },
          { label: '法律依据', value: h.legalBasis || '—' },
          { label: i.event.type.startsWith('review') ? '复查人' : '审批人', value: `${personName(people, i.event.actor)}，${chineseDateTimeOf(i.event.occurredAt)}` },
        ],
      },
    ],
    agency: i.agency,
    dateText: chineseDateOf(i.issuedAt),
    copiesTo: null,
    printedBy: i.agency,
    madeAt: i.issuedAt,
    subject: `hazard ${h.id} ${i.code}`,
  };
}

export interface SuspensionFacts {
  id: string;
  documentNumber: string;
  agency: string;
  enterpriseName: string;
  reason: string;
  scope: 'full' | 'partial';
  scopeNote: string;
  startsOn: string;
  plannedEnd: string;
  maxEnd: string;
  maxDays: number;
  createdBy: string;
  createdAt: number;
  hazardTitle: string | null;
}

export const SUSPENSION_ORDER_TITLE = '责令停产停业整顿决定书';

export function suspensionOrderDocument(s: SuspensionFacts, people: Record<string, string>): PrintedDocument {
  const scope = s.scope === 'full' ? '全部停产停业' : `部分停产停业（${s.scopeNote || '范围见附注'}）`;
  return {
    title: SUSPENSION_ORDER_TITLE,
    number: s.documentNumber,
    addressee: s.enterpriseName,
    body: [
      {
        kind: 'paragraph',
        text: `${s.hazardTitle ? `因你单位存在“${s.hazardTitle}”，` : ''}${s.reason}。现决定责令你单位自${chineseDate(s.startsOn)}起${scope}整顿，整顿期限至${chineseDate(s.plannedEnd)}。整顿完毕经我局复查合格后方可恢复生产经营。`,
      },
      {
        kind: 'fields',
        fields: [
          { label: '整顿范围', value: scope },
          { label: '整顿期限', value: `${chineseDate(s.startsOn)}至${chineseDate(s.plannedEnd)}` },
          { label: '最长期限', value: `${s.maxDays}日（至${chineseDate(s.maxEnd)}）` },
          { label: '决定人', value: `${personName(people, s.createdBy)}，${chineseDateTimeOf(s.createdAt)}` },
        ],
      },
    ],
    agency: s.agency,
    dateText: chineseDateOf(s.createdAt),
    copiesTo: null,
    printedBy: s.agency,
    madeAt: s.createdAt,
    subject: `suspension ${s.id}`,
  };
}

/** The events of a suspension's trail that decide on resumption, each its own page. */
export const RESUMPTION_EVENTS = ['resumption_approved', 'resumption_rejected', 'lifted'] as const;

export function isResumptionEvent(e: { type: string }): boolean {
  return (RESUMPTION_EVENTS as readonly string[]).includes(e.type);
}

/**
 * Which events of a suspension's trail are numbered by the bureau when recorded (the decision on a
 * resumption request); lifting carries the number of the leader's own decision, given with it.
 */
export const SUSPENSION_INSTRUMENT_OF_EVENT: Record<string, string> = {
  resumption_approved: 'resumption_opinion',
  resumption_rejected: 'resumption_opinion',
};

/**
 * A decision of a kind the bureau numbers, recorded before such decisions were numbered (before
 * migration 0039): it has no number and gets none afterwards. Numbers are served in sequence per
 * agency and year; one given now would be a number nobody was served on that day, and the
 * decision's entry in the chain (hashed) cannot take one. It is shown as issued before numbering.
 */
export function issuedBeforeNumbering(e: { type: string; data: Record<string, unknown> }): boolean {
  return e.type in SUSPENSION_INSTRUMENT_OF_EVENT && !str(e.data.documentNumber);
}

export const RESUMPTION_OPINION_TITLE = '恢复生产经营审查意见书';

export const suspensionInstrumentTitle = (kind: string): string => (kind === 'resumption_opinion' ? RESUMPTION_OPINION_TITLE : kind);

/**
 * The title and number a decision on resumption is printed under. Both numbers are kept in the
 * event's data; a decision on a request recorded before such decisions were numbered has none.
 */
export function resumptionDecisionHeading(e: { type: string; data: Record<string, unknown> }): { title: string; number: string | null } {
  return { title: e.type === 'lifted' ? '解除停产停业整顿决定书' : RESUMPTION_OPINION_TITLE, number: str(e.data.documentNumber) || null };
}

export function resumptionDecisionDocument(
  s: SuspensionFacts,
  e: { type: string; actor: string; occurredAt: number; data: Record<string, unknown> },
  people: Record<string, string>,
): PrintedDocument {
  const d = e.data;
  const approved = e.type === 'resumption_approved';
  const lifted = e.type === 'lifted';
  const text = lifted
    ? `我局于${chineseDateOf(s.createdAt)}以${s.documentNumber}责令你单位停产停业整顿。现决定解除该停产整顿决定。`
    : approved
      ? `你单位关于恢复生产经营的申请收悉。经复查，整顿已达到要求，同意你单位恢复生产经营。`
      : `你单位关于恢复生产经营的申请收悉。经复查，整顿尚未达到要求，不同意恢复生产经营，整顿期限延至${chineseDate(str(d.plannedEnd))}。`;
  const fields: Field[] = [
    { label: '原决定', value: s.documentNumber },
    ...(lifted ? [{ label: '解除理由', value: str(d.reason) }] : []),
    ...(approved && str(d.comment) ? [{ label: '复查意见', value: str(d.comment) }] : []),
    ...(e.type === 'resumption_rejected' ? [{ label: '不予复产理由', value: Array.isArray(d.reasons) ? d.reasons.map(str).join('；') : str(d.reasons) }] : []),
    { label: '决定人', value: `${personName(people, e.actor)}，${chineseDateTimeOf(e.occurredAt)}` },
  ];
  return {
    ...resumptionDecisionHeading(e),
    addressee: s.enterpriseName,
    body: [{ kind: 'paragraph', text }, { kind: 'fields', fields }],
    agency: s.agency,
    dateText: chineseDateOf(e.occurredAt),
    copiesTo: null,
    printedBy: s.agency,
    madeAt: e.occurredAt,
    subject: `suspension ${s.id} ${e.type}`,
  };
}
