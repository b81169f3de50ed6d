/**
 * How a hazard's run writes what happened: each event with the snapshot of the state as it stands
 * then, the first one also carrying the registration (it creates the hazard's row), followed by
 * the operators' search attributes that changed. Shared by the hazard workflow and the timer
 * benchmark's probe, so the probe measures the hazard's own recording.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HazardRegistration } from '../activities/hazard-records';
import type { HazardRecord } from '../domain/hazard-events';
import type { HazardState, NewHazard } from '../domain/hazard-lifecycle';
import { snapshotOf } from '../domain/hazard-view';
import { dueInstant } from '../domain/shanghai-time';
import { caseRecorder, RECORD_HEARTBEAT_TIMEOUT, RECORD_RETRY } from './commands';
import { DubanDeadline, DubanEnterprise, DubanEscalationLevel, DubanStatus } from './search-attributes';

const { recordHazardStep } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: RECORD_HEARTBEAT_TIMEOUT,
  // A record must land eventually: keep retrying through a database outage, with backoff.
  retry: RECORD_RETRY,
});

export interface RecordedHazard {
  hazard: NewHazard;
  registration: HazardRegistration;
  /** The state as it stands when an event is recorded. */
  state(): HazardState;
  /** Whether the hazard's row exists yet: until then each record carries the registration. */
  registered(): boolean;
}

/** The run's recorder: one per run, since it remembers the search attributes it last set. */
export function hazardRecorder(of: RecordedHazard): (record: HazardRecord) => Promise<void> {
  const { hazard, registration } = of;
  return caseRecorder({
    state: of.state,
    write: ({ key, event, ...extra }: HazardRecord, state) =>
      recordHazardStep({
        hazardId: state.hazardId,
        workflowId: workflowInfo().workflowId,
        stepKey: key,
        event,
        snapshot: snapshotOf(state, Date.now()),
        registration: of.registered() ? undefined : { ...registration, enterpriseId: hazard.enterpriseId, grade: hazard.grade, policy: hazard.policy },
        ...extra,
      }),
    searchAttributes: (state) => [
      { key: DubanStatus, value: state.status },
      { key: DubanDeadline, value: new Date(dueInstant(state.deadline)) },
      { key: DubanEscalationLevel, value: state.escalationLevel },
      { key: DubanEnterprise, value: state.enterpriseId },
    ],
  });
}
