// @ts-check
/**
 * 待我处理的升级: the escalations addressed to the signed-in person (the hazard ladder's and the
 * notice ladder's, where the recipient role named is one they hold for the item), oldest first,
 * each with its item as it stands now; a page at a time.
 */
import { api, asProblem } from '../api.js';
import { h, uid } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { instant } from '../case-pages.js';
import { badge, errorPanel, escalationBadge, label, listHash } from '../ui.js';
/** @typedef {import('../types').PageContext} PageContext */

const PAGE_SIZE = 20;

/**
 * A bar of select filters: `{ name, labelText, current, options: [[value, text]], onPick }`.
 * @param {import('../types').SelectFilter[]} filters
 */
export function filterBar(filters) {
  return h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('ledger.filters'), onSubmit: (e) => e.preventDefault() },
    filters.map(({ name, labelText, current, options, onPick }) => {
      const id = uid('filter');
      return h(
        'div',
        { class: 'filter' },
        h('label', { for: id }, labelText),
        h('select', { id, name, onChange: (e) => onPick(e.target.value) }, options.map(([value, text]) => h('option', { value, selected: current === value }, text))),
      );
    }),
  );
}

/**
 * The buttons to the first and the next page of a keyset-paged list (no total is counted).
 * @param {import('../types').CursorPaging} paging
 */
export function cursorPager({ cursor, nextCursor, first, next }) {
  if (!cursor && !nextCursor) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('ledger.pagination') },
    h(
      'div',
      { class: 'pager-buttons' },
      cursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: first }, t('ledger.first')) : null,
      nextCursor ? h('button', { type: 'button', class: 'button button-secondary', onClick: next }, t('ledger.next'), ' ›') : null,
    ),
  );
}

/**
 * @param {import('../types').EscalationItem} x
 */
function kindLabel(x) {
  if (x.itemKind === 'hazard') return label('notice.kind', x.kind);
  return label('notices.notifKind', x.kind);
}

/**
 * @param {import('../types').EscalationItem} x
 */
function itemCell(x) {
  const href = x.itemKind === 'notice' ? `#/notices/${encodeURIComponent(x.itemId)}` : `#/hazards/${encodeURIComponent(x.itemId)}`;
  const name = x.item.code ? `${x.item.code} ${x.item.title}` : x.item.title;
  return [h('span', { class: 'muted item-kind' }, t(`urges.kind.${x.itemKind}`), ' '), h('a', { href, class: 'escalation-item-link' }, name)];
}

/**
 * @param {import('../types').EscalationItem} x
 */
function stateCell(x) {
  const status = x.itemKind === 'notice' ? label('notices.status', x.item.status) : label('status', x.item.status);
  return [status, ' · ', formatDate(x.item.deadline), x.item.overdue ? [' ', badge('overdue', t('notices.overdue'))] : null, ' ', escalationBadge(x.item.escalationLevel)];
}

export async function escalationsPage(/** @type {PageContext} */ { query, navigate }) {
  const cursor = query.get('cursor') ?? '';
  const title = t('escalations.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  let page;
  try {
    page = await api.listEscalations({ limit: PAGE_SIZE, cursor });
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const cols = ['escalations.col.at', 'escalations.col.item', 'escalations.col.kind', 'escalations.col.role', 'escalations.col.message', 'escalations.col.state'];
  const td = (/** @type {number} */ i, /** @type {import('../types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger escalations' },
          h('caption', { class: 'visually-hidden' }, title),
          h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
          h(
            'tbody',
            null,
            page.items.map((x) =>
              h(
                'tr',
                { 'data-item-id': x.itemId, class: x.item.overdue ? 'is-overdue' : null },
                td(0, instant(x.scheduledAt)),
                td(1, itemCell(x)),
                td(2, kindLabel(x), x.level ? [' ', t('escalation.level', { level: x.level })] : null),
                td(3, label('role', x.recipientRole)),
                td(4, x.message),
                td(5, stateCell(x)),
              ),
            ),
          ),
        ),
      )
    : h('p', { class: 'empty card' }, t('escalations.empty'));
  const paging = cursorPager({ cursor, nextCursor: page.nextCursor, first: () => navigate('#/escalations'), next: () => navigate(listHash('#/escalations', { cursor: page.nextCursor })) });
  return { title, node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading), h('p', { class: 'hint' }, t('escalations.intro')), table, paging) };
}
