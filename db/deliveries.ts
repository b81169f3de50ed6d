/**
 * The inbox: a notification step's people, resolved when it fires (domain/posts.ts), each
 * delivered one row (workflow id + step + person + channel), written in the transaction that
 * writes the notification, so a retried activity adds nothing. Reads: a person's deliveries
 * (newest first, keyset by id), the unread count, marking read.
 */
import { and, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { addressingOf, resolveRecipients, type ItemParties, type Post, type Resolution } from '../domain/posts';
import type { Tx } from './admin-audit';
import type { Database } from './client';
import { queueExternal } from './outbox';
import { holdersOver } from './posts';
import { deliveries, enterprises, hazards, notices, recipientResolutions, suspensions, users } from './schema';

export type SubjectType = 'hazard' | 'notice' | 'suspension';

export interface StepNotification {
  workflowId: string;
  stepKey: string;
  subjectType: SubjectType;
  subjectId: string;
  kind: string;
  recipientRole: string;
  message: string;
  scheduledAt: Date;
}

async function userIdsByName(tx: Tx, names: Array<string | null>): Promise<string[]> {
  const wanted = names.filter((n): n is string => !!n);
  if (!wanted.length) return [];
  const rows = await tx.select({ id: users.id }).from(users).where(and(inArray(users.username, wanted), eq(users.active, true)));
  return rows.map((r) => r.id);
}

async function enterpriseParties(tx: Tx, enterpriseId: string | null): Promise<Pick<ItemParties, 'responsibleLeaderId' | 'enterpriseUsers'>> {
  if (!enterpriseId) return { responsibleLeaderId: null, enterpriseUsers: [] };
  const [e] = await tx.select({ leader: enterprises.responsibleLeaderId }).from(enterprises).where(eq(enterprises.id, enterpriseId));
  const people = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.enterpriseId, enterpriseId), eq(users.active, true), eq(users.kind, 'person')));
  return { responsibleLeaderId: e?.leader ?? null, enterpriseUsers: people.map((p) => p.id) };
}

/**
 * The parties of the item as they stand now: its region, who is in charge (a hazard's supervisor
 * and delegate; a notice's issuer; a suspension's orderer), its 包联 leader and its enterprise's people.
 */
async function partiesOf(tx: Tx, type: SubjectType, id: string): Promise<ItemParties> {
  if (type === 'hazard') {
    const [h] = await tx
      .select({ regionPath: hazards.regionPath, enterpriseId: hazards.enterpriseId, supervisor: hazards.assignedSupervisor, delegate: hazards.delegate })
      .from(hazards)
      .where(eq(hazards.id, id));
    if (!h) throw new Error(`hazard ${id} has no record yet`);
    return { regionPath: h.regionPath, inCharge: await userIdsByName(tx, [h.supervisor, h.delegate]), ...(await enterpriseParties(tx, h.enterpriseId)) };
  }
  if (type === 'notice') {
    const [n] = await tx.select({ regionPath: notices.regionPath, enterpriseId: notices.enterpriseId, issuedBy: notices.issuedBy }).from(notices).where(eq(notices.id, id));
    if (!n) throw new Error(`notice ${id} has no record yet`);
    return { regionPath: n.regionPath, inCharge: await userIdsByName(tx, [n.issuedBy]), ...(await enterpriseParties(tx, n.enterpriseId)) };
  }
  const [s] = await tx.select({ regionPath: suspensions.regionPath, enterpriseId: suspensions.enterpriseId, createdBy: suspensions.createdBy }).from(suspensions).where(eq(suspensions.id, id));
  if (!s) throw new Error(`suspension ${id} has no record yet`);
  return { regionPath: s.regionPath, inCharge: await userIdsByName(tx, [s.createdBy]), ...(await enterpriseParties(tx, s.enterpriseId)) };
}

/** Resolves the step's recipients now and delivers it to each; a step already resolved keeps its first resolution. */
export async function deliverNotification(tx: Tx, n: StepNotification): Promise<Resolution> {
  const [done] = await tx
    .select()
    .from(recipientResolutions)
    .where(and(eq(recipientResolutions.workflowId, n.workflowId), eq(recipientResolutions.stepKey, n.stepKey)));
  if (done) {
    return { recipientRole: done.recipientRole, post: done.post as Post | null, regionPath: done.foundAt, userIds: done.userIds, unresolved: done.unresolved };
  }
  const item = await partiesOf(tx, n.subjectType, n.subjectId);
  const a = addressingOf(n.recipientRole);
  const wanted: Post[] = a?.by === 'post' ? [a.post] : a?.by === 'in_charge' ? [a.fallback] : [];
  const resolution = resolveRecipients(n.recipientRole, item, await holdersOver(tx, item.regionPath, wanted));
  await tx
    .insert(recipientResolutions)
    .values({
      workflowId: n.workflowId,
      stepKey: n.stepKey,
      subjectType: n.subjectType,
      subjectId: n.subjectId,
      recipientRole: n.recipientRole,
      post: resolution.post,
      foundAt: resolution.regionPath,
      userIds: resolution.userIds,
      unresolved: resolution.unresolved,
    })
    .onConflictDoNothing();
  if (resolution.userIds.length) {
    // The inbox is delivered by being written; the other channels wait in the outbox.
    await tx
      .insert(deliveries)
      .values(
        resolution.userIds.map((userId) => ({
          state: 'sent' as const,
          sentAt: new Date(),
          userId,
          workflowId: n.workflowId,
          stepKey: n.stepKey,
          channel: 'inbox' as const,
          subjectType: n.subjectType,
          subjectId: n.subjectId,
          kind: n.kind,
          recipientRole: n.recipientRole,
          message: n.message,
          scheduledAt: n.scheduledAt,
        })),
      )
      .onConflictDoNothing();
    await queueExternal(tx, n, resolution.userIds);
  }
  return resolution;
}

/** Whom one step reached, as the pages name them: the post looked for, the people by display name, or nobody. */
export interface Reached {
  post: string | null;
  names: string[];
  unresolved: boolean;
}

/** One step's resolution with its people named (display name, or the id of one no longer a user), as read. */
export interface ReachedStep {
  stepKey: string;
  post: string | null;
  names: string[];
  unresolved: boolean;
}

/** The steps by step key, each step's people in the pages' order. */
export function reachedByStep(steps: ReachedStep[]): Map<string, Reached> {
  return new Map(steps.map((r) => [r.stepKey, { post: r.post, names: [...r.names].sort((a, b) => a.localeCompare(b, 'zh')), unresolved: r.unresolved }]));
}

/** Whom each step of a case reached when it fired, by step key (steps fired before resolutions were recorded are absent). */
export async function reachedBySubject(db: Database, subjectType: 'hazard' | 'notice' | 'suspension', subjectId: string): Promise<Map<string, Reached>> {
  const rows = await db
    .select({ stepKey: recipientResolutions.stepKey, post: recipientResolutions.post, userIds: recipientResolutions.userIds, unresolved: recipientResolutions.unresolved })
    .from(recipientResolutions)
    .where(and(eq(recipientResolutions.subjectType, subjectType), eq(recipientResolutions.subjectId, subjectId)));
  const ids = [...new Set(rows.flatMap((r) => r.userIds))];
  const people = ids.length ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids)) : [];
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  return reachedByStep(rows.map((r) => ({ ...r, names: r.userIds.map((id) => nameOf.get(id) ?? id) })));
}

/** The people a step reached, as resolved when it fired (null: not resolved, e.g. fired before the inbox). */
export async function resolutionOf(db: Database, workflowId: string, stepKey: string) {
  const [row] = await db
    .select()
    .from(recipientResolutions)
    .where(and(eq(recipientResolutions.workflowId, workflowId), eq(recipientResolutions.stepKey, stepKey)));
  return row ?? null;
}

export type DeliveryRow = typeof deliveries.$inferSelect;

/** A person's inbox page, built apart from running it so its plan can be checked (tests/integration/list-plans.test.ts). */
export function deliveryListStatement(db: Database, q: { userId: string; unread?: boolean; beforeId?: number; limit: number }) {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.userId, q.userId), eq(deliveries.channel, 'inbox'), q.unread ? isNull(deliveries.readAt) : undefined, q.beforeId !== undefined ? lt(deliveries.id, q.beforeId) : undefined))
    .orderBy(desc(deliveries.id))
    .limit(q.limit + 1);
}

export async function listDeliveries(db: Database, q: { userId: string; unread?: boolean; beforeId?: number; limit: number }): Promise<DeliveryRow[]> {
  return deliveryListStatement(db, q);
}

/** The bell's count. */
export function unreadCountStatement(db: Database, userId: string) {
  return db
    .select({ n: count() })
    .from(deliveries)
    .where(and(eq(deliveries.userId, userId), eq(deliveries.channel, 'inbox'), isNull(deliveries.readAt)));
}

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await unreadCountStatement(db, userId);
  return Number(row?.n ?? 0);
}

/** Marks one of the person's deliveries read (the first reading time stays); null: no such delivery of theirs. */
export async function markRead(db: Database, userId: string, id: number): Promise<DeliveryRow | null> {
  await db
    .update(deliveries)
    .set({ readAt: sql`now()` })
    .where(and(eq(deliveries.id, id), eq(deliveries.userId, userId), eq(deliveries.channel, 'inbox'), isNull(deliveries.readAt)));
  const [row] = await db.select().from(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.userId, userId), eq(deliveries.channel, 'inbox')));
  return row ?? null;
}

export async function markAllRead(db: Database, userId: string): Promise<number> {
  const rows = await db
    .update(deliveries)
    .set({ readAt: sql`now()` })
    .where(and(eq(deliveries.userId, userId), eq(deliveries.channel, 'inbox'), isNull(deliveries.readAt)))
    .returning({ id: deliveries.id });
  return rows.length;
}
