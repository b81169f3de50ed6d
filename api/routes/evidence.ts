/**
 * Evidence files: upload to a hazard being rectified, list, download. Bytes are stored by their
 * SHA-256 outside any served folder; the type comes from the bytes. A submission freezes the
 * files it names (see the submissions route); later uploads belong to the next round.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import { evidenceFiles, hazards } from '../../db/schema';
import { findHazard, hazardScope } from '../../db/hazard-queries';
import { heldInRound, lockForUpload, openUpload, roundFiles, type EvidenceFileRow, type UploadOpening } from '../../db/evidence-uploads';
import type { EvidenceType } from '../../evidence/inspect';
import { sharedInspector } from '../../evidence/inspector';
import { readUpload, type UploadedFile } from '../../evidence/multipart';
import { UploadRefused } from '../../evidence/upload-refused';
import { sendProblem } from '../middleware/error-handler';
import { displayNamesOf } from '../../db/people';
import { Problem, problems, type FieldError } from '../problem';
import { refuseBeyond, windowStartOf } from '../rate-limit';
import { answerOnce, uploadFingerprint, uploadKey } from '../upload-idempotency';
import { route, type RouteSpec } from '../route-spec';
import { hazardIdParams } from '../schemas/hazard';
import { uuidParams } from '../schemas/directory';
import type { AppDeps } from '../app';
import { thumbnailRoutes } from './evidence-thumbnails';

export type EvidencePhase = 'before' | 'after';
const uploadEvidenceQuery = z.strictObject({
  phase: z.enum(['before', 'after']).default('after').describe('before: the hazard as found (taken at registration); after: the rectification'),
});

export const EVIDENCE_LIMITS = { maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, maxPerHazard: 50 };
/** Per user; a person photographing a site uploads a few files a minute, not hundreds. */
export const DEFAULT_UPLOADS_PER_MINUTE = 30;

type FileRow = EvidenceFileRow;
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
  phase: f.phase,
  download: `/api/evidence/${f.id}`,
  ...(f.mediaType.startsWith('image/') ? { thumbnail: `/api/evidence/${f.id}/thumbnail` } : {}),
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const notRectifying = () => problems.conflict('evidence can be added only while the hazard is being rectified; a submitted set is frozen', [], 'evidence-frozen');
const tooMany = () => problems.unprocessable(`a hazard holds at most ${EVIDENCE_LIMITS.maxPerHazard} evidence files`, [{ field: 'files', message: 'too many files for this hazard' }], 'evidence-limit');

/** How the API answers each way an upload can be refused (evidence/ says why, not how). */
function rethrowAsProblem(error: unknown): never {
  if (!(error instanceof UploadRefused)) throw error;
  const errors = [{ field: error.field, message: error.message }];
  switch (error.kind) {
    case 'not-multipart':
      throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', error.message, errors);
    case 'file-too-large':
      throw new Problem(413, 'too-large', 'File too large', error.message, errors);
    case 'too-many-files':
      throw new Problem(413, 'too-many-files', 'Too many files', error.message, errors);
    case 'malformed':
    case 'invalid':
      throw problems.invalid(errors, error.message);
  }
}

function refusal(name: string, verdict: { reason: string; tooComplex?: true }): Problem {
  const errors: FieldError[] = [{ field: 'files', message: `${name}: ${verdict.reason}`, code: verdict.tooComplex ? 'too-complex' : 'unsupported-file', file: name }];
  return verdict.tooComplex
    ? new Problem(422, 'too-complex', 'File too complex to inspect', `${name}: ${verdict.reason}`, errors)
    : new Problem(415, 'unsupported-file', 'File not accepted', `${name}: ${verdict.reason}`, errors);
}

/** Work for a request whose deadline has passed stops here: its answer has been given. */
function stillWanted(deadline: AbortSignal | undefined): void {
  if (deadline?.aborted) throw deadline.reason;
}

/**
 * Inspects the files away from the request thread, stores their bytes, and records them. A
 * file the same person already uploaded to this round (the same bytes, not yet submitted) is
 * answered with that record, not stored twice: a retried upload adds nothing. Another person's
 * copy is their own record, so each upload stays attributable to whoever made it. `hazard` is as
 * the upload's opening read found it: its state and count spare the work of a refused upload,
 * and both are checked again under the hazard's lock.
 */
async function storeUpload(
  { db, evidence: store }: AppDeps,
  hazard: NonNullable<UploadOpening['hazard']>,
  uploadedBy: string,
  files: Array<UploadedFile & { sha256: string }>,
  deadline: AbortSignal | undefined,
  phase: EvidencePhase = 'after',
): Promise<{ status: number; body: { items: ReturnType<typeof evidenceJson>[] } }> {
  if (hazard.status !== 'rectifying') throw notRectifying();
  const checked = new Map<string, UploadedFile & { mediaType: EvidenceType; capturedAt: Date | null; sha256: string }>();
  for (const file of files) {
    if (checked.has(file.sha256)) continue;
    const verdict = await sharedInspector().inspect(file.bytes, deadline);
    stillWanted(deadline);
    if (!verdict.ok) throw refusal(file.name, verdict);
    checked.set(file.sha256, { ...file, mediaType: verdict.mediaType, capturedAt: verdict.capturedAt });
  }
  if (hazard.files + checked.size > EVIDENCE_LIMITS.maxPerHazard) {
    const held = await heldInRound(db, hazard.id, uploadedBy, [...checked.keys()]);
    if (hazard.files + checked.size - held > EVIDENCE_LIMITS.maxPerHazard) throw tooMany();
  }
  // Bytes first (content-addressed, so a stray copy is harmless), then the records at once.
  for (const file of checked.values()) await store.put(file.sha256, file.bytes);
  stillWanted(deadline);
  const rows = await db.transaction(async (tx) => {
    // Checked again under the hazard's row lock, which a submission's freeze also takes:
    // uploads racing each other cannot pass the limit together, nor one slip in as the set
    // freezes, nor the same file be recorded twice in a round.
    if ((await lockForUpload(tx, hazard.id)) !== 'rectifying') throw notRectifying();
    const { held, present } = await roundFiles(tx, hazard.id, uploadedBy, [...checked.keys()]);
    const bySha = new Map<string, FileRow>();
    for (const row of present) if (!bySha.has(row.sha256)) bySha.set(row.sha256, row);
    const fresh = [...checked.values()].filter((f) => !bySha.has(f.sha256));
    if (held + fresh.length > EVIDENCE_LIMITS.maxPerHazard) throw tooMany();
    stillWanted(deadline);
    const inserted = fresh.length
      ? await tx
          .insert(evidenceFiles)
          .values(
            fresh.map((f) => ({
              hazardId: hazard.id,
              sha256: f.sha256,
              size: f.bytes.length,
              mediaType: f.mediaType,
              originalName: f.name,
              uploadedBy,
              capturedAt: f.capturedAt,
              phase,
            })),
          )
          .returning()
      : [];
    for (const row of inserted) bySha.set(row.sha256, row);
    return files.map((f) => bySha.get(f.sha256)!);
  });
  // The same answer as the first time, as a retry with an Idempotency-Key would get.
  return { status: 201, body: { items: rows.map(evidenceJson) } };
}

/** A hazard's evidence files, each with its uploader's display name, and `people` naming them. */
export async function evidenceListJson(db: AppDeps['db'], rows: FileRow[]) {
  const items = rows.map(evidenceJson);
  const people = await displayNamesOf(db, items.map((f) => f.uploadedBy));
  return { items: items.map((f) => ({ ...f, uploadedByName: people[f.uploadedBy] ?? f.uploadedBy })), people };
}

export function evidenceRoutes(deps: AppDeps): RouteSpec[] {
  const { db, evidence: store, log, uploadsPerMinute = DEFAULT_UPLOADS_PER_MINUTE } = deps;
  const uploadLimit = { max: uploadsPerMinute, windowSeconds: 60 };
  return [
    route({
      method: 'post',
      path: '/api/hazards/:id/evidence',
      operationId: 'uploadEvidence',
      summary: 'Upload evidence files (JPEG, PNG, WebP, PDF) to a hazard being rectified, as photos of the hazard as found (phase=before) or of its rectification (after)',
      tag: 'evidence',
      access: ['enterprise', 'supervisor'],
      params: hazardIdParams,
      query: uploadEvidenceQuery,
      multipart: true,
      responses: {
        201: { description: 'stored; the record of each file sent (one the same person already sent to this round answers with that record, stored once)' },
        400: { description: 'a malformed form, a file name with a path or control characters, a malformed Idempotency-Key' },
        409: { description: 'the hazard is not being rectified (a submitted set is frozen), or the same Idempotency-Key is still running' },
        413: { description: 'a file too large, or too many files' },
        415: { description: 'a file of a type not accepted, or with active content (scripts, actions, attachments)' },
        422: { description: 'the hazard has reached its file limit, a file too complex to inspect, or an Idempotency-Key reused with other files' },
        503: { description: 'the upload did not complete within its deadline' },
      },
      async handler({ req, res, params, query, principal }) {
        // One round trip: the hit against the caller's limit (counted even for a hazard not found), the hazard within reach, its file count.
        const now = Date.now();
        const { hits, hazard } = await openUpload(db, principal, params.id, { key: `upload:user:${principal.userId}`, windowStart: windowStartOf(uploadLimit, now) });
        if (!hazard) throw problems.notFound('hazard');
        const key = uploadKey(req.get('idempotency-key'));
        refuseBeyond(uploadLimit, hits, now);
        // Refused before the bytes are read; with a key, a retry must first find its kept answer.
        if (!key && hazard.status !== 'rectifying') throw notRectifying();
        const files = (await readUpload(req, EVIDENCE_LIMITS, req.deadline).catch(rethrowAsProblem)).map((f) => ({ ...f, sha256: sha256(f.bytes) }));
        const run = () => storeUpload(deps, hazard, principal.username, files, req.deadline, query.phase);
        if (!key) {
          const { status, body } = await run();
          return void res.status(status).json(body);
        }
        const requestHash = uploadFingerprint(req.originalUrl, files);
        await answerOnce(db, { userId: principal.userId, key, requestHash, instance: req.originalUrl }, res, run);
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
        res.json(await evidenceListJson(db, rows));
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
    ...thumbnailRoutes(deps),
  ];
}
