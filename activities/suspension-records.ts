/**
 * Writes what a suspension workflow decides: the event onto the suspension's case chain, the
 * notification a clock step sends, the number of a decision on resumption, and the read model
 * row. One transaction per step, keyed by suspension + step, so a retried activity leaves exactly
 * the rows the first attempt left.
 */
import { and, eq, lt } from 'drizzle-orm';
import { appendCaseEvent } from '../db/case-events';
import { issueSuspensionInstrument } from '../db/instrument-numbers';
import type { Database } from '../db/client';
import { MissingRecordError } from './failures';
import { enterprises, suspensionNotifications, suspensions } from '../db/schema';
import { deliverNotification } from '../db/deliveries';
import type { NewSuspension, SuspensionSnapshot } from '../domain/suspension';
import type { SuspensionEvent, SuspensionNotification } from '../domain/suspension-changes';

/** The event and the notification as domain/suspension-changes shapes them. */
export type SuspensionEventRecord = SuspensionEvent;
export type SuspensionNotificationRecord = SuspensionNotification;

export interface SuspensionStepRecord {
  suspensionId: string;
  workflowId: string;
  stepKey: string;
  event: SuspensionEventRecord;
  snapshot: SuspensionSnapshot;
  /** Present on the first step only: creates the suspension's row. */
  order?: NewSuspension;
  notification?: SuspensionNotificationRecord;
}

const at = (t: number | null) => (t === null ? null : new Date(t));

function projection(s: SuspensionSnapshot) {
  return {
    status: s.status,
    plannedEnd: s.plannedEnd,
    maxEnd: s.maxEnd,
    reviewOverdueSince: at(s.reviewOverdueSince),
    maximumReachedAt: at(s.maximumReachedAt),
    resumptionRequestedAt: at(s.resumptionRequestedAt),
    resumedAt: at(s.resumedAt),
    liftedAt: at(s.liftedAt),
    nextStepKind: s.next?.kind ?? null,
    nextStepAt: at(s.next?.at ?? null),
    updatedAt: new Date(s.updatedAt),
    projectionSeq: s.seq,
  };
}

export function createSuspensionRecordActivities(db: Database) {
  return {
    async recordSuspensionStep(rec: SuspensionStepRecord): Promise<void> {
      await db.transaction(async (tx) => {
        if (rec.order) {
          const o = rec.order;
          const [enterprise] = await tx.select({ regionPath: enterprises.regionPath }).from(enterprises).where(eq(enterprises.id, o.enterpriseId));
          if (!enterprise) throw new MissingRecordError(`enterprise ${o.enterpriseId} does not exist`);
          await tx
            .insert(suspensions)
            .values({
              id: rec.suspensionId,
              workflowId: rec.workflowId,
              enterpriseId: o.enterpriseId,
              regionPath: enterprise.regionPath,
              hazardId: o.hazardId,
              origin: o.origin,
              documentNumber: o.documentNumber,
              reason: o.reason,
              scope: o.scope,
              scopeNote: o.scopeNote,
              startsOn: o.startsOn,
              maxDays: o.maxDays,
              createdBy: o.orderedBy,
              createdAt: new Date(rec.event.occurredAt),
              ...projection(rec.snapshot),
            })
            .onConflictDoNothing({ target: suspensions.id });
        }
        // A decision the bureau numbers gets its number now, kept in the event's data (and so in the chain).
        const documentNumber = await issueSuspensionInstrument(tx, { suspensionId: rec.suspensionId, stepKey: rec.stepKey, type: rec.event.type, actor: rec.event.actor, occurredAt: rec.event.occurredAt });
        await appendCaseEvent(tx, {
          caseType: 'suspension',
          caseId: rec.suspensionId,
          stepKey: rec.stepKey,
          type: rec.event.type,
          actor: rec.event.actor,
          occurredAt: rec.event.occurredAt,
          data: documentNumber ? { ...rec.event.data, documentNumber } : rec.event.data,
        });
        if (rec.notification) {
          const n = rec.notification;
          await tx
            .insert(suspensionNotifications)
            .values({
              suspensionId: rec.suspensionId,
              stepKey: rec.stepKey,
              kind: n.kind,
              recipientRole: n.recipientRole,
              message: n.message,
              scheduledAt: new Date(n.scheduledAt),
            })
            .onConflictDoNothing({ target: [suspensionNotifications.suspensionId, suspensionNotifications.stepKey] });
          await deliverNotification(tx, { workflowId: rec.workflowId, stepKey: rec.stepKey, subjectType: 'suspension', subjectId: rec.suspensionId, kind: n.kind, recipientRole: n.recipientRole, message: n.message, scheduledAt: new Date(n.scheduledAt) });
        }
        await tx
          .update(suspensions)
          .set(projection(rec.snapshot))
          .where(and(eq(suspensions.id, rec.suspensionId), lt(suspensions.projectionSeq, rec.snapshot.seq)));
      });
    },
  };
}
