/**
 * The working-day calendar: the published years, and an admin publishing another (which tells
 * every open hazard holding a provisional date and answers how many deadlines moved).
 */
import { z } from 'zod';
import { loadCalendarYears, yearCalendarSchema } from '../../db/calendar';
import { checkYearCalendar, type CalendarDay } from '../../domain/work-calendar';
import { publishCalendarYear } from '../../temporal/calendar-publication';
import type { AppDeps } from '../app';
import { CITY_ADMINS, route, type RouteSpec } from '../route-spec';

/**
 * A year as the API takes it: the import's own rules, with each problem named by its field
 * (`year`, `holidays.3.date`) instead of the body as a whole, so the admin sees which day is wrong.
 */
const publishBody = z.strictObject(yearCalendarSchema.shape).superRefine((c, ctx) => {
  const alone = (holidays: CalendarDay[], workdays: CalendarDay[]) => checkYearCalendar({ ...c, holidays, workdays });
  const yearProblem = alone([], []);
  if (yearProblem) {
    ctx.addIssue({ code: 'custom', path: ['year'], message: yearProblem });
    return;
  }
  const seen = new Set<string>();
  for (const kind of ['holidays', 'workdays'] as const) {
    c[kind].forEach((day, i) => {
      const problem = kind === 'holidays' ? alone([day], []) : alone([], [day]);
      if (problem) ctx.addIssue({ code: 'custom', path: [kind, i, 'date'], message: problem });
      else if (seen.has(day.date)) ctx.addIssue({ code: 'custom', path: [kind, i, 'date'], message: `${day.date} is listed twice` });
      seen.add(day.date);
    });
  }
});

export function calendarRoutes({ db, hazards: gateway, notices }: AppDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/api/calendars',
      operationId: 'listCalendarYears',
      summary: 'The published years of the working-day calendar: holidays and make-up working days (调休)',
      tag: 'calendar',
      access: 'authenticated',
      responses: { 200: { description: 'years, oldest first' } },
      async handler({ res }) {
        res.json({ items: await loadCalendarYears(db) });
      },
    }),
    route({
      method: 'post',
      path: '/api/calendars',
      operationId: 'publishCalendarYear',
      summary: "Publish (or replace) a year's holidays and make-up working days; provisional deadlines are recomputed",
      tag: 'calendar',
      access: CITY_ADMINS,
      body: publishBody,
      responses: {
        200: { description: 'published: the year, whether it replaced an import, and how many open hazards and deadlines it moved' },
        400: { description: 'not a valid year of calendar data (dates outside the year, a weekday as a make-up day, a date twice)' },
      },
      async handler({ res, body, principal }) {
        res.json(await publishCalendarYear(db, gateway, principal.username, body, notices));
      },
    }),
  ];
}
