/**
 * Whom an escalation is addressed to: a person's role, the level of their jurisdiction and their
 * relation to the item, matched against the recipient role the ladder names, within reach.
 */
import { describe, expect, it } from 'vitest';
import { addressedTo, recipientClauses, regionLevelOf, type Addressee, type EscalationFacts } from '../../domain/escalation-recipients';
import { RECIPIENT_ROLES } from '../../domain/policy-types';

const CITY = '/city/';
const COUNTY_A = '/city/ca/';
const TOWN_A = '/city/ca/ta/';
const GRID_A = '/city/ca/ta/ga/';
const COUNTY_B = '/city/cb/';

const person = (role: Addressee['role'], regionPath: string, username = `${role}@${regionPath}`, userId = `id-${username}`): Addressee => ({ role, regionPath, username, userId });
const item = (recipientRole: string, over: Partial<EscalationFacts> = {}): EscalationFacts => ({ recipientRole, regionPath: GRID_A, responsibleLeaderId: 'leader-resp', inCharge: ['grid-sup'], ...over });

describe('regionLevelOf', () => {
  it('reads the level from the depth of the path', () => {
    expect([CITY, COUNTY_A, TOWN_A, GRID_A].map(regionLevelOf)).toEqual(['city', 'county', 'township', 'grid']);
    expect(regionLevelOf('/a/b/c/d/e/')).toBeNull();
  });
});

describe('recipientClauses', () => {
  it('gives a city leader city_leader, a county leader county_leader, every leader responsible_leader', () => {
    expect(recipientClauses(person('leader', CITY, 'lc', 'u1'))).toEqual([{ role: 'city_leader' }, { role: 'responsible_leader', leaderId: 'u1' }]);
    expect(recipientClauses(person('leader', COUNTY_A, 'la', 'u2'))).toEqual([{ role: 'county_leader' }, { role: 'responsible_leader', leaderId: 'u2' }]);
    expect(recipientClauses(person('leader', TOWN_A, 'lt', 'u3'))).toEqual([{ role: 'responsible_leader', leaderId: 'u3' }]);
  });

  it('gives a supervisor supervisor and supervisor_chief; enterprises and admins nothing', () => {
    expect(recipientClauses(person('supervisor', COUNTY_A, 'sa'))).toEqual([
      { role: 'supervisor', username: 'sa' },
      { role: 'supervisor_chief', username: 'sa', ownPath: COUNTY_A },
    ]);
    expect(recipientClauses(person('enterprise', GRID_A))).toEqual([]);
    expect(recipientClauses(person('admin', CITY))).toEqual([]);
  });
});

describe('addressedTo', () => {
  const cityLeader = person('leader', CITY);
  const countyLeaderA = person('leader', COUNTY_A);
  const countyLeaderB = person('leader', COUNTY_B);
  const responsible = person('leader', TOWN_A, 'resp', 'leader-resp');
  const gridSup = person('supervisor', GRID_A, 'grid-sup');
  const countySup = person('supervisor', COUNTY_A, 'county-sup');
  const supB = person('supervisor', COUNTY_B, 'sup-b');

  it('city and county leaders: by level, within reach', () => {
    expect(addressedTo(cityLeader, item('city_leader'))).toBe(true);
    expect(addressedTo(countyLeaderA, item('city_leader'))).toBe(false);
    expect(addressedTo(countyLeaderA, item('county_leader'))).toBe(true);
    expect(addressedTo(cityLeader, item('county_leader'))).toBe(false);
    expect(addressedTo(countyLeaderB, item('county_leader'))).toBe(false); // out of reach
  });

  it('the 包联 leader: the enterprise’s own, at whatever level', () => {
    expect(addressedTo(responsible, item('responsible_leader'))).toBe(true);
    expect(addressedTo(countyLeaderA, item('responsible_leader'))).toBe(false);
    expect(addressedTo(responsible, item('responsible_leader', { responsibleLeaderId: null }))).toBe(false);
    // Named, but the item lies outside the leader's jurisdiction: not listed.
    expect(addressedTo(responsible, item('responsible_leader', { regionPath: '/city/ca/tb/' }))).toBe(false);
  });

  it('the supervisor: the one in charge (or the delegate); anyone within reach when nobody is named', () => {
    expect(addressedTo(gridSup, item('supervisor'))).toBe(true);
    expect(addressedTo(countySup, item('supervisor'))).toBe(false);
    expect(addressedTo(countySup, item('supervisor', { inCharge: ['grid-sup', 'county-sup'] }))).toBe(true);
    expect(addressedTo(countySup, item('supervisor', { inCharge: [] }))).toBe(true);
    expect(addressedTo(supB, item('supervisor', { inCharge: [] }))).toBe(false);
  });

  it('the supervisor’s chief: a supervisor above the item’s region, not in charge of it', () => {
    expect(addressedTo(countySup, item('supervisor_chief'))).toBe(true);
    expect(addressedTo(gridSup, item('supervisor_chief'))).toBe(false); // at the item's own node, and in charge
    expect(addressedTo(countySup, item('supervisor_chief', { inCharge: ['county-sup'] }))).toBe(false);
    expect(addressedTo(countySup, item('supervisor_chief', { regionPath: COUNTY_A, inCharge: [] }))).toBe(false);
    expect(addressedTo(supB, item('supervisor_chief'))).toBe(false);
  });

  it('nobody holds the enterprise role for escalations, and every recipient role is someone’s', () => {
    for (const p of [cityLeader, countyLeaderA, responsible, gridSup, countySup]) expect(addressedTo(p, item('enterprise'))).toBe(false);
    const people = [cityLeader, countyLeaderA, responsible, gridSup, countySup];
    for (const role of RECIPIENT_ROLES.filter((r) => r !== 'enterprise')) {
      expect(people.some((p) => addressedTo(p, item(role))), role).toBe(true);
    }
  });
});
