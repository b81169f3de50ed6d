/**
 * What every scenario of `npm run record-histories` shares: the throwaway database with its
 * region and enterprise, the worker's queue, and `record`, which runs a scenario (when it is among
 * those named) on a time-skipping server of its own and writes the history of the runs it answers.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../db/client';
import type { EnterpriseRow, RegionRow } from '../../db/directory';
import type { EvidenceStore } from '../../evidence/store';
import { DEFAULT_NOTICE_POLICIES, DEFAULT_POLICIES } from '../../domain/policy';
import { addDays } from '../../domain/shanghai-time';
import type { YearCalendar } from '../../domain/work-calendar';
import type { HazardWorkflowInput } from '../../workflows/hazard.messages';
import type { NoticeWorkflowInput } from '../../workflows/notice.messages';

export const DAY = 86_400_000;

/** One run to write: `file` is the history's name without `.json`; no `runId`, the latest run. */
export interface RecordedRun {
  file: string;
  workflowId: string;
  runId?: string;
}

/** A scenario answers the workflow whose latest run is the history (written as the scenario's name), or the runs to write. */
export type Scenario = () => Promise<string | RecordedRun[]>;

export interface Recording {
  /** The time-skipping server of the scenario running now (each has its own): read it inside a scenario. */
  readonly env: TestWorkflowEnvironment;
  db: Database;
  region: RegionRow;
  ent: EnterpriseRow;
  /** The queue of the worker running the current workflow code. */
  taskQueue: string;
  /** Where uploaded files are stored for the worker (in the scratch directory). */
  files: EvidenceStore;
  /** A scratch directory, removed when the recording ends. */
  work: string;
  /** The server's (skipped) date in Asia/Shanghai. */
  today(): Promise<string>;
  record(name: string, scenario: Scenario): Promise<void>;
}

/** The major policy as it was when the first histories were recorded: reminders and the ladder only. */
export const FIRST_MAJOR_POLICY = { reminderDaysBefore: DEFAULT_POLICIES.major.reminderDaysBefore, escalation: DEFAULT_POLICIES.major.escalation };

export function hazardInput(rec: Recording, deadline: string, extra: Partial<HazardWorkflowInput> = {}, policy = DEFAULT_POLICIES.major): HazardWorkflowInput {
  const hazardId = randomUUID();
  return {
    hazard: { hazardId, enterpriseId: rec.ent.id, grade: 'major', policy, deadline },
    registration: {
      title: '回放场景隐患', description: '', category: '回放', source: 'inspection', location: '', legalBasis: '', requiredMeasures: '', createdBy: 'recorder',
    },
    ...extra,
  };
}

/** A general notice to the recording's city, due on `deadline`. */
export function noticeInput(rec: Recording, deadline: string): NoticeWorkflowInput {
  const noticeId = randomUUID();
  const rule = DEFAULT_POLICIES.general.deadline!;
  return {
    notice: { noticeId, enterpriseId: null, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, dayUnit: 'working', hazardIds: [], deadline, rule },
    issue: {
      agency: '回放应急', enterpriseId: null, addressee: '回放市', addresseeRegionId: rec.region.id, regionPath: rec.region.path, title: '回放督办', requirements: '按期落实',
      legalBasis: rule.legalBasis, grade: 'general', policy: DEFAULT_NOTICE_POLICIES.general, policyId: null, issuedBy: 'recorder', hazardIds: [],
    },
  };
}

/** A year as published (a fixture, not official data): ten days off from `first`. */
export const festival = (first: string): YearCalendar => ({
  year: Number(first.slice(0, 4)),
  source: 'replay',
  holidays: Array.from({ length: 10 }, (_, d) => ({ date: addDays(first, d), name: '回放春节' })),
  workdays: [],
});

/** A workflow that continued as new: the history of its first run and of its last, as `<name>-first-run` and `<name>-last-run`. */
export async function firstAndLastRuns(rec: Recording, name: string, workflowId: string): Promise<RecordedRun[]> {
  const last = await rec.env.client.workflow.getHandle(workflowId).fetchHistory();
  const runId = last.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  if (!runId) throw new Error(`${workflowId}: its history does not name its first run`);
  return [
    { file: `${name}-first-run`, workflowId, runId },
    { file: `${name}-last-run`, workflowId },
  ];
}
