/**
 * Posts (职务) people hold in their region, with a rank order, and the rules that name them:
 * whom a ladder step or a pending decision reaches (the holders of the named post nearest up the
 * region tree from the item), and who may take a decision (a holder of the post over the item's
 * region, or of a higher rank in the same line where the policy allows it).
 *
 * Two lines of rank: the government's (grid worker → … → city leader) and the enterprise's
 * (safety officer → principal). A rank compares only within its line.
 */
import type { RecipientRole } from './policy-types';

export const POSTS = ['grid_worker', 'inspector', 'section_chief', 'bureau_director', 'county_leader', 'city_leader', 'safety_officer', 'enterprise_principal'] as const;
export type Post = (typeof POSTS)[number];

export type PostLine = 'government' | 'enterprise';

/** Each post's line, rank within it (higher outranks lower) and the user role that may hold it. */
export const POST_RANKS: Record<Post, { line: PostLine; rank: number; role: 'supervisor' | 'leader' | 'enterprise' }> = {
  grid_worker: { line: 'government', rank: 1, role: 'supervisor' },
  inspector: { line: 'government', rank: 2, role: 'supervisor' },
  section_chief: { line: 'government', rank: 3, role: 'supervisor' },
  bureau_director: { line: 'government', rank: 4, role: 'supervisor' },
  county_leader: { line: 'government', rank: 5, role: 'leader' },
  city_leader: { line: 'government', rank: 6, role: 'leader' },
  safety_officer: { line: 'enterprise', rank: 1, role: 'enterprise' },
  enterprise_principal: { line: 'enterprise', rank: 2, role: 'enterprise' },
};

export const POST_NAMES: Record<Post, { zh: string; en: string }> = {
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  inspector: { zh: '执法检查员', en: 'Inspector' },
  section_chief: { zh: '科长', en: 'Section chief' },
  bureau_director: { zh: '局长', en: 'Bureau director' },
  county_leader: { zh: '县级领导', en: 'County leader' },
  city_leader: { zh: '市级领导', en: 'City leader' },
  safety_officer: { zh: '安全管理员', en: 'Safety officer' },
  enterprise_principal: { zh: '主要负责人', en: 'Enterprise principal' },
};

/** The posts a person of each role may hold, in rank order (what the posts page offers). */
export const POSTS_BY_ROLE: Readonly<Record<'supervisor' | 'leader' | 'enterprise', readonly Post[]>> = {
  supervisor: POSTS.filter((p) => POST_RANKS[p].role === 'supervisor'),
  leader: POSTS.filter((p) => POST_RANKS[p].role === 'leader'),
  enterprise: POSTS.filter((p) => POST_RANKS[p].role === 'enterprise'),
};

export const isPost = (v: string): v is Post => (POSTS as readonly string[]).includes(v);

/** Whether a user of `role` may hold `post` (a supervisor cannot be made a city leader). */
export function postFitsRole(post: Post, role: string): boolean {
  return POST_RANKS[post].role === role;
}

/**
 * The level of region the leaders' posts are held at: a ladder step or a decision the policy gives
 * the city leader goes to, and may be taken by, the city's leader only, not someone a county made
 * one. The other posts are held at any level.
 */
const POST_LEVELS: Partial<Record<Post, string>> = { city_leader: 'city', county_leader: 'county' };

/** Whether a person placed at a region of `level` may hold `post` (a county's leader is not made the city leader). */
export function postFitsLevel(post: Post, level: string): boolean {
  const at = POST_LEVELS[post];
  return at === undefined || at === level;
}

/**
 * How a recipient role named by a policy reaches people. Roles older than posts map to the post
 * that has always meant them; the relational ones (the supervisor in charge, the 包联 leader, the
 * enterprise) name people through the item, not a post.
 */
export type Addressing =
  | { by: 'post'; post: Post }
  | { by: 'in_charge'; fallback: Post }
  | { by: 'responsible_leader' }
  | { by: 'enterprise' };

export function addressingOf(role: RecipientRole | string): Addressing | null {
  switch (role) {
    case 'supervisor_chief':
      return { by: 'post', post: 'section_chief' };
    case 'supervisor':
      // Nobody named in charge (a notice, an unassigned hazard): the inspectors over the item.
      return { by: 'in_charge', fallback: 'inspector' };
    case 'responsible_leader':
      return { by: 'responsible_leader' };
    case 'enterprise':
      return { by: 'enterprise' };
    default:
      return isPost(role) ? { by: 'post', post: role } : null;
  }
}

/** The post a policy's recipient role names, if it names one (the relational roles name none). */
export function postOf(role: RecipientRole | string): Post | null {
  const a = addressingOf(role);
  return a?.by === 'post' ? a.post : null;
}

export interface PostHolder {
  userId: string;
  post: Post;
  /** Where the post is held: `/city/county/…/`. */
  regionPath: string;
}

/**
 * The holders of `post` nearest up the region tree from `itemPath`: among those whose region
 * contains the item's, the deepest region wins, and everyone holding the post there is named.
 * Empty when nobody over the item holds it.
 */
export function nearestHolders(post: Post, itemPath: string, holders: readonly PostHolder[]): { regionPath: string; userIds: string[] } | null {
  let best: string | null = null;
  for (const h of holders) {
    if (h.post !== post || !itemPath.startsWith(h.regionPath)) continue;
    if (best === null || h.regionPath.length > best.length) best = h.regionPath;
  }
  if (best === null) return null;
  const userIds = [...new Set(holders.filter((h) => h.post === post && h.regionPath === best).map((h) => h.userId))].sort();
  return { regionPath: best, userIds };
}

/** What the rule needs of the item a step is about. */
export interface ItemParties {
  regionPath: string;
  /** People named in charge (supervisor, delegate) as user ids; empty: nobody named. */
  inCharge: readonly string[];
  responsibleLeaderId: string | null;
  /** The enterprise's active people (empty for an item addressed to a government body). */
  enterpriseUsers: readonly string[];
}

/** Whom a step reached, as recorded: the people, or why nobody. */
export interface Resolution {
  recipientRole: string;
  post: Post | null;
  /** Where the post was found (null: not found by post). */
  regionPath: string | null;
  userIds: string[];
  /** Nobody holds what the step names over the item: recorded, never a failure. */
  unresolved: boolean;
}

export function resolveRecipients(recipientRole: string, item: ItemParties, holders: readonly PostHolder[]): Resolution {
  const a = addressingOf(recipientRole);
  const done = (post: Post | null, regionPath: string | null, userIds: readonly string[]): Resolution => ({
    recipientRole,
    post,
    regionPath,
    userIds: [...new Set(userIds)].sort(),
    unresolved: userIds.length === 0,
  });
  if (!a) return done(null, null, []);
  switch (a.by) {
    case 'post': {
      const found = nearestHolders(a.post, item.regionPath, holders);
      return done(a.post, found?.regionPath ?? null, found?.userIds ?? []);
    }
    case 'in_charge': {
      if (item.inCharge.length) return done(null, null, item.inCharge);
      const found = nearestHolders(a.fallback, item.regionPath, holders);
      return done(a.fallback, found?.regionPath ?? null, found?.userIds ?? []);
    }
    case 'responsible_leader':
      return done(null, null, item.responsibleLeaderId ? [item.responsibleLeaderId] : []);
    case 'enterprise':
      return done(null, null, item.enterpriseUsers);
  }
}

/** The person asking to take a decision, as the directory knows them. */
export interface Decider {
  userId: string;
  post: Post | null;
  regionPath: string;
}

export type DecisionRefusal = { post: Post | null; reason: 'not_holder' | 'outside_region' | 'not_in_charge' };

/**
 * Whether the person may take a decision the policy gives to `deciderRole` on an item at
 * `itemPath`: they hold the named post over the item's region (their region contains it), or a
 * higher rank of the same line when `orHigher`. Relational deciders: the 包联 leader themself;
 * the supervisor in charge (anyone on the government line's supervisors' posts when nobody is).
 * Null: allowed; otherwise what was missing, naming the post.
 */
export function decisionRefusal(deciderRole: string, orHigher: boolean, who: Decider, item: Pick<ItemParties, 'regionPath' | 'inCharge' | 'responsibleLeaderId'>): DecisionRefusal | null {
  const a = addressingOf(deciderRole);
  if (!a) return { post: null, reason: 'not_holder' };
  if (a.by === 'responsible_leader') return who.userId === item.responsibleLeaderId ? null : { post: null, reason: 'not_in_charge' };
  if (a.by === 'enterprise') return { post: null, reason: 'not_holder' };
  if (a.by === 'in_charge' && item.inCharge.length) return item.inCharge.includes(who.userId) ? null : { post: null, reason: 'not_in_charge' };
  const post = a.by === 'post' ? a.post : a.fallback;
  if (!who.post) return { post, reason: 'not_holder' };
  const mine = POST_RANKS[who.post];
  const named = POST_RANKS[post];
  // Nobody named in charge: any supervisor's post over the item stands for the supervisor.
  const fits =
    who.post === post || (a.by === 'in_charge' ? mine.role === 'supervisor' : orHigher && mine.line === named.line && mine.rank > named.rank);
  if (!fits) return { post, reason: 'not_holder' };
  if (!item.regionPath.startsWith(who.regionPath)) return { post, reason: 'outside_region' };
  return null;
}
