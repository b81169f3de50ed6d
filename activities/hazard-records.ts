/**
 * Writes what a hazard workflow decides: the event (who, what, when), the notification a step
 * sends, and the read model. One transaction per step, keyed by hazard + step, so a retried
 * activity leaves exactly the rows the first attempt left.
 */
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { hazardEvents, hazards, notifications } from '../db/schema';
import type { HazardSnapshot } from '../domain/hazard-view';
import type { HazardGrade, HazardPolicy, RecipientRole } from '../domain/policy';

/** What the registering person said about the hazard. */
export interface HazardRegistration {
  title: string;
  description: string;
  category: string;
  source: string;
  location: string;
  legalBasis: string;
  requiredMeasures: string;
  createdBy: string;
}

export interface HazardEventRecord {
  type: string;
  actor: string;
  occurredAt: number;
  data: Record<string, unknown>;
}

export interface NotificationRecord {
  kind: 'reminder' | 'escalation';
  recipientRole: RecipientRole;
  level: number | null;
  message: string;
  scheduledAt: number;
}

export interface HazardStepRecord {
  hazardId: string;
  workflowId: string;
  stepKey: string;
  event: HazardEventRecord;
  snapshot: HazardSnapshot;
  /** Present on the first step only: creates the hazard's record. */
  registration?: HazardRegistration & { enterpriseId: string; grade: HazardGrade; policy: HazardPolicy };
  notification?: NotificationRecord;
}

const at = (t: number | null) => (t === null ? null : new Date(t));

function projection(s: HazardSnapshot) {
  return {
    status: s.status,
    round: s.round,
    deadline: s.deadline,
    dueAt: new Date(s.dueAt),
    overdueSince: at(s.overdueSince),
    escalationLevel: s.escalationLevel,
    nextStepKind: s.nextStepKind,
    nextStepAt: at(s.nextStepAt),
    submittedAt: at(s.submittedAt),
    closedAt: at(s.closedAt),
    updatedAt: new Date(s.updatedAt),
    projectionSeq: s.seq,
  };
}

export function createHazardRecordActivities(db: Database) {
  return {
    async recordHazardStep(rec: HazardStepRecord): Promise<void> {
      await db.transaction(async (tx) => {
        if (rec.registration) {
          const { enterpriseId, grade, policy, createdBy, ...details } = rec.registration;
          await tx
            .insert(hazards)
            .values({
              id: rec.hazardId,
              workflowId: rec.workflowId,
              enterpriseId,
              grade,
              policy,
              createdBy,
              createdAt: new Date(rec.event.occurredAt),
              ...details,
              ...projection(rec.snapshot),
            })
            .onConflictDoNothing({ target: hazards.id });
        }
        await tx
          .insert(hazardEvents)
          .values({
            hazardId: rec.hazardId,
            stepKey: rec.stepKey,
            type: rec.event.type,
            actor: rec.event.actor,
            occurredAt: new Date(rec.event.occurredAt),
            data: rec.event.data,
          })
          .onConflictDoNothing({ target: [hazardEvents.hazardId, hazardEvents.stepKey] });
        if (rec.notification) {
          const n = rec.notification;
          await tx
            .insert(notifications)
            .values({
              hazardId: rec.hazardId,
              stepKey: rec.stepKey,
              kind: n.kind,
              recipientRole: n.recipientRole,
              level: n.level,
              message: n.message,
              scheduledAt: new Date(n.scheduledAt),
            })
            .onConflictDoNothing({ target: [notifications.hazardId, notifications.stepKey] });
        }
        await tx
          .update(hazards)
          .set(projection(rec.snapshot))
          .where(and(eq(hazards.id, rec.hazardId), lt(hazards.projectionSeq, rec.snapshot.seq)));
      });
    },
  };
}
