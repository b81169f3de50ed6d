/**
 * Hazards with histories of their own making, written as the recording activity writes them (a
 * read-model row and the hazard's chained events), for tests of the campaign burn-down; and the
 * brute-force reading of such a history at the end of a day.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { appendHazardEvent } from '../../db/hazard-events';
import { hazards } from '../../db/schema';
import { DEFAULT_POLICIES } from '../../domain/policy';
import { addDays, dueInstant, shanghaiInstant, type IsoDate } from '../../domain/shanghai-time';

export type Action =
  | { kind: 'submit'; at: number }
  | { kind: 'accept'; at: number }
  | { kind: 'reject'; at: number; newDeadline: IsoDate }
  | { kind: 'reopen'; at: number; newDeadline: IsoDate }
  | { kind: 'extend'; at: number; newDeadline: IsoDate }
  /** A calendar year published: the deadline counted on it moves (or, without `newDeadline`, stays). */
  | { kind: 'calendar'; at: number; newDeadline?: IsoDate }
  | { kind: 'void'; at: number };

export interface History {
  enterpriseId: string;
  regionPath: string;
  /** When it was found (the row's created_at). */
  foundAt: number;
  /** When its events begin: the found time, or later for a hazard imported from a legacy ledger. */
  registeredAt: number;
  deadline: IsoDate;
  actions: Action[];
}

const EVENT_TYPE: Record<Action['kind'], string> = {
  submit: 'rectification_submitted',
  accept: 'review_accepted',
  reject: 'review_rejected',
  reopen: 'reopened',
  extend: 'extension_approved',
  void: 'voided',
  calendar: 'calendar_applied',
};

function eventData(a: Action): Record<string, unknown> {
  if (a.kind === 'calendar') return { year: 2026, deadline: a.newDeadline ? { from: '2026-01-01', to: a.newDeadline } : null, reviewDue: null, provisionalBefore: true, provisionalAfter: false };
  return 'newDeadline' in a ? { newDeadline: a.newDeadline } : {};
}

export async function insertHistory(db: Database, h: History): Promise<string> {
  const id = randomUUID();
  const found = new Date(h.foundAt);
  await db.insert(hazards).values({
    id,
    workflowId: `hazard-${id}`,
    enterpriseId: h.enterpriseId,
    regionPath: h.regionPath,
    title: '清零测试隐患',
    category: '消防安全',
    source: 'inspection',
    grade: 'general',
    policy: DEFAULT_POLICIES.general,
    status: 'rectifying',
    round: 1,
    deadline: h.deadline,
    dueAt: new Date(dueInstant(h.deadline)),
    escalationLevel: 0,
    createdBy: 'inspector-li',
    createdAt: found,
    updatedAt: found,
    projectionSeq: 1,
  });
  await appendEvents(db, id, [{ key: 'r1/registered', type: 'registered', at: h.registeredAt, data: { deadline: h.deadline } }]);
  await appendEvents(
    db,
    id,
    h.actions.map((a, i) => ({ key: `a${i}/${a.kind}`, type: EVENT_TYPE[a.kind], at: a.at, data: eventData(a) })),
  );
  return id;
}

export async function appendEvents(db: Database, hazardId: string, events: Array<{ key: string; type: string; at: number; data: Record<string, unknown> }>): Promise<void> {
  await db.transaction(async (tx) => {
    for (const e of events) await appendHazardEvent(tx, { hazardId, stepKey: e.key, type: e.type, actor: 'tester', occurredAt: e.at, data: e.data });
  });
}

/** How a history stands at the end of `day`, replayed step by step: its cohort for the campaign, standing and lateness. */
export function standingAt(h: History, cutoff: IsoDate, day: IsoDate): { cohort: 'stock' | 'new'; standing: 'open' | 'closed' | 'void'; overdue: boolean } | null {
  const cutoffAt = shanghaiInstant(cutoff);
  const end = shanghaiInstant(addDays(day, 1));
  if (h.foundAt >= end) return null;
  const replay = (until: number) => {
    let status: 'rectifying' | 'under_review' | 'closed' | 'void' = 'rectifying';
    let deadline = h.deadline;
    for (const a of h.registeredAt < until ? h.actions.filter((x) => x.at < until) : []) {
      if (a.kind === 'submit') status = 'under_review';
      else if (a.kind === 'accept') status = 'closed';
      else if (a.kind === 'void') status = 'void';
      else if (a.kind === 'calendar') deadline = a.newDeadline ?? deadline;
      else {
        deadline = a.newDeadline;
        if (a.kind !== 'extend') status = 'rectifying';
      }
    }
    return { status, deadline };
  };
  let cohort: 'stock' | 'new';
  if (h.foundAt >= cutoffAt) cohort = 'new';
  else {
    const atCutoff = replay(cutoffAt).status;
    if (atCutoff === 'closed' || atCutoff === 'void') return null;
    cohort = 'stock';
  }
  const { status, deadline } = replay(end);
  const standing = status === 'closed' ? 'closed' : status === 'void' ? 'void' : 'open';
  return { cohort, standing, overdue: status === 'rectifying' && deadline < day };
}
