/**
 * Reads a whole PDF as a viewer would find its objects: every `n g obj … endobj` at the top
 * level (stream data skipped by its length), and every object packed in an object stream,
 * inflated within a budget. What a viewer could reach that this reader would not see is refused
 * instead of guessed at: an object header hidden inside a string, comment or stream's data (a
 * cross-reference table may point straight at it), object streams whose objects overlap, or
 * compressed in a way not read here.
 */
import { constants, inflateSync } from 'node:zlib';
import { isRegular, isSpace, PdfKeyword, PdfName, PdfReader, PdfRef, PdfSyntaxError, PdfTooComplex, type PdfDict, type PdfValue } from './pdf-syntax';

export interface PdfBudget {
  /** Bytes all object streams together may inflate to. */
  maxInflatedBytes: number;
  /** Values (numbers, names, strings, …) the whole file may hold. */
  maxValues: number;
}
export const DEFAULT_PDF_BUDGET: PdfBudget = { maxInflatedBytes: 64 * 1024 * 1024, maxValues: 2_000_000 };

export interface PdfDocument {
  /** Every value the file holds outside stream data: objects, trailers, stream dictionaries. */
  values: PdfValue[];
  /** Objects by number (a later definition, as in an incremental update, wins). */
  objects: Map<number, PdfValue>;
}

interface Header {
  num: number;
  /** Just after the keyword `obj`. */
  body: number;
}

const OBJ = Buffer.from('obj', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isPlainValue = (v: PdfValue) => !(v instanceof PdfKeyword) || ['true', 'false', 'null'].includes(v.word);

/**
 * Every place the bytes spell an object header (`digits space digits space obj`), wherever it
 * is. Each `obj` is walked back over at most its own run of spaces and digits, so the whole
 * search stays linear in the file's size.
 */
function objectHeaders(bytes: Buffer): Map<number, Header> {
  const headers = new Map<number, Header>();
  for (let at = bytes.indexOf(OBJ); at >= 0; at = bytes.indexOf(OBJ, at + 3)) {
    let p = at - 1;
    const spaces = () => {
      const from = p;
      while (p >= 0 && isSpace(bytes[p])) p--;
      return from - p;
    };
    const digits = () => {
      const from = p;
      while (p >= 0 && isDigit(bytes[p])) p--;
      return from - p;
    };
    if (!spaces() || !digits() || !spaces() || !digits()) continue;
    if (p >= 0 && isRegular(bytes[p])) continue; // part of a longer word, such as `x12 0 obj`
    headers.set(p + 1, { num: Number(digitsAt(bytes, p + 1)), body: at + 3 });
  }
  return headers;
}

function digitsAt(bytes: Buffer, from: number): string {
  let p = from;
  while (isDigit(bytes[p])) p++;
  return bytes.toString('latin1', from, p);
}

/** `n g obj <integer> endobj`: what an indirect /Length points at. */
function integerObjects(bytes: Buffer, headers: Map<number, Header>): Map<number, number> {
  const found = new Map<number, number>();
  for (const h of headers.values()) {
    const m = /^[\0\t\n\f\r ]*(\d{1,12})[\0\t\n\f\r ]+endobj/.exec(bytes.toString('latin1', h.body, Math.min(bytes.length, h.body + 64)));
    if (m) found.set(h.num, Number(m[1]));
  }
  return found;
}

class Inflater {
  private left: number;
  constructor(private readonly budget: PdfBudget) {
    this.left = budget.maxInflatedBytes;
  }

  inflate(data: Buffer): Buffer {
    try {
      // A stream cut short still yields what it holds, as viewers read it.
      const out = inflateSync(data, { maxOutputLength: Math.max(1, this.left + 1), finishFlush: constants.Z_SYNC_FLUSH });
      if (out.length > this.left) throw new RangeError('over budget');
      this.left -= out.length;
      return out;
    } catch (error) {
      if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PdfTooComplex(`its object streams inflate to more than ${Math.round(this.budget.maxInflatedBytes / 1024 / 1024)} MB`);
      }
      throw new PdfSyntaxError('an object stream whose compressed data is damaged');
    }
  }
}

function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

/** The objects packed in one object stream, each read from its own offset and no further. */
function readObjectStream(dict: PdfDict, data: Buffer, inflater: Inflater, allowance: { values: number }, into: PdfDocument): void {
  const filter = dict.get('Filter');
  const filters = filter === undefined ? [] : Array.isArray(filter) ? filter.map(nameOf) : [nameOf(filter)];
  const parms = dict.get('DecodeParms');
  if (filters.length > 1 || (filters.length === 1 && filters[0] !== 'FlateDecode') || (parms !== undefined && !(parms instanceof PdfKeyword))) {
    throw new PdfSyntaxError('an object stream compressed in a way the check does not read');
  }
  const content = filters.length ? inflater.inflate(data) : data;
  const n = dict.get('N');
  const first = dict.get('First');
  if (typeof n !== 'number' || typeof first !== 'number' || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || first < 0 || first > content.length) {
    throw new PdfSyntaxError('an object stream without a readable /N and /First');
  }
  const head = new PdfReader(content, 0, first, allowance);
  const entries: Array<{ num: number; offset: number }> = [];
  for (let i = 0; i < n; i++) {
    const num = head.value();
    const offset = head.value();
    if (typeof num !== 'number' || typeof offset !== 'number' || !Number.isInteger(num) || !Number.isInteger(offset) || num < 0 || offset < 0) {
      throw new PdfSyntaxError('an object stream whose header is not pairs of numbers');
    }
    const previous = entries[entries.length - 1];
    if ((previous && offset <= previous.offset) || first + offset >= content.length) {
      throw new PdfSyntaxError('an object stream whose objects overlap or lie outside it');
    }
    entries.push({ num, offset });
  }
  entries.forEach(({ num, offset }, i) => {
    const next = entries[i + 1];
    const reader = new PdfReader(content, first + offset, next ? first + next.offset : content.length, allowance);
    const value = reader.value();
    if (!isPlainValue(value)) throw new PdfSyntaxError('an object stream holding something other than objects');
    into.objects.set(num, value);
    into.values.push(value);
  });
}

export function readPdf(bytes: Buffer, budget: PdfBudget = DEFAULT_PDF_BUDGET): PdfDocument {
  const doc: PdfDocument = { values: [], objects: new Map() };
  const allowance = { values: budget.maxValues };
  const inflater = new Inflater(budget);
  const headers = objectHeaders(bytes);
  const integers = integerObjects(bytes, headers);
  const read = new Set<number>();
  const objectStreams: Array<{ dict: PdfDict; data: Buffer }> = [];
  const r = new PdfReader(bytes, 0, bytes.length, allowance);

  /** Where a stream's data ends: by its /Length when that lands on `endstream`, else the first `endstream`. */
  const streamEnd = (dict: PdfDict, start: number): { dataEnd: number; after: number } => {
    const declared = dict.get('Length');
    const length = declared instanceof PdfRef ? integers.get(declared.num) : declared;
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && start + length <= bytes.length) {
      let p = start + length;
      while (p < bytes.length && isSpace(bytes[p])) p++;
      if (bytes.subarray(p, p + ENDSTREAM.length).equals(ENDSTREAM)) return { dataEnd: start + length, after: p + ENDSTREAM.length };
    }
    const p = bytes.indexOf(ENDSTREAM, start);
    if (p < 0) throw new PdfSyntaxError('a stream that never ends');
    let dataEnd = p;
    if (bytes[dataEnd - 1] === 0x0a) dataEnd--;
    if (bytes[dataEnd - 1] === 0x0d) dataEnd--;
    return { dataEnd: Math.max(start, dataEnd), after: p + ENDSTREAM.length };
  };

  for (;;) {
    r.skipSpace();
    if (r.pos >= bytes.length) break;
    const at = r.pos;
    const header = headers.get(at);
    if (header) {
      read.add(at);
      r.pos = header.body;
      const value = r.value();
      if (!isPlainValue(value)) throw new PdfSyntaxError(`an object holding the keyword ${(value as PdfKeyword).word}`);
      const afterValue = r.pos;
      const next = r.token();
      if (next.t === 'kw' && next.v === 'stream') {
        if (!(value instanceof Map)) throw new PdfSyntaxError('a stream without a dictionary');
        let start = r.pos;
        if (bytes[start] === 0x0d) start++;
        if (bytes[start] === 0x0a) start++;
        if (start === r.pos) throw new PdfSyntaxError('the keyword stream not followed by an end of line');
        const { dataEnd, after } = streamEnd(value, start);
        if (nameOf(value.get('Type')) === 'ObjStm') objectStreams.push({ dict: value, data: bytes.subarray(start, dataEnd) });
        r.pos = after;
      } else r.pos = afterValue;
      doc.objects.set(header.num, value);
      doc.values.push(value);
      const end = r.pos;
      const closing = r.token();
      if (!(closing.t === 'kw' && closing.v === 'endobj')) r.pos = end;
      continue;
    }
    const t = r.token();
    if (t.t === 'kw' && t.v === 'stream') throw new PdfSyntaxError('the keyword stream outside an object');
    if (t.t === 'open-dict' || t.t === 'open-array') {
      r.pos = at;
      doc.values.push(r.value());
    } else if (t.t === 'name') doc.values.push(new PdfName(t.v));
  }

  for (const at of headers.keys()) {
    if (!read.has(at)) throw new PdfSyntaxError('an object hidden inside other data');
  }
  for (const { dict, data } of objectStreams) readObjectStream(dict, data, inflater, allowance, doc);
  return doc;
}
