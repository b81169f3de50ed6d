/**
 * Publishing a year of the working-day calendar: starts the publication's workflow, which stores
 * the year and tells every open hazard and notice it concerns, and answers once the year is
 * stored. The telling goes on in the workflow, whatever becomes of the caller.
 */
import { createHash } from 'node:crypto';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { PublicationStart } from '../domain/calendar-publication';
import type { YearCalendar } from '../domain/work-calendar';
import {
  CALENDAR_PUBLICATION_PREFIX,
  publicationStartedUpdate,
  type CalendarPublicationInput,
} from '../workflows/calendar-publication.messages';
import type { calendarPublicationWorkflow } from '../workflows/calendar-publication.workflow';

/** Ids read and told per run of the workflow (each run's history holds about two events per id). */
export const DEFAULT_PUBLICATION_PAGE_SIZE = 100;

/**
 * The publication of one content of one year: the same year published twice alike while the first
 * is still telling joins it; published again later, it runs again (harmless: each hazard
 * recomputes and finds nothing moved).
 */
export function calendarPublicationId(year: YearCalendar): string {
  const content = JSON.stringify([year.year, year.source, year.holidays, year.workdays]);
  return `${CALENDAR_PUBLICATION_PREFIX}${year.year}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

export interface StartedPublication extends PublicationStart {
  publicationId: string;
}

export class CalendarPublisher {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly pageSize = DEFAULT_PUBLICATION_PAGE_SIZE,
  ) {}

  async publish(actor: string, year: YearCalendar): Promise<StartedPublication> {
    const publicationId = calendarPublicationId(year);
    const input: CalendarPublicationInput = { publicationId, actor, year, pageSize: this.pageSize };
    const operation = new WithStartWorkflowOperation<typeof calendarPublicationWorkflow>('calendarPublicationWorkflow', {
      workflowId: publicationId,
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const start = await this.client.workflow.executeUpdateWithStart(publicationStartedUpdate, { startWorkflowOperation: operation });
    return { publicationId, ...start };
  }
}
