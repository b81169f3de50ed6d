/** Calendar publication histories: a year corrected, the open hazards it concerns told a page per run. */
import { importCalendarYear } from '../../db/calendar';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays } from '../../domain/shanghai-time';
import { WorkCalendar } from '../../domain/work-calendar';
import { CalendarPublisher } from '../../temporal/calendar-publication';
import { hazardWorkflowId, registeredUpdate } from '../../workflows/hazard.messages';
import { festival, firstAndLastRuns, hazardInput, type Recording } from './recording';

export async function recordCalendarPublications(rec: Recording): Promise<void> {
  const { db, taskQueue, record, today } = rec;

  // The year stored without holidays; two hazards counted in working days on it; then the year
  // published again with a festival three days on: each hazard is told (one a run) and moves.
  await record('calendar-publication', async () => {
    const from = await today();
    const first = addDays(from, 3);
    const bare = { year: Number(first.slice(0, 4)), source: 'replay', holidays: [], workdays: [] };
    await importCalendarYear(db, 'recorder', bare);
    for (const days of [20, 25]) {
      const rule = { from, days, unit: 'working' as const, legalBasis: '回放' };
      const i = hazardInput(rec, new WorkCalendar([bare]).addWorkingDays(from, days).date);
      i.hazard = { ...i.hazard, grade: 'general', policy: DEFAULT_POLICIES.general, deadlineRule: rule, calendar: [bare] };
      const h = await rec.env.client.workflow.start('hazardWorkflow', { workflowId: hazardWorkflowId(i.hazard.hazardId), taskQueue, args: [i] });
      await h.executeUpdate(registeredUpdate);
    }
    const published = await new CalendarPublisher(rec.env.client, taskQueue, 1).publish('recorder', festival(first));
    await rec.env.client.workflow.getHandle(published.publicationId).result();
    return firstAndLastRuns(rec, 'calendar-publication', published.publicationId);
  });
}
