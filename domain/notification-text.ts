/** The words of reminders and escalations, as the people receiving them read them (Chinese). */
import type { IsoDate } from './shanghai-time';

const LEVEL_NAMES = ['', '一级', '二级', '三级', '四级', '五级'];

export function reminderText(title: string, deadline: IsoDate, daysBefore: number): string {
  return `【整改提醒】隐患“${title}”的整改期限为 ${deadline}，距期限还有 ${daysBefore} 天，请按期完成整改并提交复查申请。`;
}

export function escalationText(title: string, deadline: IsoDate, afterDays: number, level: number): string {
  const levelName = LEVEL_NAMES[level] ?? `${level}级`;
  return `【逾期督办·${levelName}】隐患“${title}”整改期限 ${deadline} 已逾期 ${afterDays} 天，请督促整改落实。`;
}

export function reviewOverdueText(title: string, submittedOn: IsoDate, reviewDue: IsoDate): string {
  return `【复查逾期】隐患“${title}”已于 ${submittedOn} 申请复查，复查期限 ${reviewDue} 已过，请督促复查人员及时复查。`;
}
