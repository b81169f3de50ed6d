/**
 * Whom an escalation is addressed to. The ladders name recipient roles (policy-types
 * RECIPIENT_ROLES); a person answers to one by the post they hold (domain/posts.ts) or by their
 * relation to the item:
 *
 *   a post's name, or a role that maps to it (supervisor_chief → section_chief; county_leader,
 *                       city_leader): a holder of that post whose jurisdiction holds the item (a
 *                       section chief not in charge of the item themself)
 *   responsible_leader  the enterprise's 包联 leader (enterprises.responsible_leader_id), at any level
 *   supervisor          the supervisor in charge of the item, or the delegate; when nobody is named
 *                       in charge (notices, unassigned hazards), every supervisor within reach
 *   enterprise          the enterprise's own people: not an escalation to look after
 *
 * and every escalation listed lies within the person's reach. The database query applies the same
 * clauses (db/escalations.ts); this module is the rule and its tests.
 */
import { RECIPIENT_ROLES, type RecipientRole } from './policy-types';
import { postOf, type Post } from './posts';

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
  /** The post the person holds (null: none yet: they answer only by their relation to items). */
  post: Post | null;
}

/** One way an escalation can be addressed to the person. */
export type RecipientClause =
  /** Recipient roles naming the post held; `notInCharge`: not when the person is in charge of the item. */
  | { role: 'post'; post: Post; recipientRoles: string[]; notInCharge: string | null }
  | { role: 'responsible_leader'; leaderId: string }
  | { role: 'supervisor'; username: string };

/** The recipient roles a policy may name that mean the post. */
export function rolesNaming(post: Post): RecipientRole[] {
  return RECIPIENT_ROLES.filter((r) => postOf(r) === post);
}

/** The recipient roles a person answers to, with what ties each to an item. */
export function recipientClauses(a: Addressee): RecipientClause[] {
  const clauses: RecipientClause[] = [];
  if (a.role === 'leader') clauses.push({ role: 'responsible_leader', leaderId: a.userId });
  if (a.role === 'supervisor') clauses.push({ role: 'supervisor', username: a.username });
  if (a.post && (a.role === 'leader' || a.role === 'supervisor')) {
    // A chief is told of what the people in charge let slip, not of what they themself hold.
    clauses.push({ role: 'post', post: a.post, recipientRoles: rolesNaming(a.post), notInCharge: a.role === 'supervisor' ? a.username : null });
  }
  return clauses;
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
  switch (c.role) {
    case 'post':
      return c.recipientRoles.includes(e.recipientRole) && (c.notInCharge === null || !e.inCharge.includes(c.notInCharge));
    case 'responsible_leader':
      return e.recipientRole === c.role && e.responsibleLeaderId === c.leaderId;
    case 'supervisor':
      return e.recipientRole === c.role && (e.inCharge.length === 0 || e.inCharge.includes(c.username));
  }
}

/** Whether the escalation is addressed to the person: within their reach, and a recipient role they hold for the item. */
export function addressedTo(a: Addressee, e: EscalationFacts): boolean {
  return e.regionPath.startsWith(a.regionPath) && recipientClauses(a).some((c) => matches(c, e));
}
