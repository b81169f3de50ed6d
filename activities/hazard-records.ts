/**
 * Writes what a hazard workflow decides: the event (who, what, when), the notification a step
 * sends, and the read model. One transaction per step, keyed by hazard + step, so a retried
 * activity leaves exactly the rows the first attempt left.
 */
import { and, eq, inArray, isNull, lt, type WithSubquery } from 'drizzle-orm';
import type { Tx } from '../db/admin-audit';
import type { Database } from '../db/client';
import { MissingRecordError } from './failures';
import { enterprises, evidenceFiles, hazards, notifications } from '../db/schema';
import { appendHazardEvent, lockHazard } from '../db/hazard-events';
import { issueHazardInstrument } from '../db/instrument-numbers';
import { recordUrge } from '../db/urges';
import { deliverNotification } from '../db/deliveries';
import type { UrgeRecord } from '../domain/urge';
import type { HazardEvent, HazardNotification } from '../domain/hazard-events';
import type { HazardSnapshot } from '../domain/hazard-view';
import type { HazardGrade, HazardPolicy } from '../domain/policy';

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
  /** The stored policy version the hazard runs on, when it came from the policy table. */
  policyId?: number | null;
  /** The inspection and finding (1-based) the hazard was registered from. */
  inspectionId?: string | null;
  inspectionFinding?: number | null;
  /** The closed hazard of the same enterprise and category this one repeats (see domain/repeat-hazard.ts). */
  repeatOf?: string | null;
  /**
   * Imported from a legacy ledger: when the hazard was found there (an ISO instant, not after the
   * import). The record keeps it as the hazard's created_at, so a campaign counts it as stock.
   */
  foundAt?: string;
}

/** The event and the notification as domain/hazard-events shapes them. */
export type HazardEventRecord = HazardEvent;
export type NotificationRecord = HazardNotification;

export interface HazardStepRecord {
  hazardId: string;
  workflowId: string;
  stepKey: string;
  event: HazardEventRecord;
  snapshot: HazardSnapshot;
  /** Present on the first step only: creates the hazard's record. */
  registration?: HazardRegistration & { enterpriseId: string; grade: HazardGrade; policy: HazardPolicy };
  notification?: NotificationRecord;
  /** A change of policy version rewrites the record's policy, in the same transaction. */
  policyChange?: { policy: HazardPolicy; policyId: number };
  /** A submission freezes its evidence files into the round's set, in the same transaction. */
  freezeEvidence?: { fileIds: string[]; round: number; manifestHash: string };
  /** An urge (催办): its row and its notifications, in the same transaction. */
  urge?: UrgeRecord;
}

const at = (t: number | null) => (t === null ? null : new Date(t));

/** The read-model columns a snapshot sets (the city seed writes its rows through this too). */
export function projection(s: HazardSnapshot) {
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
    // Snapshots written by workflow code older than extensions carry none of these.
    originalDeadline: s.originalDeadline ?? s.deadline,
    extensionPending: s.extensionRequest != null,
    extensionRequest: s.extensionRequest ? { ...s.extensionRequest, at: new Date(s.extensionRequest.at).toISOString() } : null,
    extensionsGranted: s.extensionsGranted ?? 0,
    roundExtensions: s.roundExtensions ?? 0,
    ...(s.provisional === undefined ? {} : laterFields(s)),
    updatedAt: new Date(s.updatedAt),
    projectionSeq: s.seq,
  };
}

/** Columns of the read model that snapshots carry since void, reassignment and major-hazard rules. */
function laterFields(s: HazardSnapshot) {
  return {
    provisional: s.provisional ?? false,
    // Written before the two were told apart: the deadline counts as provisional, as it was shown.
    deadlineProvisional: s.deadlineProvisional ?? s.provisional ?? false,
    laterStepsProvisional: s.laterStepsProvisional ?? false,
    deadlineRule: s.deadlineRule ?? null,
    reviewDueAt: at(s.reviewDueAt ?? null),
    reviewOverdueSince: at(s.reviewOverdueSince ?? null),
    voided: s.voided ? { ...s.voided, at: new Date(s.voided.at).toISOString() } : null,
    assignedSupervisor: s.assignment?.supervisor ?? null,
    enterpriseContact: s.assignment?.enterpriseContact ?? null,
    delegate: s.assignment?.delegate ?? null,
    listingLevel: s.listingLevel ?? null,
    plan: s.plan ? { ...s.plan, at: new Date(s.plan.at).toISOString() } : null,
    acceptances: (s.acceptances ?? []).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    reopenings: s.reopenings ?? 0,
  };
}

/** A legacy hazard's found time, never later than its registration (nor unreadable). */
function foundAtOrNow(foundAt: string | undefined, registeredAt: number): number {
  const found = foundAt === undefined ? NaN : Date.parse(foundAt);
  return Number.isNaN(found) ? registeredAt : Math.min(found, registeredAt);
}

/** The registration's row, placed in its enterprise's region; once (a retry finds it there). */
async function insertHazard(tx: Tx, rec: HazardStepRecord & { registration: NonNullable<HazardStepRecord['registration']> }): Promise<void> {
  const { enterpriseId, grade, policy, createdBy, foundAt, ...details } = rec.registration;
  const [enterprise] = await tx.select({ regionPath: enterprises.regionPath }).from(enterprises).where(eq(enterprises.id, enterpriseId));
  if (!enterprise) throw new MissingRecordError(`enterprise ${enterpriseId} does not exist`);
  await tx
    .insert(hazards)
    .values({
      id: rec.hazardId,
      workflowId: rec.workflowId,
      enterpriseId,
      regionPath: enterprise.regionPath,
      grade,
      policy,
      createdBy,
      createdAt: new Date(foundAtOrNow(foundAt, rec.event.occurredAt)),
      ...details,
      ...projection(rec.snapshot),
    })
    .onConflictDoNothing({ target: hazards.id });
}

/** The step's writes that need nothing read first, sent with its event in one statement (db/hazard-events.ts). */
function writesWithEvent(tx: Tx, rec: HazardStepRecord, withProjection: boolean): WithSubquery[] {
  const ctes: WithSubquery[] = [];
  if (rec.freezeEvidence) {
    const { fileIds, round, manifestHash } = rec.freezeEvidence;
    ctes.push(
      tx.$with('frozen').as(
        tx
          .update(evidenceFiles)
          .set({ submittedRound: round, manifestHash })
          .where(and(eq(evidenceFiles.hazardId, rec.hazardId), inArray(evidenceFiles.id, fileIds), isNull(evidenceFiles.submittedRound))),
      ),
    );
  }
  if (withProjection) ctes.push(tx.$with('projected').as(projectionUpdate(tx, rec)));
  return ctes;
}

/** The read model follows the snapshot, unless a later one is there already. */
function projectionUpdate(tx: Tx, rec: HazardStepRecord) {
  return tx
    .update(hazards)
    .set(projection(rec.snapshot))
    .where(and(eq(hazards.id, rec.hazardId), lt(hazards.projectionSeq, rec.snapshot.seq)));
}

export function createHazardRecordActivities(db: Database) {
  return {
    async recordHazardStep(rec: HazardStepRecord): Promise<void> {
      await db.transaction(async (tx) => {
        if (rec.registration) await insertHazard(tx, { ...rec, registration: rec.registration });
        const locked = await lockHazard(tx, rec.hazardId);
        // The read model is written last when a later write reads the row or writes it too (the
        // parties of a notification or an urge, a policy change), as it always was; else with the event.
        const projectionLast = !!(rec.notification || rec.urge || rec.policyChange);
        const appended = await appendHazardEvent(tx, { hazardId: rec.hazardId, stepKey: rec.stepKey, ...rec.event }, writesWithEvent(tx, rec, !projectionLast));
        await issueHazardInstrument(
          tx,
          { hazardId: rec.hazardId, stepKey: rec.stepKey, type: rec.event.type, actor: rec.event.actor, occurredAt: rec.event.occurredAt },
          locked ? { regionPath: locked.regionPath, eventAppended: appended } : undefined,
        );
        if (rec.urge) {
          await recordUrge(tx, { workflowId: rec.workflowId, itemKind: 'hazard', itemId: rec.hazardId, stepKey: rec.stepKey, urgedBy: rec.event.actor, urgedAt: new Date(rec.event.occurredAt), urge: rec.urge });
        }
        if (rec.policyChange) {
          await tx.update(hazards).set(rec.policyChange).where(eq(hazards.id, rec.hazardId));
        }
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
          await deliverNotification(tx, { workflowId: rec.workflowId, stepKey: rec.stepKey, subjectType: 'hazard', subjectId: rec.hazardId, kind: n.kind, recipientRole: n.recipientRole, message: n.message, scheduledAt: new Date(n.scheduledAt) });
        }
        if (projectionLast) await projectionUpdate(tx, rec);
      });
    },
  };
}
