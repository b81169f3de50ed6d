// @ts-check
/**
 * 打印/下载 PDF: a button that fetches a printed document with the session's token and saves it
 * (a plain link cannot carry the token), saying beside it the SHA-256 the server named so a
 * re-download can be compared; and the list of a hazard's or a suspension's printable documents.
 */
import { api, asProblem, request } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { instant } from './case-pages.js';
import { card } from './ui.js';

/**
 * A button downloading the PDF at `path` (under /api); `name` labels it for screen readers.
 * @param {string} path
 */
export function pdfButton(path, name = '', text = t('documents.pdf')) {
  const note = h('span', { class: 'export-note', role: 'status', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary pdf-button',
      'data-pdf': path,
      'aria-label': name ? t('documents.pdfOf', { name }) : text,
      onClick: async () => {
        button.disabled = true;
        note.textContent = t('documents.working');
        try {
          const { sha256 } = await api.downloadDocument(path);
          note.textContent = sha256 ? t('documents.done', { hash: sha256.slice(0, 12) }) : '';
        } catch (thrown) {
          note.textContent = t('documents.failed', { status: asProblem(thrown).status });
        } finally {
          button.disabled = false;
        }
      },
    },
    text,
  );
  return h('span', { class: 'export pdf-download' }, button, note);
}

/** The path of an instrument's PDF by its official number. */
export const instrumentPdfPath = (/** @type {string} */ code) => `/instruments/${encodeURIComponent(code)}/pdf`;

/** Strip the /api prefix the server's links carry: the client adds it. */
const underApi = (/** @type {string} */ href) => href.replace(/^\/api(?=\/)/, '');

/** @typedef {import('./types').DocumentList['documents'][number]} PrintableDocument */

/**
 * A card listing printable documents (from `/hazards/:id/documents` or `/suspensions/:id/documents`).
 * @param {PrintableDocument[]} documents
 */
export function documentsCard(documents) {
  if (!documents.length) return card('documents', t('documents.title'), h('p', { class: 'muted' }, t('documents.empty')));
  return card(
    'documents',
    t('documents.title'),
    h(
      'ul',
      { class: 'plain-list documents' },
      documents.map((/** @type {PrintableDocument} */ d) =>
        h('li', { 'data-document': d.title }, h('strong', null, d.title), ' ', d.number ?? (d.numberNote ? h('span', { class: 'muted', 'data-number-note': d.numberNote }, t(`documents.numberNote.${d.numberNote}`)) : t('documents.noNumber')), ' · ', instant(d.issuedAt), ' ', pdfButton(underApi(d.href), `${d.title} ${d.number ?? ''}`.trim())),
      ),
    ),
  );
}

/**
 * The printable documents of a record (`/hazards/:id` or `/suspensions/:id`), or none when it cannot be read.
 * @param {string} recordPath
 * @returns {Promise<PrintableDocument[]>}
 */
export async function loadDocuments(recordPath) {
  try {
    const { documents } = /** @type {import('./types').DocumentList} */ (await request('GET', `${recordPath}/documents`));
    return documents;
  } catch {
    return [];
  }
}

/**
 * A hazard's case file for the bureau: the PDF and its signed JSON twin.
 * @param {string} hazardId
 */
export function caseFileCard(hazardId) {
  const base = `/hazards/${encodeURIComponent(hazardId)}/case-file`;
  return card(
    'case-file',
    t('documents.caseFile'),
    h('p', { class: 'muted' }, t('documents.caseFileIntro')),
    h('p', { class: 'actions' }, pdfButton(base, '', t('documents.caseFilePdf')), ' ', pdfButton(`${base}.json`, '', t('documents.caseFileJson'))),
  );
}
