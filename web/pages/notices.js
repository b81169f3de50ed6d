// @ts-check
/**
 * 督办通知: supervision notices within reach, newest first, filtered by status, a page at a time;
 * supervisors and leaders start a notice to a government body here, leaders urge the ones they tick.
 */
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { statusLedgerPage } from '../case-pages.js';
import { rowSelection } from '../row-selection.js';
import { escalationBadge } from '../ui.js';
import { hasRole } from '../session.js';
import { addresseeOf, noticeBadges, noticeDeadline } from './notice.js';

export const NOTICE_STATUSES = ['issued', 'signed', 'closed'];

/** @param {import('../types').PageContext} route */
export function noticesPage(route) {
  // Leaders tick open notices to urge them at once, as on the hazards ledger.
  /** @type {ReturnType<typeof rowSelection<import('../types').NoticeListItem>> | undefined} */
  const selection = hasRole('leader')
    ? rowSelection({ kind: 'notice', boxClass: 'select-notice', nameOf: (n) => `${n.code} ${n.title}`, selectable: (n) => n.status !== 'closed', urgeKey: 'notices.urgeSelected' })
    : undefined;
  return statusLedgerPage(route, {
    selection,
    base: '#/notices',
    titleKey: 'notices.title',
    filterKey: 'notices.filter.status',
    emptyKey: 'notices.empty',
    tableClass: 'notices',
    statuses: NOTICE_STATUSES,
    statusLabel: (s) => t(`notices.status.${s}`),
    exportPath: '/notices/export.xlsx',
    // A notice to a government body needs no hazard ticked in the ledger first.
    headAction: hasRole('supervisor', 'leader') ? h('a', { href: '#/notices/new?to=body', class: 'button button-secondary', 'data-action': 'notice-to-body' }, t('issue.toBodyLink')) : null,
    load: (params) => api.listNotices(params),
    urlFilters: ['region', 'open', 'overdue', 'signOverdue', 'ladderLevel', 'instrument', 'pendingDecision', 'decider', 'enterpriseId'],
    rowAttrs: (n) => ({ 'data-notice-id': n.id, class: n.overdue ? 'is-overdue' : null }),
    columns: [
      { col: 'code', key: 'notices.col.code', render: (n) => h('a', { href: `#/notices/${encodeURIComponent(n.id)}`, class: 'notice-link' }, n.code) },
      { col: 'title', key: 'notices.col.title', render: (n) => n.title },
      { col: 'enterprise', key: 'notices.col.enterprise', render: (n, names) => addresseeOf(n, names) },
      { col: 'deadline', key: 'notices.col.deadline', render: (n) => noticeDeadline(n) },
      { col: 'status', key: 'notices.col.status', render: (n) => noticeBadges(n) },
      { col: 'ladder', key: 'notices.col.ladder', render: (n) => escalationBadge(n.ladderLevel) },
      { col: 'openHazards', key: 'notices.col.openHazards', render: (n) => String(n.openHazards) },
    ],
  });
}
