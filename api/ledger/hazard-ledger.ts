/** The hazard ledger (隐患台账): its columns and how its filters read in the header rows. */
import { isOverdue } from '../../domain/hazard-lifecycle';
import { bucketByKey } from '../../domain/figures/ageing';
import type { HazardLedgerRow, PeopleNames } from '../../db/ledger-reads';
import type { HazardExportQuery } from '../schemas/hazard';
import type { FilterNames } from './filter-names';
import { labelOf, NOT_RECORDED, type LabelGroup } from './labels';
import type { Bilingual, Lang, LedgerColumn } from './sheet';

export const HAZARD_LEDGER_TITLE: Bilingual = { zh: '隐患台账', en: 'Hazard ledger' };

const SYSTEM: Bilingual = { zh: '系统', en: 'system' };
/** A person as the ledger shows them: by display name; the workflow's own steps as "system". */
export function personName(people: PeopleNames, username: string | null | undefined, lang: Lang): string {
  return username === 'system' ? SYSTEM[lang] : people.ofUsername(username);
}

export function hazardColumns(people: PeopleNames, now: number): LedgerColumn<HazardLedgerRow>[] {
  const col = (zh: string, en: string, kind: LedgerColumn<HazardLedgerRow>['kind'], value: LedgerColumn<HazardLedgerRow>['value']): LedgerColumn<HazardLedgerRow> => ({ title: { zh, en }, kind, value });
  return [
    col('隐患名称', 'Hazard', 'text', (r) => r.hazard.title),
    col('企业', 'Enterprise', 'text', (r) => r.enterprise),
    col('统一社会信用代码', 'Unified social credit code', 'text', (r) => r.creditCode),
    col('所属区域', 'Region', 'text', (r) => r.region),
    col('行业', 'Industry', 'text', (r) => r.industry),
    col('类别', 'Category', 'text', (r) => r.hazard.category),
    col('来源', 'Source', 'text', (r, l) => labelOf('source', r.hazard.source, l)),
    col('等级', 'Grade', 'text', (r, l) => labelOf('grade', r.hazard.grade, l)),
    col('挂牌督办', 'Listed', 'text', (r, l) => labelOf('listingLevel', r.hazard.listingLevel, l)),
    col('状态', 'Status', 'text', (r, l) => labelOf('hazardStatus', r.hazard.status, l)),
    col('整改轮次', 'Round', 'number', (r) => r.hazard.round),
    col('发现时间', 'Found at', 'datetime', (r) => r.hazard.createdAt),
    col('整改期限', 'Deadline', 'date', (r) => r.hazard.deadline),
    col('是否逾期', 'Overdue', 'text', (r, l) => labelOf('yesNo', isOverdue(r.hazard, now), l)),
    col('逾期起始', 'Overdue since', 'datetime', (r) => r.hazard.overdueSince),
    col('督办级别', 'Escalation level', 'number', (r) => r.hazard.escalationLevel),
    col('延期次数', 'Extensions granted', 'number', (r) => r.hazard.extensionsGranted),
    col('提交复查时间', 'Submitted at', 'datetime', (r) => r.hazard.submittedAt),
    col('销号时间', 'Closed at', 'datetime', (r) => r.hazard.closedAt),
    col('负责监管人员', 'Supervisor in charge', 'text', (r, l) => personName(people, r.hazard.assignedSupervisor, l)),
    col('登记人', 'Registered by', 'text', (r, l) => personName(people, r.hazard.createdBy, l)),
    col('隐患地点', 'Location', 'text', (r) => r.hazard.location),
    col('隐患描述', 'Description', 'text', (r) => r.hazard.description),
    col('整改要求', 'Required measures', 'text', (r) => r.hazard.requiredMeasures),
    col('依据', 'Legal basis', 'text', (r) => r.hazard.legalBasis),
    col('隐患编号', 'Hazard id', 'text', (r) => r.hazard.id),
  ];
}

export const hazardMentions = (r: HazardLedgerRow) => ({ usernames: [r.hazard.assignedSupervisor, r.hazard.createdBy] });

const FILTER_TITLES: Record<keyof Omit<HazardExportQuery, 'lang'>, Bilingual> = {
  status: { zh: '状态', en: 'Status' },
  overdue: { zh: '逾期', en: 'Overdue' },
  enterpriseId: { zh: '企业', en: 'Enterprise' },
  grade: { zh: '等级', en: 'Grade' },
  extensionPending: { zh: '延期待批', en: 'Extension pending' },
  repeat: { zh: '重复隐患', en: 'Repeat' },
  region: { zh: '区域', en: 'Region' },
  open: { zh: '未销号', en: 'Open' },
  industry: { zh: '行业', en: 'Industry' },
  leader: { zh: '包联领导', en: 'Responsible leader' },
  supervisor: { zh: '负责监管人员', en: 'Supervisor in charge' },
  age: { zh: '逾期工作日', en: 'Working days overdue' },
  listingLevel: { zh: '挂牌级别', en: 'Listing level' },
  listed: { zh: '挂牌督办', en: 'Listed' },
  foundFrom: { zh: '发现日期起', en: 'Found from' },
  foundTo: { zh: '发现日期止', en: 'Found to' },
  closedFrom: { zh: '销号日期起', en: 'Closed from' },
  closedTo: { zh: '销号日期止', en: 'Closed to' },
  campaign: { zh: '专项行动', en: 'Campaign' },
  cohort: { zh: '批次', en: 'Cohort' },
};

const LABELLED: Partial<Record<keyof typeof FILTER_TITLES, LabelGroup>> = {
  status: 'hazardStatus',
  overdue: 'yesNo',
  grade: 'grade',
  extensionPending: 'yesNo',
  repeat: 'yesNo',
  open: 'yesNo',
  listingLevel: 'listingLevel',
  listed: 'yesNo',
  cohort: 'cohort',
};

/** The filters asked for, in the list's order, as label and value in the caller's language. */
export async function hazardFilterLines(q: HazardExportQuery, names: FilterNames): Promise<Array<[string, string]>> {
  const { lang } = q;
  const lines: Array<[string, string]> = [];
  for (const key of Object.keys(FILTER_TITLES) as (keyof typeof FILTER_TITLES)[]) {
    const value = q[key];
    if (value === undefined) continue;
    const group = LABELLED[key];
    let text: string;
    if (group) text = labelOf(group, value as string | boolean, lang);
    else if (value === 'none') text = NOT_RECORDED[lang];
    else if (key === 'enterpriseId') text = await names.enterprise(value as string);
    else if (key === 'region') text = await names.region(value as string);
    else if (key === 'leader') text = await names.leader(value as string);
    else if (key === 'supervisor') text = await names.person(value as string);
    else if (key === 'campaign') text = await names.campaign(value as string);
    else if (key === 'age') {
      const b = bucketByKey(value as string)!;
      text = b.max === null ? (lang === 'zh' ? `${b.min}天以上` : `${b.min}+ days`) : lang === 'zh' ? `${b.min}–${b.max}天` : `${b.min}–${b.max} days`;
    } else text = String(value);
    lines.push([FILTER_TITLES[key][lang], text]);
  }
  return lines;
}
