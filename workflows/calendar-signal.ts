/**
 * Sent to every running hazard and notice workflow holding a provisional date when a year of the
 * working-day calendar is imported: each recomputes its provisional dates (moving its timers) and
 * records what moved.
 */
import { defineSignal } from '@temporalio/workflow';
import type { YearCalendar } from '../domain/work-calendar';

export const calendarChangedSignal = defineSignal<[YearCalendar]>('calendarChanged');
