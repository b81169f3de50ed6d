// @ts-check
/**
 * 导出 Excel: a button that downloads the ledger the page shows, with the page's filters as they
 * stand and in the page's language. A refusal (too many rows, a filter out of reach) is said
 * beside the button, in words of the page's language.
 */
import { api, asProblem } from './api.js';
import { h } from './dom.js';
import { lang, t } from './i18n.js';

/**
 * @param {string} path the export under /api, e.g. `/hazards/export.xlsx`
 * @param {Record<string, string | number | boolean | undefined | null>} params the page's filters
 */
export function exportButton(path, params = {}) {
  const note = h('span', { class: 'export-note', role: 'status', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary export-button',
      'data-export': path,
      onClick: async () => {
        button.disabled = true;
        note.textContent = t('export.working');
        try {
          // Paging is the page's, not the ledger's: the workbook holds every matching row.
          const { limit: _limit, cursor: _cursor, ...filters } = params;
          const { rows } = await api.downloadLedger(path, { ...filters, lang: lang() });
          note.textContent = t('export.done', { rows });
        } catch (thrown) {
          const problem = asProblem(thrown);
          const limit = problem.errors.find((e) => e.limit?.name === 'export.rowLimit')?.limit?.value;
          note.textContent = limit ? t('export.tooLarge', { limit }) : t('export.failed', { status: problem.status });
        } finally {
          button.disabled = false;
        }
      },
    },
    t('export.button'),
  );
  return h('span', { class: 'export' }, button, note);
}
