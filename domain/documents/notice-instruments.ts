/**
 * The pages of a notice's instruments: the order itself (责令限期整改指令书), each ladder
 * instrument (提示卡, 督办清单, 督办函, 督办指令) and each decision taken on it (约谈, 行政处罚,
 * 停产整顿, 移送司法). Built from the notice's record only, so the same record prints the same page.
 */
import { DECISION_NAMES, type DecisionKind } from '../instruments';
import { chineseDate, chineseDateOf, chineseDateTimeOf, deadlineRuleText, personName, type Block, type PrintedDocument } from './page';

export interface NoticeFacts {
  id: string;
  code: string;
  agency: string;
  title: string;
  requirements: string;
  legalBasis: string;
  deadline: string;
  deadlineRule: { days: number; unit: string; from?: string } | null;
  deadlineProvisional: boolean;
  grade: 'general' | 'major';
  /** The enterprise's name, or the government body addressed instead. */
  addressee: string;
  issuedAt: number;
  issuedBy: string;
  signDueAt: number | null;
  signedAt: number | null;
  signedBy: string | null;
  hazards: Array<{ title: string; category: string; location: string; deadline: string }>;
}

/** Printed titles: the ladder's 清单 and 指令 take their full names on paper. */
export const PRINTED_INSTRUMENT_TITLES: Record<string, string> = {
  rectification_order: '责令限期整改指令书',
  reminder_card: '督办提示卡',
  list: '督办清单',
  supervision_letter: '督办函',
  directive: '督办指令',
};

export const printedInstrumentTitle = (kind: string): string => PRINTED_INSTRUMENT_TITLES[kind] ?? kind;

/** Whom a ladder step addresses, as the page names them (主送). */
export const RECIPIENT_TITLES: Record<string, string> = {
  enterprise: '',
  supervisor: '承办监管人员',
  supervisor_chief: '监管科室负责人',
  responsible_leader: '企业包联领导',
  county_leader: '区县人民政府分管负责同志',
  city_leader: '市人民政府分管负责同志',
  grid_worker: '网格员',
  inspector: '执法人员',
  section_chief: '科室负责人',
  bureau_director: '局主要负责同志',
};

const GRADE_NAMES = { general: '一般隐患', major: '重大事故隐患' } as const;

function hazardTable(n: NoticeFacts): Block {
  return {
    kind: 'table',
    columns: ['序号', '隐患', '类别', '位置', '整改期限'],
    widths: [0.08, 0.36, 0.16, 0.16, 0.24],
    rows: n.hazards.map((h, i) => [String(i + 1), h.title, h.category, h.location || '—', chineseDate(h.deadline)]),
  };
}

function deadlineFields(n: NoticeFacts) {
  return [
    { label: '整改期限', value: `${chineseDate(n.deadline)}${n.deadlineProvisional ? '（期限待定：所涉年度工作日历尚未发布）' : ''}` },
    { label: '期限计算', value: deadlineRuleText(n.deadlineRule) },
    { label: '法律依据', value: n.legalBasis || '—' },
  ];
}

function signingRecord(n: NoticeFacts, people: Record<string, string>): string {
  if (n.signedAt !== null && n.signedBy) return `${personName(people, n.signedBy)}于${chineseDateTimeOf(n.signedAt)}签收`;
  return n.signDueAt !== null ? `尚未签收（应于${chineseDateOf(n.signDueAt)}前签收）` : '尚未签收';
}

export function rectificationOrderDocument(n: NoticeFacts, people: Record<string, string>): PrintedDocument {
  return {
    title: PRINTED_INSTRUMENT_TITLES.rectification_order!,
    number: n.code,
    addressee: n.addressee,
    body: [
      {
        kind: 'paragraph',
        text: `经检查，你单位存在下列${GRADE_NAMES[n.grade]}（${n.title}）。依据${n.legalBasis || '有关法律法规'}，现责令你单位于${chineseDate(n.deadline)}前整改完毕，并将整改情况及证明材料报送我局复查。`,
      },
      hazardTable(n),
      { kind: 'heading', text: '整改要求' },
      { kind: 'paragraph', text: n.requirements || '—' },
      { kind: 'fields', fields: deadlineFields(n) },
      {
        kind: 'fields',
        fields: [
          { label: '签发', value: `${personName(people, n.issuedBy)}，${chineseDateTimeOf(n.issuedAt)}` },
          { label: '签收记录', value: signingRecord(n, people) },
        ],
      },
      { kind: 'paragraph', text: '逾期未整改或整改不合格的，将依法逐级督办，直至依法实施行政处罚、责令停产停业整顿。' },
    ],
    agency: n.agency,
    dateText: chineseDateOf(n.issuedAt),
    copiesTo: null,
    printedBy: n.agency,
    madeAt: n.issuedAt,
    subject: `notice ${n.id} ${n.code}`,
  };
}

export interface LadderFacts {
  kind: string;
  code: string;
  issuedAt: number;
  recipientRole: string;
  /** Working days overdue when the step fired (from the trail), if recorded. */
  afterDays: number | null;
}

export function ladderInstrumentDocument(i: LadderFacts, n: NoticeFacts, people: Record<string, string>): PrintedDocument {
  const toEnterprise = i.recipientRole === 'enterprise';
  const overdue = i.afterDays !== null ? `已逾期${i.afterDays}个工作日` : '已逾期';
  return {
    title: printedInstrumentTitle(i.kind),
    number: i.code,
    addressee: toEnterprise ? n.addressee : (RECIPIENT_TITLES[i.recipientRole] ?? i.recipientRole),
    body: [
      {
        kind: 'paragraph',
        text: `我局于${chineseDateOf(n.issuedAt)}以${n.code}责令${n.addressee}限期整改“${n.title}”，整改期限为${chineseDate(n.deadline)}，截至${chineseDateOf(i.issuedAt)}${overdue}，尚未整改完毕。`,
      },
      hazardTable(n),
      {
        kind: 'paragraph',
        text: toEnterprise ? '请你单位立即落实整改措施，尽快整改完毕并申请复查。' : '请按照职责督促整改落实，并将督办情况反馈我局。',
      },
      { kind: 'fields', fields: [...deadlineFields(n), { label: '签收记录', value: signingRecord(n, people) }] },
    ],
    agency: n.agency,
    dateText: chineseDateOf(i.issuedAt),
    copiesTo: toEnterprise ? null : n.addressee,
    printedBy: n.agency,
    madeAt: i.issuedAt,
    subject: `notice ${n.id} ${i.code}`,
  };
}

export interface DecisionFacts {
  id: string;
  kind: string;
  documentNumber: string | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: number;
}

const DECISION_TITLES: Record<string, string> = {
  warning_interview: '约谈通知书',
  penalty: '行政处罚决定书',
  suspension: '责令停产停业整顿决定书',
  judicial_transfer: '涉嫌犯罪案件移送书',
};

const decisionName = (kind: string) => DECISION_NAMES[kind as DecisionKind]?.zh ?? kind;

/** The title a decision taken on a notice is printed under, and so named wherever it is listed. */
export function noticeDecisionTitle(kind: string): string {
  return DECISION_TITLES[kind] ?? `${decisionName(kind)}决定`;
}

export function noticeDecisionDocument(d: DecisionFacts, n: NoticeFacts, people: Record<string, string>): PrintedDocument {
  const name = decisionName(d.kind);
  return {
    title: noticeDecisionTitle(d.kind),
    number: d.documentNumber,
    addressee: n.addressee,
    body: [
      {
        kind: 'paragraph',
        text: `我局于${chineseDateOf(n.issuedAt)}以${n.code}责令你单位限期整改“${n.title}”，整改期限为${chineseDate(n.deadline)}，你单位逾期未整改完毕。经研究，决定${name}。`,
      },
      { kind: 'heading', text: '理由' },
      { kind: 'paragraph', text: d.reason || '—' },
      hazardTable(n),
      {
        kind: 'fields',
        fields: [
          { label: '法律依据', value: n.legalBasis || '—' },
          { label: '决定人', value: `${personName(people, d.decidedBy)}，${chineseDateTimeOf(d.decidedAt)}` },
        ],
      },
    ],
    agency: n.agency,
    dateText: chineseDateOf(d.decidedAt),
    copiesTo: null,
    printedBy: n.agency,
    madeAt: d.decidedAt,
    subject: `notice ${n.id} decision ${d.id}`,
  };
}
