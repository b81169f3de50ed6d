/**
 * Whom an escalation is addressed to. The ladders name recipient roles (policy-types
 * RECIPIENT_ROLES); a person holds such a role by their own role, the level of their jurisdiction,
 * and their relation to the item:
 *
 *   city_leader         a leader whose jurisdiction is the city (the root of the region tree)
 *   county_leader       a leader whose jurisdiction is a county
 *   responsible_leader  the enterprise's 包联 leader (enterprises.responsible_leader_id), at any level
 *   supervisor          the supervisor in charge of the item, or the delegate; when nobody is named
 *                       in charge (notices, unassigned hazards), every supervisor within reach
 *   supervisor_chief    a supervisor whose jurisdiction lies above the item's own region node and
 *                       who is not in charge of it (posts are not in the directory yet: the chief
 *                       is taken to be any supervisor over the item's region)
 *   enterprise          the enterprise's own people: not an escalation to look after
 *
 * and every escalation listed lies within the person's reach. The database query applies the same
 * clauses (db/escalations.ts); this module is the rule and its tests.
 */
import type { RecipientRole } from './policy-types';

export const REGION_LEVEL_NAMES = ['city', 'county', 'township', 'grid'] as const;
export type RegionLevelName = (typeof REGION_LEVEL_NAMES)[number];

/** The level of a region from its path `/city/county/…/` (null: deeper than the tree goes). */
export function regionLevelOf(path: string): RegionLevelName | null {
  return REGION_LEVEL_NAMES[path.split('/').filter(Boolean).length - 1] ?? null;
}

export interface Addressee {
  userId: string;
  username: string;
  role: 'supervisor' | 'enterprise' | 'leader' | 'admin';
  /** The person's jurisdiction. */
  regionPath: string;
}

/** One way an escalation can be addressed to the person. */
export type RecipientClause =
  | { role: 'city_leader' | 'county_leader' }
  | { role: 'responsible_leader'; leaderId: string }
  | { role: 'supervisor'; username: string }
  | { role: 'supervisor_chief'; username: string; ownPath: string };

/** The recipient roles a person answers to, with what ties each to an item. */
export function recipientClauses(a: Addressee): RecipientClause[] {
  if (a.role === 'leader') {
    const level = regionLevelOf(a.regionPath);
    const clauses: RecipientClause[] = [];
    if (level === 'city') clauses.push({ role: 'city_leader' });
    if (level === 'county') clauses.push({ role: 'county_leader' });
    clauses.push({ role: 'responsible_leader', leaderId: a.userId });
    return clauses;
  }
  if (a.role === 'supervisor') {
    return [
      { role: 'supervisor', username: a.username },
      { role: 'supervisor_chief', username: a.username, ownPath: a.regionPath },
    ];
  }
  return [];
}

/** What the rule needs of one escalation and its item. */
export interface EscalationFacts {
  recipientRole: RecipientRole | string;
  /** The item's jurisdiction (its enterprise's region, or the addressed body's). */
  regionPath: string;
  /** The enterprise's 包联 leader (null: none, or a notice to a government body). */
  responsibleLeaderId: string | null;
  /** User names in charge of the item (supervisor and delegate); empty: nobody named. */
  inCharge: readonly string[];
}

function matches(c: RecipientClause, e: EscalationFacts): boolean {
  if (e.recipientRole !== c.role) return false;
  switch (c.role) {
    case 'city_leader':
    case 'county_leader':
      return true;
    case 'responsible_leader':
      return e.responsibleLeaderId === c.leaderId;
    case 'supervisor':
      return e.inCharge.length === 0 || e.inCharge.includes(c.username);
    case 'supervisor_chief':
      return e.regionPath !== c.ownPath && !e.inCharge.includes(c.username);
  }
}

/** Whether the escalation is addressed to the person: within their reach, and a recipient role they hold for the item. */
export function addressedTo(a: Addressee, e: EscalationFacts): boolean {
  return e.regionPath.startsWith(a.regionPath) && recipientClauses(a).some((c) => matches(c, e));
}
