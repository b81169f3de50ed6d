/**
 * The working-day calendar in the database: years as published, validated on import. The years
 * shipped with duban (domain/calendars/) are loaded when the database is migrated; a later
 * year is imported by `npm run calendar:import -- <file.json>` or by an admin through the API.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkYearCalendar, WorkCalendar, type YearCalendar } from '../domain/work-calendar';
import type { Database } from './client';
import { recordAdminChange, type Tx } from './admin-audit';
import { calendarYears } from './schema';

export const SHIPPED_CALENDARS_DIR = fileURLToPath(new URL('../domain/calendars', import.meta.url));

const day = z.strictObject({ date: z.string(), name: z.string().trim().min(1).max(50) });
export const yearCalendarSchema = z
  .strictObject({
    year: z.number().int(),
    source: z.string().trim().min(1).max(500),
    holidays: z.array(day).max(60),
    workdays: z.array(day).max(20),
  })
  .superRefine((c, ctx) => {
    const problem = checkYearCalendar(c);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export async function loadCalendar(db: Database): Promise<WorkCalendar> {
  return new WorkCalendar(await loadCalendarYears(db));
}

/** The calendar of each database handle as last read, with the stamp of the imports it was read at. */
const kept = new WeakMap<Database, { stamp: string; calendar: WorkCalendar }>();

/**
 * The calendar as it stands, read again only when an import changed it: a request that needs the
 * calendar (every figure answer) asks for the years' stamp, not the years. A calendar imported
 * between the stamp and the read is read again by the next request, whose stamp differs.
 */
export async function currentCalendar(db: Database): Promise<WorkCalendar> {
  const { rows } = await db.execute<{ stamp: string }>(sql`select ${CALENDAR_STAMP} as stamp`);
  return calendarAtStamp(db, rows[0]?.stamp ?? '');
}

/** What changes whenever a year is imported or replaced: a scalar subquery, to ask for beside other things. */
export const CALENDAR_STAMP = sql`(select count(*)::text || '|' || coalesce(max(${calendarYears.importedAt})::text, '') from ${calendarYears})`;

/** The calendar as of a stamp just read (CALENDAR_STAMP): the one kept, unless the stamp moved. */
export async function calendarAtStamp(db: Database, stamp: string): Promise<WorkCalendar> {
  const known = kept.get(db);
  if (known?.stamp === stamp) return known.calendar;
  const calendar = await loadCalendar(db);
  kept.set(db, { stamp, calendar });
  return calendar;
}

export async function loadCalendarYears(db: Database): Promise<YearCalendar[]> {
  const rows = await db.select().from(calendarYears).orderBy(asc(calendarYears.year));
  return rows.map(toYearCalendar);
}

/** The published years among those asked for (a year without data is simply absent). */
export async function calendarYearsAmong(db: Database, years: number[]): Promise<YearCalendar[]> {
  const rows = await db.select().from(calendarYears).where(inArray(calendarYears.year, years)).orderBy(asc(calendarYears.year));
  return rows.map(toYearCalendar);
}

const toYearCalendar = (r: typeof calendarYears.$inferSelect): YearCalendar => ({
  year: r.year,
  source: r.source,
  holidays: r.holidays as YearCalendar['holidays'],
  workdays: r.workdays as YearCalendar['workdays'],
});

/** Stores a year (replacing an earlier import of the same year), recorded in the admin chain. */
export async function importCalendarYear(db: Database, actor: string, input: unknown): Promise<{ year: number; replaced: boolean }> {
  const c = yearCalendarSchema.parse(input);
  const { year, replaced } = await db.transaction((tx) => storeCalendarYear(tx, actor, c));
  return { year, replaced };
}

/** The import inside a caller's transaction; answers the year as it stood before (null: none). */
export async function storeCalendarYear(tx: Tx, actor: string, c: YearCalendar): Promise<{ year: number; replaced: boolean; previous: YearCalendar | null }> {
  // The row lock orders two imports of one year: each sees what the other stored.
  const [existing] = await tx.select().from(calendarYears).where(eq(calendarYears.year, c.year)).for('update');
  const values = { year: c.year, source: c.source, holidays: c.holidays, workdays: c.workdays, importedBy: actor, importedAt: new Date() };
  await tx.insert(calendarYears).values(values).onConflictDoUpdate({ target: calendarYears.year, set: values });
  await recordAdminChange(tx, {
    actor,
    action: existing ? 'calendar.replaced' : 'calendar.imported',
    subjectType: 'calendar',
    subjectId: String(c.year),
    data: { source: c.source, holidays: c.holidays.length, workdays: c.workdays.length },
  });
  return { year: c.year, replaced: existing !== undefined, previous: existing ? toYearCalendar(existing) : null };
}

/** Loads the shipped years that the database does not have yet; never overwrites an import. */
export async function loadShippedCalendars(db: Database): Promise<number[]> {
  const have = new Set((await db.select({ year: calendarYears.year }).from(calendarYears)).map((r) => r.year));
  const loaded: number[] = [];
  for (const file of (await readdir(SHIPPED_CALENDARS_DIR)).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(await readFile(join(SHIPPED_CALENDARS_DIR, file), 'utf8')) as YearCalendar;
    if (have.has(data.year)) continue;
    await importCalendarYear(db, 'system', data);
    loaded.push(data.year);
  }
  return loaded;
}
