/** 停产整顿台账: suspensions within reach, newest first, filtered by status, a page at a time. */
import { api, enterprises } from '../api.js';
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { suspensionBadges, remainingText } from './suspension.js';
import { enterpriseName, errorPanel, listHash as hashOf, pager, statusFilter } from '../ui.js';

const PAGE_SIZE = 20;
export const SUSPENSION_STATUSES = ['suspended', 'resumption_requested', 'resumed', 'lifted'];

const listHash = (values) => hashOf('#/suspensions', values);

export async function suspensionsPage({ query, navigate }) {
  const status = SUSPENSION_STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const cursor = query.get('cursor') ?? '';
  const heading = h('h1', { tabindex: '-1' }, t('suspensions.title'));
  const filterBar = statusFilter({
    labelText: t('suspensions.filter.status'),
    statuses: SUSPENSION_STATUSES,
    current: status,
    labelOf: (s) => t(`suspension.status.${s}`),
    onPick: (value) => navigate(listHash({ status: value }), { focus: 'select[name="status"]' }),
  });

  let page;
  let names;
  try {
    [page, names] = await Promise.all([
      api.listSuspensions({ status, limit: PAGE_SIZE, cursor }),
      enterprises().then(
        (list) => new Map(list.map((e) => [e.id, e.name])),
        () => new Map(),
      ),
    ]);
  } catch (problem) {
    return { title: t('suspensions.title'), node: h('section', { class: 'page' }, heading, filterBar, errorPanel(problem, () => navigate(location.hash))) };
  }

  const columns = [
    ['document', 'suspensions.col.document'],
    ['enterprise', 'suspensions.col.enterprise'],
    ['scope', 'suspensions.col.scope'],
    ['status', 'suspensions.col.status'],
    ['plannedEnd', 'suspensions.col.plannedEnd'],
    ['maxEnd', 'suspensions.col.maxEnd'],
  ];
  const cell = (col, ...content) => h('td', { class: `col-${col}`, 'data-label': t(columns.find((c) => c[0] === col)[1]) }, h('div', { class: 'cell' }, ...content));
  const rows = page.items.map((s) =>
    h(
      'tr',
      { 'data-suspension-id': s.id, class: s.reviewOverdue ? 'is-overdue' : null },
      cell('document', h('a', { href: `#/suspensions/${encodeURIComponent(s.id)}`, class: 'suspension-link' }, s.documentNumber)),
      cell('enterprise', enterpriseName(names, s.enterpriseId)),
      cell('scope', t(`suspension.scope.${s.scope}`)),
      cell('status', suspensionBadges(s)),
      cell('plannedEnd', h('time', { datetime: s.plannedEnd }, formatDate(s.plannedEnd)), ' ', h('span', { class: 'muted' }, remainingText(s, 'plannedEnd'))),
      cell('maxEnd', h('time', { datetime: s.maxEnd }, formatDate(s.maxEnd)), ' ', h('span', { class: 'muted' }, remainingText(s, 'maxEnd'))),
    ),
  );
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger suspensions' },
          h('caption', { class: 'visually-hidden' }, t('suspensions.title')),
          h('thead', null, h('tr', null, columns.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
          h('tbody', null, rows),
        ),
      )
    : h('p', { class: 'empty card' }, t('suspensions.empty'));
  const paging = pager({
    total: page.total,
    cursor,
    nextCursor: page.nextCursor,
    first: () => navigate(listHash({ status })),
    next: () => navigate(listHash({ status, cursor: page.nextCursor })),
  });
  return { title: t('suspensions.title'), node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading), filterBar, table, paging) };
}
