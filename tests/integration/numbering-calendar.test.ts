/**
 * On real Postgres: instrument numbers stay gapless and unique under parallel issuance and
 * rollbacks; the shipped calendars are loaded at migration and a new year imports with checks.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCalendar, importCalendarYear, loadCalendar, loadCalendarYears } from '../../db/calendar';
import { issueInstrument } from '../../db/instrument-numbers';
import { adminEvents, instruments } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const request = (agency: string, i: number) => ({ agency, year: 2026, kind: 'notice', subjectType: 'test', subjectId: String(i), issuedBy: 'tester' });

describe('instrument numbering', () => {
  it('issues 1..N without gaps or duplicates when 60 transactions race, some rolling back', async () => {
    const attempts = Array.from({ length: 60 }, (_, i) => i);
    const results = await Promise.allSettled(
      attempts.map((i) =>
        database.app.transaction(async (tx) => {
          const row = await issueInstrument(tx, request('江北应急', i));
          // Every fifth issuer fails after taking a number: its number must return to the pool.
          if (i % 5 === 0) throw new Error('rolled back');
          return row;
        }),
      ),
    );
    const issued = results.filter((r) => r.status === 'fulfilled');
    expect(issued).toHaveLength(48);
    const rows = await database.db.select().from(instruments).where(eq(instruments.agency, '江北应急')).orderBy(asc(instruments.number));
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(rows[11]!.code).toBe('江北应急〔2026〕12号');
  });

  it('numbers each agency and year on its own', async () => {
    const a = await database.app.transaction((tx) => issueInstrument(tx, request('城南应急', 1)));
    const b = await database.app.transaction((tx) => issueInstrument(tx, { ...request('城南应急', 2), year: 2027 }));
    expect([a.code, b.code]).toEqual(['城南应急〔2026〕1号', '城南应急〔2027〕1号']);
  });
});

describe('calendar in the database', () => {
  it('has the shipped 2025 and 2026 calendars after migration', async () => {
    expect((await loadCalendarYears(database.db)).map((y) => y.year)).toEqual([2025, 2026]);
    expect((await loadCalendar(database.db)).addWorkingDays('2026-02-10', 5)).toEqual({ date: '2026-02-24', provisional: false });
  });

  it('imports a new year, replaces it on a second import, and records who did it', async () => {
    const year = { year: 2027, source: '国务院办公厅关于2027年部分节假日安排的通知', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
    expect(await importCalendarYear(database.app, 'admin', year)).toEqual({ year: 2027, replaced: false });
    expect(await importCalendarYear(database.app, 'admin', year)).toEqual({ year: 2027, replaced: true });
    const calendar = await loadCalendar(database.db);
    expect(calendar.addWorkingDays('2026-12-25', 10)).toEqual({ date: '2027-01-11', provisional: false });
    const log = await database.db.select().from(adminEvents).where(eq(adminEvents.subjectType, 'calendar')).orderBy(asc(adminEvents.chainSeq));
    expect(log.map((e) => [e.action, e.subjectId, e.actor])).toEqual([
      ['calendar.imported', '2025', 'system'],
      ['calendar.imported', '2026', 'system'],
      ['calendar.imported', '2027', 'admin'],
      ['calendar.replaced', '2027', 'admin'],
    ]);
  });

  it('keeps the calendar it read until an import changes it', async () => {
    const before = await currentCalendar(database.db);
    expect(await currentCalendar(database.db)).toBe(before);
    const year = { year: 2029, source: '国务院办公厅关于2029年部分节假日安排的通知', holidays: [{ date: '2029-01-02', name: '元旦' }], workdays: [] };
    await importCalendarYear(database.app, 'admin', year);
    const after = await currentCalendar(database.db);
    expect(after).not.toBe(before);
    expect(after.isWorkingDay('2029-01-02').working).toBe(false);
    // A second import of the same year is a change too.
    await importCalendarYear(database.app, 'admin', { ...year, holidays: [{ date: '2029-01-03', name: '元旦' }] });
    const again = await currentCalendar(database.db);
    expect([again.isWorkingDay('2029-01-02').working, again.isWorkingDay('2029-01-03').working]).toEqual([true, false]);
  });

  it('refuses an unsound year and changes nothing', async () => {
    await expect(importCalendarYear(database.app, 'admin', { year: 2028, source: 'x', holidays: [], workdays: [{ date: '2028-03-01', name: 'x' }] })).rejects.toThrow(/is a weekday/);
    await expect(importCalendarYear(database.app, 'admin', { year: 2028, source: 'x', holidays: [{ date: '2029-01-01', name: 'x' }], workdays: [], extra: 1 })).rejects.toThrow();
    expect((await loadCalendarYears(database.db)).map((y) => y.year)).not.toContain(2028);
  });
});
