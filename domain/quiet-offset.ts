/**
 * Steps that tell no one (the overdue mark at 00:00) need not fire at the same instant for every
 * case: at a city's scale thousands of deadlines end at the same midnight. Each case's step is
 * moved by an offset of its own, under five minutes, derived from its workflow id, so it is the
 * same on every replay and every run. Steps that reach people keep their office hour.
 */

/** The longest a quiet step is moved: five minutes. */
export const QUIET_SPREAD_MS = 5 * 60_000;

/** The case's own offset for quiet steps, in whole seconds under QUIET_SPREAD_MS (FNV-1a of the id). */
export function quietOffsetMs(workflowId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < workflowId.length; i++) {
    hash ^= workflowId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % (QUIET_SPREAD_MS / 1000)) * 1000;
}
