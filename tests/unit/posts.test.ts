/**
 * Posts and their resolution: the holders of a named post nearest up the region tree from the
 * item, the parties a relational role names, nobody found recorded as unresolved, and who may take
 * a decision (the named post over the item's region, or a higher rank where the policy says so).
 */
import { describe, expect, it } from 'vitest';
import { addressingOf, decisionRefusal, nearestHolders, postFitsRole, resolveRecipients, type ItemParties, type PostHolder } from '../../domain/posts';
import { RECIPIENT_ROLES } from '../../domain/policy-types';

const CITY = '/c/';
const COUNTY_A = '/c/a/';
const TOWN_A = '/c/a/t/';
const GRID_A = '/c/a/t/g/';
const COUNTY_B = '/c/b/';

const holders: PostHolder[] = [
  { userId: 'chief-city', post: 'section_chief', regionPath: CITY },
  { userId: 'chief-a1', post: 'section_chief', regionPath: COUNTY_A },
  { userId: 'chief-a2', post: 'section_chief', regionPath: COUNTY_A },
  { userId: 'chief-b', post: 'section_chief', regionPath: COUNTY_B },
  { userId: 'county-a', post: 'county_leader', regionPath: COUNTY_A },
  { userId: 'mayor', post: 'city_leader', regionPath: CITY },
  { userId: 'inspector-t', post: 'inspector', regionPath: TOWN_A },
];
const item = (over: Partial<ItemParties> = {}): ItemParties => ({ regionPath: GRID_A, inCharge: [], responsibleLeaderId: 'resp', enterpriseUsers: ['e1', 'e2'], ...over });

describe('nearestHolders', () => {
  it('takes every holder at the deepest region that contains the item', () => {
    expect(nearestHolders('section_chief', GRID_A, holders)).toEqual({ regionPath: COUNTY_A, userIds: ['chief-a1', 'chief-a2'] });
    expect(nearestHolders('city_leader', GRID_A, holders)).toEqual({ regionPath: CITY, userIds: ['mayor'] });
  });

  it('walks up past a level without a holder, and never sideways', () => {
    const onlyCity = holders.filter((h) => h.userId !== 'chief-a1' && h.userId !== 'chief-a2');
    expect(nearestHolders('section_chief', GRID_A, onlyCity)).toEqual({ regionPath: CITY, userIds: ['chief-city'] });
    expect(nearestHolders('county_leader', '/c/b/x/', holders)).toBeNull();
  });

  it('does not mistake a region whose id starts like another for its parent', () => {
    expect(nearestHolders('section_chief', '/c/ab/', holders)).toEqual({ regionPath: CITY, userIds: ['chief-city'] });
  });
});

describe('resolveRecipients', () => {
  it('maps the roles older than posts onto posts', () => {
    expect(addressingOf('supervisor_chief')).toEqual({ by: 'post', post: 'section_chief' });
    expect(addressingOf('county_leader')).toEqual({ by: 'post', post: 'county_leader' });
    for (const role of RECIPIENT_ROLES) expect(addressingOf(role), role).not.toBeNull();
  });

  it('resolves a post to its nearest holders and records where', () => {
    expect(resolveRecipients('supervisor_chief', item(), holders)).toEqual({ recipientRole: 'supervisor_chief', post: 'section_chief', regionPath: COUNTY_A, userIds: ['chief-a1', 'chief-a2'], unresolved: false });
  });

  it('no holder: recorded as unresolved, not a failure', () => {
    expect(resolveRecipients('bureau_director', item(), holders)).toEqual({ recipientRole: 'bureau_director', post: 'bureau_director', regionPath: null, userIds: [], unresolved: true });
    expect(resolveRecipients('responsible_leader', item({ responsibleLeaderId: null }), holders).unresolved).toBe(true);
    expect(resolveRecipients('no_such_role', item(), holders).unresolved).toBe(true);
  });

  it('the parties: people in charge (else the inspectors over the item), the 包联 leader, the enterprise’s people', () => {
    expect(resolveRecipients('supervisor', item({ inCharge: ['s1', 's2'] }), holders).userIds).toEqual(['s1', 's2']);
    expect(resolveRecipients('supervisor', item(), holders)).toMatchObject({ post: 'inspector', userIds: ['inspector-t'] });
    expect(resolveRecipients('responsible_leader', item(), holders).userIds).toEqual(['resp']);
    expect(resolveRecipients('enterprise', item(), holders).userIds).toEqual(['e1', 'e2']);
  });
});

describe('decisionRefusal', () => {
  const at = GRID_A;
  const parties = { regionPath: at, inCharge: [] as string[], responsibleLeaderId: 'resp' };
  it('a holder of the named post over the item’s region takes it', () => {
    expect(decisionRefusal('supervisor_chief', false, { userId: 'x', post: 'section_chief', regionPath: COUNTY_A }, parties)).toBeNull();
  });

  it('refuses, naming the post, someone of another post, or of the post elsewhere', () => {
    expect(decisionRefusal('supervisor_chief', false, { userId: 'g', post: 'grid_worker', regionPath: GRID_A }, parties)).toEqual({ post: 'section_chief', reason: 'not_holder' });
    expect(decisionRefusal('supervisor_chief', false, { userId: 'n', post: null, regionPath: COUNTY_A }, parties)).toEqual({ post: 'section_chief', reason: 'not_holder' });
    expect(decisionRefusal('supervisor_chief', false, { userId: 'b', post: 'section_chief', regionPath: COUNTY_B }, parties)).toEqual({ post: 'section_chief', reason: 'outside_region' });
  });

  it('a higher rank of the same line only where the policy says so', () => {
    const mayor = { userId: 'm', post: 'city_leader' as const, regionPath: CITY };
    expect(decisionRefusal('county_leader', false, mayor, parties)).toEqual({ post: 'county_leader', reason: 'not_holder' });
    expect(decisionRefusal('county_leader', true, mayor, parties)).toBeNull();
    // Lower ranks never, and ranks do not cross lines.
    expect(decisionRefusal('county_leader', true, { userId: 'c', post: 'section_chief', regionPath: COUNTY_A }, parties)).toEqual({ post: 'county_leader', reason: 'not_holder' });
    expect(decisionRefusal('inspector', true, { userId: 'p', post: 'enterprise_principal', regionPath: GRID_A }, parties)).toEqual({ post: 'inspector', reason: 'not_holder' });
  });

  it('relational deciders: the 包联 leader themself; the supervisor in charge', () => {
    expect(decisionRefusal('responsible_leader', false, { userId: 'resp', post: null, regionPath: TOWN_A }, parties)).toBeNull();
    expect(decisionRefusal('responsible_leader', false, { userId: 'other', post: 'county_leader', regionPath: COUNTY_A }, parties)).toEqual({ post: null, reason: 'not_in_charge' });
    expect(decisionRefusal('supervisor', false, { userId: 's', post: null, regionPath: COUNTY_A }, { ...parties, inCharge: ['s'] })).toBeNull();
    expect(decisionRefusal('supervisor', false, { userId: 'g', post: 'grid_worker', regionPath: GRID_A }, parties)).toBeNull();
  });

  it('a post fits only its role', () => {
    expect(postFitsRole('section_chief', 'supervisor')).toBe(true);
    expect(postFitsRole('city_leader', 'supervisor')).toBe(false);
    expect(postFitsRole('safety_officer', 'enterprise')).toBe(true);
  });
});
