/**
 * Reads a hazard's case file from the database: the hazard with its enterprise, the audit
 * chains of its story (its own, each notice that held it, each suspension ordered on it) with
 * every entry as hashed, the evidence manifest, decisions and instruments. The workflow's runs
 * come from Temporal (temporal/workflow-runs.ts) and are passed in.
 */
import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { CaseChain, ChainEntry, UnsignedCaseFile } from '../domain/case-file';
import { CASE_FILE_FORMAT } from '../domain/case-file';
import {
  HAZARD_INSTRUMENT_OF_EVENT,
  hazardInstrumentTitle,
  isResumptionEvent,
  resumptionDecisionHeading,
  SUSPENSION_ORDER_TITLE,
  suspensionInstrumentTitle,
} from '../domain/documents/hazard-instruments';
import { noticeDecisionTitle, printedInstrumentTitle } from '../domain/documents/notice-instruments';
import { discloseHazardEvent, type HazardEventReader } from '../domain/hazard-event-disclosure';
import type { SuspensionOrigin } from '../domain/suspension';
import { shownOrigin } from '../domain/suspension-disclosure';
import type { Tx } from './admin-audit';
import { caseEventContent, caseChain, type CaseType } from './case-events';
import type { Database } from './client';
import { hazardChain, hazardEventContent } from './hazard-events';
import { displayNamesOf } from './people';
import { caseEvents, enterprises, evidenceFiles, hazardEvents, hazards, instruments, noticeDecisions, noticeHazards, notices, suspensions } from './schema';

type Reader = Database | Tx;

/** The title a hazard's or suspension's own decision is printed under, as the document list names it. */
function ownDecisionTitle(type: string, data: unknown): string {
  const instrument = HAZARD_INSTRUMENT_OF_EVENT[type];
  if (instrument) return hazardInstrumentTitle(instrument);
  if (isResumptionEvent({ type })) return resumptionDecisionHeading({ type, data: (data ?? {}) as Record<string, unknown> }).title;
  return SUSPENSION_ORDER_TITLE;
}

export interface WorkflowRuns {
  workflowId: string;
  runs: Array<{ runId: string; status: string; startTime: string | null; closeTime: string | null; events: number }>;
}

/** What the reader may see of notices and suspensions (noticeScope, suspensionScope), and the reader's role. */
export interface CaseReach {
  notice: SQL;
  suspension: SQL;
  role: string;
}

/**
 * An entry as the reader may see it: the hazard's own events as domain/hazard-event-disclosure
 * says, a suspension's order without the decision it carries out when its notice is out of reach
 * (domain/suspension-disclosure). One holding back anything is shown withheld, checked by its
 * hash and link alone.
 */
function disclosedEntry(chain: string, e: ChainEntry, reader: HazardEventReader, openable: ReadonlySet<string>): ChainEntry {
  const data = e.content.data;
  if (!data || typeof data !== 'object') return e;
  const stored = data as Record<string, unknown>;
  let shown: Record<string, unknown> | null = null;
  if (chain.startsWith('hazard:')) {
    const event = { type: String(e.content.type), data: stored, step: String(e.content.step) };
    const disclosed = discloseHazardEvent(event, reader);
    if (disclosed !== event) shown = { data: disclosed?.data ?? {}, step: disclosed?.step ?? event.step };
  } else {
    const origin = stored.origin as SuspensionOrigin | null | undefined;
    if (origin && !shownOrigin(origin, openable)) shown = { data: { ...stored, origin: null } };
  }
  return shown ? { ...e, content: { ...e.content, ...shown }, withheld: true } : e;
}

/**
 * Which chains tell a hazard's story as the reader may see it: its own, and those of the notices
 * and suspensions about it within `reach`. A notice to a township's bureau holds hazards a grid's
 * supervisor sees, but is not theirs to read.
 */
export async function caseChainsOf(db: Reader, hazardId: string, reach: CaseReach): Promise<{ notices: string[]; suspensions: string[] }> {
  const [n, s] = await Promise.all([
    db.select({ id: noticeHazards.noticeId }).from(noticeHazards).innerJoin(notices, eq(notices.id, noticeHazards.noticeId)).where(and(eq(noticeHazards.hazardId, hazardId), reach.notice)),
    db.select({ id: suspensions.id }).from(suspensions).where(and(eq(suspensions.hazardId, hazardId), reach.suspension)),
  ]);
  return { notices: n.map((r) => r.id).sort(), suspensions: s.map((r) => r.id).sort() };
}

/** The entries of one chain as stored, each with exactly the content its hash covers. */
export async function storedChain(db: Reader, chain: string): Promise<ChainEntry[] | null> {
  const [kind, id] = chain.split(':') as [string, string | undefined];
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  if (kind === 'hazard') {
    const rows = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id)).orderBy(asc(hazardEvents.chainSeq));
    return rows.map((r) => ({ seq: r.chainSeq, content: hazardEventContent(r), prevHash: r.prevHash, hash: r.hash, version: r.hashVersion }));
  }
  if (kind === 'notice' || kind === 'suspension') {
    const rows = await db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseType, kind as CaseType), eq(caseEvents.caseId, id)))
      .orderBy(asc(caseEvents.chainSeq));
    return rows.map((r) => ({ seq: r.chainSeq, content: caseEventContent(r) as Record<string, unknown>, prevHash: r.prevHash, hash: r.hash, version: r.hashVersion }));
  }
  return null;
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The hazard's case file, unsigned, with the notices and suspensions within `reach`; null when there is no such hazard. */
export async function readCaseFile(db: Reader, hazardId: string, workflow: WorkflowRuns, reach: CaseReach): Promise<UnsignedCaseFile | null> {
  const [hazard] = await db
    .select({ h: hazards, enterprise: { id: enterprises.id, name: enterprises.name, creditCode: enterprises.creditCode } })
    .from(hazards)
    .innerJoin(enterprises, eq(enterprises.id, hazards.enterpriseId))
    .where(eq(hazards.id, hazardId));
  if (!hazard) return null;
  const h = hazard.h;
  const related = await caseChainsOf(db, hazardId, reach);
  const names = [hazardChain(hazardId), ...related.notices.map((id) => caseChain('notice', id)), ...related.suspensions.map((id) => caseChain('suspension', id))];
  const [files, decisions, issued] = await Promise.all([
    db.select().from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazardId)).orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id)),
    related.notices.length
      ? db.select().from(noticeDecisions).where(inArray(noticeDecisions.noticeId, related.notices)).orderBy(asc(noticeDecisions.openedAt), asc(noticeDecisions.id))
      : Promise.resolve([]),
    db
      .select()
      .from(instruments)
      .where(
        or(
          and(eq(instruments.subjectType, 'hazard'), eq(instruments.subjectId, hazardId)),
          related.notices.length ? and(eq(instruments.subjectType, 'notice'), inArray(instruments.subjectId, related.notices)) : undefined,
          related.suspensions.length ? and(eq(instruments.subjectType, 'suspension'), inArray(instruments.subjectId, related.suspensions)) : undefined,
        ),
      )
      .orderBy(asc(instruments.issuedAt), asc(instruments.number)),
  ]);

  // The notices within reach are the ones whose decisions were read: a suspension may name no other's.
  const reader = { role: reach.role, readableNotices: new Set(related.notices) };
  const openable = new Set(decisions.map((d) => d.id));
  const audit: CaseChain[] = [];
  for (const chain of names) audit.push({ chain, entries: ((await storedChain(db, chain)) ?? []).map((e) => disclosedEntry(chain, e, reader, openable)) });
  const entries = audit.flatMap((c) => c.entries.map((e) => ({ chain: c.chain, e })));
  const logins = new Set<string>([h.createdBy, ...entries.map(({ e }) => String(e.content.actor)), ...files.map((f) => f.uploadedBy), ...issued.map((i) => i.issuedBy)]);
  for (const d of decisions) if (d.decidedBy) logins.add(d.decidedBy);
  const people = await displayNamesOf(db as Database, logins);
  const timeline = entries
    .map(({ chain, e }) => ({
      chain,
      seq: e.seq,
      step: String(e.content.step),
      type: String(e.content.type),
      actor: String(e.content.actor),
      actorName: people[String(e.content.actor)] ?? null,
      occurredAt: String(e.content.occurredAt),
    }))
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || names.indexOf(a.chain) - names.indexOf(b.chain) || a.seq - b.seq);

  const ownDecisions = entries
    .filter(({ e }) => HAZARD_INSTRUMENT_OF_EVENT[String(e.content.type)] || isResumptionEvent({ type: String(e.content.type) }) || e.content.type === 'ordered')
    .map(({ chain, e }) => ({ kind: String(e.content.type), status: 'taken', title: ownDecisionTitle(String(e.content.type), e.content.data), chain, seq: e.seq, decidedBy: String(e.content.actor), decidedAt: String(e.content.occurredAt), data: e.content.data }));

  return {
    format: CASE_FILE_FORMAT,
    hazard: {
      id: h.id,
      title: h.title,
      description: h.description,
      category: h.category,
      source: h.source,
      grade: h.grade,
      location: h.location,
      legalBasis: h.legalBasis,
      requiredMeasures: h.requiredMeasures,
      status: h.status,
      round: h.round,
      deadline: h.deadline,
      deadlineRule: h.deadlineRule ?? null,
      enterprise: hazard.enterprise,
      createdBy: h.createdBy,
      createdAt: h.createdAt.toISOString(),
      closedAt: iso(h.closedAt),
    },
    people,
    timeline,
    evidence: files.map((f) => ({
      id: f.id,
      name: f.originalName,
      mediaType: f.mediaType,
      size: f.size,
      sha256: f.sha256,
      phase: f.phase,
      round: f.submittedRound,
      uploadedBy: f.uploadedBy,
      uploadedAt: f.uploadedAt.toISOString(),
    })),
    decisions: [
      ...ownDecisions,
      ...decisions.map((d) => ({
        kind: d.kind,
        status: d.status,
        // Only a decision taken has a page.
        title: d.status === 'taken' ? noticeDecisionTitle(d.kind) : null,
        noticeId: d.noticeId,
        deciderRole: d.deciderRole,
        openedAt: d.openedAt.toISOString(),
        documentNumber: d.documentNumber,
        reason: d.reason,
        decidedBy: d.decidedBy,
        decidedAt: iso(d.decidedAt),
      })),
    ],
    instruments: issued.map((i) => ({
      code: i.code,
      kind: i.kind,
      // Named as the document list and the printed page name it.
      title: i.subjectType === 'hazard' ? hazardInstrumentTitle(i.kind) : i.subjectType === 'suspension' ? suspensionInstrumentTitle(i.kind) : printedInstrumentTitle(i.kind),
      issuedAt: i.issuedAt.toISOString(),
      issuedBy: i.issuedBy,
      subject: `${i.subjectType}:${i.subjectId}`,
    })),
    audit,
    workflow: { ...workflow, events: workflow.runs.reduce((n, r) => n + r.events, 0) },
    asOf: timeline.reduce((last, e) => (e.occurredAt > last ? e.occurredAt : last), h.createdAt.toISOString()),
  };
}
