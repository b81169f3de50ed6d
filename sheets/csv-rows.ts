/**
 * Rows of a CSV file as they stream in (RFC 4180: quoted fields with doubled quotes, line breaks
 * inside quotes, CRLF, LF or CR between records). Only one record is held at a time. The text is
 * UTF-8 (a BOM, as Excel writes, is dropped) unless its first bytes are not UTF-8: then it is read
 * as GB18030, which covers GBK, the other way Chinese spreadsheets are saved.
 */
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { SheetTooLarge } from './sheet-too-large';

/** How much of the start is looked at to tell UTF-8 from GBK. */
const SNIFF_BYTES = 64 * 1024;

function looksUtf8(bytes: Buffer): boolean {
  try {
    // A character cut at the end of the sample is not a reason to doubt it.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * What one record may hold: Excel's widest sheet (16,384 columns) and a megabyte of text, so a
 * line of a million commas or a quote never closed is refused rather than held.
 */
export const CSV_RECORD_LIMITS = { fields: 16_384, chars: 1024 * 1024 };

/** A record parser fed text in pieces; records come out whole. */
export class CsvRecords {
  private field = '';
  private record: string[] = [];
  private recordChars = 0;

  constructor(private readonly limits = CSV_RECORD_LIMITS) {}
  private quoted = false;
  /** Inside quotes, a quote just seen: either the closing quote or the first of a doubled one. */
  private quoteSeen = false;
  private lastWasCr = false;
  private fieldStarted = false;

  /** Feeds text; answers the records it completed. */
  push(text: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.lastWasCr) {
        this.lastWasCr = false;
        if (c === '\n') continue;
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === '"') {
            this.take('"');
            continue;
          }
          this.quoted = false;
          // falls through: the character after a closing quote is read as outside quotes
        } else if (c === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          this.take(c);
          continue;
        }
      }
      if (c === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n' || c === '\r') {
        this.lastWasCr = c === '\r';
        this.endField();
        out.push(this.record);
        this.record = [];
        this.recordChars = 0;
      } else {
        // A stray quote inside an unquoted field is kept as it is (lenient, as spreadsheets are).
        this.take(c);
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** The last record, when the text does not end with a line break. */
  end(): string[][] {
    if (this.quoteSeen) this.quoted = false;
    if (!this.fieldStarted && !this.record.length) return [];
    this.endField();
    const last = this.record;
    this.record = [];
    return [last];
  }

  private take(c: string) {
    if (++this.recordChars > this.limits.chars) throw new SheetTooLarge(`a record of the file runs past ${this.limits.chars} characters`);
    this.field += c;
  }

  private endField() {
    if (this.record.length >= this.limits.fields) throw new SheetTooLarge(`a record of the file has more than ${this.limits.fields} fields`);
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }
}

/** Each record of the stream with its line number in the sheet (1: the header). */
export async function* csvRows(stream: Readable): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  const parser = new CsvRecords();
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let head: Buffer[] = [];
  let headBytes = 0;
  let rowNo = 0;
  const decide = (bytes: Buffer) => {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    // ignoreBOM false: the UTF-8 decoder drops a leading BOM itself.
    return bom || looksUtf8(bytes) ? new TextDecoder('utf-8') : new TextDecoder('gb18030');
  };
  const records = function* (text: string) {
    for (const cells of parser.push(text)) yield { rowNo: ++rowNo, cells };
  };
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    if (!decoder) {
      head.push(bytes);
      headBytes += bytes.length;
      if (headBytes < SNIFF_BYTES) continue;
      const all = Buffer.concat(head);
      head = [];
      decoder = decide(all);
      yield* records(decoder.decode(all, { stream: true }));
      continue;
    }
    yield* records(decoder.decode(bytes, { stream: true }));
  }
  if (!decoder) {
    const all = Buffer.concat(head);
    decoder = decide(all);
    yield* records(decoder.decode(all, { stream: true }));
  }
  yield* records(decoder!.decode());
  for (const cells of parser.end()) yield { rowNo: ++rowNo, cells };
}
