/**
 * Builds small PDFs for tests, byte by byte: numbered objects, a cross-reference table that
 * points at them, a trailer and %%EOF. Hostile variants are written as their authors would.
 */
import { deflateSync } from 'node:zlib';

export type PdfObject = string | Buffer;

/** A PDF whose objects are numbered 1…n in order; object 1 is the catalog by convention. */
export function buildPdf(objects: PdfObject[], opts: { trailer?: string; version?: string } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`%PDF-${opts.version ?? '1.7'}\n%\xe2\xe3\xcf\xd3\n`, 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<</Size ${objects.length + 1}/Root 1 0 R${opts.trailer ?? ''}>>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** A stream object's body: the dictionary (Length added) and the data as given. */
export function streamBody(dict: string, data: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  return Buffer.concat([Buffer.from(`<<${dict}/Length ${bytes.length}>>stream\n`, 'latin1'), bytes, Buffer.from('\nendstream', 'latin1')]);
}

/** A compressed object stream holding the given objects (number → body), as PDF 1.5 writers pack them. */
export function objectStream(objects: Array<[number, string]>, opts: { before?: string; after?: string; padding?: number; header?: string; n?: number } = {}): Buffer {
  let body = '';
  const header: string[] = [];
  for (const [n, text] of objects) {
    header.push(`${n} ${body.length}`);
    body += `${text}\n`;
  }
  const head = `${opts.header ?? header.join(' ')} `;
  const content = Buffer.concat([Buffer.from(head + body, 'latin1'), Buffer.alloc(opts.padding ?? 0, 0x20)]);
  return streamBody(`${opts.before ?? ''}/Type/ObjStm/N ${opts.n ?? objects.length}/First ${head.length}/Filter/FlateDecode${opts.after ?? ''}`, deflateSync(content));
}

/** A one-page document: catalog (with extra entries), pages, page (with extra entries), then `more`. */
export function onePage(catalogExtra = '', pageExtra = '', more: PdfObject[] = [], trailer = ''): Buffer {
  return buildPdf(
    [`<</Type/Catalog/Pages 2 0 R${catalogExtra}>>`, '<</Type/Pages/Kids[3 0 R]/Count 1>>', `<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]${pageExtra}>>`, ...more],
    { trailer },
  );
}
