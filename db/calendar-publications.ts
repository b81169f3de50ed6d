/**
 * The records of calendar publications: the import that begins one, the pages of open hazards
 * and notices it tells (keyset by id, so a page costs the same at any depth), and its progress.
 */
import { and, asc, between, count, desc, eq, gt, inArray, ne, or, type SQL } from 'drizzle-orm';
import {
  remainingOf,
  type ConcernedPage,
  type PublicationCounts,
  type PublicationPhase,
  type PublicationProgress,
  type PublicationStart,
  type PublicationTarget,
} from '../domain/calendar-publication';
import { deadlineFromRule, type DeadlineBasis } from '../domain/hazard-calendar';
import { WorkCalendar, type YearCalendar } from '../domain/work-calendar';
import { calendarYearsAmong, storeCalendarYear } from './calendar';
import type { Database } from './client';
import { calendarPublications, hazards, notices } from './schema';

/**
 * Open hazards the year concerns: those holding a provisional date, and, when a year is
 * corrected, those whose deadline lies where counting can reach it (dates counted on the old data).
 */
function concernedHazards(year: number, replaced: boolean): SQL {
  const affected = replaced ? or(eq(hazards.provisional, true), between(hazards.deadline, `${year - 1}-11-01`, `${year}-12-31`)) : eq(hazards.provisional, true);
  return and(affected, inArray(hazards.status, ['rectifying', 'under_review']))!;
}

function concernedNotices(): SQL {
  return and(eq(notices.provisional, true), ne(notices.status, 'closed'))!;
}

/**
 * Stores the year and the publication's row in one transaction. A retry of the same run finds
 * its row and answers what the first attempt found, without importing twice; a new run of the
 * same publication id starts its counts afresh.
 */
export async function beginPublication(
  db: Database,
  p: { publicationId: string; runId: string; actor: string; year: YearCalendar; at: Date },
): Promise<PublicationStart> {
  return db.transaction(async (tx) => {
    const [mine] = await tx.select().from(calendarPublications).where(and(eq(calendarPublications.id, p.publicationId), eq(calendarPublications.runId, p.runId)));
    if (mine) return { year: mine.year, replaced: mine.replaced, previous: (mine.previous as YearCalendar | null) ?? null, concerned: mine.concerned };
    const stored = await storeCalendarYear(tx, p.actor, p.year);
    const [h] = await tx.select({ n: count() }).from(hazards).where(concernedHazards(stored.year, stored.replaced));
    const [n] = await tx.select({ n: count() }).from(notices).where(concernedNotices());
    const concerned = (h?.n ?? 0) + (n?.n ?? 0);
    const row = {
      id: p.publicationId,
      runId: p.runId,
      year: stored.year,
      replaced: stored.replaced,
      previous: stored.previous,
      publishedBy: p.actor,
      publishedAt: p.at,
      concerned,
      hazardsTold: 0,
      noticesTold: 0,
      alreadyEnded: 0,
      failed: 0,
      deadlinesMoved: 0,
      phase: 'hazards' as const,
      doneAt: null,
      updatedAt: p.at,
    };
    await tx.insert(calendarPublications).values(row).onConflictDoUpdate({ target: calendarPublications.id, set: row });
    return { year: stored.year, replaced: stored.replaced, previous: stored.previous, concerned };
  });
}

/**
 * The next page of ids the publication tells, after `after`. For hazards, it also counts the
 * deadlines the year moves: a counted deadline still as its rule gave it on the year as it stood
 * before, which the year as published now gives otherwise (an extension or a rejection fixed a
 * date, and such a date never moves).
 */
export async function concernedPage(
  db: Database,
  q: { target: PublicationTarget; year: number; replaced: boolean; previous: YearCalendar | null; after: string | null; limit: number },
): Promise<ConcernedPage> {
  if (q.target === 'notice') {
    const rows = await db
      .select({ id: notices.id })
      .from(notices)
      .where(and(concernedNotices(), q.after ? gt(notices.id, q.after) : undefined))
      .orderBy(asc(notices.id))
      .limit(q.limit);
    return { ids: rows.map((r) => r.id), moved: 0, next: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  }
  const rows = await db
    .select({ id: hazards.id, status: hazards.status, deadline: hazards.deadline, deadlineRule: hazards.deadlineRule })
    .from(hazards)
    .where(and(concernedHazards(q.year, q.replaced), q.after ? gt(hazards.id, q.after) : undefined))
    .orderBy(asc(hazards.id))
    .limit(q.limit);
  const neighbours = await calendarYearsAmong(db, [q.year - 1, q.year, q.year + 1]);
  const after = new WorkCalendar(neighbours);
  const before = new WorkCalendar([...neighbours.filter((y) => y.year !== q.year), ...(q.previous ? [q.previous] : [])].sort((a, b) => a.year - b.year));
  let moved = 0;
  for (const h of rows) {
    const rule = h.deadlineRule as DeadlineBasis | null;
    if (!rule || h.status !== 'rectifying' || deadlineFromRule(rule, before).date !== h.deadline) continue;
    if (deadlineFromRule(rule, after).date !== h.deadline) moved++;
  }
  return { ids: rows.map((r) => r.id), moved, next: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
}

/** Writes the counts so far (whole, not increments: a retried write is harmless). */
export async function recordPublicationProgress(
  db: Database,
  p: { publicationId: string; runId: string; phase: PublicationPhase; counts: PublicationCounts; at: Date },
): Promise<void> {
  await db
    .update(calendarPublications)
    .set({ ...p.counts, phase: p.phase, doneAt: p.phase === 'done' ? p.at : null, updatedAt: p.at })
    .where(and(eq(calendarPublications.id, p.publicationId), eq(calendarPublications.runId, p.runId)));
}

type PublicationRecord = PublicationProgress & { publishedBy: string; publishedAt: string; doneAt: string | null };

function progressOf(r: typeof calendarPublications.$inferSelect): PublicationRecord {
  const counts: PublicationCounts = { hazardsTold: r.hazardsTold, noticesTold: r.noticesTold, alreadyEnded: r.alreadyEnded, failed: r.failed, deadlinesMoved: r.deadlinesMoved };
  return {
    publicationId: r.id,
    year: r.year,
    replaced: r.replaced,
    phase: r.phase,
    concerned: r.concerned,
    ...counts,
    remaining: r.phase === 'done' ? 0 : remainingOf(r.concerned, counts),
    done: r.phase === 'done',
    publishedBy: r.publishedBy,
    publishedAt: r.publishedAt.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
  };
}

export async function findPublication(db: Database, id: string): Promise<PublicationRecord | null> {
  const [r] = await db.select().from(calendarPublications).where(eq(calendarPublications.id, id));
  return r ? progressOf(r) : null;
}

/** The latest publications, newest first. */
export async function latestPublications(db: Database, limit: number): Promise<PublicationRecord[]> {
  const rows = await db.select().from(calendarPublications).orderBy(desc(calendarPublications.publishedAt)).limit(limit);
  return rows.map(progressOf);
}
