/**
 * The city's directory, planned from the seed: the region tree (city → counties → townships →
 * grids), the enterprises with their 包联 leaders, and the people of every role. Pure: the same
 * seed and sizes give the same rows; ids and user names start with `city<seed>` so the rows of a
 * seed are known as such.
 */
import type { Post } from '../domain/posts';
import type { RegionLevel, Role } from '../db/directory';
import { CITY_NAMES, COUNTY_NAMES, INDUSTRIES, firmName, personName, townshipName, type Industry } from './seed-city-names';
import { Random, runningTotals, seededUuid } from './seed-city-random';
import { isValidCreditCode, withCreditCheckChar } from '../domain/credit-code';

export interface CitySizes {
  counties: number;
  townships: number;
  grids: number;
  enterprises: number;
}

/** The bureau's own figures: 19 counties, 59 townships, 2,147 grids, 17,626 enterprises. */
export const CITY_SIZES: CitySizes = { counties: 19, townships: 60, grids: 2100, enterprises: 17_600 };

export interface SeedRegion {
  id: string;
  name: string;
  level: RegionLevel;
  parentId: string | null;
  path: string;
  agencyShortName: string | null;
}

export interface SeedUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionId: string;
  enterpriseId: string | null;
  /** Known demo log-ins get the demo password; everyone else has none yet. */
  demoLogin: boolean;
  /** The post held in their region (domain/posts.ts); null: none. */
  post: Post | null;
}

export interface SeedEnterprise {
  id: string;
  name: string;
  creditCode: string;
  regionId: string;
  regionPath: string;
  industry: Industry;
  responsibleLeaderId: string;
  responsiblePerson: string;
  /** How many hazards it collects relative to others (some enterprises collect most of them). */
  weight: number;
  /** Supervisors who register its hazards: its grid's worker, its township's and county's inspectors. */
  gridSupervisor: string;
  townshipSupervisors: string[];
  countyInspectors: string[];
  /** The enterprise's own user, if it has one. */
  contact: string | null;
}

export interface CityDirectory {
  prefix: string;
  city: SeedRegion;
  regions: SeedRegion[];
  enterprises: SeedEnterprise[];
  users: SeedUser[];
}

/** Splits `total` into `parts` positive shares of uneven size. */
function split(r: Random, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => 0.5 + r.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i]!++;
  for (let i = 0; rest < 0; i = (i + 1) % parts) if (out[i]! > 1) (out[i]!--, rest++);
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The organisation code's check digit (GB 11714). */
function organisationCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body[i]!, 36) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * A unified social credit code (统一社会信用代码, GB 32100): 9 (market regulator) 1 (enterprise),
 * the county's division code, the organisation code with its check digit, and the code's own
 * check character. `serial` makes it unique.
 */
export function creditCode(division: string, serial: number): string {
  const body = pad(serial, 8);
  return withCreditCheckChar(`91${division}${body}${organisationCheck(body)}`);
}

export function isCreditCode(code: string): boolean {
  return isValidCreditCode(code) && organisationCheck(code.slice(8, 16)) === code[16];
}

export function planDirectory(seed: number, sizes: CitySizes): CityDirectory {
  const r = new Random(seed, 'directory');
  const prefix = `city${seed}`;
  const cityName = CITY_NAMES[seed % CITY_NAMES.length]!;
  const city: SeedRegion = { id: prefix, name: cityName, level: 'city', parentId: null, path: `/${prefix}/`, agencyShortName: `${cityName}应急` };
  const regions: SeedRegion[] = [city];
  const users: SeedUser[] = [];
  let userN = 0;
  const person = (username: string, title: string, role: Role, regionId: string, demoLogin = false, enterpriseId: string | null = null) => {
    const user: SeedUser = { id: seededUuid(seed, 'user', userN++), username, displayName: `${title} ${personName(r)}`, role, regionId, enterpriseId, demoLogin, post: null };
    users.push(user);
    return user;
  };
  const hold = (post: Post, ...people: SeedUser[]) => {
    for (const u of people) u.post = post;
  };
  person(`${prefix}-admin`, `${cityName}应急管理局系统管理员`, 'admin', city.id, true);
  hold('city_leader', person(`${prefix}-leader`, `${cityName}应急管理局局长`, 'leader', city.id, true), person(`${prefix}-leader2`, `${cityName}应急管理局分管副局长`, 'leader', city.id));
  hold('inspector', person(`${prefix}-inspector`, `${cityName}应急管理局执法员`, 'supervisor', city.id, true));
  hold('section_chief', person(`${prefix}-chief`, `${cityName}应急管理局执法科科长`, 'supervisor', city.id));

  const townshipsPerCounty = split(r, Math.max(sizes.townships, sizes.counties), sizes.counties);
  const gridsPerTownship = split(r, Math.max(sizes.grids, sizes.townships), townshipsPerCounty.reduce((a, b) => a + b, 0));
  const grids: Array<{ region: SeedRegion; county: SeedRegion; worker: string; township: string[]; inspectors: string[]; leaders: string[]; weight: number; division: string }> = [];
  let townshipN = 0;
  for (let c = 0; c < sizes.counties; c++) {
    const [countyName, agency] = COUNTY_NAMES[c % COUNTY_NAMES.length]!;
    const name = c < COUNTY_NAMES.length ? countyName : `${countyName.slice(0, -1)}${Math.floor(c / COUNTY_NAMES.length) + 1}${countyName.slice(-1)}`;
    const id = `${prefix}-d${pad(c + 1, 2)}`;
    const county: SeedRegion = { id, name, level: 'county', parentId: city.id, path: `${city.path}${id}/`, agencyShortName: c < COUNTY_NAMES.length ? agency : `${name}应急` };
    regions.push(county);
    const division = `${pad(32 + (seed % 50), 2)}${pad((c % 99) + 1, 2)}${pad(seed % 100, 2)}`;
    const countyLeaders = [person(`${id}-leader`, `${name}分管安全副区（县）长`, 'leader', id, c === 0), person(`${id}-leader2`, `${name}应急管理局局长`, 'leader', id)];
    hold('county_leader', ...countyLeaders);
    person(`${id}-admin`, `${name}应急管理局信息管理员`, 'admin', id, c === 0);
    const inspectorPeople = [1, 2, 3].map((k) => person(`${id}-inspector${k}`, `${name}应急管理局执法员`, 'supervisor', id, c === 0 && k === 1));
    hold('inspector', ...inspectorPeople);
    const inspectors = inspectorPeople.map((u) => u.username);
    hold('section_chief', person(`${id}-chief`, `${name}应急管理局执法科科长`, 'supervisor', id));
    const urban = county.name.endsWith('区');
    for (let t = 0; t < townshipsPerCounty[c]!; t++, townshipN++) {
      const tid = `${id}-t${pad(t + 1, 2)}`;
      const tname = townshipName(t + c * 7);
      const township: SeedRegion = { id: tid, name: tname, level: 'township', parentId: id, path: `${county.path}${tid}/`, agencyShortName: null };
      regions.push(township);
      const townshipLeader = person(`${tid}-leader`, `${name}${tname}分管安全负责人`, 'leader', tid);
      const townshipPeople = [1, 2].map((k) => person(`${tid}-supervisor${k}`, `${tname}安监站工作人员`, 'supervisor', tid));
      hold('inspector', ...townshipPeople);
      const townshipStaff = townshipPeople.map((u) => u.username);
      for (let g = 0; g < gridsPerTownship[townshipN]!; g++) {
        const gid = `${tid}-g${pad(g + 1, 3)}`;
        const grid: SeedRegion = { id: gid, name: `${tname}第${g + 1}网格`, level: 'grid', parentId: tid, path: `${township.path}${gid}/`, agencyShortName: null };
        regions.push(grid);
        const worker = person(`${gid}-grid`, `${tname}第${g + 1}网格网格员`, 'supervisor', gid, c === 0 && t === 0 && g === 0);
        hold('grid_worker', worker);
        grids.push({
          region: grid,
          county,
          worker: worker.username,
          township: townshipStaff,
          inspectors,
          leaders: [...countyLeaders, townshipLeader].map((u) => u.id),
          weight: (urban ? 1.6 : 1) * (0.3 + r.next() * 1.4),
          division,
        });
      }
    }
  }

  const gridTotals = runningTotals(grids.map((g) => g.weight));
  const industryWeights = INDUSTRIES.map((i) => [i, i.share] as const);
  const enterprises: SeedEnterprise[] = [];
  const names = new Map<string, number>();
  for (let n = 0; n < sizes.enterprises; n++) {
    const grid = grids[r.indexByTotals(gridTotals)]!;
    const industry = r.weighted(industryWeights);
    const place = grid.county.name.slice(0, 2);
    const firm = firmName(r, place, industry);
    const seen = names.get(firm) ?? 0;
    names.set(firm, seen + 1);
    // Registries keep names apart; a number in brackets does it here.
    const name = seen ? `${firm}（${seen + 1}）` : firm;
    const id = seededUuid(seed, 'enterprise', n);
    // The first has one always: a demo log-in for every role.
    const contact = n === 0 || r.chance(0.6) ? `${prefix}-e${pad(n + 1, 5)}` : null;
    enterprises.push({
      id,
      name,
      creditCode: creditCode(grid.division, seed * 1_000_000 + n + 1),
      regionId: grid.region.id,
      regionPath: grid.region.path,
      industry,
      responsibleLeaderId: r.pick(grid.leaders),
      responsiblePerson: `${personName(r)} 13${r.between(0, 9)}${pad(r.int(100_000_000), 8)}`,
      // A long tail: most enterprises see few hazards, some see many.
      weight: industry.hazardRate * Math.exp(r.next() * 2.2 - 1.1) * (r.chance(0.05) ? 3 : 1),
      gridSupervisor: grid.worker,
      townshipSupervisors: grid.township,
      countyInspectors: grid.inspectors,
      contact,
    });
    if (contact) hold('safety_officer', person(contact, `${name} 安全管理人员`, 'enterprise', grid.region.id, n === 0, id));
  }
  return { prefix, city, regions, enterprises, users };
}
