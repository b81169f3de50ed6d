/**
 * Small previews of evidence photos, made on the server so a browser never renders the
 * uploaded bytes themselves: decoded with limits (input pixels, time), turned upright from
 * their EXIF orientation, scaled to fit a square, re-encoded as JPEG without any metadata
 * (no GPS or camera data rides along). A file that will not decode within the limits is refused.
 */
import sharp from 'sharp';
import { Turns } from './turns';

// One decoding thread per job and no decoded-image cache: previews must not crowd out the API.
sharp.concurrency(1);
sharp.cache(false);

/** The widths (and heights: previews fit a square) a preview is made at. */
export const THUMBNAIL_SIZES = [160, 320, 640] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

export interface ThumbnailLimits {
  /** Width × height of the decoded original; a decompression bomb stops here before any pixel is decoded. */
  maxInputPixels: number;
  timeoutSeconds: number;
  /** Previews made at once in this process; more wait their turn up to `maxQueued`, then are refused as busy. */
  concurrent: number;
  maxQueued: number;
}

export const DEFAULT_THUMBNAIL_LIMITS: ThumbnailLimits = { maxInputPixels: 40_000_000, timeoutSeconds: 5, concurrent: 2, maxQueued: 20 };

export type ThumbnailOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: 'busy' | 'undecodable'; detail: string };

const previews = new Turns();

export async function makeThumbnail(original: Buffer, size: ThumbnailSize, limits: ThumbnailLimits = DEFAULT_THUMBNAIL_LIMITS): Promise<ThumbnailOutcome> {
  const done = await previews.take(limits.concurrent, limits.maxQueued);
  if (!done) return { ok: false, reason: 'busy', detail: 'too many previews are being made; try again shortly' };
  try {
    const bytes = await sharp(original, { limitInputPixels: limits.maxInputPixels, failOn: 'error', sequentialRead: true, animated: false })
      .rotate()
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .timeout({ seconds: limits.timeoutSeconds })
      .jpeg({ quality: 78 })
      .toBuffer();
    return { ok: true, bytes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const detail = /pixel limit/i.test(message) ? 'the image is larger than previews are made of' : /timeout/i.test(message) ? 'the image took too long to decode' : 'the image cannot be decoded';
    return { ok: false, reason: 'undecodable', detail };
  } finally {
    done();
  }
}
