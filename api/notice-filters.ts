/**
 * The notice filters that are the bureau's own: the ladder's level and instrument, and the
 * decisions pending. An enterprise is refused them, on the list and on the ledger export alike:
 * which of its notices match would tell it what its answers leave out.
 */
import type { Principal } from '../auth/principal';
import { problems } from './problem';

const INTERNAL_FILTERS = ['ladderLevel', 'instrument', 'pendingDecision', 'decider'] as const;

/** A 400 naming each internal filter an enterprise sent; nothing for the bureau's people. */
export function refuseInternalNoticeFilters(principal: Principal, q: Partial<Record<(typeof INTERNAL_FILTERS)[number], unknown>>): void {
  if (principal.role !== 'enterprise') return;
  const sent = INTERNAL_FILTERS.filter((k) => q[k] !== undefined);
  if (sent.length) throw problems.invalid(sent.map((k) => ({ field: `query.${k}`, message: 'not a filter of an enterprise’s notices' })));
}
