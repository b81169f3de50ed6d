/** What the timer benchmark's hazards recorded, read back in chunks of ids: the burst's reminders and the open hazards' stray steps. */
import { and, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { hazardEvents } from '../db/schema';

const CHUNK = 5_000;

/** How many reminders these hazards have recorded. */
export async function countReminders(db: Database, ids: string[]): Promise<number> {
  const [row] = (await db.execute(sql`select count(*)::int as n from hazard_events where type = 'reminder_sent' and hazard_id = any(${sql.raw(`array[${ids.map((id) => `'${id}'`).join(',') || "''"}]::uuid[]`)})`)).rows as Array<{ n: number }>;
  return row?.n ?? 0;
}

/** Each reminder these hazards recorded: when it was due, the workflow's clock when it recorded it (occurred_at), and when the row was written (recorded_at). */
export async function recordedReminders(db: Database, ids: string[]): Promise<Array<{ scheduled: number; occurred: number; recorded: number }>> {
  const rows: Array<{ scheduled: number; occurred: number; recorded: number }> = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const got = await db
      .select({ data: hazardEvents.data, occurred: hazardEvents.occurredAt, recorded: hazardEvents.recordedAt })
      .from(hazardEvents)
      .where(and(inArray(hazardEvents.hazardId, ids.slice(i, i + CHUNK)), sql`${hazardEvents.type} = 'reminder_sent'`));
    for (const r of got) rows.push({ scheduled: Number((r.data as { scheduledAt: number }).scheduledAt), occurred: r.occurred.getTime(), recorded: r.recorded.getTime() });
  }
  return rows;
}

/** Timed steps these hazards recorded (none was due): their count, and the lateness of those that carry their due instant. */
export async function strays(db: Database, ids: string[]): Promise<{ count: number; lateness: number[] }> {
  const lateness: number[] = [];
  let count = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const got = await db
      .select({ data: hazardEvents.data, occurred: hazardEvents.occurredAt })
      .from(hazardEvents)
      .where(and(inArray(hazardEvents.hazardId, ids.slice(i, i + CHUNK)), sql`${hazardEvents.type} in ('reminder_sent', 'became_overdue', 'escalated')`));
    count += got.length;
    for (const r of got) {
      const at = (r.data as { scheduledAt?: number }).scheduledAt;
      if (typeof at === 'number') lateness.push(r.occurred.getTime() - at);
    }
  }
  return { count, lateness };
}
