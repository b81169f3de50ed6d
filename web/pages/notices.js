// @ts-check
/** 督办通知: supervision notices within reach, newest first, filtered by status, a page at a time. */
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { statusLedgerPage } from '../case-pages.js';
import { escalationBadge } from '../ui.js';
import { addresseeOf, noticeBadges, noticeDeadline } from './notice.js';

export const NOTICE_STATUSES = ['issued', 'signed', 'closed'];

/** @param {import('../types').PageContext} route */
export function noticesPage(route) {
  return statusLedgerPage(route, {
    base: '#/notices',
    titleKey: 'notices.title',
    filterKey: 'notices.filter.status',
    emptyKey: 'notices.empty',
    tableClass: 'notices',
    statuses: NOTICE_STATUSES,
    statusLabel: (s) => t(`notices.status.${s}`),
    exportPath: '/notices/export.xlsx',
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
