/**
 * Evidence PDFs are accepted only as inert documents: pages, images, text, fonts, links to web
 * pages. Whatever can act — scripts, actions that launch, submit, import or reach other files,
 * actions that run by themselves, XFA forms, rich media, attached files — or hide its content
 * from this check (encryption) is refused, wherever the file's structure holds it.
 */
import { readPdf, DEFAULT_PDF_BUDGET, type PdfBudget, type PdfDocument } from './pdf-document';
import { PdfName, PdfRef, PdfSyntaxError, PdfTooComplex, type PdfValue } from './pdf-syntax';

/** Names that, as a key or a value anywhere, mean the document can act or carries files. */
const FORBIDDEN: Record<string, string> = {
  JavaScript: 'scripts',
  JS: 'scripts',
  XFA: 'an XFA form (which runs scripts)',
  Launch: 'an action that launches programs',
  SubmitForm: 'a form that sends data away',
  ImportData: 'a form that imports data',
  GoToR: 'a link into another file',
  GoToE: 'a link into an embedded file',
  Rendition: 'media that plays',
  Movie: 'media that plays',
  Sound: 'media that plays',
  RichMedia: 'rich media',
  RichMediaExecute: 'rich media',
  EmbeddedFile: 'embedded files',
  EmbeddedFiles: 'embedded files',
  FileAttachment: 'embedded files',
  AA: 'actions that run by themselves',
  Encrypt: 'encryption, which hides its content from this check',
};
/** The only places a link may lead. */
const SAFE_LINK = /^(?:https?|mailto):/i;

export type PdfVerdict = { reason: string; tooComplex?: true } | null;

function resolve(doc: PdfDocument, value: PdfValue | undefined): PdfValue | undefined {
  for (let hops = 0; value instanceof PdfRef && hops < 8; hops++) value = doc.objects.get(value.num);
  return value instanceof PdfRef ? undefined : value;
}

/** A PDF text string as text: UTF-16BE or UTF-8 with their marks, else one byte a character. */
function text(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  return bytes.toString('latin1');
}

/** Browsers drop leading controls and spaces, and tabs and line breaks anywhere, before reading a scheme. */
const linkTarget = (bytes: Buffer) => text(bytes).replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');

function check(doc: PdfDocument): string | null {
  const stack: PdfValue[] = [...doc.values];
  while (stack.length) {
    const value = stack.pop()!;
    if (value instanceof PdfName) {
      if (FORBIDDEN[value.name]) return `the PDF carries ${FORBIDDEN[value.name]} (/${value.name})`;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value instanceof Map) {
      for (const [key, item] of value) {
        if (FORBIDDEN[key]) return `the PDF carries ${FORBIDDEN[key]} (/${key})`;
        if (key === 'URI') {
          const target = resolve(doc, item);
          if (!Buffer.isBuffer(target) || !SAFE_LINK.test(linkTarget(target))) return 'the PDF has a link that is not to a web page or a mail address (/URI)';
        }
        if (key === 'OpenAction') {
          // A destination (show this page) is inert; an action is allowed only if it merely goes there.
          const action = resolve(doc, item);
          const goes = Array.isArray(action) || (action instanceof Map && (resolve(doc, action.get('S')) as PdfName | undefined)?.name === 'GoTo');
          if (!goes) return 'the PDF runs an action when it is opened (/OpenAction)';
        }
        stack.push(item);
      }
    }
  }
  return null;
}

/** Null when the PDF is inert; else why not, and whether it was only too much work to tell. */
export function pdfActiveContent(bytes: Buffer, budget: PdfBudget = DEFAULT_PDF_BUDGET): PdfVerdict {
  let doc: PdfDocument;
  try {
    doc = readPdf(bytes, budget);
  } catch (error) {
    if (error instanceof PdfTooComplex) return { reason: `the PDF is too complex to inspect: ${error.message}`, tooComplex: true };
    if (error instanceof PdfSyntaxError) return { reason: `the PDF's structure cannot be read: ${error.message}` };
    throw error;
  }
  const reason = check(doc);
  return reason ? { reason } : null;
}
