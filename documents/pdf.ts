/**
 * Lays a PrintedDocument out on A4 after GB/T 9704-2012 as far as a generated page allows:
 * margins 37 mm top, 28 mm left, a 156 × 225 mm type area; the agency in red over a red rule
 * with the number line; the title centred; the body in 3号 (16 pt); the agency and date at
 * the bottom right; the 抄送/印发 footer between rules; page numbers "— n —".
 *
 * Deterministic: the metadata dates are the record's, the document ID is derived from them and
 * the content, and the font subset tag comes from the font's order of registration — so the
 * same record always gives the same bytes (a re-download hashes the same).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Block, PrintedDocument } from '../domain/documents/page';

export interface DocumentFonts {
  /** Body text (仿宋 in a bureau's own set; Noto Serif SC by default). */
  regular: string;
  /** Titles and headings (小标宋 / 黑体 in a bureau's own set). */
  bold: string;
}

const MM = 72 / 25.4;
const MARGIN = { top: 37 * MM, left: 28 * MM, right: 26 * MM, bottom: 35 * MM };
const BODY_PT = 16;
const TABLE_PT = 11;
const RED = '#c00000';

const fontCache = new Map<string, Buffer>();
function fontBytes(path: string): Buffer {
  let bytes = fontCache.get(path);
  if (!bytes) {
    bytes = readFileSync(path);
    fontCache.set(path, bytes);
  }
  return bytes;
}

/** Reads both fonts now, so a missing or unreadable file fails at start-up, not at the first print. */
export function loadFonts(fonts: DocumentFonts): void {
  fontBytes(fonts.regular);
  fontBytes(fonts.bold);
}

type Doc = PDFKit.PDFDocument;

function width(doc: Doc): number {
  return doc.page.width - MARGIN.left - MARGIN.right;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage();
}

function header(doc: Doc, d: PrintedDocument): void {
  const w = width(doc);
  doc.font('bold').fontSize(26).fillColor(RED).text(d.agency, MARGIN.left, MARGIN.top - 10 * MM, { width: w, align: 'center' });
  doc.moveDown(0.4);
  if (d.number) doc.font('regular').fontSize(BODY_PT).fillColor('black').text(d.number, { width: w, align: 'center' });
  const y = doc.y + 4 * MM;
  doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + w, y).lineWidth(1.2).strokeColor(RED).stroke();
  doc.y = y + 8 * MM;
  doc.font('bold').fontSize(22).fillColor('black').text(d.title, MARGIN.left, doc.y, { width: w, align: 'center', lineGap: 4 });
  doc.moveDown(0.8);
  if (d.addressee) doc.font('regular').fontSize(BODY_PT).text(`${d.addressee}：`, MARGIN.left, doc.y, { width: w, lineGap: 6 });
}

function table(doc: Doc, b: Extract<Block, { kind: 'table' }>): void {
  const w = width(doc);
  const cols = b.widths.map((f) => f * w);
  const pad = 3;
  const rowHeight = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: cols[i]! - 2 * pad }))) + 2 * pad;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(TABLE_PT);
    const h = rowHeight(cells);
    ensureRoom(doc, h);
    const top = doc.y;
    let x = MARGIN.left;
    cells.forEach((c, i) => {
      doc.rect(x, top, cols[i]!, h).lineWidth(0.5).strokeColor('black').stroke();
      doc.text(c || ' ', x + pad, top + pad, { width: cols[i]! - 2 * pad });
      x += cols[i]!;
    });
    doc.x = MARGIN.left;
    doc.y = top + h;
  };
  doc.moveDown(0.3);
  drawRow(b.columns, true);
  for (const row of b.rows) drawRow(row, false);
  doc.moveDown(0.6);
}

function block(doc: Doc, b: Block): void {
  const w = width(doc);
  doc.fillColor('black');
  switch (b.kind) {
    case 'paragraph':
      doc.font('regular').fontSize(BODY_PT).text(b.text, MARGIN.left, doc.y, { width: w, indent: 2 * BODY_PT, lineGap: 6, paragraphGap: 4 });
      return;
    case 'heading':
      ensureRoom(doc, 3 * BODY_PT);
      doc.font('bold').fontSize(BODY_PT).text(b.text, MARGIN.left, doc.y, { width: w, indent: 2 * BODY_PT, lineGap: 6 });
      return;
    case 'fields':
      for (const f of b.fields) {
        doc.font('regular').fontSize(BODY_PT).text(`${f.label}：${f.value}`, MARGIN.left, doc.y, { width: w, indent: 2 * BODY_PT, lineGap: 6 });
      }
      doc.moveDown(0.3);
      return;
    case 'table':
      table(doc, b);
  }
}

function signature(doc: Doc, d: PrintedDocument): void {
  const w = width(doc);
  ensureRoom(doc, 6 * BODY_PT);
  doc.moveDown(1.5);
  // The agency and the date sit right, the date 4 characters in from the margin (GB/T 9704 7.3.5.2).
  const inset = 4 * BODY_PT;
  doc.font('regular').fontSize(BODY_PT).text(d.agency, MARGIN.left, doc.y, { width: w - inset, align: 'right' });
  doc.text(d.dateText, MARGIN.left, doc.y, { width: w - inset, align: 'right' });
}

function footer(doc: Doc, d: PrintedDocument): void {
  const w = width(doc);
  const lines = [d.copiesTo ? `抄送：${d.copiesTo}。` : null, `${d.printedBy}　　　　${d.dateText}印发`].filter((l): l is string => l !== null);
  const lineH = 14 * 1.8;
  const height = lines.length * lineH + 4;
  ensureRoom(doc, height + 10 * MM);
  // The 版记 sits at the foot of the last page, between rules.
  let y = doc.page.height - MARGIN.bottom - height;
  doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + w, y).lineWidth(0.8).strokeColor('black').stroke();
  for (const line of lines) {
    doc.font('regular').fontSize(14).fillColor('black').text(line, MARGIN.left + BODY_PT, y + 6, { width: w - 2 * BODY_PT, lineBreak: false });
    y += lineH;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + w, y).lineWidth(0.5).stroke();
  }
}

function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the type area: without lowering the margin for it, pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 7 * MM;
    doc.font('regular').fontSize(14).fillColor('black').text(`— ${i + 1} —`, MARGIN.left, y, { width: width(doc), align: 'center', lineBreak: false });
  }
}

/** The document's PDF bytes; the same document always gives the same bytes. */
export function renderPdf(d: PrintedDocument, fonts: DocumentFonts): Promise<Buffer> {
  const made = new Date(Math.floor(d.madeAt / 1000) * 1000);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: `${d.title}${d.number ? ` ${d.number}` : ''}`, Author: d.agency, Subject: d.subject, Creator: 'duban', Producer: 'duban', CreationDate: made, ModDate: made },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit derives the trailer ID from the info dictionary; pin it to the content as well.
  (doc as unknown as { _id: Buffer })._id = createHash('md5').update(JSON.stringify(d)).digest();
  doc.registerFont('regular', fontBytes(fonts.regular));
  doc.registerFont('bold', fontBytes(fonts.bold));
  header(doc, d);
  for (const b of d.body) block(doc, b);
  signature(doc, d);
  footer(doc, d);
  pageNumbers(doc);
  doc.end();
  return done;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
