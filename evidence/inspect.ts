/**
 * Decides what an uploaded file is from its bytes, never from its name or the client's claim:
 * only JPEG, PNG, WebP and PDF are accepted, and each must also be well-formed at its end, so a
 * file of one type carrying another appended (a polyglot) is refused.
 */
import { fileTypeFromBuffer } from 'file-type';
import { jpegCaptureTime } from './exif';
import { pdfActiveContent } from './pdf-active';
import { DEFAULT_PDF_BUDGET, type PdfBudget } from './pdf-document';

export const ALLOWED_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
} as const;
export type EvidenceType = keyof typeof ALLOWED_TYPES;

export type Inspection =
  | { ok: true; mediaType: EvidenceType; ext: string; capturedAt: Date | null }
  /** `tooComplex`: refused only because telling would take more than inspection allows. */
  | { ok: false; reason: string; tooComplex?: true };

/** Markup that has no business inside a photo; its presence means the file is two things. */
const MARKUP = /<\s*(script|html|svg|iframe|body|object|embed)\b/i;

/**
 * Where the JPEG starting at `start` ends: just after its first End-Of-Image marker, found by
 * walking its segments and scans (a trailer check alone is fooled by anything appended that
 * itself ends in FFD9, such as a ZIP whose comment is those two bytes). Null if it has none.
 */
function jpegEnd(bytes: Buffer, start: number): number | null {
  let i = start + 2; // after SOI
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9) return i + 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (i + 4 > bytes.length) return null;
    const length = bytes.readUInt16BE(i + 2);
    if (length < 2) return null;
    i += 2 + length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither stuffing (FF00) nor a restart.
      for (;;) {
        i = bytes.indexOf(0xff, i);
        if (i < 0 || i + 1 >= bytes.length) return null;
        const next = bytes[i + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
        else if (next === 0xff) i++;
        else break;
      }
    }
  }
  return null;
}

/**
 * A JPEG ends at its first End-Of-Image. Only further whole JPEG images may follow (the
 * multi-picture format phones use for HDR gain maps), then at most a few padding zeros.
 */
function jpegTrailer(bytes: Buffer): string | null {
  let end = jpegEnd(bytes, 0);
  if (end === null) return 'not a complete JPEG image';
  while (end < bytes.length && bytes[end] === 0xff && bytes[end + 1] === 0xd8 && bytes[end + 2] === 0xff) {
    end = jpegEnd(bytes, end);
    if (end === null) return 'data after the end of the JPEG image';
  }
  const rest = bytes.subarray(end);
  return rest.length < 16 && rest.every((b) => b === 0) ? null : 'data after the end of the JPEG image';
}

/** A PNG ends with the chunk IEND: walked chunk by chunk, the first IEND must end the file. */
function pngTrailer(bytes: Buffer): string | null {
  let i = 8; // after the signature
  while (i + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(i);
    const type = bytes.toString('latin1', i + 4, i + 8);
    i += 12 + length;
    if (type === 'IEND') return i === bytes.length ? null : 'data after the end of the PNG image';
  }
  return 'not a complete PNG image';
}

function wellFormed(type: EvidenceType, bytes: Buffer, pdfBudget: PdfBudget): string | { reason: string; tooComplex?: true } | null {
  switch (type) {
    case 'image/jpeg':
      return jpegTrailer(bytes);
    case 'image/png':
      return pngTrailer(bytes);
    case 'image/webp':
      // RIFF's own length field must account for the whole file.
      return bytes.readUInt32LE(4) + 8 === bytes.length ? null : 'the WebP length does not match the file';
    case 'application/pdf': {
      const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
      if (!/%%EOF\s*$/.test(tail)) return 'data after the end of the PDF';
      // Scripts, actions and attachments are no part of rectification evidence.
      return pdfActiveContent(bytes, pdfBudget);
    }
  }
}

/**
 * Runs on the caller's thread and may take a while on a hostile file: the API runs it in a
 * worker (see inspector.ts), never on the thread that answers requests.
 */
export async function inspectEvidence(bytes: Buffer, pdfBudget: PdfBudget = DEFAULT_PDF_BUDGET): Promise<Inspection> {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !(detected.mime in ALLOWED_TYPES)) {
    return { ok: false, reason: `not an accepted type (JPEG, PNG, WebP or PDF)${detected ? `: the content is ${detected.mime}` : ''}` };
  }
  const mediaType = detected.mime as EvidenceType;
  const malformed = wellFormed(mediaType, bytes, pdfBudget);
  if (typeof malformed === 'string') return { ok: false, reason: malformed };
  if (malformed) return { ok: false, ...malformed };
  if (mediaType !== 'application/pdf' && MARKUP.test(bytes.toString('latin1'))) {
    return { ok: false, reason: 'the image contains markup' };
  }
  return { ok: true, mediaType, ext: ALLOWED_TYPES[mediaType], capturedAt: mediaType === 'image/jpeg' ? jpegCaptureTime(bytes) : null };
}
