/**
 * Reads a multipart upload into memory within hard limits: the whole request is refused, and
 * nothing kept, when a file is too large, there are too many, or a name carries a path.
 */
import type { Request } from 'express';
import busboy from 'busboy';
import { Problem, problems } from '../api/problem';

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

export function readUpload(req: Request, limits: UploadLimits): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    if (!req.is('multipart/form-data')) {
      return reject(new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the files as multipart/form-data in the field "files"'));
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
      return reject(problems.invalid([{ field: 'body', message: 'malformed multipart request' }]));
    }
    const files: UploadedFile[] = [];
    let failure: Problem | null = null;
    const fail = (p: Problem) => {
      failure ??= p;
    };
    parser.on('file', (field, stream, info) => {
      const filename = info.filename ?? '';
      const chunks: Buffer[] = [];
      const nameProblem = field !== 'files' ? `unexpected field "${field}"; use "files"` : checkFileName(filename);
      if (nameProblem) fail(problems.invalid([{ field: 'files', message: nameProblem }]));
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      // A form cut short errors the part being read too; unheard, that error would end the process.
      stream.on('error', () => fail(problems.invalid([{ field: 'body', message: 'malformed multipart request' }])));
      stream.on('limit', () =>
        fail(new Problem(413, 'too-large', 'File too large', `each file may be at most ${limits.maxFileBytes} bytes`, [{ field: 'files', message: `${filename} is too large` }])),
      );
      stream.on('end', () => {
        if (!failure) files.push({ name: filename, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (field) => fail(problems.invalid([{ field, message: 'unexpected field; send only files' }])));
    parser.on('filesLimit', () => fail(new Problem(413, 'too-many-files', 'Too many files', `at most ${limits.maxFiles} files per request`)));
    parser.on('partsLimit', () => fail(new Problem(413, 'too-many-files', 'Too many files', `at most ${limits.maxFiles} files per request`)));
    parser.on('fieldsLimit', () => fail(problems.invalid([{ field: 'body', message: 'send only files' }])));
    parser.on('error', () => fail(problems.invalid([{ field: 'body', message: 'malformed multipart request' }])));
    parser.on('close', () => {
      if (failure) return reject(failure);
      if (!files.length) return reject(problems.invalid([{ field: 'files', message: 'no file received' }]));
      resolve(files);
    });
    // A client that goes away mid-upload: stop parsing and drop what was read, rather than wait forever.
    const abandon = () => {
      fail(problems.invalid([{ field: 'body', message: 'the upload was interrupted' }]));
      parser.destroy();
    };
    req.once('aborted', abandon);
    req.once('error', abandon);
    req.pipe(parser);
  });
}
