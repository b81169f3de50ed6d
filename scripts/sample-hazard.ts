/**
 * A sample hazard for the workflow tests and the history benchmark: the registration of a tank
 * farm's failed gas alarm, and a major hazard's ladder to run it under.
 */
import type { HazardRegistration } from '../activities/hazard-records';
import type { HazardPolicy } from '../domain/policy';

export const SAMPLE_REGISTRATION: HazardRegistration = {
  title: '储罐区可燃气体报警器失效',
  description: '',
  category: '消防安全',
  source: 'inspection',
  location: '二号储罐区',
  legalBasis: '',
  requiredMeasures: '更换报警器并联动测试',
  createdBy: 'inspector-li',
};

/** Three reminders, the overdue mark and three escalations a round. */
export const SAMPLE_LADDER_POLICY: HazardPolicy = {
  reminderDaysBefore: [7, 3, 1],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor_chief' },
    { afterDays: 3, level: 2, recipientRole: 'responsible_leader' },
    { afterDays: 7, level: 3, recipientRole: 'county_leader' },
  ],
};
