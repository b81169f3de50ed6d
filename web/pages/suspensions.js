// @ts-check
/** 停产整顿台账: suspensions within reach, newest first, filtered by status, a page at a time. */
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { statusLedgerPage } from '../case-pages.js';
import { enterpriseName } from '../ui.js';
import { suspensionBadges, remainingText } from './suspension.js';

export const SUSPENSION_STATUSES = ['suspended', 'resumption_requested', 'resumed', 'lifted'];

/** A date of the suspension's clock, with the days left or past while it runs. */
const clockDate = (/** @type {import('../types').SuspensionListItem} */ s, /** @type {'plannedEnd' | 'maxEnd'} */ end) => [h('time', { datetime: s[end] }, formatDate(s[end])), ' ', h('span', { class: 'muted' }, remainingText(s, end))];

/** @param {import('../types').PageContext} route */
export function suspensionsPage(route) {
  return statusLedgerPage(route, {
    base: '#/suspensions',
    titleKey: 'suspensions.title',
    filterKey: 'suspensions.filter.status',
    emptyKey: 'suspensions.empty',
    tableClass: 'suspensions',
    statuses: SUSPENSION_STATUSES,
    statusLabel: (s) => t(`suspension.status.${s}`),
    exportPath: '/suspensions/export.xlsx',
    load: (params) => api.listSuspensions(params),
    rowAttrs: (s) => ({ 'data-suspension-id': s.id, class: s.reviewOverdue ? 'is-overdue' : null }),
    columns: [
      { col: 'document', key: 'suspensions.col.document', render: (s) => h('a', { href: `#/suspensions/${encodeURIComponent(s.id)}`, class: 'suspension-link' }, s.documentNumber) },
      { col: 'enterprise', key: 'suspensions.col.enterprise', render: (s, names) => enterpriseName(names, s.enterpriseId) },
      { col: 'scope', key: 'suspensions.col.scope', render: (s) => t(`suspension.scope.${s.scope}`) },
      { col: 'status', key: 'suspensions.col.status', render: (s) => suspensionBadges(s) },
      { col: 'plannedEnd', key: 'suspensions.col.plannedEnd', render: (s) => clockDate(s, 'plannedEnd') },
      { col: 'maxEnd', key: 'suspensions.col.maxEnd', render: (s) => clockDate(s, 'maxEnd') },
    ],
  });
}
