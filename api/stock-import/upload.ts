/**
 * Takes one spreadsheet from a multipart form (field `file`) as a stream: the handler reads it as
 * it arrives (storing it), its SHA-256 is taken on the way, and nothing is kept whole in memory.
 * Past the size limit, or with another field, another file or a name with a path, the request is
 * refused once the form has been read through. A file whose first bytes are not its kind's is
 * refused before it is stored.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import busboy from 'busboy';
import { checkFileName } from '../../evidence/multipart';
import type { EvidenceStore } from '../../evidence/store';
import { UploadRefused } from '../../evidence/upload-refused';

export type SheetFormat = 'xlsx' | 'csv';

export interface IncomingSheet {
  name: string;
  format: SheetFormat;
  stream: Readable;
  /** The file's SHA-256, once the stream has been read to its end. */
  sha256(): string;
}

export class WrongFileType extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName}: send an .xlsx workbook or a .csv file`);
  }
}

/** A file refused by its first bytes (422): empty, or a workbook that is not a zip. */
export class SheetRefused extends Error {
  constructor(
    readonly code: 'sheet-empty' | 'sheet-unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** An .xlsx workbook is a zip: it begins with a zip entry's signature. */
const ZIP_ENTRY = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function checkHead(format: SheetFormat, head: Buffer): void {
  if (!head.length) throw new SheetRefused('sheet-empty', 'the file is empty');
  if (format === 'xlsx' && !head.subarray(0, 4).equals(ZIP_ENTRY)) throw new SheetRefused('sheet-unreadable', 'the file is not an .xlsx workbook (not a zip)');
}

/** The stream's bytes, its first ones checked before any passes on. */
async function* checkedFirst(stream: Readable, format: SheetFormat): AsyncGenerator<Buffer> {
  let head: Buffer | null = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head === null) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < ZIP_ENTRY.length) continue;
    checkHead(format, head);
    yield head;
    head = null;
  }
  if (head !== null) {
    checkHead(format, head);
    yield head;
  }
}

export interface StoredSheet {
  name: string;
  format: SheetFormat;
  sha256: string;
  size: number;
}

/** Stores an incoming sheet whole (content-addressed), for its judging behind the answer. */
export async function storeSheet(store: EvidenceStore, sheet: IncomingSheet): Promise<StoredSheet> {
  const { sha256, size } = await store.putStream(Readable.from(checkedFirst(sheet.stream, sheet.format), { objectMode: false }));
  return { name: sheet.name, format: sheet.format, sha256, size };
}

const formatOf = (name: string): SheetFormat | null => (/\.xlsx$/i.test(name) ? 'xlsx' : /\.csv$/i.test(name) ? 'csv' : null);

export function receiveSheet<T>(req: IncomingMessage, limits: { maxBytes: number }, signal: AbortSignal | undefined, handle: (sheet: IncomingSheet) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!/^multipart\/form-data\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return reject(new UploadRefused('not-multipart', 'send the file as multipart/form-data in the field "file"'));
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limits.maxBytes, files: 1, fields: 0, parts: 2 }, defParamCharset: 'utf8', preservePath: true });
    } catch {
      return reject(new UploadRefused('malformed', 'malformed multipart request'));
    }
    let failure: unknown = null;
    let work: Promise<void> | null = null;
    let result: T | undefined;
    let tooLarge = false;
    let settled = false;
    /** The file's bytes as the handler reads them: failed when the request ends early, so nothing half-stored is kept. */
    let reading: Transform | null = null;
    const fail = (e: unknown) => void (failure ??= e);
    const finish = () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onDeadline);
      if (tooLarge) return reject(new UploadRefused('file-too-large', `the file may be at most ${limits.maxBytes} bytes`, 'file'));
      if (failure) return reject(failure);
      if (!work) return reject(new UploadRefused('invalid', 'no file received', 'file'));
      resolve(result as T);
    };
    const onDeadline = () => {
      if (settled) return;
      settled = true;
      const late = new UploadRefused('malformed', 'the upload did not complete in time');
      reading?.destroy(late);
      req.unpipe(parser);
      parser.destroy();
      req.resume();
      reject(late);
    };

    parser.on('file', (field, stream, info) => {
      const name = info.filename ?? '';
      const refused = field !== 'file' ? `unexpected field "${field}"; use "file"` : checkFileName(name);
      const format = formatOf(name);
      if (refused || !format || work) {
        if (refused) fail(new UploadRefused('invalid', refused, 'file'));
        else if (!format) fail(new WrongFileType(name));
        stream.resume();
        return;
      }
      const hash = createHash('sha256');
      const hashed = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      reading = hashed;
      stream.on('error', (e) => hashed.destroy(e));
      // Past the limit the reader is failed rather than ended, so a cut-off file is never stored.
      stream.on('limit', () => {
        tooLarge = true;
        hashed.destroy(new UploadRefused('file-too-large', `the file may be at most ${limits.maxBytes} bytes`, 'file'));
      });
      stream.pipe(hashed);
      let digest: string | null = null;
      const sha256 = () => (digest ??= hash.digest('hex'));
      work = handle({ name, format, stream: hashed, sha256 })
        .then((r) => void (result = r), fail)
        // Whatever the handler left unread is read and dropped, so the form can end and be answered;
        // a reader that stopped early may have destroyed `hashed`, so the file is drained at its source.
        .finally(() => {
          stream.unpipe(hashed);
          stream.resume();
        });
    });
    parser.on('field', (field) => fail(new UploadRefused('invalid', 'unexpected field; send only the file', field)));
    parser.on('filesLimit', () => fail(new UploadRefused('too-many-files', 'send one file', 'file')));
    parser.on('partsLimit', () => fail(new UploadRefused('too-many-files', 'send one file', 'file')));
    parser.on('fieldsLimit', () => fail(new UploadRefused('invalid', 'send only the file', 'file')));
    parser.on('error', (e: Error) => {
      fail(new UploadRefused('malformed', `malformed multipart request: ${e.message.toLowerCase()}`));
      void (work ?? Promise.resolve()).finally(finish);
    });
    parser.on('close', () => void (work ?? Promise.resolve()).finally(finish));
    req.once('aborted', () => {
      const interrupted = new UploadRefused('malformed', 'the upload was interrupted');
      reading?.destroy(interrupted);
      fail(interrupted);
      void (work ?? Promise.resolve()).finally(finish);
    });
    if (signal?.aborted) return onDeadline();
    signal?.addEventListener('abort', onDeadline, { once: true });
    req.pipe(parser);
  });
}
