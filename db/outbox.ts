/**
 * The outbox beyond the inbox: a notification's people, each on the channels they chose, queued
 * in the transaction that records the notification (one row per workflow id + step + person +
 * channel, so a recorded step written twice queues nothing more), with when it may leave
 * (quiet hours) or the day's digest that will carry it. People's preferences are read and kept here.
 */
import { eq, inArray } from 'drizzle-orm';
import { DEFAULT_PREFERENCES, EXTERNAL_CHANNELS, releaseOf, type ExternalChannel, type Preferences } from '../domain/delivery-rules';
import { recordAdminChange, type Tx } from './admin-audit';
import type { Database } from './client';
import type { StepNotification } from './deliveries';
import { deliveries, notificationPreferences, users } from './schema';

type PreferenceRow = typeof notificationPreferences.$inferSelect;

const asPreferences = (row: PreferenceRow | undefined): Preferences =>
  row
    ? {
        channels: row.channels.filter((c): c is ExternalChannel => (EXTERNAL_CHANNELS as readonly string[]).includes(c)),
        email: row.email,
        phone: row.phone,
        quietFrom: row.quietFrom,
        quietUntil: row.quietUntil,
        digest: row.digest,
      }
    : DEFAULT_PREFERENCES;

/** A channel is usable for a person who gave the address it needs (robots post to a group, naming the phone when known). */
const reachable = (channel: ExternalChannel, p: Preferences) => (channel === 'email' ? !!p.email : channel === 'sms' ? !!p.phone : true);

/** Queues the notification on each person's chosen channels. */
export async function queueExternal(tx: Tx, n: StepNotification, userIds: string[]): Promise<void> {
  const people = await tx
    .select({ id: users.id, role: users.role, prefs: notificationPreferences })
    .from(users)
    .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
    .where(inArray(users.id, userIds));
  const rows = people.flatMap((person) => {
    const p = asPreferences(person.prefs ?? undefined);
    const release = releaseOf(n.scheduledAt.getTime(), n.kind, person.role, p);
    return p.channels
      .filter((c) => reachable(c, p))
      .map((channel) => ({
        userId: person.id,
        workflowId: n.workflowId,
        stepKey: n.stepKey,
        channel,
        subjectType: n.subjectType,
        subjectId: n.subjectId,
        kind: n.kind,
        recipientRole: n.recipientRole,
        message: n.message,
        scheduledAt: n.scheduledAt,
        notBefore: new Date(release.notBefore),
        nextAttemptAt: new Date(release.notBefore),
        digestDate: release.digestDate,
      }));
  });
  if (rows.length) await tx.insert(deliveries).values(rows).onConflictDoNothing();
}

export async function preferencesOf(db: Database | Tx, userId: string): Promise<Preferences & { updatedAt: Date | null; updatedBy: string | null }> {
  const [row] = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return { ...asPreferences(row), updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

/** Sets a person's preferences (attributed to who set them); later notifications follow them. */
export async function setPreferences(db: Database, userId: string, p: Preferences, by: string) {
  const values = { ...p, updatedBy: by, updatedAt: new Date() };
  await db.transaction(async (tx) => {
    await tx
      .insert(notificationPreferences)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
    // Addresses stay out of the append-only log: it says only that one was given.
    await recordAdminChange(tx, {
      actor: by,
      action: 'notification_preferences.set',
      subjectType: 'user',
      subjectId: userId,
      data: { channels: p.channels, email: !!p.email, phone: !!p.phone, quietFrom: p.quietFrom, quietUntil: p.quietUntil, digest: p.digest },
    });
  });
  return preferencesOf(db, userId);
}
