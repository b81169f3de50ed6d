// @ts-check
/**
 * An item's notifications as they were delivered: per person and channel, pending (and until
 * when, in quiet hours), delivered, failed after its tries, or not sent and why. Loaded after
 * the page, so a slow answer never holds the rest of it.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { formatDateTime } from './format.js';
import { t } from './i18n.js';
import { badge, card, label } from './ui.js';

/** @typedef {import('./types').ItemDelivery} Delivery */

/** @type {Record<string, string>} */
const TONE = { pending: 'status-under_review', sent: 'status-closed', failed: 'overdue', skipped: 'round' };

/** @param {Delivery} d */
function stateCell(d) {
  /** @type {import('./types').Child[]} */
  const parts = [badge(TONE[d.state] ?? 'round', t(`deliveries.state.${d.state}`), 'delivery-state')];
  if (d.state === 'skipped' && d.skipReason) parts.push(' ', h('span', { class: 'muted delivery-reason' }, label('deliveries.reason', d.skipReason)));
  if (d.state === 'pending' && new Date(d.notBefore) > new Date()) parts.push(' ', h('span', { class: 'muted' }, t('deliveries.notBefore', { at: formatDateTime(d.notBefore) })));
  if (d.lastError && d.state !== 'sent') parts.push(h('div', { class: 'muted delivery-error' }, t('deliveries.lastError', { error: d.lastError })));
  return parts;
}

/**
 * @param {Delivery[]} items
 * @param {string} kindPrefix
 */
function table(items, kindPrefix) {
  const cols = ['deliveries.col.at', 'notice.kind', 'deliveries.col.person', 'deliveries.col.channel', 'deliveries.col.state', 'deliveries.col.attempts'];
  const td = (/** @type {number} */ i, /** @type {import('./types').Child[]} */ ...c) => h('td', { 'data-label': t(cols[i]) }, h('div', { class: 'cell' }, ...c));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'deliveries-table' },
      h('thead', null, h('tr', null, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
      h(
        'tbody',
        null,
        items.map((d) =>
          h(
            'tr',
            { 'data-delivery-id': d.id, 'data-channel': d.channel, 'data-state': d.state },
            td(0, formatDateTime(d.sentAt ?? d.scheduledAt)),
            td(1, label(kindPrefix, d.kind)),
            td(2, d.person.displayName),
            td(3, label('deliveries.channel', d.channel)),
            td(4, stateCell(d)),
            td(5, d.channel === 'inbox' ? t('empty') : t('deliveries.attempts', { n: d.attempts.length })),
          ),
        ),
      ),
    ),
  );
}

/** The card, filled when the deliveries arrive; `kind` is 'hazard' or 'notice'. */
/**
 * @param {'hazard' | 'notice'} kind
 * @param {string} id
 * @param {string} kindPrefix
 */
export function deliveriesCard(kind, id, kindPrefix) {
  const body = h('div', { class: 'deliveries-body' }, h('p', { class: 'muted' }, t('deliveries.loading')));
  api.itemDeliveries(kind, id).then(
    (res) => body.replaceChildren(res.items.length ? table(res.items, kindPrefix) : h('p', { class: 'muted' }, t('deliveries.empty'))),
    () => body.replaceChildren(h('p', { class: 'muted' }, t('error.load'))),
  );
  return card('deliveries', t('deliveries.title'), body);
}
