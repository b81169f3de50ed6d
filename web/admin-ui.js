// @ts-check
/** Pieces the admin pages share: region choices as a tree, selects, a secret shown once, a plain table. */
import { h } from './dom.js';
import { t } from './i18n.js';
import { label } from './ui.js';
/** @typedef {import('./types').Region} Region */

/** Depth of a region from the top of the caller's tree (its path's length). */
export const depthOf = (/** @type {{path: string}} */ region) => region.path.split('/').filter(Boolean).length;

/**
 * <option>s of regions in tree order, indented by depth, e.g. for a region picker.
 * @param {Region[]} regions
 * @param {string | null} selected
 * @param {{filter?: (region: Region) => boolean}} [options]
 */
export function regionOptions(regions, selected, { filter = () => true } = {}) {
  const top = Math.min(...regions.map(depthOf));
  return regions
    .filter(filter)
    .map((r) => h('option', { value: r.id, selected: r.id === selected }, `${'\u00a0\u00a0'.repeat(depthOf(r) - top)}${t('admin.regionOption', { name: r.name, level: label('regionLevel', r.level) })}`));
}

/**
 * A <select> with a first "choose" option, its options given as [value, text].
 * @param {import('./types').Props} attrs
 * @param {string | null} pick
 * @param {Array<[string, string]>} choices
 * @param {string | null} selected
 */
export function choiceSelect(attrs, pick, choices, selected) {
  return h(
    'select',
    attrs,
    pick === null ? null : h('option', { value: '' }, pick),
    choices.map(([value, text]) => h('option', { value, selected: value === selected }, text)),
  );
}

/**
 * The secret of a new API key: shown here once, never again.
 * @param {string} key
 */
export function secretBox(key) {
  const input = h('input', { type: 'text', readOnly: true, value: key, class: 'secret-value', 'aria-label': t('admin.keys.secret'), spellcheck: 'false' });
  return h(
    'div',
    { class: 'notice notice-success secret-box', role: 'status' },
    h('p', null, h('strong', null, t('admin.keys.secretOnce'))),
    input,
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary button-small',
        // The clipboard needs a secure context; elsewhere the key is selected for copying by hand.
        onClick: () => (navigator.clipboard ? navigator.clipboard.writeText(key).catch(() => input.select()) : input.select()),
      },
      t('admin.keys.copy'),
    ),
  );
}

/**
 * Below a list page: how many rows this page holds, and the buttons to the first and the next page.
 * @param {{count: number, cursor?: string | null, nextCursor?: string | null, first: () => void, next: () => void}} options
 */
export function pageNav({ count, cursor, nextCursor, first, next }) {
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('ledger.pagination') },
    h('p', { class: 'total', role: 'status' }, t('admin.pageCount', { n: count })),
    h(
      'div',
      { class: 'pager-buttons' },
      cursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: first }, t('ledger.first')) : null,
      nextCursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: next }, t('ledger.next'), ' ›') : null,
    ),
  );
}

/**
 * A table with a caption (for assistive technology), column headings by key, and rows of cells.
 * @param {string} className
 * @param {string} caption
 * @param {string[]} columns
 * @param {import('./types').Child[]} rows
 */
export function table(className, caption, columns, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: ['ledger', 'admin-table', className] },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows),
    ),
  );
}

/**
 * Cells of a row, with each cell's column heading as its label on a narrow screen.
 * @param {import('./types').Props} attrs
 * @param {string[]} columns
 * @param {import('./types').Child[]} cells
 */
export function row(attrs, columns, cells) {
  return h(
    'tr',
    attrs,
    cells.map((cell, /** @type {number} */ i) => (i === 0 ? h('th', { scope: 'row', 'data-label': columns[i] }, cell) : h('td', { 'data-label': columns[i] }, cell))),
  );
}
