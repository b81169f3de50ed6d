/**
 * The city's hazards in the order they were found: spread over the months before the seed's now
 * (more on working days, a little more each month), each at an enterprise (some collect many),
 * of a category of its industry (an area and an aspect of it), registered by a supervisor who
 * reaches it, on the policy and calendar the API would have handed it that day, flagged as a
 * repeat when the enterprise had closed one of the same category within the policy's window
 * (a fix that did not hold: some one finding in ten). Deterministic: the nth hazard of a seed is
 * the same on every run, so a run after a crash lives the written ones again (cheaply,
 * without writing) and goes on from the first one missing.
 */
import type { Database } from '../db/client';
import { calendarYearsAmong } from '../db/calendar';
import { currentPolicy } from '../db/policies';
import type { ListingLevel } from '../domain/major-hazard';
import type { HazardGrade, HazardPolicy } from '../domain/policy';
import { repeatWindowOf } from '../domain/policy-rules';
import { repeatOf, repeatWindowStart, type ClosedHazard } from '../domain/repeat-hazard';
import { addDays, daysBetween, shanghaiDate, shanghaiInstant } from '../domain/shanghai-time';
import { WorkCalendar, yearsFrom, type YearCalendar } from '../domain/work-calendar';
import type { CityDirectory, SeedEnterprise } from './seed-city-directory';
import { liveHazard, type HazardPlan, type LivedHazard } from './seed-city-life';
import { categoriesOf, hazardTitle } from './seed-city-names';
import { Random, runningTotals, seededTimeUuid } from './seed-city-random';

/** The months of hazards a city seed holds before its now. */
export const SEED_MONTHS = 18;
const PERIOD_DAYS = 548;

const SOURCES = [['inspection', 0.5], ['grid_patrol', 0.3], ['self_report', 0.15], ['public_report', 0.05]] as const;
const LISTING = [['county', 0.5], ['city', 0.25], ['township', 0.15], ['province', 0.1]] as const;
const LOCATIONS = ['生产车间', '仓库', '配电室', '办公区', '厂区道路', '储罐区', '装卸区', '员工宿舍', '食堂', '设备间'];

/** The policies and calendars registrations read, read once (they do not change while seeding). */
export interface Reference {
  policy(grade: HazardGrade, source: string, industry: string): { id: number; policy: HazardPolicy };
  calendarFor(today: string): { years: YearCalendar[]; calendar: WorkCalendar };
}

export async function loadReference(db: Database, industries: string[], periodStart: string, asOfDate: string): Promise<Reference> {
  const policies = new Map<string, { id: number; policy: HazardPolicy }>();
  for (const grade of ['general', 'major'] as const) {
    for (const [source] of SOURCES) {
      for (const industry of industries) {
        const row = await currentPolicy(db, { grade, source, industry });
        if (!row) throw new Error(`no policy is configured for ${grade} hazards: run the migrations first`);
        policies.set(`${grade}|${source}|${industry}`, { id: row.id, policy: row.policy as HazardPolicy });
      }
    }
  }
  const calendars = new Map<number, { years: YearCalendar[]; calendar: WorkCalendar }>();
  for (let y = Number(periodStart.slice(0, 4)); y <= Number(asOfDate.slice(0, 4)); y++) {
    const years = await calendarYearsAmong(db, yearsFrom(`${y}-01-01`));
    calendars.set(y, { years, calendar: new WorkCalendar(years) });
  }
  return {
    policy: (grade, source, industry) => policies.get(`${grade}|${source}|${industry}`)!,
    calendarFor: (today) => calendars.get(Number(today.slice(0, 4)))!,
  };
}

/** How many hazards were found on each day of the period: by weight, the remainders handed out in order. */
function dailyCounts(total: number, firstDay: string, asOf: number, ref: Reference): Array<{ day: string; count: number; from: number; to: number }> {
  const lastDay = shanghaiDate(asOf);
  const days = daysBetween(firstDay, lastDay) + 1;
  const slots: Array<{ day: string; weight: number; from: number; to: number }> = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(firstDay, d);
    const from = shanghaiInstant(day, 8, 30);
    const to = Math.min(shanghaiInstant(day, 18), asOf - 60_000);
    const working = ref.calendarFor(day).calendar.isWorkingDay(day).working;
    const span = Math.max(0, to - from) / (9.5 * 3_600_000);
    slots.push({ day, from, to, weight: (working ? 1 : 0.2) * (0.85 + (0.3 * d) / days) * span });
  }
  const sum = slots.reduce((a, s) => a + s.weight, 0);
  const counts = slots.map((s) => Math.floor((s.weight / sum) * total));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = slots.length - 1; rest > 0; i = (i - 1 + slots.length) % slots.length) {
    if (slots[i]!.weight > 0) (counts[i]!++, rest--);
  }
  return slots.map((s, i) => ({ day: s.day, from: s.from, to: s.to, count: counts[i]! }));
}

/**
 * The share of findings at an enterprise that are what it fixed within the repeat window and
 * did not hold (a repeat). Rectified, reviewed and accepted, a hazard mostly stays fixed: the
 * rest of what is found there is of categories it has not closed lately.
 */
export const RELAPSE = 0.1;

/**
 * The category of a finding at an enterprise, by weight: one it closed within the window
 * (`fixedRecently`) with the chance RELAPSE, else one it did not, while there is one. Repeats so
 * stay a small share however many hazards an enterprise collects.
 */
export function findingOf(r: Random, categories: ReadonlyArray<readonly [string, number]>, fixedRecently: ReadonlySet<string>): string {
  if (fixedRecently.size && r.chance(RELAPSE)) return r.weighted(categories.filter(([c]) => fixedRecently.has(c)));
  // Most draws miss the few categories fixed lately: draw again a few times before sieving the list.
  for (let tries = 0; tries < 4; tries++) {
    const category = r.weighted(categories);
    if (!fixedRecently.has(category)) return category;
  }
  const fresh = categories.filter(([c]) => !fixedRecently.has(c));
  return r.weighted(fresh.length ? fresh : categories);
}

export interface SeededHazard extends LivedHazard {
  index: number;
  plan: HazardPlan;
}

/** The hazards of the city, lived one by one, in the order they were found. */
export function* cityHazards(seed: number, total: number, city: CityDirectory, asOf: number, ref: Reference): Generator<SeededHazard> {
  const firstDay = addDays(shanghaiDate(asOf), -(PERIOD_DAYS - 1));
  const totals = runningTotals(city.enterprises.map((e) => e.weight));
  const pickEnterprise = (r: Random): [number, SeedEnterprise] => {
    const n = r.indexByTotals(totals);
    return [n, city.enterprises[n]!];
  };
  // Each enterprise's closures by category.
  const closed = new Map<number, Map<string, ClosedHazard[]>>();
  const categories = new Map(city.enterprises.map((e) => [e.industry, categoriesOf(e.industry)]));
  let index = 0;
  for (const day of dailyCounts(total, firstDay, asOf, ref)) {
    const { years, calendar } = ref.calendarFor(day.day);
    for (let j = 0; j < day.count; j++, index++) {
      const r = new Random(seed, `hazard-${index}`);
      const [n, enterprise] = pickEnterprise(r);
      const industry = enterprise.industry;
      const source = r.weighted(SOURCES);
      const grade: HazardGrade = r.chance(industry.majorShare) ? 'major' : 'general';
      const policy = ref.policy(grade, source, industry.name);
      const registeredAt = Math.floor(day.from + ((j + r.next()) / day.count) * (day.to - day.from));
      const months = repeatWindowOf(policy.policy);
      const closures = closed.get(n) ?? new Map<string, ClosedHazard[]>();
      closed.set(n, closures);
      const from = repeatWindowStart(registeredAt, months);
      const fixedRecently = new Set<string>();
      for (const [c, list] of closures) if (list.some((h) => h.closedAt >= from && h.closedAt <= registeredAt)) fixedRecently.add(c);
      const category = findingOf(r, categories.get(industry)!, fixedRecently);
      const repeat = repeatOf(closures.get(category) ?? [], registeredAt, months);
      const createdBy =
        source === 'grid_patrol' ? enterprise.gridSupervisor : source === 'inspection' ? r.pick(enterprise.countyInspectors) : r.pick(enterprise.townshipSupervisors);
      const plan: HazardPlan = {
        id: seededTimeUuid(seed, 'hazard', index, registeredAt),
        enterpriseId: enterprise.id,
        regionPath: enterprise.regionPath,
        title: hazardTitle(r, category),
        category,
        source,
        location: r.pick(LOCATIONS),
        grade,
        listingLevel: grade === 'major' ? r.weighted<ListingLevel>(LISTING) : null,
        createdBy,
        enterpriseActor: enterprise.contact ?? createdBy,
        registeredAt,
        policy,
        calendar: years,
        workCalendar: calendar,
        repeatOf: repeat?.id ?? null,
      };
      const lived = liveHazard(plan, asOf, r);
      if (lived.state.status === 'closed' && lived.state.closedAt !== null) {
        const list = closures.get(category) ?? [];
        list.push({ id: plan.id, closedAt: lived.state.closedAt });
        closures.set(category, list);
      }
      yield { ...lived, index, plan };
    }
  }
}
