/** The bureau's starting policies: plain data, free of zod (workflow code reads them). */
import { DEFAULT_EXTENSION_POLICY, DEFAULT_MAJOR_POLICY, DEFAULT_REPEAT_WINDOW_MONTHS } from './policy-rules';
import type { HazardGrade, HazardPolicy, NoticePolicy } from './policy-types';

/**
 * The bureau's starting policies. A major hazard is urged earlier and climbs faster and higher.
 */
const SAFETY_LAW = '《中华人民共和国安全生产法》第六十五条';

export const DEFAULT_NOTICE_POLICIES: Record<HazardGrade, NoticePolicy> = {
  general: {
    signWithinDays: 2,
    signEscalateTo: 'supervisor_chief',
    ladder: [
      { afterDays: 1, instrument: 'reminder_card', recipientRole: 'enterprise' },
      { afterDays: 3, instrument: 'list', recipientRole: 'supervisor_chief' },
      { afterDays: 7, instrument: 'supervision_letter', recipientRole: 'responsible_leader' },
      { afterDays: 15, instrument: 'directive', recipientRole: 'county_leader' },
    ],
    decisions: [
      { afterDays: 20, kind: 'warning_interview', deciderRole: 'county_leader' },
      { afterDays: 30, kind: 'penalty', deciderRole: 'supervisor_chief' },
    ],
  },
  major: {
    signWithinDays: 1,
    signEscalateTo: 'supervisor_chief',
    ladder: [
      { afterDays: 1, instrument: 'reminder_card', recipientRole: 'supervisor_chief' },
      { afterDays: 2, instrument: 'list', recipientRole: 'responsible_leader' },
      { afterDays: 5, instrument: 'supervision_letter', recipientRole: 'county_leader' },
      { afterDays: 10, instrument: 'directive', recipientRole: 'city_leader' },
    ],
    decisions: [
      { afterDays: 12, kind: 'warning_interview', deciderRole: 'county_leader' },
      { afterDays: 15, kind: 'penalty', deciderRole: 'supervisor_chief' },
      { afterDays: 20, kind: 'suspension', deciderRole: 'county_leader' },
      { afterDays: 40, kind: 'judicial_transfer', deciderRole: 'city_leader' },
    ],
  },
};


export const DEFAULT_POLICIES: Record<HazardGrade, HazardPolicy> = {
  general: {
    reminderDaysBefore: [3, 1],
    escalation: [
      { afterDays: 1, level: 1, recipientRole: 'supervisor' },
      { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
      { afterDays: 7, level: 3, recipientRole: 'responsible_leader' },
      { afterDays: 15, level: 4, recipientRole: 'county_leader' },
    ],
    extension: { ...DEFAULT_EXTENSION_POLICY },
    dayUnit: 'working',
    deadline: { days: 10, unit: 'working', legalBasis: SAFETY_LAW },
    review: { withinDays: 10, escalateTo: 'supervisor_chief' },
    notice: DEFAULT_NOTICE_POLICIES.general,
    repeatWindowMonths: DEFAULT_REPEAT_WINDOW_MONTHS,
  },
  major: {
    reminderDaysBefore: [7, 3, 1],
    escalation: [
      { afterDays: 1, level: 1, recipientRole: 'supervisor_chief' },
      { afterDays: 3, level: 2, recipientRole: 'responsible_leader' },
      { afterDays: 7, level: 3, recipientRole: 'county_leader' },
      { afterDays: 15, level: 4, recipientRole: 'city_leader' },
    ],
    extension: { ...DEFAULT_EXTENSION_POLICY },
    dayUnit: 'working',
    deadline: { days: 30, unit: 'working', legalBasis: SAFETY_LAW },
    review: { withinDays: 10, escalateTo: 'supervisor_chief' },
    notice: DEFAULT_NOTICE_POLICIES.major,
    major: DEFAULT_MAJOR_POLICY,
    repeatWindowMonths: DEFAULT_REPEAT_WINDOW_MONTHS,
  },
};
