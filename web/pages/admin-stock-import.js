// @ts-check
/**
 * 存量隐患导入: the template to download, the upload and its dry run (the rows with problems,
 * each problem beside its column, and the report as Excel), the confirmation, and the import's
 * progress followed until it is done.
 */
import { api, asProblem, newIdempotencyKey, request } from '../api.js';
/** @typedef {import('../types').StockImport} StockImport */
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { card, errorPanel } from '../ui.js';
import { row as cells, table as grid } from '../admin-ui.js';

const PAGE = 100;

/** @param {import('../types').PageContext} ctx */
export async function stockImportPage({ navigate }) {
  const heading = h('h1', { tabindex: '-1' }, t('stockImport.title'));
  const result = h('div', { class: 'stock-import-result', 'aria-live': 'polite' });
  let history;
  try {
    history = /** @type {{items: StockImport[]}} */ (await request('GET', '/stock-imports'));
  } catch (thrown) {
    return { title: t('stockImport.title'), node: h('section', { class: 'page' }, heading, errorPanel(asProblem(thrown), () => navigate(location.hash))) };
  }
  const file = h('input', { type: 'file', id: 'stock-file', name: 'file', accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv' });
  const status = h('p', { class: 'hint', role: 'status' });
  const check = async (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return replace(status, t('stockImport.noFile'));
    replace(status, t('stockImport.checking'));
    try {
      const batch = await api.uploadStockSheet(chosen);
      replace(status);
      await openBatch(result, batch);
    } catch (thrown) {
      replace(status);
      replace(result, errorPanel(asProblem(thrown)));
    }
  };
  const download = (/** @type {string} */ path, /** @type {Record<string, string>} */ params = {}) => () => api.downloadLedger(path, params).catch((thrown) => replace(result, errorPanel(asProblem(thrown))));
  return {
    title: t('stockImport.title'),
    node: h(
      'section',
      { class: 'page admin-page stock-import' },
      h('div', { class: 'page-head' }, heading),
      h('p', { class: 'hint' }, t('stockImport.intro')),
      card(
        'stock-template',
        t('stockImport.step1'),
        h(
          'div',
          { class: 'form-actions' },
          h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'template', onClick: download('/stock-imports/template.xlsx') }, t('stockImport.template')),
          h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'template-examples', onClick: download('/stock-imports/template.xlsx', { examples: 'true' }) }, t('stockImport.templateExamples')),
        ),
      ),
      card(
        'stock-upload',
        t('stockImport.step2'),
        h('form', { class: 'form', onSubmit: check }, h('label', { for: 'stock-file' }, t('stockImport.file')), file, h('button', { type: 'submit', class: 'button', 'data-action': 'check' }, t('stockImport.check')), status),
      ),
      result,
      historyCard(history.items, result),
    ),
  };
}

/**
 * @param {StockImport[]} items
 * @param {HTMLElement} result
 */
function historyCard(items, result) {
  const cols = ['fileName', 'createdAt', 'counts', 'status', 'open'].map((c) => t(`stockImport.histCol.${c}`));
  return card(
    'stock-history',
    t('stockImport.history'),
    items.length
      ? grid('stock-imports', t('stockImport.history'), cols, items.map((b) => cells({ 'data-import-id': b.id }, cols, [b.fileName, formatDateTime(b.createdAt), b.status === 'judging' || b.status === 'failed' ? '—' : countsText(b), t(`stockImport.status.${b.status}`), h('button', { type: 'button', class: 'button button-secondary', onClick: () => openBatch(result, b) }, t('stockImport.open'))])))
      : h('p', { class: 'empty' }, t('stockImport.noHistory')),
  );
}

const countsText = (/** @type {StockImport} */ b) => t('stockImport.counts', { total: b.counts.total, valid: b.counts.valid, open: b.counts.open, duplicate: b.counts.duplicate, invalid: b.counts.invalid });

const problemText = (/** @type {import('../types').StockImportLine['problems'][number]} */ p) => t('form.fieldError', { field: t(`stockImport.column.${p.column}`), message: t(`stockImport.problem.${p.code}`, { detail: p.detail ?? '' }) });

/**
 * A batch as it stands: followed while its rows are judged behind the upload (every second, the
 * rows checked, the share of the file read, the rate and time left), then its report, or why it
 * could not be judged.
 * @param {HTMLElement} slot
 * @param {StockImport} batch
 */
async function openBatch(slot, batch) {
  let b = batch;
  for (let i = 0; i < 7200 && b.status === 'judging'; i += 1) {
    replace(slot, judgingNode(b));
    await new Promise((r) => setTimeout(r, 1000));
    if (!slot.isConnected) return;
    try {
      b = /** @type {StockImport} */ (await request('GET', `/stock-imports/${encodeURIComponent(batch.id)}`));
    } catch (thrown) {
      replace(slot, errorPanel(asProblem(thrown)));
      return;
    }
  }
  if (b.status === 'judging') return;
  if (b.status === 'failed') return void replace(slot, failureNode(b));
  await showBatch(slot, b);
}

/** @param {StockImport} b */
function judgingNode(b) {
  const j = b.judging;
  const percent = Math.floor(j.fraction * 100);
  return card(
    'stock-judging',
    t('stockImport.step3'),
    h(
      'div',
      { class: 'stock-judging-figures', 'data-rows': j.rowsJudged, 'aria-live': 'polite' },
      h('p', null, j.rowsJudged || percent ? t('stockImport.judging', { rows: j.rowsJudged, percent }) : t('stockImport.judgingWait')),
      h('progress', { max: 100, value: percent }),
      j.rowsPerSecond === null ? null : h('p', null, t('stockImport.rate', { rate: j.rowsPerSecond, eta: etaText(j.etaSeconds) })),
    ),
  );
}

/** @param {StockImport} b */
function failureNode(b) {
  const f = b.failure;
  const reason = f ? t(`problem.${f.code}`) : '';
  return card(
    'stock-failed',
    t('stockImport.step3'),
    h('p', { class: 'stock-failure', 'data-code': f?.code ?? '' }, t('stockImport.failed', { reason })),
    f?.columns?.length ? h('p', { class: 'hint' }, t('stockImport.failedColumns', { columns: f.columns.join(', ') })) : null,
  );
}

/** The batch's counts, its rows with problems (a page at a time), the report, and the next step. */
/**
 * @param {HTMLElement} slot
 * @param {StockImport} batch
 */
async function showBatch(slot, batch) {
  const cols = ['row', 'title', 'enterprise', 'problems', 'verdict'].map((c) => t(`stockImport.col.${c}`));
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'button button-secondary', hidden: true }, t('stockImport.moreRows'));
  let after = 0;
  const loadMore = async () => {
    const page = /** @type {{items: import('../types').StockImportLine[], nextAfter: number | null}} */ (await request('GET', `/stock-imports/${encodeURIComponent(batch.id)}/rows?problems=true&after=${after}&limit=${PAGE}`));
    for (const line of page.items) {
      body.append(
        cells({ 'data-row': line.row, 'data-verdict': line.verdict }, cols, [
          String(line.row),
          line.cells.title ?? '',
          line.cells.creditCode || line.cells.enterpriseName || '',
          h('ul', { class: 'row-problems' }, line.problems.map((p) => h('li', { 'data-code': p.code, 'data-column': p.column }, problemText(p)))),
          t(`stockImport.verdict.${line.verdict}`),
        ]),
      );
    }
    after = page.nextAfter ?? after;
    more.hidden = page.nextAfter === null;
  };
  more.addEventListener('click', () => void loadMore().catch((thrown) => more.replaceWith(errorPanel(asProblem(thrown)))));
  const progress = h('div', { class: 'stock-progress', 'aria-live': 'polite' });
  const confirm = h('button', { type: 'button', class: 'button', 'data-action': 'import' }, t('stockImport.confirm', { valid: batch.counts.valid }));
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      const started = /** @type {StockImport} */ (await request('POST', `/stock-imports/${encodeURIComponent(batch.id)}/import`, undefined, { headers: { 'idempotency-key': newIdempotencyKey() } }));
      confirm.remove();
      await follow(progress, started);
    } catch (thrown) {
      confirm.disabled = false;
      replace(progress, errorPanel(asProblem(thrown)));
    }
  });
  const problems = batch.counts.total - batch.counts.valid;
  replace(
    slot,
    card(
      'stock-report',
      t('stockImport.step3'),
      h('p', { class: 'stock-counts', 'data-valid': batch.counts.valid, 'data-invalid': batch.counts.invalid, 'data-duplicate': batch.counts.duplicate }, countsText(batch)),
      h('p', { class: 'hint' }, t('stockImport.fileHash', { name: batch.fileName, hash: batch.fileSha256.slice(0, 16) })),
      h('button', { type: 'button', class: 'button button-secondary', 'data-action': 'report', onClick: () => api.downloadLedger(`/stock-imports/${encodeURIComponent(batch.id)}/report.xlsx`, { lang: document.documentElement.lang === 'en' ? 'en' : 'zh' }).catch((thrown) => replace(progress, errorPanel(asProblem(thrown)))) }, t('stockImport.report')),
      problems ? grid('stock-rows', t('stockImport.problemRows'), cols, [body]) : h('p', { class: 'empty' }, t('stockImport.allClear')),
      more,
      batch.status === 'validated' ? (batch.counts.valid ? confirm : h('p', { class: 'empty' }, t('stockImport.nothingToImport'))) : null,
      progress,
    ),
  );
  if (problems) await loadMore().catch((thrown) => replace(body, errorPanel(asProblem(thrown))));
  if (batch.status !== 'validated') await follow(progress, batch);
}

const etaText = (/** @type {number | null} */ s) => (s === null ? '—' : s < 120 ? t('stockImport.seconds', { n: s }) : t('stockImport.minutes', { n: Math.ceil(s / 60) }));

/** @param {StockImport} b */
function progressNode(b) {
  const p = b.progress;
  return h(
    'div',
    { class: 'stock-progress-figures', 'data-done': p.done ? 'true' : 'false' },
    h('h3', null, t('stockImport.step4')),
    h('p', null, t('stockImport.progress', { done: p.rowsDone, todo: p.rowsToDo, created: p.hazardsCreated, started: p.workflowsStarted, toStart: p.workflowsToStart })),
    h('progress', { max: Math.max(1, p.rowsToDo), value: p.rowsDone }),
    p.done ? h('p', { class: 'stock-done' }, t('stockImport.done')) : h('p', null, t('stockImport.rate', { rate: p.rowsPerSecond ?? '—', eta: etaText(p.etaSeconds) })),
  );
}

/** Polls the batch every second until its import is done (or the page is left). */
/**
 * @param {HTMLElement} slot
 * @param {StockImport} batch
 */
async function follow(slot, batch) {
  let b = batch;
  replace(slot, progressNode(b));
  for (let i = 0; i < 3600 && slot.isConnected && !b.progress.done; i += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    try {
      b = /** @type {StockImport} */ (await request('GET', `/stock-imports/${encodeURIComponent(batch.id)}`));
    } catch (thrown) {
      replace(slot, errorPanel(asProblem(thrown)));
      return;
    }
    replace(slot, progressNode(b));
  }
}
