/**
 * What a policy is, as plain types: the rules and the workflows read policies through these, free
 * of zod. domain/policy.ts validates input against schemas that must agree with them (checked at
 * compile time there).
 */
import type { AcceptanceParty, DecisionKind, InstrumentKind } from './instruments';

export const HAZARD_GRADES = ['general', 'major'] as const;
export type HazardGrade = (typeof HAZARD_GRADES)[number];

/**
 * Who receives an escalation step or takes a decision: a post (domain/posts.ts), or a role older
 * than posts that maps to one (supervisor_chief: the section chief), or a party of the item (the
 * supervisor in charge, the 包联 leader, the enterprise). Resolved to people when the step fires.
 */
export const RECIPIENT_ROLES = [
  'enterprise',
  'supervisor',
  'supervisor_chief',
  'responsible_leader',
  'county_leader',
  'city_leader',
  'grid_worker',
  'inspector',
  'section_chief',
  'bureau_director',
] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

/** How offsets after a deadline (escalations, review, signing) are counted. */
export const DAY_UNITS = ['working', 'calendar'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

export interface EscalationStep {
  afterDays: number;
  level: number;
  recipientRole: RecipientRole;
}

/** How far the enterprise may push a round's deadline (延期). */
export interface ExtensionPolicy {
  maxCount: number;
  maxTotalDays: number;
  minLeadDays: number;
}

/** The rule a deadline is computed by when the person ordering gives none: N days from the order. */
export interface DeadlineRule {
  days: number;
  unit: DayUnit;
  legalBasis: string;
}

export interface ReviewPolicy {
  withinDays: number;
  escalateTo: RecipientRole;
}

export interface NoticePolicy {
  signWithinDays: number;
  signEscalateTo: RecipientRole;
  ladder: Array<{ afterDays: number; instrument: InstrumentKind; recipientRole: RecipientRole }>;
  /** `orHigher`: a holder of a higher post of the same line may take it too (absent: the named post only). */
  decisions: Array<{ afterDays: number; kind: DecisionKind; deciderRole: RecipientRole; orHigher?: boolean }>;
}

export interface MajorPolicy {
  acceptanceParties: AcceptanceParty[];
  suspensionMaxDays: number;
}

/** Sections added after the first version are optional: a hazard keeps the version it started with. */
export interface HazardPolicy {
  reminderDaysBefore: number[];
  escalation: EscalationStep[];
  extension?: ExtensionPolicy;
  dayUnit?: DayUnit;
  deadline?: DeadlineRule;
  review?: ReviewPolicy;
  notice?: NoticePolicy;
  major?: MajorPolicy;
  repeatWindowMonths?: number;
}
