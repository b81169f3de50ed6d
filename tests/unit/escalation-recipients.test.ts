/**
 * Whom an escalation is addressed to: the post a person holds, or their relation to the item,
 * matched against the recipient role the ladder names, within reach.
 */
import { describe, expect, it } from 'vitest';
import { addressedTo, recipientClauses, regionLevelOf, rolesNaming, type Addressee, type EscalationFacts } from '../../domain/escalation-recipients';
import { RECIPIENT_ROLES } from '../../domain/policy-types';
import type { Post } from '../../domain/posts';

const CITY = '/city/';
const COUNTY_A = '/city/ca/';
const TOWN_A = '/city/ca/ta/';
const GRID_A = '/city/ca/ta/ga/';
const COUNTY_B = '/city/cb/';

const person = (role: Addressee['role'], regionPath: string, post: Post | null, username = `${role}@${regionPath}`, userId = `id-${username}`): Addressee => ({ role, regionPath, post, username, userId });
const item = (recipientRole: string, over: Partial<EscalationFacts> = {}): EscalationFacts => ({ recipientRole, regionPath: GRID_A, responsibleLeaderId: 'leader-resp', inCharge: ['grid-sup'], ...over });

describe('regionLevelOf', () => {
  it('reads the level from the depth of the path', () => {
    expect([CITY, COUNTY_A, TOWN_A, GRID_A].map(regionLevelOf)).toEqual(['city', 'county', 'township', 'grid']);
    expect(regionLevelOf('/a/b/c/d/e/')).toBeNull();
  });
});

describe('recipientClauses', () => {
  it('gives every leader responsible_leader, and the post they hold with the roles naming it', () => {
    expect(recipientClauses(person('leader', CITY, 'city_leader', 'lc', 'u1'))).toEqual([
      { role: 'responsible_leader', leaderId: 'u1' },
      { role: 'post', post: 'city_leader', recipientRoles: ['city_leader'], notInCharge: null },
    ]);
    expect(recipientClauses(person('leader', TOWN_A, null, 'lt', 'u3'))).toEqual([{ role: 'responsible_leader', leaderId: 'u3' }]);
  });

  it('gives a supervisor supervisor, and a section chief the chief’s roles; enterprises and admins nothing', () => {
    expect(recipientClauses(person('supervisor', COUNTY_A, 'section_chief', 'sa'))).toEqual([
      { role: 'supervisor', username: 'sa' },
      { role: 'post', post: 'section_chief', recipientRoles: ['supervisor_chief', 'section_chief'], notInCharge: 'sa' },
    ]);
    expect(recipientClauses(person('supervisor', GRID_A, null, 'g'))).toEqual([{ role: 'supervisor', username: 'g' }]);
    expect(recipientClauses(person('enterprise', GRID_A, 'safety_officer'))).toEqual([]);
    expect(recipientClauses(person('admin', CITY, null))).toEqual([]);
  });

  it('names each post by the roles that mean it', () => {
    expect(rolesNaming('county_leader')).toEqual(['county_leader']);
    expect(rolesNaming('grid_worker')).toEqual(['grid_worker']);
  });
});

describe('addressedTo', () => {
  const cityLeader = person('leader', CITY, 'city_leader');
  const countyLeaderA = person('leader', COUNTY_A, 'county_leader');
  const countyLeaderB = person('leader', COUNTY_B, 'county_leader');
  const leaderNoPost = person('leader', COUNTY_A, null);
  const responsible = person('leader', TOWN_A, null, 'resp', 'leader-resp');
  const gridSup = person('supervisor', GRID_A, 'grid_worker', 'grid-sup');
  const inspector = person('supervisor', TOWN_A, 'inspector', 'insp');
  const countySup = person('supervisor', COUNTY_A, 'section_chief', 'county-sup');
  const director = person('supervisor', CITY, 'bureau_director', 'dir');
  const supB = person('supervisor', COUNTY_B, 'section_chief', 'sup-b');

  it('city and county leaders: by the post they hold, within reach', () => {
    expect(addressedTo(cityLeader, item('city_leader'))).toBe(true);
    expect(addressedTo(countyLeaderA, item('city_leader'))).toBe(false);
    expect(addressedTo(countyLeaderA, item('county_leader'))).toBe(true);
    expect(addressedTo(cityLeader, item('county_leader'))).toBe(false);
    expect(addressedTo(countyLeaderB, item('county_leader'))).toBe(false); // out of reach
    expect(addressedTo(leaderNoPost, item('county_leader'))).toBe(false); // a county's leader without the post
  });

  it('the 包联 leader: the enterprise’s own, at whatever level', () => {
    expect(addressedTo(responsible, item('responsible_leader'))).toBe(true);
    expect(addressedTo(countyLeaderA, item('responsible_leader'))).toBe(false);
    expect(addressedTo(responsible, item('responsible_leader', { responsibleLeaderId: null }))).toBe(false);
    expect(addressedTo(responsible, item('responsible_leader', { regionPath: '/city/ca/tb/' }))).toBe(false);
  });

  it('the supervisor: the one in charge (or the delegate); anyone within reach when nobody is named', () => {
    expect(addressedTo(gridSup, item('supervisor'))).toBe(true);
    expect(addressedTo(countySup, item('supervisor'))).toBe(false);
    expect(addressedTo(countySup, item('supervisor', { inCharge: ['grid-sup', 'county-sup'] }))).toBe(true);
    expect(addressedTo(countySup, item('supervisor', { inCharge: [] }))).toBe(true);
    expect(addressedTo(supB, item('supervisor', { inCharge: [] }))).toBe(false);
  });

  it('the supervisor’s chief: a section chief over the item’s region, not in charge of it', () => {
    expect(addressedTo(countySup, item('supervisor_chief'))).toBe(true);
    expect(addressedTo(countySup, item('section_chief'))).toBe(true);
    expect(addressedTo(gridSup, item('supervisor_chief'))).toBe(false); // a grid worker
    expect(addressedTo(inspector, item('supervisor_chief', { inCharge: [] }))).toBe(false); // an inspector above: not the chief
    expect(addressedTo(countySup, item('supervisor_chief', { inCharge: ['county-sup'] }))).toBe(false);
    expect(addressedTo(supB, item('supervisor_chief'))).toBe(false);
  });

  it('nobody holds the enterprise role for escalations, and every recipient role is someone’s', () => {
    const people = [cityLeader, countyLeaderA, responsible, gridSup, inspector, countySup, director];
    for (const p of people) expect(addressedTo(p, item('enterprise'))).toBe(false);
    for (const role of RECIPIENT_ROLES.filter((r) => r !== 'enterprise')) {
      expect(people.some((p) => addressedTo(p, item(role, { inCharge: [] }))), role).toBe(true);
    }
  });
});
