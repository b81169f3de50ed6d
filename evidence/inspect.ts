/**
 * Decides what an uploaded file is from its bytes, never from its name or the client's claim:
 * only JPEG, PNG, WebP and PDF are accepted, and each must also be well-formed at its end, so a
 * file of one type carrying another appended (a polyglot) is refused.
 */
import { fileTypeFromBuffer } from 'file-type';
import { jpegCaptureTime } from './exif';

export const ALLOWED_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
} as const;
export type EvidenceType = keyof typeof ALLOWED_TYPES;

export type Inspection =
  | { ok: true; mediaType: EvidenceType; ext: string; capturedAt: Date | null }
  | { ok: false; reason: string };

const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
/** Markup that has no business inside a photo; its presence means the file is two things. */
const MARKUP = /<\s*(script|html|svg|iframe|body|object|embed)\b/i;

function wellFormed(type: EvidenceType, bytes: Buffer): string | null {
  switch (type) {
    case 'image/jpeg': {
      // Ends at its End-Of-Image marker (a few padding zeros are tolerated).
      let end = bytes.length;
      while (end > 2 && bytes[end - 1] === 0 && bytes.length - end < 16) end--;
      return bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9 ? null : 'data after the end of the JPEG image';
    }
    case 'image/png':
      return bytes.subarray(bytes.length - 8).equals(PNG_END) ? null : 'data after the end of the PNG image';
    case 'image/webp':
      // RIFF's own length field must account for the whole file.
      return bytes.readUInt32LE(4) + 8 === bytes.length ? null : 'the WebP length does not match the file';
    case 'application/pdf': {
      const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
      if (!/%%EOF\s*$/.test(tail)) return 'data after the end of the PDF';
      // Scripts in a PDF are no part of rectification evidence.
      if (/\/(JavaScript|JS|Launch|EmbeddedFile)\b/.test(bytes.toString('latin1'))) return 'the PDF carries scripts or embedded files';
      return null;
    }
  }
}

export async function inspectEvidence(bytes: Buffer): Promise<Inspection> {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !(detected.mime in ALLOWED_TYPES)) {
    return { ok: false, reason: `not an accepted type (JPEG, PNG, WebP or PDF)${detected ? `: the content is ${detected.mime}` : ''}` };
  }
  const mediaType = detected.mime as EvidenceType;
  const malformed = wellFormed(mediaType, bytes);
  if (malformed) return { ok: false, reason: malformed };
  if (mediaType !== 'application/pdf' && MARKUP.test(bytes.toString('latin1'))) {
    return { ok: false, reason: 'the image contains markup' };
  }
  return { ok: true, mediaType, ext: ALLOWED_TYPES[mediaType], capturedAt: mediaType === 'image/jpeg' ? jpegCaptureTime(bytes) : null };
}
