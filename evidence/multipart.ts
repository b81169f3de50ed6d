/**
 * Reads a multipart upload into memory within hard limits: the whole request is refused, and
 * nothing kept, when a file is too large, there are too many, or a name carries a path or
 * control characters. Every way the form can go wrong settles the read, once: a parser error,
 * a body cut short, a client gone, or the request's deadline passing.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { UploadRefused } from './upload-refused';

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
}

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name with a path, a traversal or control characters is refused, not silently cleaned. */
export function checkFileName(name: string): string | null {
  if (!name || name.length > 200) return 'the file name must be 1–200 characters';
  if (/[\\/]/.test(name) || name === '.' || name === '..' || name.includes('..')) return 'the file name must not contain a path';
  if (CONTROL.test(name)) return 'the file name must not contain control characters';
  return null;
}

const isMultipart = (req: IncomingMessage) => /^multipart\/form-data\s*(;|$)/i.test(req.headers['content-type'] ?? '');

export function readUpload(req: IncomingMessage, limits: UploadLimits, signal?: AbortSignal): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    if (!isMultipart(req)) {
      return reject(new UploadRefused('not-multipart', 'send the files as multipart/form-data in the field "files"'));
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 0, parts: limits.maxFiles + 1 },
        defParamCharset: 'utf8',
        // busboy otherwise cuts a name down to its last path segment: the check below must see it whole.
        preservePath: true,
      });
    } catch {
      return reject(new UploadRefused('malformed', 'malformed multipart request'));
    }
    const files: UploadedFile[] = [];
    let failure: UploadRefused | null = null;
    let settled = false;

    const cleanUp = () => {
      req.off('aborted', onAbandoned);
      req.off('error', onAbandoned);
      signal?.removeEventListener('abort', onDeadline);
    };
    /** A refusal that lets the form run to its end first, so the client hears it after sending. */
    const fail = (refusal: UploadRefused) => {
      failure ??= refusal;
    };
    /** A refusal now: the parser can go no further (busboy does not close after an error). */
    const stop = (refusal: UploadRefused) => {
      if (settled) return;
      settled = true;
      cleanUp();
      files.length = 0;
      req.unpipe(parser);
      parser.removeAllListeners('close');
      parser.on('error', () => {});
      parser.destroy();
      // What the client still sends is read and dropped, so the answer can reach it.
      req.resume();
      reject(failure ?? refusal);
    };
    const onAbandoned = () => stop(new UploadRefused('malformed', 'the upload was interrupted'));
    const onDeadline = () => stop(new UploadRefused('malformed', 'the upload did not complete in time'));

    parser.on('file', (field, stream, info) => {
      const filename = info.filename ?? '';
      const chunks: Buffer[] = [];
      const nameProblem = field !== 'files' ? `unexpected field "${field}"; use "files"` : checkFileName(filename);
      if (nameProblem) fail(new UploadRefused('invalid', nameProblem, 'files'));
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      // A form cut short errors the part being read too; unheard, that error would end the process.
      stream.on('error', () => stop(new UploadRefused('malformed', 'malformed multipart request')));
      stream.on('limit', () => fail(new UploadRefused('file-too-large', `${filename} is too large; each file may be at most ${limits.maxFileBytes} bytes`, 'files')));
      stream.on('end', () => {
        if (!failure) files.push({ name: filename, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (field) => fail(new UploadRefused('invalid', 'unexpected field; send only files', CONTROL.test(field) ? 'body' : field)));
    parser.on('filesLimit', () => fail(new UploadRefused('too-many-files', `at most ${limits.maxFiles} files per request`, 'files')));
    parser.on('partsLimit', () => fail(new UploadRefused('too-many-files', `at most ${limits.maxFiles} files per request`, 'files')));
    parser.on('fieldsLimit', () => fail(new UploadRefused('invalid', 'send only files')));
    parser.on('error', (error: Error) => stop(new UploadRefused('malformed', `malformed multipart request: ${error.message.toLowerCase()}`)));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      cleanUp();
      if (failure) return reject(failure);
      if (!files.length) return reject(new UploadRefused('invalid', 'no file received', 'files'));
      resolve(files);
    });
    // A client that goes away mid-upload, or a deadline passing: stop parsing and drop what was read.
    req.once('aborted', onAbandoned);
    req.once('error', onAbandoned);
    if (signal?.aborted) return onDeadline();
    signal?.addEventListener('abort', onDeadline, { once: true });
    req.pipe(parser);
  });
}
