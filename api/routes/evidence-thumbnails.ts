/**
 * Previews of evidence photos (GET /api/evidence/:id/thumbnail): a JPEG made on the server from
 * the stored photo, never the uploaded bytes, so reviewers can look at photos inline while the
 * originals stay downloads (attachment). Made once per photo and size, then kept in the evidence
 * store under a key derived from the original's hash; limited in pixels, time and parallel work.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { evidenceFiles, hazards } from '../../db/schema';
import { hazardScope } from '../../db/hazard-queries';
import { DEFAULT_THUMBNAIL_LIMITS, makeThumbnail, THUMBNAIL_SIZES, type ThumbnailLimits, type ThumbnailSize } from '../../evidence/thumbnail';
import type { AppDeps } from '../app';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../route-spec';
import { uuidParams } from '../schemas/directory';
import { urlNumber } from '../schemas/url-number';

const thumbnailQuery = z.strictObject({
  size: urlNumber(
    z
      .number()
      .int()
      .refine((n): n is ThumbnailSize => (THUMBNAIL_SIZES as readonly number[]).includes(n), `one of ${THUMBNAIL_SIZES.join(', ')}`)
      .default(320),
  ),
});

/** Where a preview is kept: a digest of the original's hash, the size and the recipe's version. */
const cacheKey = (sha256: string, size: number) => createHash('sha256').update(`duban thumbnail v1 ${size} ${sha256}`).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function thumbnailRoutes({ db, evidence: store, thumbnailLimits }: AppDeps & { thumbnailLimits?: ThumbnailLimits }): RouteSpec[] {
  const limits = thumbnailLimits ?? DEFAULT_THUMBNAIL_LIMITS;
  return [
    route({
      method: 'get',
      path: '/api/evidence/:id/thumbnail',
      operationId: 'evidenceThumbnail',
      summary: 'A preview of an evidence photo: a JPEG made on the server, at most size × size pixels, without metadata',
      tag: 'evidence',
      access: 'authenticated',
      params: uuidParams,
      query: thumbnailQuery,
      responses: {
        200: { description: 'the preview (image/jpeg)', contentType: 'image/jpeg' },
        404: { description: 'no such file within reach' },
        415: { description: 'the file is not a photo (a PDF has no preview)' },
        422: { description: 'the photo cannot be previewed: too many pixels, too slow to decode, or not decodable' },
        503: { description: 'too many previews are being made; try again shortly' },
      },
      async handler({ res, params, query, principal }) {
        const [row] = await db
          .select({ file: evidenceFiles })
          .from(evidenceFiles)
          .innerJoin(hazards, eq(hazards.id, evidenceFiles.hazardId))
          .where(and(eq(evidenceFiles.id, params.id), hazardScope(principal)));
        if (!row) throw problems.notFound('evidence file');
        const file = row.file;
        if (!file.mediaType.startsWith('image/')) {
          throw new Problem(415, 'unsupported-media-type', 'No preview for this file', 'only photos have previews; download the file instead', [
            { field: 'id', message: `a ${file.mediaType} file has no preview` },
          ]).coded('no-thumbnail');
        }
        const key = cacheKey(file.sha256, query.size);
        const kept = await store.open(key);
        let bytes: Buffer;
        if (kept) bytes = await readAll(kept);
        else {
          const original = await store.open(file.sha256);
          if (!original) throw problems.notFound('evidence file');
          const made = await makeThumbnail(await readAll(original), query.size, limits);
          if (!made.ok) {
            if (made.reason === 'busy') {
              throw new Problem(503, 'unavailable', 'Busy', made.detail, [], { 'Retry-After': '2' }).coded('thumbnails-busy');
            }
            throw new Problem(422, 'unprocessable', 'No preview for this photo', made.detail, [{ field: 'id', message: made.detail }]).coded('no-thumbnail');
          }
          bytes = made.bytes;
          await store.put(key, bytes);
        }
        res.setHeader('Content-Type', 'image/jpeg');
        res.setHeader('Content-Length', String(bytes.length));
        res.setHeader('Content-Disposition', `inline; filename="${file.id}-${query.size}.jpg"`);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        // A preview never changes for its photo and size; it stays private to the signed-in person.
        res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
        res.end(bytes);
      },
    }),
  ];
}
