/** The ledgers of notices (督办通知), suspensions (停产整顿) and inspections (执法检查): columns and filter lines. */
import type { InspectionLedgerRow, NoticeLedgerRow, PeopleNames, SuspensionLedgerRow } from '../../db/ledger-reads';
import { DECISION_NAMES, INSTRUMENT_NAMES } from '../../domain/instruments';
import { isOpen } from '../../domain/suspension';
import type { InspectionExportQuery, NoticeExportQuery, SuspensionExportQuery } from '../schemas/ledger';
import type { FilterNames } from './filter-names';
import { personName } from './hazard-ledger';
import { labelOf } from './labels';
import type { Bilingual, CellKind, LedgerColumn } from './sheet';

function col<R>(zh: string, en: string, kind: CellKind, value: LedgerColumn<R>['value']): LedgerColumn<R> {
  return { title: { zh, en }, kind, value };
}

export const NOTICE_LEDGER_TITLE: Bilingual = { zh: '督办通知台账', en: 'Supervision notice ledger' };
export const SUSPENSION_LEDGER_TITLE: Bilingual = { zh: '停产整顿台账', en: 'Suspension ledger' };
export const INSPECTION_LEDGER_TITLE: Bilingual = { zh: '执法检查台账', en: 'Inspection ledger' };

/** `forEnterprise`: as an enterprise's list shows it, without the number of an instrument addressed to an official. */
export function noticeColumns(people: PeopleNames, now: number, forEnterprise: boolean): LedgerColumn<NoticeLedgerRow>[] {
  const c = col<NoticeLedgerRow>;
  return [
    c('文号', 'Number', 'text', (r) => r.notice.code),
    c('标题', 'Title', 'text', (r) => r.notice.title),
    c('发文机关', 'Agency', 'text', (r) => r.notice.agency),
    c('督办对象', 'Addressee', 'text', (r) => r.enterprise ?? r.notice.addressee),
    c('等级', 'Grade', 'text', (r, l) => labelOf('grade', r.notice.grade, l)),
    c('状态', 'Status', 'text', (r, l) => labelOf('noticeStatus', r.notice.status, l)),
    c('整改期限', 'Deadline', 'date', (r) => r.notice.deadline),
    c('是否逾期', 'Overdue', 'text', (r, l) => labelOf('yesNo', r.notice.status !== 'closed' && now >= r.notice.dueAt.getTime(), l)),
    c('签收期限', 'Sign by', 'datetime', (r) => r.notice.signDueAt),
    c('签收时间', 'Signed at', 'datetime', (r) => r.notice.signedAt),
    c('签收人', 'Signed by', 'text', (r, l) => personName(people, r.notice.signedBy, l)),
    c('督办级别', 'Ladder level', 'number', (r) => r.notice.ladderLevel),
    c('最新文书', 'Latest instrument', 'text', (r) => (forEnterprise ? null : r.notice.lastInstrumentCode)),
    c('未销号隐患', 'Open hazards', 'number', (r) => r.notice.openHazards),
    c('下发人', 'Issued by', 'text', (r, l) => personName(people, r.notice.issuedBy, l)),
    c('下发时间', 'Issued at', 'datetime', (r) => r.notice.issuedAt),
    c('办结时间', 'Closed at', 'datetime', (r) => r.notice.closedAt),
    c('督办要求', 'Requirements', 'text', (r) => r.notice.requirements),
    c('依据', 'Legal basis', 'text', (r) => r.notice.legalBasis),
    c('通知编号', 'Notice id', 'text', (r) => r.notice.id),
  ];
}
export const noticeMentions = (r: NoticeLedgerRow) => ({ usernames: [r.notice.signedBy, r.notice.issuedBy] });

export function suspensionColumns(people: PeopleNames): LedgerColumn<SuspensionLedgerRow>[] {
  const c = col<SuspensionLedgerRow>;
  return [
    c('决定文号', 'Document number', 'text', (r) => r.suspension.documentNumber),
    c('企业', 'Enterprise', 'text', (r) => r.enterprise),
    c('统一社会信用代码', 'Unified social credit code', 'text', (r) => r.creditCode),
    c('范围', 'Scope', 'text', (r, l) => labelOf('suspensionScope', r.suspension.scope, l)),
    c('范围说明', 'Scope note', 'text', (r) => r.suspension.scopeNote),
    c('原因', 'Reason', 'text', (r) => r.suspension.reason),
    c('状态', 'Status', 'text', (r, l) => labelOf('suspensionStatus', r.suspension.status, l)),
    c('开始日期', 'Starts on', 'date', (r) => r.suspension.startsOn),
    c('计划结束', 'Planned end', 'date', (r) => r.suspension.plannedEnd),
    c('最长期限', 'Maximum end', 'date', (r) => r.suspension.maxEnd),
    c('复查逾期', 'Review overdue', 'text', (r, l) => labelOf('yesNo', r.suspension.reviewOverdueSince !== null && isOpen(r.suspension), l)),
    c('申请复产时间', 'Resumption requested at', 'datetime', (r) => r.suspension.resumptionRequestedAt),
    c('复产时间', 'Resumed at', 'datetime', (r) => r.suspension.resumedAt),
    c('解除时间', 'Lifted at', 'datetime', (r) => r.suspension.liftedAt),
    c('决定人', 'Ordered by', 'text', (r, l) => personName(people, r.suspension.createdBy, l)),
    c('决定时间', 'Ordered at', 'datetime', (r) => r.suspension.createdAt),
    c('停产整顿编号', 'Suspension id', 'text', (r) => r.suspension.id),
  ];
}
export const suspensionMentions = (r: SuspensionLedgerRow) => ({ usernames: [r.suspension.createdBy] });

export function inspectionColumns(people: PeopleNames): LedgerColumn<InspectionLedgerRow>[] {
  const c = col<InspectionLedgerRow>;
  return [
    c('企业', 'Enterprise', 'text', (r) => r.enterprise),
    c('统一社会信用代码', 'Unified social credit code', 'text', (r) => r.creditCode),
    c('检查地点', 'Location', 'text', (r) => r.inspection.location),
    c('开始时间', 'Started at', 'datetime', (r) => r.inspection.startedAt),
    c('结束时间', 'Ended at', 'datetime', (r) => r.inspection.endedAt),
    c('检查人员', 'Inspectors', 'text', (r, l) => r.inspection.inspectors.map((id) => people.ofId(id)).join(l === 'zh' ? '、' : ', ')),
    c('检查项', 'Items checked', 'number', (r) => r.inspection.findingsCount),
    c('不合格项', 'Items failed', 'number', (r) => r.inspection.failedCount),
    c('已立隐患', 'Hazards registered', 'number', (r) => r.inspection.hazardsCount),
    c('记录人', 'Recorded by', 'text', (r, l) => personName(people, r.inspection.createdBy, l)),
    c('记录时间', 'Recorded at', 'datetime', (r) => r.inspection.createdAt),
    c('检查编号', 'Inspection id', 'text', (r) => r.inspection.id),
  ];
}
export const inspectionMentions = (r: InspectionLedgerRow) => ({ usernames: [r.inspection.createdBy], ids: r.inspection.inspectors });

const t = (zh: string, en: string): Bilingual => ({ zh, en });

export async function noticeFilterLines(q: NoticeExportQuery, names: FilterNames): Promise<Array<[string, string]>> {
  const l = q.lang;
  const lines: Array<[Bilingual, string | undefined | Promise<string>]> = [
    [t('状态', 'Status'), q.status && labelOf('noticeStatus', q.status, l)],
    [t('逾期', 'Overdue'), q.overdue === undefined ? undefined : labelOf('yesNo', q.overdue, l)],
    [t('督办对象', 'Enterprise'), q.enterpriseId && names.enterprise(q.enterpriseId)],
    [t('区域', 'Region'), q.region && names.region(q.region)],
    [t('未办结', 'Open'), q.open === undefined ? undefined : labelOf('yesNo', q.open, l)],
    [t('逾期未签收', 'Unsigned past the time'), q.signOverdue === undefined ? undefined : labelOf('yesNo', q.signOverdue, l)],
    [t('督办级别', 'Ladder level'), q.ladderLevel === undefined ? undefined : String(q.ladderLevel)],
    [t('最新文书', 'Latest instrument'), q.instrument && ((INSTRUMENT_NAMES as Record<string, Bilingual>)[q.instrument]?.[l] ?? q.instrument)],
    [t('待决定', 'Decision pending'), q.pendingDecision && ((DECISION_NAMES as Record<string, Bilingual>)[q.pendingDecision]?.[l] ?? q.pendingDecision)],
    [t('决定人', 'Decider'), q.decider && labelOf('role', q.decider, l)],
  ];
  return resolved(lines, l);
}

export async function suspensionFilterLines(q: SuspensionExportQuery, names: FilterNames): Promise<Array<[string, string]>> {
  return resolved(
    [
      [t('状态', 'Status'), q.status && labelOf('suspensionStatus', q.status, q.lang)],
      [t('企业', 'Enterprise'), q.enterpriseId && names.enterprise(q.enterpriseId)],
    ],
    q.lang,
  );
}

export async function inspectionFilterLines(q: InspectionExportQuery, names: FilterNames): Promise<Array<[string, string]>> {
  return resolved(
    [
      [t('企业', 'Enterprise'), q.enterpriseId && names.enterprise(q.enterpriseId)],
      [t('有未立隐患的不合格项', 'Failed items not yet hazards'), q.pendingFindings === undefined ? undefined : labelOf('yesNo', q.pendingFindings, q.lang)],
    ],
    q.lang,
  );
}

async function resolved(lines: Array<[Bilingual, string | undefined | Promise<string>]>, lang: 'zh' | 'en'): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const [title, value] of lines) if (value !== undefined && value !== '') out.push([title[lang], await value]);
  return out;
}
