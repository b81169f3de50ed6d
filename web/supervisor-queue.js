// @ts-check
/**
 * A supervisor's own queue, above their hazard list: what awaits review, the extension requests
 * to decide, what is overdue in their grids, and what is assigned to them, each a link to its list.
 * Counted by the hazard list itself (one row asked for, the total read), so each number is
 * exactly the list it opens, within the supervisor's reach.
 */
import { api } from './api.js';
import { h } from './dom.js';
import { hazardsHash } from './figure-format.js';
import { t } from './i18n.js';
import { currentUser } from './session.js';

/** @returns {Promise<HTMLElement | null>} */
export async function supervisorQueue() {
  const me = currentUser()?.username;
  /** @type {Array<[string, Record<string, string>]>} */
  const figures = [
    ['review', { status: 'under_review' }],
    ['extensions', { extensionPending: 'true', open: 'true' }],
    ['overdue', { overdue: 'true' }],
    ...(me ? [/** @type {[string, Record<string, string>]} */ (['mine', { supervisor: me, open: 'true' }])] : []),
  ];
  let totals;
  try {
    totals = await Promise.all(figures.map(([, f]) => api.listHazards({ ...f, limit: 1 })));
  } catch {
    return null; // the list below says what went wrong
  }
  return h(
    'section',
    { class: 'queue card', 'aria-labelledby': 'queue-title' },
    h('h2', { id: 'queue-title' }, t('queue.title')),
    h(
      'ul',
      { class: 'kpis kpis-small' },
      figures.map(([key, f], i) => {
        const page = totals[i];
        const n = page.totalAtLeast ? `${page.total}+` : String(page.total);
        return h(
          'li',
          { class: 'kpi', 'data-queue': key },
          h('p', { class: 'kpi-label' }, t(`queue.${key}`)),
          h('p', { class: 'kpi-value' }, h('a', { href: hazardsHash(new URLSearchParams(f).toString()), class: 'figure-link', 'aria-label': `${t(`queue.${key}`)} ${n}` }, n)),
        );
      }),
    ),
  );
}
