/**
 * Evidence files: upload to a hazard being rectified, list, download. Bytes are stored by their
 * SHA-256 outside any served folder; the type comes from the bytes. A submission freezes the
 * files it names (see the submissions route); later uploads belong to the next round.
 */
import { createHash } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { evidenceFiles, hazards } from '../../db/schema';
import { findHazard, hazardScope } from '../../db/hazard-queries';
import { inspectEvidence, type EvidenceType } from '../../evidence/inspect';
import { readUpload, type UploadedFile } from '../../evidence/multipart';
import { sendProblem } from '../middleware/error-handler';
import { Problem, problems } from '../problem';
import { consume } from '../rate-limit';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import { uuidParams } from '../schemas/directory';
import type { AppDeps } from '../app';

export const EVIDENCE_LIMITS = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, maxPerHazard: 50 };
/** Per user; a person photographing a site uploads a few files a minute, not hundreds. */
export const DEFAULT_UPLOADS_PER_MINUTE = 30;

type FileRow = typeof evidenceFiles.$inferSelect;
export const evidenceJson = (f: FileRow) => ({
  id: f.id,
  hazardId: f.hazardId,
  sha256: f.sha256,
  size: f.size,
  mediaType: f.mediaType,
  originalName: f.originalName,
  uploadedBy: f.uploadedBy,
  uploadedAt: f.uploadedAt.toISOString(),
  capturedAt: f.capturedAt?.toISOString() ?? null,
  submittedRound: f.submittedRound,
  manifestHash: f.manifestHash,
  download: `/api/evidence/${f.id}`,
});

export function evidenceRoutes({ db, evidence: store, log, uploadsPerMinute = DEFAULT_UPLOADS_PER_MINUTE }: AppDeps): RouteSpec[] {
  const uploadLimit = { max: uploadsPerMinute, windowSeconds: 60 };
  return [
    route({
      method: 'post',
      path: '/api/hazards/:id/evidence',
      operationId: 'uploadEvidence',
      summary: 'Upload evidence files (JPEG, PNG, WebP, PDF) to a hazard being rectified',
      tag: 'evidence',
      access: ['enterprise', 'supervisor'],
      params: hazardIdParams,
      multipart: true,
      responses: {
        201: { description: 'stored; the list of new files' },
        409: { description: 'the hazard is not being rectified (a submitted set is frozen)' },
        413: { description: 'a file too large, or too many files' },
        415: { description: 'a file of a type not accepted' },
        422: { description: 'the hazard has reached its file limit' },
      },
      async handler({ req, res, params, principal }) {
        const hazard = await findHazard(db, principal, params.id);
        if (!hazard) throw problems.notFound('hazard');
        await consume(db, `upload:user:${principal.userId}`, uploadLimit);
        if (hazard.status !== 'rectifying') throw problems.conflict('evidence can be added only while the hazard is being rectified; a submitted set is frozen');
        const files = await readUpload(req, EVIDENCE_LIMITS);
        const checked: Array<UploadedFile & { mediaType: EvidenceType; capturedAt: Date | null; sha256: string }> = [];
        for (const file of files) {
          const verdict = await inspectEvidence(file.bytes);
          if (!verdict.ok) throw new Problem(415, 'unsupported-file', 'File not accepted', `${file.name}: ${verdict.reason}`, [{ field: 'files', message: `${file.name}: ${verdict.reason}` }]);
          checked.push({ ...file, ...verdict, sha256: createHash('sha256').update(file.bytes).digest('hex') });
        }
        const [existing] = await db.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazard.id));
        if ((existing?.n ?? 0) + checked.length > EVIDENCE_LIMITS.maxPerHazard) {
          throw problems.unprocessable(`a hazard holds at most ${EVIDENCE_LIMITS.maxPerHazard} evidence files`, [{ field: 'files', message: 'too many files for this hazard' }]);
        }
        // Bytes first (content-addressed, so a stray copy is harmless), then the records at once.
        for (const file of checked) await store.put(file.sha256, file.bytes);
        const rows = await db.transaction(async (tx) => {
          // Checked again under the hazard's row lock, which a submission's freeze also takes:
          // uploads racing each other cannot pass the limit together, nor one slip in as the set freezes.
          const [locked] = await tx.select({ status: hazards.status }).from(hazards).where(eq(hazards.id, hazard.id)).for('update');
          if (locked?.status !== 'rectifying') throw problems.conflict('evidence can be added only while the hazard is being rectified; a submitted set is frozen');
          const [held] = await tx.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazard.id));
          if ((held?.n ?? 0) + checked.length > EVIDENCE_LIMITS.maxPerHazard) {
            throw problems.unprocessable(`a hazard holds at most ${EVIDENCE_LIMITS.maxPerHazard} evidence files`, [{ field: 'files', message: 'too many files for this hazard' }]);
          }
          return tx
            .insert(evidenceFiles)
            .values(
              checked.map((f) => ({
                hazardId: hazard.id,
                sha256: f.sha256,
                size: f.bytes.length,
                mediaType: f.mediaType,
                originalName: f.name,
                uploadedBy: principal.username,
                capturedAt: f.capturedAt,
              })),
            )
            .returning();
        });
        res.status(201).json({ items: rows.map(evidenceJson) });
      },
    }),
    route({
      method: 'get',
      path: '/api/hazards/:id/evidence',
      operationId: 'listEvidence',
      summary: "A hazard's evidence files, with the round each was submitted in",
      tag: 'evidence',
      access: 'authenticated',
      params: hazardIdParams,
      responses: { 200: { description: 'the files' }, 404: { description: 'no such hazard within reach' } },
      async handler({ res, params, principal }) {
        const hazard = await findHazard(db, principal, params.id);
        if (!hazard) throw problems.notFound('hazard');
        const rows = await db.select().from(evidenceFiles).where(eq(evidenceFiles.hazardId, hazard.id)).orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id));
        res.json({ items: rows.map(evidenceJson) });
      },
    }),
    route({
      method: 'get',
      path: '/api/evidence/:id',
      operationId: 'downloadEvidence',
      summary: 'Download one evidence file (always as an attachment, with its detected type)',
      tag: 'evidence',
      access: 'authenticated',
      params: uuidParams,
      responses: { 200: { description: 'the bytes' }, 404: { description: 'no such file within reach' } },
      async handler({ res, params, principal }) {
        const [row] = await db
          .select({ file: evidenceFiles })
          .from(evidenceFiles)
          .innerJoin(hazards, eq(hazards.id, evidenceFiles.hazardId))
          .where(and(eq(evidenceFiles.id, params.id), hazardScope(principal)));
        if (!row) throw problems.notFound('evidence file');
        const stream = await store.open(row.file.sha256);
        if (!stream) throw problems.notFound('evidence file');
        const ext = row.file.mediaType.split('/')[1] === 'jpeg' ? 'jpg' : row.file.mediaType.split('/')[1];
        res.setHeader('Content-Type', row.file.mediaType);
        res.setHeader('Content-Length', String(row.file.size));
        // RFC 8187 leaves ' ( ) * out of a value's plain characters; encodeURIComponent does not.
        const encodedName = encodeURIComponent(row.file.originalName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        res.setHeader('Content-Disposition', `attachment; filename="${row.file.id}.${ext}"; filename*=UTF-8''${encodedName}`);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'private, no-store');
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        // A stored file that cannot be read must fail this download, not the process.
        stream.once('error', (error) => {
          log.error({ err: error, evidence: row.file.id }, 'evidence file unreadable');
          if (res.headersSent) return void res.destroy(error);
          for (const name of ['Content-Type', 'Content-Length', 'Content-Disposition']) res.removeHeader(name);
          sendProblem(res, new Problem(500, 'internal', 'Internal error', 'the evidence file cannot be read; it has been logged'));
        });
        stream.pipe(res);
      },
    }),
  ];
}
