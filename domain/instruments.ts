/**
 * The escalation instruments of a supervision notice (卡单函令) and the enforcement decisions
 * beyond them. Instruments are issued by the workflow, numbered; decisions are taken by people
 * (the workflow only opens them and records what was decided).
 */

/** In rising weight: 提示卡 → 清单 → 督办函 → 指令. */
export const INSTRUMENT_KINDS = ['reminder_card', 'list', 'supervision_letter', 'directive'] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

/** The notice itself is issued as an order instrument (责令限期整改指令书). */
export const NOTICE_INSTRUMENT = 'rectification_order' as const;

export const INSTRUMENT_NAMES: Record<InstrumentKind | typeof NOTICE_INSTRUMENT, { zh: string; en: string }> = {
  rectification_order: { zh: '责令限期整改指令书', en: 'rectification order' },
  reminder_card: { zh: '提示卡', en: 'reminder card' },
  list: { zh: '清单', en: 'list' },
  supervision_letter: { zh: '督办函', en: 'supervision letter' },
  directive: { zh: '指令', en: 'directive order' },
};

/** Decisions by people: 约谈, 行政处罚, 停产整顿, 移送司法. */
export const DECISION_KINDS = ['warning_interview', 'penalty', 'suspension', 'judicial_transfer'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_NAMES: Record<DecisionKind, { zh: string; en: string }> = {
  warning_interview: { zh: '约谈', en: 'warning interview' },
  penalty: { zh: '行政处罚', en: 'administrative penalty' },
  suspension: { zh: '停产整顿', en: 'suspension for rectification' },
  judicial_transfer: { zh: '移送司法', en: 'transfer to the judiciary' },
};

/** The parties whose acceptance a major hazard needs before closure (多方验收). */
export const ACCEPTANCE_PARTIES = ['enterprise', 'expert', 'government'] as const;
export type AcceptanceParty = (typeof ACCEPTANCE_PARTIES)[number];
