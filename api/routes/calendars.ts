/**
 * The working-day calendar: the published years, and an admin publishing another. Publishing
 * stores the year and answers 202 with the publication, which goes on telling every open hazard
 * and notice holding a provisional date in its own workflow; its progress is read here too.
 */
import { z } from 'zod';
import { loadCalendarYears, yearCalendarSchema } from '../../db/calendar';
import { checkYearCalendar, type CalendarDay } from '../../domain/work-calendar';
import { findPublication, latestPublications } from '../../db/calendar-publications';
import { displayNames } from '../../db/directory-changes';
import { CalendarPublisher, type StartedPublication } from '../../temporal/calendar-publication';
import { CALENDAR_PUBLICATION_PREFIX } from '../../workflows/calendar-publication.messages';
import { problems } from '../problem';
import type { AppDeps } from '../app';
import { CITY_ADMINS, route, type RouteSpec } from '../route-spec';
import { urlNumber } from '../schemas/url-number';

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

const counts = {
  hazardsTold: z.number().int().describe('open hazards told'),
  noticesTold: z.number().int().describe('open notices told'),
  alreadyEnded: z.number().int().describe('listed as open, but ended before they were told'),
  failed: z.number().int().describe('could not be told after retries (the worker log names them)'),
  deadlinesMoved: z.number().int().describe('counted deadlines the year moves; each hazard records its own move'),
};
const publicationSchema = z.object({
  publicationId: z.string(),
  year: z.number().int(),
  replaced: z.boolean(),
  phase: z.enum(['hazards', 'notices', 'done']),
  concerned: z.number().int().describe('open hazards and notices the year concerned when the publication began'),
  ...counts,
  remaining: z.number().int(),
  done: z.boolean(),
  publishedBy: z.string(),
  publishedAt: z.string(),
  doneAt: z.string().nullable(),
});
const acceptedSchema = z.object({
  publicationId: z.string(),
  year: z.number().int(),
  replaced: z.boolean(),
  concerned: z.number().int(),
  progressUrl: z.string(),
});
const publicationParams = z.object({ id: z.string().startsWith(CALENDAR_PUBLICATION_PREFIX).max(100) });

/** A publication of the list, with the display name of who published it. */
/** A publication just begun: what it replaces, whom it concerns, and where its progress reads. */
export const publicationStartedJson = (started: StartedPublication) => ({
  publicationId: started.publicationId,
  year: started.year,
  replaced: started.replaced,
  concerned: started.concerned,
  progressUrl: `/api/calendars/publications/${started.publicationId}`,
});

export const publicationListItemJson = (p: Awaited<ReturnType<typeof latestPublications>>[number], names: ReadonlyMap<string, string>) => ({
  ...p,
  publishedByName: names.get(p.publishedBy) ?? p.publishedBy,
});

export function calendarRoutes({ db, temporal, hazards: gateway, calendarPublisher }: AppDeps): RouteSpec[] {
  // Built on first use: the route table is also read without servers (OpenAPI, policy checks).
  let publisher = calendarPublisher;
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
      summary: "Publish (or replace) a year's holidays and make-up working days; open hazards and notices holding provisional dates are told and recompute them",
      tag: 'calendar',
      access: CITY_ADMINS,
      body: publishBody,
      responses: {
        202: {
          description: 'the year is stored; the publication tells the open hazards and notices it concerns on its own. Location (and progressUrl) is where its progress reads',
          schema: acceptedSchema,
        },
        400: { description: 'not a valid year of calendar data (dates outside the year, a weekday as a make-up day, a date twice)' },
      },
      async handler({ res, body, principal }) {
        publisher ??= new CalendarPublisher(temporal, gateway.taskQueue);
        const started = await publisher.publish(principal.username, body);
        const answer = publicationStartedJson(started);
        res.status(202).location(answer.progressUrl).json(answer);
      },
    }),
    route({
      method: 'get',
      path: '/api/calendars/publications',
      operationId: 'listCalendarPublications',
      summary: 'The latest calendar publications, newest first, each with how far it has got',
      tag: 'calendar',
      access: ['admin'],
      query: z.strictObject({ limit: urlNumber(z.number().int().min(1).max(100).default(20)) }),
      responses: { 200: { description: 'publications', schema: z.object({ items: z.array(publicationSchema.extend({ publishedByName: z.string() })) }) } },
      async handler({ res, query }) {
        const items = await latestPublications(db, query.limit);
        const names = await displayNames(db, items.map((p) => p.publishedBy));
        res.json({ items: items.map((p) => publicationListItemJson(p, names)) });
      },
    }),
    route({
      method: 'get',
      path: '/api/calendars/publications/:id',
      operationId: 'getCalendarPublication',
      summary: 'How far a calendar publication has got: hazards and notices told, already ended, failed, remaining, done',
      tag: 'calendar',
      access: ['admin'],
      params: publicationParams,
      responses: { 200: { description: 'the publication', schema: publicationSchema }, 404: { description: 'no such publication' } },
      async handler({ res, params }) {
        const found = await findPublication(db, params.id);
        if (!found) throw problems.notFound('calendar publication');
        res.json(found);
      },
    }),
  ];
}
