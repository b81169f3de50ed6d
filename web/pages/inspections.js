// @ts-check
/**
 * 执法检查台账: inspections within reach, newest first, a page at a time, filtered by enterprise
 * and by failed findings still waiting to become hazards. Supervisors record a new one here.
 * Route: #/inspections?enterpriseId=…&pendingFindings=true&cursor=….
 */
import { api, asProblem, enterprises } from '../api.js';
import { h, uid } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { exportButton } from '../ledger-export.js';
import { personName } from '../people.js';
import { hasRole } from '../session.js';
import { enterpriseName, errorPanel, listHash, pager } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

const PAGE_SIZE = 20;

export async function inspectionsPage(/** @type {PageContext} */ { query, navigate }) {
  const title = t('inspections.title');
  const enterpriseId = query.get('enterpriseId') ?? '';
  const pendingFindings = query.get('pendingFindings') === 'true' ? 'true' : '';
  const cursor = query.get('cursor') ?? '';
  const hashOf = (/** @type {Record<string, string | null | undefined>} */ values) => listHash('#/inspections', { enterpriseId, pendingFindings, ...values });
  const heading = h('h1', { tabindex: '-1' }, title);
  const header = h(
    'div',
    { class: 'page-head' },
    heading,
    exportButton('/inspections/export.xlsx', { enterpriseId, pendingFindings }),
    hasRole('supervisor') ? h('a', { class: 'button button-primary', href: '#/inspections/new' }, '+ ', t('inspections.recordCta')) : null,
  );

  let page;
  let list;
  try {
    [page, list] = await Promise.all([api.listInspections({ enterpriseId, pendingFindings, limit: PAGE_SIZE, cursor }), enterprises().catch(() => [])]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, header, errorPanel(problem, () => navigate(location.hash))) };
  }
  const names = new Map(list.map((e) => [e.id, e.name]));
  const enterpriseSelect = uid('filter');
  const pendingSelect = uid('filter');
  const filters = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('ledger.filters'), onSubmit: (e) => e.preventDefault() },
    h(
      'div',
      { class: 'filter' },
      h('label', { for: enterpriseSelect }, t('inspections.filter.enterprise')),
      h(
        'select',
        { id: enterpriseSelect, name: 'enterpriseId', onChange: (e) => navigate(hashOf({ enterpriseId: e.target.value, cursor: '' }), { focus: 'select[name="enterpriseId"]' }) },
        [['', t('ledger.filter.all')], ...list.map((e) => [e.id, e.name])].map(([value, text]) => h('option', { value, selected: enterpriseId === value }, text)),
      ),
    ),
    h(
      'div',
      { class: 'filter' },
      h('label', { for: pendingSelect }, t('inspections.filter.pending')),
      h(
        'select',
        { id: pendingSelect, name: 'pendingFindings', onChange: (e) => navigate(hashOf({ pendingFindings: e.target.value, cursor: '' }), { focus: 'select[name="pendingFindings"]' }) },
        [['', t('ledger.filter.all')], ['true', t('inspections.filter.pendingOnly')]].map(([value, text]) => h('option', { value, selected: pendingFindings === value }, text)),
      ),
    ),
  );
  const cols = [
    ['enterprise', 'inspections.col.enterprise'],
    ['time', 'inspections.col.time'],
    ['location', 'inspections.col.location'],
    ['findings', 'inspections.col.findings'],
    ['by', 'inspections.col.by'],
  ];
  const td = (/** @type {string} */ col, /** @type {import('../types').Child[]} */ ...content) => h('td', { class: `col-${col}`, 'data-label': t(cols.find((c) => c[0] === col)?.[1] ?? col) }, h('div', { class: 'cell' }, ...content));
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger inspections' },
          h('caption', { class: 'visually-hidden' }, title),
          h('thead', null, h('tr', null, cols.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
          h(
            'tbody',
            null,
            page.items.map((i) =>
              h(
                'tr',
                { 'data-inspection-id': i.id, class: i.failedCount > i.hazardsCount ? 'is-overdue' : null },
                td('enterprise', h('a', { href: `#/inspections/${encodeURIComponent(i.id)}`, class: 'inspection-link' }, enterpriseName(names, i.enterpriseId))),
                td('time', h('time', { datetime: i.startedAt }, formatDateTime(i.startedAt))),
                td('location', i.location || '—'),
                td('findings', t('inspection.countsText', { findings: i.findingsCount, failed: i.failedCount, hazards: i.hazardsCount })),
                td('by', personName(page.people, i.createdBy)),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'empty card' }, t('inspections.empty'));
  const nav = pager({
    total: page.total,
    totalAtLeast: page.totalAtLeast,
    totalFrom: page.totalFrom,
    totalAsOf: page.totalAsOf,
    cursor,
    nextCursor: page.nextCursor,
    first: () => navigate(hashOf({ cursor: '' })),
    next: () => navigate(hashOf({ cursor: page.nextCursor })),
  });
  return { title, node: h('section', { class: 'page' }, header, filters, table, nav) };
}
