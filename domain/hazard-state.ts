/**
 * A hazard's state and the commands it takes, as plain types in one place. Every rule module
 * (lifecycle, extension, calendar, assignment, major hazards) imports them from here, and this
 * module imports nothing of theirs: no rule module depends on another through its types.
 */
import type { AcceptanceParty } from './instruments';
import type { DayUnit, HazardGrade, HazardPolicy } from './policy-types';
import type { IsoDate } from './shanghai-time';
import type { CountedDate, YearCalendar } from './work-calendar';

export const HAZARD_STATUSES = ['rectifying', 'under_review', 'closed', 'void'] as const;

export type HazardStatus = (typeof HAZARD_STATUSES)[number];

export interface Submission {
  evidence: string[];
  note: string;
  by: string;
  at: number;
}

export interface HazardState {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  policy: HazardPolicy;
  status: HazardStatus;
  /** Rectification round: 1 at first; each rejection starts the next. */
  round: number;
  deadline: IsoDate;
  roundStartedAt: number;
  /** Steps of the current round already fired, by key. */
  fired: string[];
  overdueSince: number | null;
  escalationLevel: number;
  submission: Submission | null;
  closedAt: number | null;
  /** Extensions: the pending request, and those granted (domain/extension.ts). */
  extension: ExtensionState;
  /** Rises with every change; the read model keeps only the newest change it has seen. */
  seq: number;
  // Fields below came later; a state carried over from older code may lack them.
  /** The published calendar years the hazard counts working days on. */
  calendar?: YearCalendar[];
  /** How the current round's deadline was counted, when it was not given as a date. */
  deadlineRule?: DeadlineBasis | null;
  /** When the submitted rectification must be reviewed by (policy.review), and since when that is late. */
  reviewDue?: CountedDate | null;
  reviewOverdueSince?: number | null;
  voided?: VoidRecord | null;
  assignment?: Assignment;
  listingLevel?: ListingLevel | null;
  plan?: PlanRecord | null;
  acceptances?: Acceptance[];
  /** Times the hazard was reopened after closure. */
  reopenings?: number;
  /** The stored policy version moved to by an explicit change (absent: the one registered with). */
  policyId?: number | null;
  /** The supervision notices the hazard belongs to (workflows/notice-link.ts). */
  notices?: Array<{ noticeId: string; workflowId: string }>;
  /** When a leader last urged it (催办), and how often (domain/urge.ts). */
  lastUrgedAt?: number | null;
  urges?: number;
}

export interface NewHazard {
  hazardId: string;
  enterpriseId: string;
  grade: HazardGrade;
  policy: HazardPolicy;
  deadline: IsoDate;
  deadlineRule?: DeadlineBasis | null;
  listingLevel?: ListingLevel | null;
  assignment?: Assignment;
  /** The calendar years published when the order was made (the workflow fetches them when absent). */
  calendar?: YearCalendar[];
}

export const VOID_KINDS = ['misreport', 'exempt'] as const;

export type VoidKind = (typeof VOID_KINDS)[number];

export interface VoidRecord {
  kind: VoidKind;
  reason: string;
  by: string;
  at: number;
}

export interface VoidCommand {
  kind: VoidKind;
  reason: string;
  by: string;
}

/** Moving a running hazard to another stored version of its policy: explicit, with a reason. */
export interface PolicyChangeCommand {
  policyId: number;
  version: number;
  policy: HazardPolicy;
  reason: string;
  by: string;
}

export interface ReopenCommand {
  reason: string;
  newDeadline: IsoDate;
  by: string;
}

export interface SubmitCommand {
  /** Ids of the uploaded evidence files that make up the submitted set. */
  evidence: string[];
  note?: string;
  by: string;
  /** SHA-256 over the frozen set's manifest (ids, hashes, sizes, types). */
  manifestHash?: string;
}

export type ReviewCommand =
  | { decision: 'accept'; comment?: string; by: string }
  | { decision: 'reject'; reasons: string[]; newDeadline: IsoDate; by: string };

/** How a counted deadline came about: N days (in a unit) from an order date, under a legal basis. */
export interface DeadlineBasis {
  from: IsoDate;
  days: number;
  unit: DayUnit;
  legalBasis: string;
}

/** A request awaiting a supervisor's decision. */
export interface ExtensionRequest {
  /** Numbered from 1 within the round; names the request's records (`round-R/extension-request-N/…`). */
  number: number;
  requestedDeadline: IsoDate;
  reason: string;
  by: string;
  at: number;
}

/** An extension granted, kept for the hazard's whole life. */
export interface GrantedExtension {
  round: number;
  /** 1 for the round's first granted extension, 2 for its second…: the segment `ext-N`. */
  number: number;
  /** The number of the request it answered. */
  request: number;
  /** The deadline before and after. */
  from: IsoDate;
  to: IsoDate;
  requestedDeadline: IsoDate;
  reason: string;
  requestedBy: string;
  approvedBy: string;
  at: number;
}

export interface ExtensionState {
  /** The deadline the current round was ordered with, before any extension. */
  originalDeadline: IsoDate;
  /** Requests made in the current round, whatever became of them. */
  requests: number;
  pending: ExtensionRequest | null;
  /** Every extension granted, all rounds, oldest first. */
  granted: GrantedExtension[];
}

export interface ExtensionRequestCommand {
  requestedDeadline: IsoDate;
  reason: string;
  by: string;
}

export type ExtensionDecisionCommand =
  | { decision: 'approve'; /** Earlier than requested, if the supervisor grants less. */ newDeadline?: IsoDate; by: string }
  | { decision: 'deny'; reason: string; by: string };

export const ASSIGNMENT_ROLES = ['supervisor', 'enterprise_contact'] as const;

export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

export interface Assignment {
  /** User names. */
  supervisor: string | null;
  enterpriseContact: string | null;
  delegate: string | null;
}

export type AssignmentCommand =
  | { kind: 'reassign'; role: AssignmentRole; to: string; reason: string; by: string }
  | { kind: 'delegate'; to: string | null; reason: string; by: string };

export const LISTING_LEVELS = ['province', 'city', 'county', 'township'] as const;

export type ListingLevel = (typeof LISTING_LEVELS)[number];

/** 五落实: measures, funds, deadline, responsible person, contingency plan. */
export interface FivePointPlan {
  measures: string;
  /** Yuan set aside for the rectification. */
  funds: number;
  deadline: IsoDate;
  responsiblePerson: string;
  contingencyPlan: string;
}

export interface PlanRecord extends FivePointPlan {
  /** 1 for the first plan filed, 2 for its first revision… */
  version: number;
  by: string;
  at: number;
}

export interface Acceptance {
  round: number;
  party: AcceptanceParty;
  passed: boolean;
  opinion: string;
  /** The person for the party: the enterprise's checker, the expert's name. */
  signatory: string;
  by: string;
  at: number;
}

export interface PlanCommand extends FivePointPlan {
  by: string;
}

export interface AcceptanceCommand {
  party: Exclude<AcceptanceParty, 'government'>;
  passed: boolean;
  opinion: string;
  signatory: string;
  by: string;
}
