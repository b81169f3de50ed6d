// @ts-check
/**
 * 我的催办: what the leader urged, newest first, each with its item as it stands now and whether
 * it moved since (a person changed it after the urge). Filters in the URL: whose urges (mine, or
 * everyone's within reach) and moved or not; a page at a time. Above them, 统一催办: every overdue
 * item of an enterprise or a region urged at once.
 */
import { api, asProblem } from '../api.js';
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { instant } from '../case-pages.js';
import { badge, errorPanel, label, listHash } from '../ui.js';
import { personName } from '../people.js';
import { cursorPager, filterBar } from './escalations.js';
import { bulkUrgeCard } from '../bulk-urge.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').UrgeListItem} UrgeListItem */

const PAGE_SIZE = 20;

/**
 * @param {UrgeListItem} u
 */
function itemLink(u) {
  const href = u.itemKind === 'notice' ? `#/notices/${encodeURIComponent(u.itemId)}` : `#/hazards/${encodeURIComponent(u.itemId)}`;
  const name = u.item.code ? `${u.item.code} ${u.item.title}` : u.item.title;
  return [h('span', { class: 'muted item-kind' }, t(`urges.kind.${u.itemKind}`), ' '), h('a', { href, class: 'urge-item-link' }, name)];
}

/**
 * @param {UrgeListItem} u
 */
function itemState(u) {
  const status = u.itemKind === 'notice' ? label('notices.status', u.item.status) : label('status', u.item.status);
  return [status, ' · ', formatDate(u.item.deadline), u.item.overdue ? [' ', badge('overdue', t('notices.overdue'))] : null];
}

/**
 * @param {UrgeListItem} u
 * @param {Record<string, string>} people
 */
function moved(u, people) {
  // firstMove is there exactly when the item moved since.
  const first = u.firstMove;
  if (!u.movedSince || !first) return badge('not-moved', t('urges.notMoved'));
  const what = u.itemKind === 'notice' ? label('notices.event', first.type) : label('event', first.type);
  return [badge('moved', t('urges.moved')), ' ', h('span', { class: 'muted' }, t('urges.firstMove', { what, by: personName(people, first.by) })), ' ', instant(first.at)];
}

export async function urgesPage(/** @type {PageContext} */ { query, navigate }) {
  const by = query.get('by') === 'all' ? 'all' : 'me';
  const movedFilter = ['true', 'false'].includes(query.get('moved') ?? '') ? /** @type {string} */ (query.get('moved')) : '';
  const cursor = query.get('cursor') ?? '';
  const hashOf = (/** @type {Record<string, string | null | undefined>} */ values) => listHash('#/urges', { by: by === 'me' ? '' : by, moved: movedFilter, ...values });
  const title = t('urges.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  const filters = filterBar([
    { name: 'by', labelText: t('urges.filter.by'), current: by, options: [['me', t('urges.by.me')], ['all', t('urges.by.all')]], onPick: (v) => navigate(hashOf({ by: v === 'me' ? '' : v, cursor: '' }), { focus: 'select[name="by"]' }) },
    { name: 'moved', labelText: t('urges.filter.moved'), current: movedFilter, options: [['', t('ledger.filter.all')], ['true', t('urges.moved')], ['false', t('urges.notMoved')]], onPick: (v) => navigate(hashOf({ moved: v, cursor: '' }), { focus: 'select[name="moved"]' }) },
  ]);
  let page;
  try {
    page = await api.listUrges({ by, moved: movedFilter, limit: PAGE_SIZE, cursor });
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, filters, errorPanel(problem, () => navigate(location.hash))) };
  }
  const cols = ['urges.col.item', 'urges.col.urgedAt', 'urges.col.by', 'urges.col.message', 'urges.col.state', 'urges.col.moved'];
  const td = (/** @type {number} */ i, /** @type {import('../types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger urges' },
          h('caption', { class: 'visually-hidden' }, title),
          h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
          h(
            'tbody',
            null,
            page.items.map((u) =>
              h(
                'tr',
                { 'data-urge-id': u.id, 'data-item-id': u.itemId, 'data-moved': String(u.movedSince) },
                td(0, itemLink(u)),
                td(1, instant(u.urgedAt)),
                td(2, personName(page.people, u.urgedBy)),
                td(3, u.message || h('span', { class: 'muted' }, t('empty'))),
                td(4, itemState(u)),
                td(5, moved(u, page.people)),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'empty card' }, t('urges.empty'));
  const paging = cursorPager({ cursor, nextCursor: page.nextCursor, first: () => navigate(hashOf({ cursor: '' })), next: () => navigate(hashOf({ cursor: page.nextCursor })) });
  return { title, node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading), h('p', { class: 'hint' }, t('urges.intro')), bulkUrgeCard(), filters, table, paging) };
}
