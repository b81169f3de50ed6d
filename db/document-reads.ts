/**
 * The records printed instruments are made from, read whole: a notice with its enterprise and
 * hazards, an instrument with what it was issued on, a hazard's own instruments, a suspension.
 * Reach is the caller's business (the API checks it with the record's own finder first).
 */
import { and, asc, eq, or } from 'drizzle-orm';
import type { NoticeFacts } from '../domain/documents/notice-instruments';
import type { HazardFacts, SuspensionFacts } from '../domain/documents/hazard-instruments';
import type { Database } from './client';
import { agencyOf, type NoticeRow } from './notice-queries';
import type { SuspensionRow } from './suspension-queries';
import type { HazardRow } from './hazard-queries';
import { caseEvents, enterprises, hazardEvents, hazardInstruments, hazards, instruments, noticeDecisions, noticeHazards, noticeInstruments, notices, suspensionInstruments, suspensions } from './schema';

export type InstrumentRow = typeof instruments.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An instrument by its id or by its official number. */
export async function findInstrumentRow(db: Database, ref: string): Promise<InstrumentRow | null> {
  const [row] = await db
    .select()
    .from(instruments)
    .where(UUID.test(ref) ? or(eq(instruments.id, ref), eq(instruments.code, ref)) : eq(instruments.code, ref))
    .limit(1);
  return row ?? null;
}

async function enterpriseName(db: Database, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [row] = await db.select({ name: enterprises.name }).from(enterprises).where(eq(enterprises.id, id));
  return row?.name ?? null;
}

export async function noticeFacts(db: Database, n: NoticeRow): Promise<NoticeFacts> {
  const [name, hz] = await Promise.all([
    enterpriseName(db, n.enterpriseId),
    db
      .select({ title: hazards.title, category: hazards.category, location: hazards.location, deadline: hazards.deadline })
      .from(noticeHazards)
      .innerJoin(hazards, eq(hazards.id, noticeHazards.hazardId))
      .where(eq(noticeHazards.noticeId, n.id))
      .orderBy(asc(hazards.createdAt), asc(hazards.id)),
  ]);
  return {
    id: n.id,
    code: n.code,
    agency: n.agency,
    title: n.title,
    requirements: n.requirements,
    legalBasis: n.legalBasis,
    deadline: n.deadline,
    deadlineRule: (n.deadlineRule as NoticeFacts['deadlineRule']) ?? null,
    deadlineProvisional: n.deadlineProvisional,
    grade: n.grade,
    addressee: name ?? n.addressee ?? '—',
    issuedAt: n.issuedAt.getTime(),
    issuedBy: n.issuedBy,
    signDueAt: n.signDueAt?.getTime() ?? null,
    signedAt: n.signedAt?.getTime() ?? null,
    signedBy: n.signedBy,
    hazards: hz,
  };
}

/** A ladder instrument's step: whom it addressed and how far overdue the notice was. */
export async function noticeInstrumentStep(db: Database, noticeId: string, instrumentId: string) {
  const [link] = await db
    .select({ stepKey: noticeInstruments.stepKey, recipientRole: noticeInstruments.recipientRole })
    .from(noticeInstruments)
    .where(and(eq(noticeInstruments.noticeId, noticeId), eq(noticeInstruments.instrumentId, instrumentId)));
  if (!link) return null;
  const [event] = await db
    .select({ data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseType, 'notice'), eq(caseEvents.caseId, noticeId), eq(caseEvents.stepKey, link.stepKey)));
  const afterDays = (event?.data as { afterDays?: unknown } | undefined)?.afterDays;
  return { ...link, afterDays: typeof afterDays === 'number' ? afterDays : null };
}

export async function noticeDecisionRow(db: Database, noticeId: string, decisionId: string) {
  const [row] = await db.select().from(noticeDecisions).where(and(eq(noticeDecisions.noticeId, noticeId), eq(noticeDecisions.id, decisionId)));
  return row ?? null;
}

export async function hazardFacts(db: Database, h: HazardRow): Promise<HazardFacts> {
  return {
    id: h.id,
    title: h.title,
    category: h.category,
    location: h.location,
    enterpriseName: (await enterpriseName(db, h.enterpriseId)) ?? '—',
    legalBasis: h.legalBasis,
    requiredMeasures: h.requiredMeasures,
    deadlineRule: (h.deadlineRule as HazardFacts['deadlineRule']) ?? null,
  };
}

/** The event of the hazard's trail an instrument was issued on. */
export async function hazardInstrumentEvent(db: Database, hazardId: string, instrumentId: string) {
  const [row] = await db
    .select({ type: hazardEvents.type, actor: hazardEvents.actor, occurredAt: hazardEvents.occurredAt, data: hazardEvents.data })
    .from(hazardInstruments)
    .innerJoin(hazardEvents, and(eq(hazardEvents.hazardId, hazardInstruments.hazardId), eq(hazardEvents.stepKey, hazardInstruments.stepKey)))
    .where(and(eq(hazardInstruments.hazardId, hazardId), eq(hazardInstruments.instrumentId, instrumentId)));
  return row ? { ...row, occurredAt: row.occurredAt.getTime(), data: (row.data ?? {}) as Record<string, unknown> } : null;
}

/** The entry of the suspension's trail an instrument was issued on (a decision on resumption), by its place in the chain. */
export async function suspensionInstrumentEvent(db: Database, suspensionId: string, instrumentId: string) {
  const [row] = await db
    .select({ seq: caseEvents.chainSeq, type: caseEvents.type, actor: caseEvents.actor, occurredAt: caseEvents.occurredAt, data: caseEvents.data })
    .from(suspensionInstruments)
    .innerJoin(
      caseEvents,
      and(eq(caseEvents.caseType, 'suspension'), eq(caseEvents.caseId, suspensionInstruments.suspensionId), eq(caseEvents.stepKey, suspensionInstruments.stepKey)),
    )
    .where(and(eq(suspensionInstruments.suspensionId, suspensionId), eq(suspensionInstruments.instrumentId, instrumentId)));
  return row ? { ...row, occurredAt: row.occurredAt.getTime(), data: (row.data ?? {}) as Record<string, unknown> } : null;
}

/** Every instrument on a hazard's own steps, oldest first. */
export async function hazardInstrumentList(db: Database, hazardId: string) {
  return db
    .select({ id: instruments.id, code: instruments.code, kind: instruments.kind, issuedAt: instruments.issuedAt, stepKey: hazardInstruments.stepKey })
    .from(hazardInstruments)
    .innerJoin(instruments, eq(instruments.id, hazardInstruments.instrumentId))
    .where(eq(hazardInstruments.hazardId, hazardId))
    .orderBy(asc(instruments.issuedAt), asc(instruments.number));
}

/** The suspensions ordered on a hazard, oldest first. */
export async function suspensionsOfHazard(db: Database, hazardId: string): Promise<string[]> {
  const rows = await db.select({ id: suspensions.id }).from(suspensions).where(eq(suspensions.hazardId, hazardId)).orderBy(asc(suspensions.createdAt), asc(suspensions.id));
  return rows.map((r) => r.id);
}

/** The notices a hazard belongs to, oldest first. */
export async function noticesOfHazard(db: Database, hazardId: string): Promise<NoticeRow[]> {
  const rows = await db
    .select({ notice: notices })
    .from(noticeHazards)
    .innerJoin(notices, eq(notices.id, noticeHazards.noticeId))
    .where(eq(noticeHazards.hazardId, hazardId))
    .orderBy(asc(notices.issuedAt));
  return rows.map((r) => r.notice);
}

export async function suspensionFacts(db: Database, s: SuspensionRow): Promise<SuspensionFacts> {
  const [[enterprise], [hazard]] = await Promise.all([
    db.select({ name: enterprises.name, regionId: enterprises.regionId }).from(enterprises).where(eq(enterprises.id, s.enterpriseId)),
    s.hazardId ? db.select({ title: hazards.title }).from(hazards).where(eq(hazards.id, s.hazardId)) : Promise.resolve([]),
  ]);
  return {
    id: s.id,
    documentNumber: s.documentNumber,
    agency: enterprise ? await agencyOf(db, enterprise.regionId) : '—',
    enterpriseName: enterprise?.name ?? '—',
    reason: s.reason,
    scope: s.scope,
    scopeNote: s.scopeNote,
    startsOn: s.startsOn,
    plannedEnd: s.plannedEnd,
    maxEnd: s.maxEnd,
    maxDays: s.maxDays,
    createdBy: s.createdBy,
    createdAt: s.createdAt.getTime(),
    hazardTitle: hazard?.title ?? null,
  };
}

/** A suspension's trail entries, by their place in its chain. */
export async function suspensionEvents(db: Database, suspensionId: string) {
  const rows = await db
    .select({ seq: caseEvents.chainSeq, type: caseEvents.type, actor: caseEvents.actor, occurredAt: caseEvents.occurredAt, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseType, 'suspension'), eq(caseEvents.caseId, suspensionId)))
    .orderBy(asc(caseEvents.chainSeq));
  return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.getTime(), data: (r.data ?? {}) as Record<string, unknown> }));
}
