/**
 * The dispatcher's side of the outbox. A due delivery is claimed under FOR UPDATE SKIP LOCKED
 * and its try recorded ('sending') in one transaction before anything is sent, its lease moving
 * the next try past the send's own timeout; the try is finished after (sent, or failed with the
 * next try's time). One checked at claim time against the item's current state is skipped with
 * the reason instead (nothing after closure, no reminder once answered). A person's digest day
 * gathers what waited for it into one delivery of its own.
 */
import { and, asc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { digestDueAt, digestText, endOfQuiet, MAX_ATTEMPTS, retryDelayMs, staleReason, type ExternalChannel, type SubjectNow } from '../domain/delivery-rules';
import { clipText } from '../domain/storable-text';
import type { Tx } from './admin-audit';
import type { Database } from './client';
import { preferencesOf } from './outbox';
import { deliveries, deliveryAttempts, hazards, notices, suspensions } from './schema';

export type DeliveryRow = typeof deliveries.$inferSelect;

export interface Claim {
  delivery: DeliveryRow;
  attempt: number;
  /** Same on every try of this delivery: providers that take one drop a repeat. */
  idempotencyKey: string;
  to: { email: string | null; phone: string | null };
}

export const idempotencyKeyOf = (d: Pick<DeliveryRow, 'workflowId' | 'stepKey' | 'userId' | 'channel'>) => `${d.workflowId}/${d.stepKey}/${d.userId}/${d.channel}`;

async function subjectNow(tx: Tx, d: Pick<DeliveryRow, 'subjectType' | 'subjectId'>): Promise<SubjectNow> {
  const table = d.subjectType === 'hazard' ? hazards : d.subjectType === 'notice' ? notices : d.subjectType === 'suspension' ? suspensions : null;
  if (!table) return { type: 'digest', status: null };
  const [row] = await tx.select({ status: table.status }).from(table).where(eq(table.id, d.subjectId));
  return { type: d.subjectType as SubjectNow['type'], status: row?.status ?? null };
}

async function skip(tx: Tx, id: number, reason: string): Promise<void> {
  await tx.update(deliveries).set({ state: 'skipped', skipReason: reason }).where(eq(deliveries.id, id));
}

/**
 * Claims up to `limit` deliveries due at `now` on the configured channels (a delivery on a
 * channel not configured is skipped, saying so) and records a try of each.
 */
export async function claimDue(db: Database, opts: { now: Date; limit: number; leaseMs: number; configured: ReadonlySet<ExternalChannel> }): Promise<Claim[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.state, 'pending'), isNull(deliveries.digestDate), lte(deliveries.notBefore, opts.now), lte(deliveries.nextAttemptAt, opts.now)))
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(opts.limit)
      .for('update', { skipLocked: true });
    const claims: Claim[] = [];
    for (const d of due) {
      if (d.channel === 'inbox') continue;
      if (!opts.configured.has(d.channel)) {
        await skip(tx, d.id, 'channel_unconfigured');
        continue;
      }
      const stale = staleReason(d.kind, await subjectNow(tx, d));
      if (stale) {
        await skip(tx, d.id, stale);
        continue;
      }
      const attempt = d.attempts + 1;
      await tx
        .update(deliveries)
        .set({ attempts: attempt, nextAttemptAt: new Date(opts.now.getTime() + opts.leaseMs) })
        .where(eq(deliveries.id, d.id));
      await tx.insert(deliveryAttempts).values({ deliveryId: d.id, attempt, outcome: 'sending', startedAt: opts.now });
      const p = await preferencesOf(tx, d.userId);
      claims.push({ delivery: { ...d, attempts: attempt }, attempt, idempotencyKey: idempotencyKeyOf(d), to: { email: p.email, phone: p.phone } });
    }
    return claims;
  });
}

/** Finishes a try: sent, or failed (tried again after the backoff, or failed for good after the last try). */
export async function finishAttempt(db: Database, claim: Claim, outcome: { ok: true } | { ok: false; error: string; final?: boolean }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const id = claim.delivery.id;
    await tx
      .update(deliveryAttempts)
      .set({ outcome: outcome.ok ? 'sent' : 'failed', error: outcome.ok ? null : clipText(outcome.error, 500), finishedAt: now })
      .where(and(eq(deliveryAttempts.deliveryId, id), eq(deliveryAttempts.attempt, claim.attempt)));
    // Only the latest try decides the delivery's state (a try outlived by its lease does not).
    const mine = and(eq(deliveries.id, id), eq(deliveries.attempts, claim.attempt), eq(deliveries.state, 'pending'));
    if (outcome.ok) {
      await tx.update(deliveries).set({ state: 'sent', sentAt: now, lastError: null }).where(mine);
    } else if (outcome.final || claim.attempt >= MAX_ATTEMPTS) {
      await tx.update(deliveries).set({ state: 'failed', lastError: clipText(outcome.error, 500) }).where(mine);
    } else {
      await tx
        .update(deliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + retryDelayMs(claim.attempt)), lastError: clipText(outcome.error, 500) })
        .where(mine);
    }
  });
}

/**
 * Gathers each person's waiting deliveries of every day whose digest is due by `now` into one
 * digest delivery per channel (keyed digest-<person> / <day> / channel); what went stale meanwhile
 * is skipped instead. Returns how many digests were made.
 */
export async function assembleDigests(db: Database, now: Date): Promise<number> {
  const groups = await db
    .selectDistinct({ userId: deliveries.userId, channel: deliveries.channel, day: deliveries.digestDate })
    .from(deliveries)
    .where(and(eq(deliveries.state, 'pending'), isNotNull(deliveries.digestDate), lte(deliveries.digestDate, sql`(${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date`)));
  let made = 0;
  for (const g of groups) {
    const day = g.day!;
    if (digestDueAt(day) > now.getTime()) continue;
    made += await db.transaction(async (tx) => {
      const waiting = await tx
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.state, 'pending'), eq(deliveries.userId, g.userId), eq(deliveries.channel, g.channel), eq(deliveries.digestDate, day)))
        .orderBy(asc(deliveries.scheduledAt), asc(deliveries.id))
        .for('update', { skipLocked: true });
      const carried: DeliveryRow[] = [];
      for (const d of waiting) {
        const stale = staleReason(d.kind, await subjectNow(tx, d));
        if (stale) await skip(tx, d.id, stale);
        else carried.push(d);
      }
      if (!carried.length) return 0;
      const text = digestText(day, carried);
      const due = digestDueAt(day);
      const p = await preferencesOf(tx, g.userId);
      const workflowId = `digest-${g.userId}`;
      await tx
        .insert(deliveries)
        .values({
          userId: g.userId,
          workflowId,
          stepKey: day,
          channel: g.channel,
          subjectType: 'digest',
          subjectId: g.userId,
          kind: 'digest',
          recipientRole: '-',
          message: text.body,
          scheduledAt: new Date(due),
          notBefore: new Date(endOfQuiet(due, p)),
          nextAttemptAt: new Date(endOfQuiet(due, p)),
        })
        .onConflictDoNothing();
      const [digest] = await tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(eq(deliveries.workflowId, workflowId), eq(deliveries.stepKey, day), eq(deliveries.userId, g.userId), eq(deliveries.channel, g.channel)));
      for (const d of carried) {
        await tx.update(deliveries).set({ state: 'skipped', skipReason: 'in_digest', digestId: digest!.id }).where(eq(deliveries.id, d.id));
      }
      return 1;
    });
  }
  return made;
}

/** Every delivery of an item with its tries, for its timeline (oldest first). */
export async function deliveriesOfItem(db: Database, subjectType: 'hazard' | 'notice' | 'suspension', subjectId: string) {
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.subjectType, subjectType), eq(deliveries.subjectId, subjectId)))
    .orderBy(asc(deliveries.scheduledAt), asc(deliveries.id));
  const tries = rows.length
    ? await db
        .select()
        .from(deliveryAttempts)
        .where(sql`${deliveryAttempts.deliveryId} in (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`)
        .orderBy(asc(deliveryAttempts.deliveryId), asc(deliveryAttempts.attempt))
    : [];
  return rows.map((d) => ({ delivery: d, attempts: tries.filter((t) => t.deliveryId === d.id) }));
}
