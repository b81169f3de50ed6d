/** The words of a notice's escalations, as the people receiving them read them (Chinese). */
import { DECISION_NAMES, INSTRUMENT_NAMES, type DecisionKind, type InstrumentKind } from './instruments';
import type { IsoDate } from './shanghai-time';

export function signEscalationText(code: string, title: string, signDue: IsoDate): string {
  return `【签收逾期】督办通知 ${code}“${title}”应于 ${signDue} 前签收，至今未签收，请督促签收。`;
}

export function instrumentText(kind: InstrumentKind, code: string, noticeCode: string, title: string, deadline: IsoDate, afterDays: number): string {
  return `【${INSTRUMENT_NAMES[kind].zh} ${code}】督办通知 ${noticeCode}“${title}”整改期限 ${deadline} 已逾期 ${afterDays} 天，请督促整改落实。`;
}

export function decisionText(kind: DecisionKind, noticeCode: string, title: string, deadline: IsoDate, afterDays: number): string {
  return `【待决定·${DECISION_NAMES[kind].zh}】督办通知 ${noticeCode}“${title}”整改期限 ${deadline} 已逾期 ${afterDays} 天，请作出是否${DECISION_NAMES[kind].zh}的决定。`;
}
