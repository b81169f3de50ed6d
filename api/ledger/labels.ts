/** The words of the ledgers: values as people read them (statuses, grades, …), in Chinese and English. */
import type { Bilingual, Lang } from './sheet';

const b = (zh: string, en: string): Bilingual => ({ zh, en });

export const VALUE_LABELS = {
  hazardStatus: { rectifying: b('整改中', 'Rectifying'), under_review: b('待复查', 'Under review'), closed: b('已销号', 'Closed'), void: b('已作废', 'Void') },
  grade: { general: b('一般', 'General'), major: b('重大', 'Major') },
  source: { inspection: b('执法检查', 'Inspection'), grid_patrol: b('网格巡查', 'Grid patrol'), self_report: b('企业自查', 'Self-report'), public_report: b('群众举报', 'Public report') },
  listingLevel: { province: b('省级挂牌', 'Listed by the province'), city: b('市级挂牌', 'Listed by the city'), county: b('县级挂牌', 'Listed by the county'), township: b('乡镇级挂牌', 'Listed by the township') },
  noticeStatus: { issued: b('已下达', 'Issued'), signed: b('已签收', 'Signed'), closed: b('已办结', 'Closed') },
  suspensionStatus: { suspended: b('停产整顿中', 'Suspended'), resumption_requested: b('复产待审', 'Resumption requested'), resumed: b('已复产', 'Resumed'), lifted: b('已解除', 'Lifted') },
  suspensionScope: { full: b('全部停产', 'Full'), partial: b('部分停产', 'Partial') },
  cohort: { stock: b('存量', 'Stock'), new: b('新增', 'New') },
  regionLevel: { city: b('市', 'City'), county: b('区县', 'County'), township: b('乡镇', 'Township'), grid: b('网格', 'Grid') },
  role: {
    enterprise: b('企业负责人', 'Enterprise'),
    supervisor: b('监管人员', 'Supervisor'),
    supervisor_chief: b('监管负责人', "Supervisor's chief"),
    responsible_leader: b('包联领导', 'Responsible leader'),
    county_leader: b('县级领导', 'County leader'),
    city_leader: b('市级领导', 'City leader'),
  },
  yesNo: { true: b('是', 'Yes'), false: b('否', 'No') },
} satisfies Record<string, Record<string, Bilingual>>;

export type LabelGroup = keyof typeof VALUE_LABELS;

/** A value's label, or the value itself when it has none (a new status reads as its key rather than vanishing). */
export function labelOf(group: LabelGroup, value: string | boolean | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '';
  const labels = VALUE_LABELS[group] as Record<string, Bilingual>;
  return labels[String(value)]?.[lang] ?? String(value);
}

export const NOT_RECORDED = b('未记录', 'not recorded');
