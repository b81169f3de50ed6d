/**
 * A hazard whose one timer falls at an instant the timer benchmark chooses. The product places a
 * hazard's timers only at 09:00 (reminders, escalations) and at midnight plus a quiet offset (the
 * overdue mark), Shanghai time, from its deadline date and policy: no deadline or policy puts one
 * "a few minutes from now". Everything else is the hazard workflow's own: the registration and
 * the step recorded by the same activity with the same snapshot and search attributes, and the
 * same clock (`runClock`: one durable timer to the step's instant, then the step in its lane).
 */
import { condition, setHandler } from '@temporalio/workflow';
import type { HazardRegistration } from '../activities/hazard-records';
import { stepChange } from '../domain/hazard-changes';
import { registeredEvent } from '../domain/hazard-events';
import { initialState, type HazardState, type NewHazard } from '../domain/hazard-lifecycle';
import { viewOf } from '../domain/hazard-view';
import { stepKey, type ScheduledStep } from '../domain/schedule';
import { daysBetween, shanghaiDate } from '../domain/shanghai-time';
import { runClock, singleLane } from '../workflows/commands';
import { hazardRecorder } from '../workflows/hazard-recorder';
import { registeredUpdate } from '../workflows/hazard.messages';

export interface TimerProbeInput {
  hazard: NewHazard;
  registration: HazardRegistration;
  /** The instant its reminder is due (epoch ms). */
  dueAt: number;
}

/** Registers the hazard, waits for its reminder's instant, records the reminder as the hazard does, and ends. */
export async function timerProbeWorkflow(input: TimerProbeInput): Promise<void> {
  const { hazard, registration } = input;
  let state: HazardState = initialState(hazard, Date.now());
  let registered = false;
  let fired = false;
  const lane = singleLane();

  const record = hazardRecorder({ hazard, registration, state: () => state, registered: () => registered });

  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
    return viewOf(state, Date.now());
  });

  await lane.exclusive(async () => {
    await record(registeredEvent(hazard, registration.createdBy, Date.now()));
    registered = true;
  });

  const step: ScheduledStep = {
    kind: 'reminder',
    key: stepKey(state.round, 'reminder-probe'),
    at: input.dueAt,
    daysBefore: daysBetween(shanghaiDate(input.dueAt), hazard.deadline),
    recipientRole: 'enterprise',
  };
  await runClock(lane, {
    open: () => !fired,
    seq: () => state.seq,
    next: () => (fired ? null : { key: step.key, at: step.at }),
    fire: async () => {
      const change = stepChange(state, step, registration.title, Date.now());
      state = change.state;
      for (const event of change.events) await record(event);
      fired = true;
    },
    historyLimit: undefined,
    mayContinue: () => false,
    continueAsNew: () => Promise.reject(new Error('a probe never continues as new')),
  });
}
