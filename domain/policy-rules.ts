/**
 * How the rules read a policy: the meaning of a section an older policy version lacks. Free of
 * zod and of other rule modules, so workflow code and every domain module can import it.
 */
import type { DayUnit, ExtensionPolicy, HazardPolicy, MajorPolicy } from './policy-types';

/** The longest offset a policy may name, and the furthest ahead a deadline may be set: a year. */
export const MAX_OFFSET_DAYS = 366;

/** Policies saved before day units existed counted calendar days; they keep doing so. */
export function dayUnitOf(policy: Pick<HazardPolicy, 'dayUnit'>): DayUnit {
  return policy.dayUnit ?? 'calendar';
}

export const DEFAULT_REPEAT_WINDOW_MONTHS = 12;
export const MAX_REPEAT_WINDOW_MONTHS = 60;

export function repeatWindowOf(policy: Pick<HazardPolicy, 'repeatWindowMonths'>): number {
  return policy.repeatWindowMonths ?? DEFAULT_REPEAT_WINDOW_MONTHS;
}

/** All three parties accept a major hazard; a suspension lasts at most about six months. */
export const DEFAULT_MAJOR_POLICY: MajorPolicy = { acceptanceParties: ['enterprise', 'expert', 'government'], suspensionMaxDays: 183 };

/** The limits of a policy that states none (every policy saved before extensions existed). */
export const DEFAULT_EXTENSION_POLICY: ExtensionPolicy = { maxCount: 2, maxTotalDays: 30, minLeadDays: 1 };

/** The extension limits a hazard runs on: its policy's, or the defaults where the policy predates them. */
export function extensionPolicyOf(policy: Pick<HazardPolicy, 'extension'>): ExtensionPolicy {
  return policy.extension ?? DEFAULT_EXTENSION_POLICY;
}
