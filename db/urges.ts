/**
 * The records of urges: the row an item's urge writes beside its event (and the notifications it
 * sends), and the bulk urges' rows, the pages of overdue items they urge (keyset by id, so a page
 * costs the same at any depth) and their progress.
 */
import { and, asc, count, eq, gt, like, lte, ne, type SQL } from 'drizzle-orm';
import { bulkRemaining, type BulkUrgePhase, type BulkUrgeProgress, type BulkUrgeScope, type OverduePage } from '../domain/bulk-urge';
import type { UrgeRecord } from '../domain/urge';
import type { Tx } from './admin-audit';
import { deliverNotification } from './deliveries';
import type { Database } from './client';
import { prefixPattern } from './hazard-queries';
import { bulkUrges, hazards, noticeNotifications, notices, notifications, urges } from './schema';

export interface ItemUrge {
  /** The item's workflow: with the notification's key, each delivery's dedup key. */
  workflowId: string;
  itemKind: 'hazard' | 'notice';
  itemId: string;
  stepKey: string;
  urgedBy: string;
  urgedAt: Date;
  urge: UrgeRecord;
}

/** The step key of an urge's notification to one recipient (one step, a notification per role). */
export const urgeNotificationKey = (stepKey: string, role: string) => `${stepKey}/${role}`;

/** Writes the urge's row and its notifications, in the transaction that appends its event; a retry adds nothing. */
export async function recordUrge(tx: Tx, u: ItemUrge): Promise<void> {
  const [item] =
    u.itemKind === 'hazard'
      ? await tx.select({ regionPath: hazards.regionPath, enterpriseId: hazards.enterpriseId }).from(hazards).where(eq(hazards.id, u.itemId))
      : await tx.select({ regionPath: notices.regionPath, enterpriseId: notices.enterpriseId }).from(notices).where(eq(notices.id, u.itemId));
  if (!item) throw new Error(`${u.itemKind} ${u.itemId} has no record yet`);
  await tx
    .insert(urges)
    .values({
      itemKind: u.itemKind,
      itemId: u.itemId,
      stepKey: u.stepKey,
      regionPath: item.regionPath,
      enterpriseId: item.enterpriseId,
      urgedBy: u.urgedBy,
      urgedAt: u.urgedAt,
      message: u.urge.message,
      bulkUrgeId: u.urge.bulkUrgeId,
    })
    .onConflictDoNothing();
  for (const n of u.urge.notifications) {
    const row = { stepKey: urgeNotificationKey(u.stepKey, n.recipientRole), kind: 'urge' as const, recipientRole: n.recipientRole, message: n.message, scheduledAt: u.urgedAt };
    if (u.itemKind === 'hazard') await tx.insert(notifications).values({ hazardId: u.itemId, level: null, ...row }).onConflictDoNothing();
    else await tx.insert(noticeNotifications).values({ noticeId: u.itemId, ...row }).onConflictDoNothing();
    await deliverNotification(tx, { workflowId: u.workflowId, stepKey: row.stepKey, subjectType: u.itemKind, subjectId: u.itemId, kind: 'urge', recipientRole: n.recipientRole, message: n.message, scheduledAt: u.urgedAt });
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk urges

function overdueHazards(scope: BulkUrgeScope, asOf: Date): SQL {
  return and(
    like(hazards.regionPath, prefixPattern(scope.reachPath)),
    scope.kind === 'enterprise' ? eq(hazards.enterpriseId, scope.enterpriseId) : like(hazards.regionPath, prefixPattern(scope.regionPath)),
    eq(hazards.status, 'rectifying'),
    lte(hazards.dueAt, asOf),
  )!;
}

function overdueNotices(scope: BulkUrgeScope, asOf: Date): SQL {
  return and(
    like(notices.regionPath, prefixPattern(scope.reachPath)),
    scope.kind === 'enterprise' ? eq(notices.enterpriseId, scope.enterpriseId) : like(notices.regionPath, prefixPattern(scope.regionPath)),
    ne(notices.status, 'closed'),
    lte(notices.dueAt, asOf),
  )!;
}

const scopeIdOf = (scope: BulkUrgeScope) => (scope.kind === 'enterprise' ? scope.enterpriseId : scope.regionId);

/**
 * Creates the bulk urge's row, counting what it concerns. A retry of the same run finds its row
 * and answers what the first attempt found; a new run of the same id starts afresh.
 */
export async function beginBulkUrge(
  db: Database,
  p: { bulkUrgeId: string; runId: string; by: string; message: string; scope: BulkUrgeScope; at: Date },
): Promise<{ concerned: number; asOf: number }> {
  return db.transaction(async (tx) => {
    const [mine] = await tx.select().from(bulkUrges).where(and(eq(bulkUrges.id, p.bulkUrgeId), eq(bulkUrges.runId, p.runId)));
    if (mine) return { concerned: mine.concerned, asOf: mine.asOf.getTime() };
    const [h] = await tx.select({ n: count() }).from(hazards).where(overdueHazards(p.scope, p.at));
    const [n] = await tx.select({ n: count() }).from(notices).where(overdueNotices(p.scope, p.at));
    const concerned = (h?.n ?? 0) + (n?.n ?? 0);
    const row = {
      id: p.bulkUrgeId,
      runId: p.runId,
      urgedBy: p.by,
      scopeKind: p.scope.kind,
      scopeId: scopeIdOf(p.scope),
      reachPath: p.scope.reachPath,
      message: p.message,
      asOf: p.at,
      concerned,
      told: 0,
      alreadyEnded: 0,
      failed: 0,
      phase: 'hazards' as const,
      startedAt: p.at,
      doneAt: null,
      updatedAt: p.at,
    };
    await tx.insert(bulkUrges).values(row).onConflictDoUpdate({ target: bulkUrges.id, set: row });
    return { concerned, asOf: p.at.getTime() };
  });
}

/** The next page of overdue hazards (or notices) in scope, after `after`. */
export async function overduePage(db: Database, q: { target: 'hazard' | 'notice'; scope: BulkUrgeScope; asOf: Date; after: string | null; limit: number }): Promise<OverduePage> {
  const rows =
    q.target === 'hazard'
      ? await db
          .select({ id: hazards.id })
          .from(hazards)
          .where(and(overdueHazards(q.scope, q.asOf), q.after ? gt(hazards.id, q.after) : undefined))
          .orderBy(asc(hazards.id))
          .limit(q.limit)
      : await db
          .select({ id: notices.id })
          .from(notices)
          .where(and(overdueNotices(q.scope, q.asOf), q.after ? gt(notices.id, q.after) : undefined))
          .orderBy(asc(notices.id))
          .limit(q.limit);
  return { ids: rows.map((r) => r.id), next: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
}

/** Writes the counts so far (whole, not increments: a retried write is harmless). */
export async function recordBulkUrgeProgress(
  db: Database,
  p: { bulkUrgeId: string; runId: string; phase: BulkUrgePhase; counts: { told: number; alreadyEnded: number; failed: number }; at: Date },
): Promise<void> {
  await db
    .update(bulkUrges)
    .set({ ...p.counts, phase: p.phase, doneAt: p.phase === 'done' ? p.at : null, updatedAt: p.at })
    .where(and(eq(bulkUrges.id, p.bulkUrgeId), eq(bulkUrges.runId, p.runId)));
}

export type BulkUrgeView = BulkUrgeProgress & { startedAt: string; doneAt: string | null; asOf: string };

/** A bulk urge as its leader reads it: the counts, and the urges recorded under it so far. `reach`: the reader's. */
export async function findBulkUrge(db: Database, id: string, reach: string): Promise<BulkUrgeView | null> {
  const [r] = await db.select().from(bulkUrges).where(and(eq(bulkUrges.id, id), like(bulkUrges.reachPath, prefixPattern(reach))));
  if (!r) return null;
  const [u] = await db.select({ n: count() }).from(urges).where(eq(urges.bulkUrgeId, id));
  const urged = u?.n ?? 0;
  const counts = { told: r.told, alreadyEnded: r.alreadyEnded, failed: r.failed };
  return {
    bulkUrgeId: r.id,
    scope: { kind: r.scopeKind, id: r.scopeId },
    message: r.message,
    urgedBy: r.urgedBy,
    phase: r.phase,
    concerned: r.concerned,
    ...counts,
    urged,
    passedOver: Math.max(0, r.told - urged),
    remaining: r.phase === 'done' ? 0 : bulkRemaining(r.concerned, counts),
    done: r.phase === 'done',
    asOf: r.asOf.toISOString(),
    startedAt: r.startedAt.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
  };
}

