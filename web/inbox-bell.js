// @ts-check
/**
 * The bell in the header of every page: a link to the inbox with the count of unread messages,
 * fetched after each render and after marking read. A failed count leaves the bell without one.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** @type {HTMLElement | null} */
let current = null;

/**
 * @param {HTMLElement} bell
 * @param {number} unread
 */
function paint(bell, unread) {
  const count = /** @type {HTMLElement | null} */ (bell.querySelector('.inbox-count'));
  if (!count) return;
  count.textContent = unread > 99 ? '99+' : String(unread);
  count.hidden = unread === 0;
  bell.setAttribute('aria-label', unread ? t('inbox.bellUnread', { n: unread }) : t('inbox.bell'));
  bell.classList.toggle('has-unread', unread > 0);
}

/** Asks the API for the count again and shows it on the bell now in the header. */
export function refreshBell() {
  const bell = current;
  if (!bell) return;
  api.unreadCount().then(
    (res) => paint(bell, res.unread),
    () => {},
  );
}

/**
 * A new bell for the header being drawn (`active`: the inbox is the page shown).
 * @param {boolean} active
 */
export function inboxBell(active) {
  const bell = h(
    'a',
    { href: '#/inbox', class: 'inbox-bell', 'aria-label': t('inbox.bell'), 'aria-current': active ? 'page' : null },
    h('span', { class: 'inbox-bell-text' }, t('nav.inbox')),
    h('span', { class: 'inbox-count', hidden: true }, '0'),
  );
  current = bell;
  refreshBell();
  return bell;
}
