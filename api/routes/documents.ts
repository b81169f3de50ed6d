/**
 * Printed instruments (PDF): every numbered instrument (the notice's order, its ladder, a
 * hazard's review opinions and extension decisions, a suspension's decisions on resumption
 * requests), every decision taken on a notice, and a suspension's order and decisions on resumption. The reach is the record's: whoever may read
 * the notice, hazard or suspension may print it, and an enterprise only what is addressed to it.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import {
  findInstrumentRow,
  hazardFacts,
  hazardInstrumentEvent,
  hazardInstrumentList,
  noticeDecisionRow,
  noticeFacts,
  noticeInstrumentStep,
  noticesOfHazard,
  suspensionEvents,
  suspensionFacts,
  suspensionInstrumentEvent,
  suspensionsOfHazard,
} from '../../db/document-reads';
import { findHazard } from '../../db/hazard-queries';
import { findNotice, noticeDetailParts } from '../../db/notice-queries';
import { displayNamesOf } from '../../db/people';
import { enterpriseNoticeParts } from '../../domain/notice-disclosure';
import { findSuspension } from '../../db/suspension-queries';
import {
  hazardInstrumentDocument,
  hazardInstrumentTitle,
  isResumptionEvent,
  issuedBeforeNumbering,
  resumptionDecisionDocument,
  resumptionDecisionHeading,
  SUSPENSION_ORDER_TITLE,
  suspensionOrderDocument,
} from '../../domain/documents/hazard-instruments';
import { ladderInstrumentDocument, noticeDecisionTitle, noticeDecisionDocument, printedInstrumentTitle, rectificationOrderDocument } from '../../domain/documents/notice-instruments';
import type { PrintedDocument } from '../../domain/documents/page';
import { NOTICE_INSTRUMENT } from '../../domain/instruments';
import { DEFAULT_FONTS } from '../../documents/fonts';
import { renderPdf, sha256 } from '../../documents/pdf';
import type { AppDeps } from '../app';
import { problems } from '../problem';
import { route, type ResponseSpec, type RouteSpec } from '../route-spec';
import { noticeDecisionParams } from '../schemas/notice';
import { hazardIdParams } from '../schemas/hazard';
import { suspensionIdParams } from '../schemas/suspension';
import { urlNumber } from '../schemas/url-number';

const instrumentParams = z.strictObject({ ref: z.string().min(1).max(200) });
const resumptionParams = z.strictObject({ id: z.uuid(), seq: urlNumber(z.number().int().min(1).max(1_000_000)) });

const pdfResponses = (what: string): Record<number, ResponseSpec> => ({
  200: {
    description: `${what} as an A4 PDF (Chinese). The same record always gives the same bytes: ETag and Repr-Digest carry its SHA-256, so a re-download can be compared with the one served`,
    contentType: 'application/pdf',
  },
  304: { description: 'If-None-Match named the same SHA-256: unchanged' },
  404: { description: 'no such record within reach (or not addressed to the caller)' },
});

/** The documents of a record (GET …/documents): what the lists show and where each PDF is. */
export const documentList = z.object({
  documents: z.array(
    z.object({
      title: z.string(),
      number: z.string().nullable(),
      numberNote: z.enum(['issued-before-numbering']).nullable().describe('why a document of a numbered kind has no number: issued before such documents were numbered (none is given afterwards)'),
      issuedAt: z.string(),
      href: z.string(),
    }),
  ),
});
type ListedDocument = z.infer<typeof documentList>['documents'][number];

/** A document as the lists show it: the title and number it is printed under, when it was issued, where its PDF is. */
const listed = (printed: { title: string; number: string | null }, issuedAt: Date, href: string, numberNote: ListedDocument['numberNote'] = null): ListedDocument => ({
  ...printed,
  numberNote,
  issuedAt: issuedAt.toISOString(),
  href,
});

/** Sends the PDF with its SHA-256 as the ETag and as Repr-Digest (RFC 9530). */
export function sendPdf(req: Request, res: Response, bytes: Buffer, fileName: string): void {
  const hex = sha256(bytes);
  const etag = `"sha256-${hex}"`;
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}.pdf`);
  res.setHeader('ETag', etag);
  res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`);
  res.setHeader('Cache-Control', 'private, no-cache');
  const asked = req.get('if-none-match')?.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (asked?.includes(etag)) {
    res.status(304).end();
    return;
  }
  res.send(bytes);
}

export function documentRoutes({ db, documentFonts }: AppDeps): RouteSpec[] {
  const fonts = documentFonts ?? DEFAULT_FONTS;

  async function print(req: Request, res: Response, build: (people: Record<string, string>) => PrintedDocument, people: Record<string, string>) {
    const doc = build(people);
    sendPdf(req, res, await renderPdf(doc, fonts), doc.number ?? doc.title);
  }

  type Printable = { build: (people: Record<string, string>) => PrintedDocument; logins: Array<string | null> };

  /** The instrument's page and the people it names, or null when it is not within the caller's reach. */
  async function instrumentDocument(principal: Principal, ref: string): Promise<Printable | null> {
    const row = await findInstrumentRow(db, ref);
    if (!row) return null;
    if (row.subjectType === 'notice') {
      const notice = await findNotice(db, principal, row.subjectId);
      if (!notice) return null;
      const facts = await noticeFacts(db, notice);
      const logins = [facts.issuedBy, facts.signedBy];
      if (row.kind === NOTICE_INSTRUMENT) return { build: (p) => rectificationOrderDocument(facts, p), logins };
      const step = await noticeInstrumentStep(db, notice.id, row.id);
      // Instruments addressed to officials are the bureau's own business.
      if (!step || (principal.role === 'enterprise' && step.recipientRole !== 'enterprise')) return null;
      const ladder = { kind: row.kind, code: row.code, issuedAt: row.issuedAt.getTime(), recipientRole: step.recipientRole, afterDays: step.afterDays };
      return { build: (p) => ladderInstrumentDocument(ladder, facts, p), logins };
    }
    if (row.subjectType === 'hazard') {
      const hazard = await findHazard(db, principal, row.subjectId);
      if (!hazard) return null;
      const [facts, event] = await Promise.all([hazardFacts(db, hazard), hazardInstrumentEvent(db, hazard.id, row.id)]);
      if (!event) return null;
      const issued = { code: row.code, agency: row.agency, issuedAt: row.issuedAt.getTime(), event };
      return { build: (p) => hazardInstrumentDocument(row.kind, issued, facts, p), logins: [event.actor] };
    }
    if (row.subjectType === 'suspension') {
      const suspension = await findSuspension(db, principal, row.subjectId);
      const event = suspension ? await suspensionInstrumentEvent(db, suspension.id, row.id) : null;
      if (!suspension || !event) return null;
      const facts = await suspensionFacts(db, suspension);
      return { build: (p) => resumptionDecisionDocument(facts, event, p), logins: [event.actor] };
    }
    return null;
  }

  function people(...logins: Array<string | null>) {
    return displayNamesOf(db, logins.filter((l): l is string => !!l));
  }

  return [
    route({
      method: 'get',
      path: '/api/instruments/:ref/pdf',
      operationId: 'printInstrument',
      summary: 'A numbered instrument as PDF, by its id or its official number (e.g. 江北应急〔2026〕12号, URL-encoded)',
      tag: 'documents',
      access: 'authenticated',
      params: instrumentParams,
      responses: pdfResponses('the instrument'),
      async handler({ req, res, params, principal }) {
        const printable = await instrumentDocument(principal, params.ref);
        if (!printable) throw problems.notFound('instrument');
        await print(req, res, printable.build, await people(...printable.logins));
      },
    }),
    route({
      method: 'get',
      path: '/api/notices/:id/decisions/:decisionId/pdf',
      operationId: 'printNoticeDecision',
      summary: 'A decision taken on a notice (约谈, 行政处罚, 停产整顿, 移送司法) as PDF; pending, declined and lapsed decisions are not documents',
      tag: 'documents',
      access: 'authenticated',
      params: noticeDecisionParams,
      responses: pdfResponses('the decision'),
      async handler({ req, res, params, principal }) {
        const notice = await findNotice(db, principal, params.id);
        const decision = notice ? await noticeDecisionRow(db, notice.id, params.decisionId) : null;
        if (!notice || !decision || decision.status !== 'taken' || !decision.decidedAt) throw problems.notFound('decision');
        const facts = await noticeFacts(db, notice);
        const d = { id: decision.id, kind: decision.kind, documentNumber: decision.documentNumber, reason: decision.reason, decidedBy: decision.decidedBy, decidedAt: decision.decidedAt.getTime() };
        await print(req, res, (p) => noticeDecisionDocument(d, facts, p), await people(d.decidedBy));
      },
    }),
    route({
      method: 'get',
      path: '/api/suspensions/:id/pdf',
      operationId: 'printSuspensionOrder',
      summary: 'The order of a suspension for rectification (责令停产停业整顿决定书) as PDF',
      tag: 'documents',
      access: 'authenticated',
      params: suspensionIdParams,
      responses: pdfResponses('the order'),
      async handler({ req, res, params, principal }) {
        const row = await findSuspension(db, principal, params.id);
        if (!row) throw problems.notFound('suspension');
        const facts = await suspensionFacts(db, row);
        await print(req, res, (p) => suspensionOrderDocument(facts, p), await people(facts.createdBy));
      },
    }),
    route({
      method: 'get',
      path: '/api/suspensions/:id/decisions/:seq/pdf',
      operationId: 'printResumptionDecision',
      summary: "A decision on a suspension's resumption (approved, rejected, or the order lifted) as PDF, by its place in the suspension's trail",
      tag: 'documents',
      access: 'authenticated',
      params: resumptionParams,
      responses: pdfResponses('the decision'),
      async handler({ req, res, params, principal }) {
        const row = await findSuspension(db, principal, params.id);
        const event = row ? (await suspensionEvents(db, row.id)).find((e) => e.seq === params.seq) : undefined;
        if (!row || !event || !isResumptionEvent(event)) throw problems.notFound('decision');
        const facts = await suspensionFacts(db, row);
        await print(req, res, (p) => resumptionDecisionDocument(facts, event, p), await people(event.actor));
      },
    }),
    documentListRoute({
      path: '/api/suspensions/:id/documents',
      operationId: 'listSuspensionDocuments',
      summary: 'The printable documents of a suspension: its order and each decision on resumption, with links to their PDFs',
      params: suspensionIdParams,
      record: 'suspension',
      listed: 'the documents',
      documents: suspensionDocuments,
    }),
    documentListRoute({
      path: '/api/hazards/:id/documents',
      operationId: 'listHazardDocuments',
      summary: "The printable documents of a hazard within the caller's reach: its review opinions and extension decisions, its notices' instruments and decisions, and the orders and decisions on resumption of the suspensions ordered on it",
      params: hazardIdParams,
      record: 'hazard',
      listed: 'the documents, oldest first',
      documents: hazardDocuments,
    }),
  ];

  /** A GET of a record's printable documents, with links to their PDFs; null from `documents`: the record is not within reach. */
  function documentListRoute(o: {
    path: string;
    operationId: string;
    summary: string;
    params: typeof suspensionIdParams | typeof hazardIdParams;
    record: 'suspension' | 'hazard';
    listed: string;
    documents: (principal: Principal, id: string) => Promise<ListedDocument[] | null>;
  }): RouteSpec {
    return route({
      method: 'get',
      path: o.path,
      operationId: o.operationId,
      summary: o.summary,
      tag: 'documents',
      access: 'authenticated',
      params: o.params,
      responses: { 200: { description: o.listed, schema: documentList }, 404: { description: `no such ${o.record} within reach` } },
      async handler({ res, params, principal }) {
        const documents = await o.documents(principal, params.id);
        if (!documents) throw problems.notFound(o.record);
        res.json({ documents });
      },
    });
  }

  async function suspensionDocuments(principal: Principal, id: string): Promise<ListedDocument[] | null> {
    const row = await findSuspension(db, principal, id);
    if (!row) return null;
    const events = await suspensionEvents(db, row.id);
    const base = `/api/suspensions/${row.id}`;
    return [
      listed({ title: SUSPENSION_ORDER_TITLE, number: row.documentNumber }, row.createdAt, `${base}/pdf`),
      ...events
        .filter(isResumptionEvent)
        .map((e) => listed(resumptionDecisionHeading(e), new Date(e.occurredAt), `${base}/decisions/${e.seq}/pdf`, issuedBeforeNumbering(e) ? 'issued-before-numbering' : null)),
    ];
  }

  /** Its own instruments, those of its notices and the documents of its suspensions within reach (as the caller may see them), oldest first. */
  async function hazardDocuments(principal: Principal, id: string): Promise<ListedDocument[] | null> {
    const hazard = await findHazard(db, principal, id);
    if (!hazard) return null;
    const enterprise = principal.role === 'enterprise';
    const href = (code: string) => `/api/instruments/${encodeURIComponent(code)}/pdf`;
    const own = (await hazardInstrumentList(db, hazard.id)).map((i) => listed({ title: hazardInstrumentTitle(i.kind), number: i.code }, i.issuedAt, href(i.code)));
    const fromNotices: ListedDocument[] = [];
    for (const n of await noticesOfHazard(db, hazard.id)) {
      if (!(await findNotice(db, principal, n.id))) continue;
      const parts = await noticeDetailParts(db, n.id);
      const seen = enterprise ? { ...parts, ...enterpriseNoticeParts(parts) } : parts;
      fromNotices.push(listed({ title: printedInstrumentTitle(NOTICE_INSTRUMENT), number: n.code }, n.issuedAt, href(n.code)));
      for (const i of seen.instruments) fromNotices.push(listed({ title: printedInstrumentTitle(i.kind), number: i.code }, i.issuedAt, href(i.code)));
      for (const d of seen.decisions.filter((d) => d.status === 'taken' && d.decidedAt)) {
        fromNotices.push(listed({ title: noticeDecisionTitle(d.kind), number: d.documentNumber }, d.decidedAt!, `/api/notices/${n.id}/decisions/${d.id}/pdf`));
      }
    }
    const fromSuspensions: ListedDocument[] = [];
    for (const s of await suspensionsOfHazard(db, hazard.id)) fromSuspensions.push(...((await suspensionDocuments(principal, s)) ?? []));
    return [...own, ...fromNotices, ...fromSuspensions].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  }
}
