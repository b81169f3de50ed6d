/**
 * Writes what a notice workflow decides, one transaction per step keyed by notice + step: the
 * case event (audit chain), a numbered instrument, a notification, a decision, a hazard's
 * outcome, and the read model. A retried activity finds its step recorded and issues nothing
 * twice: the instrument of a step is looked up under the case lock before a number is taken.
 */
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { Tx } from '../db/admin-audit';
import { appendCaseEvent } from '../db/case-events';
import { recordUrge } from '../db/urges';
import { deliverNotification } from '../db/deliveries';
import type { UrgeRecord } from '../domain/urge';
import { issueInstrument } from '../db/instrument-numbers';
import { hazards, instruments, noticeClaims, noticeDecisions, noticeHazards, noticeInstruments, noticeNotifications, notices } from '../db/schema';
import { NOTICE_INSTRUMENT } from '../domain/instruments';
import type { NoticeRecord } from '../domain/notice-changes';
import type { NoticeSnapshot } from '../domain/notice-lifecycle';
import { shanghaiDate } from '../domain/shanghai-time';

export type { NoticeIssue } from '../domain/notice-changes';

/** A record as domain/notice-changes shapes it, with the notice it belongs to and the read model's snapshot. */
export interface NoticeStepRecord extends Omit<NoticeRecord, 'key'> {
  noticeId: string;
  workflowId: string;
  stepKey: string;
  snapshot: NoticeSnapshot;
}

export interface NoticeStepResult {
  /** The number of the instrument this step issued (the notice's own on the first step). */
  code: string | null;
}

const at = (t: number | null) => (t === null ? null : new Date(t));

function projection(s: NoticeSnapshot) {
  return {
    status: s.status,
    deadline: s.deadline,
    dueAt: new Date(s.dueAt),
    deadlineRule: s.deadlineRule,
    provisional: s.provisional,
    // Written before the two were told apart: the deadline counts as provisional, as it was shown.
    deadlineProvisional: s.deadlineProvisional ?? s.provisional,
    laterStepsProvisional: s.laterStepsProvisional ?? false,
    signDueAt: at(s.signDueAt),
    signedAt: at(s.signedAt),
    signedBy: s.signedBy,
    overdueSince: at(s.overdueSince),
    ladderLevel: s.ladderLevel,
    openHazards: s.openHazards,
    closedAt: at(s.closedAt),
    updatedAt: new Date(s.updatedAt),
    projectionSeq: s.seq,
  };
}

/** The instrument already issued for this step of the notice, if any. */
async function issuedFor(tx: Tx, noticeId: string, stepKey: string): Promise<{ id: string; code: string } | null> {
  const [row] = await tx
    .select({ id: instruments.id, code: instruments.code })
    .from(noticeInstruments)
    .innerJoin(instruments, eq(instruments.id, noticeInstruments.instrumentId))
    .where(and(eq(noticeInstruments.noticeId, noticeId), eq(noticeInstruments.stepKey, stepKey)));
  return row ?? null;
}

async function issueFor(tx: Tx, rec: NoticeStepRecord, agency: string, kind: string): Promise<{ id: string; code: string }> {
  const done = await issuedFor(tx, rec.noticeId, rec.stepKey);
  if (done) return done;
  const row = await issueInstrument(tx, {
    agency,
    year: Number(shanghaiDate(rec.event.occurredAt).slice(0, 4)),
    kind,
    subjectType: 'notice',
    subjectId: rec.noticeId,
    issuedBy: rec.event.actor,
  });
  return { id: row.id, code: row.code };
}

export function createNoticeRecordActivities(db: Database) {
  return {
    async recordNoticeStep(rec: NoticeStepRecord): Promise<NoticeStepResult> {
      return db.transaction(async (tx) => {
        let code: string | null = null;
        // The case lock comes first (appendCaseEvent takes it), so a retry racing its first attempt waits here.
        const appended = await appendCaseEvent(tx, { caseType: 'notice', caseId: rec.noticeId, stepKey: rec.stepKey, ...rec.event });
        if (rec.issue) {
          const { hazardIds, ...issue } = rec.issue;
          const [existing] = await tx.select({ code: notices.code }).from(notices).where(eq(notices.id, rec.noticeId));
          if (existing) {
            code = existing.code;
          } else {
            const row = await issueInstrument(tx, {
              agency: issue.agency,
              year: Number(shanghaiDate(rec.event.occurredAt).slice(0, 4)),
              kind: NOTICE_INSTRUMENT,
              subjectType: 'notice',
              subjectId: rec.noticeId,
              issuedBy: issue.issuedBy,
            });
            code = row.code;
            await tx.insert(notices).values({
              id: rec.noticeId,
              workflowId: rec.workflowId,
              code,
              ...issue,
              issuedAt: new Date(rec.event.occurredAt),
              ...projection(rec.snapshot),
            });
            if (hazardIds.length) await tx.insert(noticeHazards).values(hazardIds.map((hazardId) => ({ noticeId: rec.noticeId, hazardId })));
          }
        }
        if (rec.instrument) {
          const [notice] = await tx.select({ agency: notices.agency }).from(notices).where(eq(notices.id, rec.noticeId));
          if (!notice) throw new Error(`notice ${rec.noticeId} has no record yet`);
          const issued = await issueFor(tx, rec, notice.agency, rec.instrument.kind);
          code = issued.code;
          await tx
            .insert(noticeInstruments)
            .values({ noticeId: rec.noticeId, stepKey: rec.stepKey, instrumentId: issued.id, recipientRole: rec.instrument.recipientRole })
            .onConflictDoNothing();
        }
        if (rec.notification) {
          const n = rec.notification;
          // An instrument's message names its number, known only now.
          const message = code ? n.message.replaceAll('{code}', code) : n.message;
          await tx
            .insert(noticeNotifications)
            .values({ noticeId: rec.noticeId, stepKey: rec.stepKey, kind: n.kind, recipientRole: n.recipientRole, message, scheduledAt: new Date(n.scheduledAt) })
            .onConflictDoNothing();
          await deliverNotification(tx, { workflowId: rec.workflowId, stepKey: rec.stepKey, subjectType: 'notice', subjectId: rec.noticeId, kind: n.kind, recipientRole: n.recipientRole, message, scheduledAt: new Date(n.scheduledAt) });
        }
        if (rec.urge) {
          await recordUrge(tx, { workflowId: rec.workflowId, itemKind: 'notice', itemId: rec.noticeId, stepKey: rec.stepKey, urgedBy: rec.event.actor, urgedAt: new Date(rec.event.occurredAt), urge: rec.urge });
        }
        if (rec.decisionOpened) {
          const d = rec.decisionOpened;
          await tx
            .insert(noticeDecisions)
            .values({ id: d.id, noticeId: rec.noticeId, kind: d.kind, deciderRole: d.deciderRole, openedAt: new Date(d.openedAt), status: 'pending' })
            .onConflictDoNothing();
        }
        if (rec.decisionDecided && appended) {
          const d = rec.decisionDecided;
          await tx
            .update(noticeDecisions)
            .set({ status: d.status, documentNumber: d.documentNumber, reason: d.reason, decidedBy: d.decidedBy, decidedAt: new Date(d.decidedAt) })
            .where(and(eq(noticeDecisions.id, d.id), eq(noticeDecisions.noticeId, rec.noticeId)));
        }
        if (rec.decisionsLapsed?.length && appended) {
          await tx
            .update(noticeDecisions)
            .set({ status: 'lapsed' })
            .where(and(eq(noticeDecisions.noticeId, rec.noticeId), inArray(noticeDecisions.id, rec.decisionsLapsed), eq(noticeDecisions.status, 'pending')));
        }
        if (rec.hazardOutcome && appended) {
          await tx
            .update(noticeHazards)
            .set({ outcome: rec.hazardOutcome.outcome })
            .where(and(eq(noticeHazards.noticeId, rec.noticeId), eq(noticeHazards.hazardId, rec.hazardOutcome.hazardId)));
        }
        await tx
          .update(notices)
          .set({ ...projection(rec.snapshot), ...(rec.instrument && code ? { lastInstrumentCode: code } : {}) })
          .where(and(eq(notices.id, rec.noticeId), lt(notices.projectionSeq, rec.snapshot.seq)));
        // A closed notice lets go of its hazards: a later notice may name them.
        if (rec.snapshot.status === 'closed') await tx.delete(noticeClaims).where(eq(noticeClaims.noticeId, rec.noticeId));
        return { code };
      });
    },

    /** The read model's status of each hazard (absent: no such hazard). */
    async noticeHazardStatuses(hazardIds: string[]): Promise<Array<{ hazardId: string; status: string }>> {
      if (!hazardIds.length) return [];
      const rows = await db.select({ hazardId: hazards.id, status: hazards.status }).from(hazards).where(inArray(hazards.id, hazardIds));
      return rows.map((r) => ({ hazardId: r.hazardId, status: r.status as string }));
    },
  };
}
