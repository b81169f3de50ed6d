/**
 * The capture time a JPEG carries in its EXIF data (DateTimeOriginal, else DateTime). Cameras
 * write local wall-clock time without a zone; evidence is photographed on site, so it is read
 * as Asia/Shanghai time. Anything malformed yields null, never an error.
 */
import { shanghaiInstant } from '../domain/shanghai-time';

const DATE_TIME_ORIGINAL = 0x9003;
const DATE_TIME = 0x0132;
const EXIF_IFD_POINTER = 0x8769;

function findExif(bytes: Buffer): Buffer | null {
  let offset = 2; // after SOI
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1]!;
    const length = bytes.readUInt16BE(offset + 2);
    if (marker === 0xe1 && bytes.toString('latin1', offset + 4, offset + 10) === 'Exif\0\0') {
      return bytes.subarray(offset + 10, offset + 2 + length);
    }
    if (marker === 0xda) return null; // image data begins: no EXIF before it
    offset += 2 + length;
  }
  return null;
}

function readTags(tiff: Buffer, ifdOffset: number, little: boolean): Map<number, { type: number; count: number; value: number }> {
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const tags = new Map<number, { type: number; count: number; value: number }>();
  const count = u16(ifdOffset);
  for (let i = 0; i < count; i++) {
    const entry = ifdOffset + 2 + i * 12;
    tags.set(u16(entry), { type: u16(entry + 2), count: u32(entry + 4), value: u32(entry + 8) });
  }
  return tags;
}

export function jpegCaptureTime(bytes: Buffer): Date | null {
  try {
    const tiff = findExif(bytes);
    if (!tiff || tiff.length < 8) return null;
    const little = tiff.toString('latin1', 0, 2) === 'II';
    const ifd0 = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
    const tags0 = readTags(tiff, ifd0, little);
    const exifPointer = tags0.get(EXIF_IFD_POINTER);
    const exifTags = exifPointer ? readTags(tiff, exifPointer.value, little) : new Map();
    const tag = exifTags.get(DATE_TIME_ORIGINAL) ?? tags0.get(DATE_TIME);
    if (!tag || tag.type !== 2 || tag.count < 19) return null;
    const text = tiff.toString('latin1', tag.value, tag.value + 19);
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
    if (!m) return null;
    const instant = shanghaiInstant(`${m[1]}-${m[2]}-${m[3]}`, Number(m[4]), Number(m[5])) + Number(m[6]) * 1000;
    return Number.isFinite(instant) ? new Date(instant) : null;
  } catch {
    return null;
  }
}
