/** A hazard in pure domain states, for unit tests of the rules (no servers involved). */
import { fireStep, initialState, nextStep, type HazardState, type NewHazard } from '../../domain/hazard-lifecycle';
import type { HazardPolicy } from '../../domain/policy';

export const at = (s: string) => Date.parse(s);
export const iso = (t: number) => new Date(t).toISOString();

export const POLICY: HazardPolicy = {
  reminderDaysBefore: [3, 1],
  escalation: [
    { afterDays: 1, level: 1, recipientRole: 'supervisor' },
    { afterDays: 3, level: 2, recipientRole: 'supervisor_chief' },
  ],
};

/** Due at the end of 2026-03-10 in Shanghai (2026-03-10T16:00Z). */
export const HAZARD: NewHazard = { hazardId: 'hz-1', enterpriseId: 'ent-1', grade: 'general', policy: POLICY, deadline: '2026-03-10' };

/** Registered on 2026-03-01 at 10:00 Shanghai. */
export const REGISTERED = at('2026-03-01T02:00:00Z');

export const freshHazard = (policy: HazardPolicy = POLICY) => initialState({ ...HAZARD, policy }, REGISTERED);

/** Fires every pending step up to and including `until`. */
export function runUntil(state: HazardState, until: number): HazardState {
  let s = state;
  for (let step = nextStep(s); step && step.at <= until; step = nextStep(s)) s = fireStep(s, step);
  return s;
}
