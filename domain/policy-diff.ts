/**
 * What changed between two versions of a policy, field by field: each leaf whose value differs,
 * by its path in the policy (`escalation.2.afterDays`, `notice.decisions.0.deciderRole`). A step
 * added or removed from a list is one change of the whole step; a list of plain values
 * (reminder days, acceptance parties) is compared as a whole.
 */

export interface PolicyChange {
  path: string;
  /** Absent (undefined → null in JSON) when the field was added. */
  before: unknown;
  /** Absent when the field was removed. */
  after: unknown;
}

/**
 * Sections in the order people read a policy (stored JSON keeps no order of its own: Postgres
 * jsonb sorts keys by length); other keys follow alphabetically.
 */
const POLICY_ORDER = ['reminderDaysBefore', 'dayUnit', 'escalation', 'extension', 'deadline', 'review', 'notice', 'major', 'repeatWindowMonths'];
const rank = (key: string) => {
  const i = POLICY_ORDER.indexOf(key);
  return i === -1 ? POLICY_ORDER.length : i;
};
const byPolicyOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPlain = (v: unknown) => v === null || typeof v !== 'object';
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function walk(before: unknown, after: unknown, path: string[], out: PolicyChange[]): void {
  if (same(before, after)) return;
  const here = path.join('.');
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(path.length === 0 ? byPolicyOrder : undefined);
    for (const key of keys) walk(before[key], after[key], [...path, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && ![...before, ...after].every(isPlain)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length || i >= after.length) out.push({ path: [...path, String(i)].join('.'), before: before[i] ?? null, after: after[i] ?? null });
      else walk(before[i], after[i], [...path, String(i)], out);
    }
    return;
  }
  out.push({ path: here, before: before ?? null, after: after ?? null });
}

/** The changes from `before` to `after` (an empty list when they are the same). */
export function policyChanges(before: unknown, after: unknown): PolicyChange[] {
  const out: PolicyChange[] = [];
  walk(before, after, [], out);
  return out;
}
