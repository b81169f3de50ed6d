/** 督办通知: supervision notices within reach, newest first, filtered by status, a page at a time. */
import { api, enterprises } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorPanel, escalationBadge, listHash as hashOf, pager, statusFilter } from '../ui.js';
import { addresseeOf, noticeBadges, noticeDeadline } from './notice.js';

const PAGE_SIZE = 20;
export const NOTICE_STATUSES = ['issued', 'signed', 'closed'];

const listHash = (values) => hashOf('#/notices', values);

export async function noticesPage({ query, navigate }) {
  const status = NOTICE_STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const cursor = query.get('cursor') ?? '';
  const heading = h('h1', { tabindex: '-1' }, t('notices.title'));
  const filterBar = statusFilter({
    labelText: t('notices.filter.status'),
    statuses: NOTICE_STATUSES,
    current: status,
    labelOf: (s) => t(`notices.status.${s}`),
    onPick: (value) => navigate(listHash({ status: value }), { focus: 'select[name="status"]' }),
  });

  let page;
  let names;
  try {
    [page, names] = await Promise.all([
      api.listNotices({ status, limit: PAGE_SIZE, cursor }),
      enterprises().then(
        (list) => new Map(list.map((e) => [e.id, e.name])),
        () => new Map(),
      ),
    ]);
  } catch (problem) {
    return { title: t('notices.title'), node: h('section', { class: 'page' }, heading, filterBar, errorPanel(problem, () => navigate(location.hash))) };
  }

  const columns = [
    ['code', 'notices.col.code'],
    ['title', 'notices.col.title'],
    ['enterprise', 'notices.col.enterprise'],
    ['deadline', 'notices.col.deadline'],
    ['status', 'notices.col.status'],
    ['ladder', 'notices.col.ladder'],
    ['openHazards', 'notices.col.openHazards'],
  ];
  const cell = (col, ...content) => h('td', { class: `col-${col}`, 'data-label': t(columns.find((c) => c[0] === col)[1]) }, h('div', { class: 'cell' }, ...content));
  const rows = page.items.map((n) =>
    h(
      'tr',
      { 'data-notice-id': n.id, class: n.overdue ? 'is-overdue' : null },
      cell('code', h('a', { href: `#/notices/${encodeURIComponent(n.id)}`, class: 'notice-link' }, n.code)),
      cell('title', n.title),
      cell('enterprise', addresseeOf(n, names)),
      cell('deadline', noticeDeadline(n)),
      cell('status', noticeBadges(n)),
      cell('ladder', escalationBadge(n.ladderLevel)),
      cell('openHazards', String(n.openHazards)),
    ),
  );
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger notices' },
          h('caption', { class: 'visually-hidden' }, t('notices.title')),
          h('thead', null, h('tr', null, columns.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
          h('tbody', null, rows),
        ),
      )
    : h('p', { class: 'empty card' }, t('notices.empty'));
  const paging = pager({
    total: page.total,
    cursor,
    nextCursor: page.nextCursor,
    first: () => navigate(listHash({ status })),
    next: () => navigate(listHash({ status, cursor: page.nextCursor })),
  });
  return { title: t('notices.title'), node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading), filterBar, table, paging) };
}
