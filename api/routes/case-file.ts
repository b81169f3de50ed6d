/**
 * A hazard's signed case file (案卷): one PDF and its JSON twin, read in one snapshot of the
 * database, with the workflow's runs from Temporal. It holds the bureau's internal deliberations
 * (decisions declined, instruments to officials), so it is the bureau's: supervisors and leaders
 * within reach, never an enterprise.
 */
import { z } from 'zod';
import { auditKey } from '../../db/audit-key';
import { readCaseFile } from '../../db/case-file';
import { findHazard, type HazardRow } from '../../db/hazard-queries';
import { agencyOf, noticeScope } from '../../db/notice-queries';
import { suspensionScope } from '../../db/suspension-queries';
import type { Principal } from '../../auth/principal';
import { signCaseFile, type CaseFile } from '../../domain/case-file';
import { clipText } from '../../domain/storable-text';
import { caseFileDocument } from '../../domain/documents/case-file-page';
import { DEFAULT_FONTS } from '../../documents/fonts';
import { renderPdf, sha256 } from '../../documents/pdf';
import { workflowRuns } from '../../temporal/workflow-runs';
import type { AppDeps } from '../app';
import { problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import { sendPdf } from './documents';

const caseFileSchema = z
  .object({
    format: z.literal('duban-case-file/1'),
    hazard: z.object({ id: z.uuid(), title: z.string() }).loose(),
    timeline: z.array(z.object({ chain: z.string(), seq: z.number().int(), type: z.string(), actor: z.string(), actorName: z.string().nullable(), occurredAt: z.string() }).loose()),
    evidence: z.array(z.object({ name: z.string(), sha256: z.string() }).loose()),
    audit: z.array(z.object({ chain: z.string(), entries: z.array(z.object({ seq: z.number().int(), hash: z.string(), prevHash: z.string() }).loose()) })),
    workflow: z.object({ workflowId: z.string(), events: z.number().int(), runs: z.array(z.object({ runId: z.string(), events: z.number().int() }).loose()) }),
    asOf: z.string(),
    signature: z.string().describe('HMAC-SHA256 under the audit key over the canonical JSON of the rest'),
  })
  .loose();

export function caseFileRoutes({ db, temporal, documentFonts }: AppDeps): RouteSpec[] {
  const fonts = documentFonts ?? DEFAULT_FONTS;

  async function caseFile(principal: Principal, hazard: HazardRow): Promise<CaseFile> {
    // Temporal first: the runs are read before the snapshot, so the records are at least as new.
    const runs = await workflowRuns(temporal, hazard.workflowId);
    const reach = { notice: noticeScope(principal), suspension: suspensionScope(principal), role: principal.role };
    const unsigned = await db.transaction((tx) => readCaseFile(tx, hazard.id, runs, reach), { isolationLevel: 'repeatable read', accessMode: 'read only' });
    if (!unsigned) throw problems.notFound('hazard');
    return signCaseFile(auditKey(), unsigned);
  }

  async function load(principal: Principal, id: string): Promise<HazardRow> {
    const hazard = await findHazard(db, principal, id);
    if (!hazard) throw problems.notFound('hazard');
    return hazard;
  }

  return [
    route({
      method: 'get',
      path: '/api/hazards/:id/case-file',
      operationId: 'getCaseFilePdf',
      summary: "A hazard's signed case file as PDF: timeline, evidence manifest with SHA-256, decisions, instruments, audit chain entries with their hashes, the workflow's runs",
      tag: 'documents',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      responses: {
        200: { description: 'the case file (A4, Chinese); ETag and Repr-Digest carry its SHA-256, X-Case-File-Signature the JSON twin\'s signature', contentType: 'application/pdf' },
        404: { description: 'no such hazard within reach' },
      },
      async handler({ req, res, params, principal }) {
        const hazard = await load(principal, params.id);
        const file = await caseFile(principal, hazard);
        const agency = await agencyOf(db, hazard.regionPath.split('/').filter(Boolean).at(-1)!);
        res.setHeader('X-Case-File-Signature', file.signature);
        sendPdf(req, res, await renderPdf(caseFileDocument(file, agency), fonts), `案卷-${clipText(hazard.title, 40)}`);
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/case-file.json',
      operationId: 'getCaseFile',
      summary: "The same case file as JSON, signed: what `npm run casefile:verify -- file.json` checks against the database",
      tag: 'documents',
      access: ['supervisor', 'leader'],
      params: hazardIdParams,
      responses: { 200: { description: 'the case file', schema: caseFileSchema }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, principal }) {
        const file = await caseFile(principal, await load(principal, params.id));
        const body = `${JSON.stringify(file, null, 1)}\n`;
        res.setHeader('ETag', `"sha256-${sha256(Buffer.from(body))}"`);
        res.setHeader('Content-Disposition', `attachment; filename="case-file-${params.id}.json"`);
        res.type('application/json').send(body);
      },
    }),
  ];
}
