/** The state a reopened hazard's new run starts from is built by the rules, from the record at closure. */
import { describe, expect, it } from 'vitest';
import { closedHazardState } from '../../domain/hazard-reopening';
import { reopen } from '../../domain/hazard-lifecycle';
import { DEFAULT_POLICIES } from '../../domain/policy';

const record = {
  hazardId: 'h1', enterpriseId: 'e1', grade: 'general' as const, policy: DEFAULT_POLICIES.general, round: 2, deadline: '2026-03-10', closedAt: 1_000, seq: 17,
  policyId: 4, calendar: [], assignment: { supervisor: 'li', enterpriseContact: null, delegate: null }, listingLevel: null, plan: null, reopenings: 1,
  notices: [{ noticeId: 'n1', workflowId: 'notice-n1' }],
};

describe('closedHazardState', () => {
  it('carries what the hazard was, outranks the read model, and starts a fresh round clock', () => {
    const state = closedHazardState(record, 5_000);
    expect(state).toMatchObject({ status: 'closed', round: 2, seq: 17, policyId: 4, roundStartedAt: 5_000, fired: [], acceptances: [], reopenings: 1, notices: record.notices });
    expect(state.extension).toEqual({ originalDeadline: '2026-03-10', requests: 0, pending: null, granted: [] });
    const reopened = reopen(state, { reason: '复现', newDeadline: '2026-04-01', by: 'leader' }, 6_000);
    expect(reopened).toMatchObject({ status: 'rectifying', round: 3, deadline: '2026-04-01', reopenings: 2, seq: 18 });
  });
});
