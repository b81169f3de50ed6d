/** What the validation report says for each problem a row can have, in Chinese and English. */
import type { Bilingual, Lang } from '../ledger/sheet';
import { headerOf, type StockProblem, type StockProblemCode } from '../../domain/stock-import';

export const STOCK_PROBLEM_TEXT: Record<StockProblemCode, Bilingual> = {
  required: { zh: '必填', en: 'required' },
  'too-long': { zh: '内容过长', en: 'too long' },
  'bad-credit-code': { zh: '统一社会信用代码有误', en: 'not a valid unified social credit code' },
  'unknown-enterprise': { zh: '找不到该企业', en: 'no such enterprise' },
  'enterprise-ambiguous': { zh: '同名企业不止一家，请填写统一社会信用代码', en: 'several enterprises have this name: give the credit code' },
  'enterprise-out-of-reach': { zh: '企业不在您的辖区内', en: 'the enterprise is outside your jurisdiction' },
  'bad-date': { zh: '日期无法识别（应为 2026-03-05 这样的日期）', en: 'not a date (write it as 2026-03-05)' },
  'found-in-future': { zh: '发现日期晚于今天', en: 'found after today' },
  'deadline-before-found': { zh: '整改期限早于发现日期', en: 'deadline before the day it was found' },
  'deadline-too-far': { zh: '未销号隐患的整改期限不能晚于今天起 {detail} 天', en: 'an open hazard’s deadline must be within {detail} days of today' },
  'unknown-grade': { zh: '隐患等级只能是“一般”或“重大”', en: 'grade must be 一般 (general) or 重大 (major)' },
  'unknown-status': { zh: '状态只能是“未销号”或“已销号”', en: 'status must be 未销号 (open) or 已销号 (closed)' },
  'unknown-category': { zh: '隐患类别不在目录中', en: 'unknown category' },
  'unknown-listing-level': { zh: '挂牌督办级别只能是省级、市级、县级或乡镇级', en: 'listing level must be province, city, county or township' },
  'listing-level-required': { zh: '重大隐患须填写挂牌督办级别', en: 'a major hazard needs its listing level' },
  'listing-level-general': { zh: '一般隐患不挂牌督办', en: 'a general hazard is not listed' },
  'closed-without-date': { zh: '已销号须填写销号日期', en: 'closed without a closing date' },
  'closed-before-found': { zh: '销号日期早于发现日期', en: 'closed before it was found' },
  'closed-in-future': { zh: '销号日期晚于今天', en: 'closed after today' },
  'closing-date-on-open': { zh: '未销号的隐患不应有销号日期', en: 'an open hazard has no closing date' },
  'unknown-supervisor': { zh: '找不到该监管人员（或不负责该企业所在区域）', en: 'no such supervisor over the enterprise’s region' },
  'supervisor-ambiguous': { zh: '同名监管人员不止一位，请填写登录名', en: 'several supervisors have this name: give the login name' },
  'duplicate-in-file': { zh: '与本文件第 {detail} 行重复', en: 'repeats row {detail} of this file' },
  'already-imported': { zh: '已导入过，不再重复导入', en: 'already imported: not imported again' },
  'duplicate-existing': { zh: '系统中已有同一隐患（同一企业、名称、发现日期）', en: 'the same hazard is already on record (enterprise, title, found date)' },
};

export function problemLine(p: StockProblem, lang: Lang): string {
  const text = STOCK_PROBLEM_TEXT[p.code][lang].replace('{detail}', p.detail ?? '');
  return `${headerOf(p.column)}：${text}`;
}
