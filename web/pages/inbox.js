// @ts-check
/**
 * 我的消息: what the notifications delivered to the signed-in person (reminders, escalations,
 * urges, decisions to take), newest first, a page at a time; each links to its hazard, notice or
 * suspension and is marked read on opening; unread only on request; all marked read at once.
 */
import { api, asProblem } from '../api.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { badge, errorPanel, label } from '../ui.js';
import { cursorPager, filterBar } from './escalations.js';
import { refreshBell } from '../inbox-bell.js';
import { preferencesCard } from '../notify-preferences.js';
/** @typedef {import('../types').PageContext} PageContext */

const PAGE_SIZE = 20;

/**
 * @param {import('../types').InboxItem} d
 */
function kindLabel(d) {
  return d.subjectType === 'notice' ? label('notices.notifKind', d.kind) : label('notice.kind', d.kind);
}

export async function inboxPage(/** @type {PageContext} */ { query, navigate, flash, flashed }) {
  const cursor = query.get('cursor') ?? '';
  const unread = query.get('unread') === 'true';
  const title = t('inbox.title');
  const heading = h('h1', { tabindex: '-1' }, title);
  let page;
  try {
    page = await api.inbox({ limit: PAGE_SIZE, cursor, unread: unread ? 'true' : undefined });
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash))) };
  }
  const hashFor = (/** @type {Record<string, string>} */ q) => {
    const p = new URLSearchParams(q);
    return `#/inbox${p.toString() ? `?${p}` : ''}`;
  };
  const cols = ['inbox.col.at', 'inbox.col.item', 'inbox.col.kind', 'inbox.col.message', 'inbox.col.state'];
  const td = (/** @type {number} */ i, /** @type {import('../types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  const row = (/** @type {import('../types').InboxItem} */ d) => {
    const open = h(
      'a',
      {
        href: d.link,
        class: 'inbox-item-link',
        // Opening an item reads its message; the page it leads to shows it.
        onClick: () => {
          if (!d.readAt) api.markRead(d.id).then(refreshBell, () => {});
        },
      },
      t(`inbox.subject.${d.subjectType}`),
    );
    const state = d.readAt
      ? h('span', { class: 'muted' }, t('inbox.read'))
      : [
          badge('overdue', t('inbox.unread')),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary button-small inbox-mark-read',
              onClick: async () => {
                await api.markRead(d.id);
                refreshBell();
                navigate(location.hash);
              },
            },
            t('inbox.markRead'),
          ),
        ];
    return h('tr', { class: d.readAt ? 'inbox-read' : 'inbox-unread' }, td(0, formatDateTime(d.scheduledAt)), td(1, open), td(2, kindLabel(d)), td(3, d.message), td(4, state));
  };
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h('table', { class: 'ledger-table inbox-table' }, h('caption', { class: 'visually-hidden' }, title), h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, t(c))))), h('tbody', null, page.items.map(row))),
      )
    : h('p', { class: 'empty-state' }, t('inbox.empty'));
  const markAll = h(
    'button',
    {
      type: 'button',
      class: 'button button-secondary inbox-mark-all',
      onClick: async () => {
        const res = await api.markAllRead();
        refreshBell();
        flash(t('inbox.markedAll', { n: res.marked }));
        navigate(location.hash);
      },
    },
    t('inbox.markAllRead'),
  );
  return {
    title,
    node: h(
      'section',
      { class: 'page inbox-page' },
      heading,
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h('p', { class: 'intro' }, t('inbox.intro')),
      filterBar([
        {
          name: 'unread',
          labelText: t('inbox.show'),
          current: unread ? 'true' : '',
          options: [
            ['', t('inbox.showAll')],
            ['true', t('inbox.showUnread')],
          ],
          onPick: (v) => navigate(hashFor(v ? { unread: v } : {}), { focus: 'select[name="unread"]' }),
        },
      ]),
      h('div', { class: 'form-actions' }, markAll),
      table,
      cursorPager({
        cursor,
        nextCursor: page.nextCursor,
        first: () => navigate(hashFor(unread ? { unread: 'true' } : {})),
        next: () => navigate(hashFor({ ...(unread ? { unread: 'true' } : {}), cursor: page.nextCursor ?? '' })),
      }),
      preferencesCard(),
    ),
  };
}
