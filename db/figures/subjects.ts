/**
 * Whom a figure answer is about (a region node, or an enterprise for its own people) and the
 * list queries that open each figure onto the records it counts.
 */
import type { At } from './statements';

export interface Node {
  id: string;
  name: string;
  level: string;
  path: string;
}

/** One enterprise, when its own people ask for its figures. */
export interface EnterpriseRef {
  id: string;
  name: string;
  regionPath: string;
}

/**
 * Whose figures an answer gives: a region node's (leaders, supervisors, admins within reach) or
 * an enterprise's own (its people). Breakdowns, rankings and notices are a jurisdiction's only.
 */
export type Subject = { node: Node } | { enterprise: EnterpriseRef };

export function atOf(s: Subject): At {
  return 'node' in s ? { nodePath: s.node.path } : { enterpriseId: s.enterprise.id };
}

/** The hazard-list filter every figure of the subject starts from. */
export function listBase(s: Subject): Record<string, string> {
  return 'node' in s ? { region: s.node.id } : { enterpriseId: s.enterprise.id };
}

/** What an answer says it is about. */
export function about(s: Subject): { region: Node } | { enterprise: EnterpriseRef } {
  return 'node' in s ? { region: s.node } : { enterprise: s.enterprise };
}

/** The list of hazards behind a figure, as the query string of `GET /api/hazards`. */
export function listQuery(filters: Record<string, string | boolean | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}
