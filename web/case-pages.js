// @ts-check
/**
 * The shapes that the notice, suspension and hazard pages share: a status-filtered ledger of
 * cases within reach, a timeline of who did what and when, and the notifications a case sent.
 * Each page supplies only what is its own (columns, labels, event details).
 */
import { asProblem, enterprises } from './api.js';
import { h } from './dom.js';
import { formatDateTime } from './format.js';
import { t } from './i18n.js';
import { personName } from './people.js';
import { exportButton } from './ledger-export.js';
import { card, errorPanel, label, listHash, pager, statusFilter } from './ui.js';
/** @typedef {import('./types').PageContext} PageContext */

const PAGE_SIZE = 20;

export const instant = (/** @type {string} */ i) => h('time', { datetime: i }, formatDateTime(i));

/**
 * A list page: a status filter, one table page of cases, and the pager.
 * `columns` are `{ col, key, render(item, names) }`; `rowAttrs(item)` marks a row (id, overdue);
 * `exportPath` (e.g. `/notices/export.xlsx`) offers the list's ledger as Excel with its filters;
 * `headAction` stands beside the heading; `selection` (row-selection.js) ticks rows for a command on them.
 * @template T
 * @param {PageContext} ctx
 * @param {import('./types').LedgerSpec<T>} spec
 * @returns {Promise<import('./types').PageResult>}
 */
export async function statusLedgerPage({ query, navigate }, spec) {
  const { base, titleKey, filterKey, emptyKey, tableClass, statuses, statusLabel, load, rowAttrs, urlFilters = [], exportPath, headAction = null, selection } = spec;
  // Ticked rows come first, as on the hazards ledger.
  const columns = selection ? [{ col: 'select', key: 'ledger.col.select', render: (/** @type {T} */ item) => selection.box(item) }, ...spec.columns] : spec.columns;
  // Filters a figure opened the list with (e.g. region=…&signOverdue=true) ride along every page.
  const extra = Object.fromEntries(urlFilters.filter((/** @type {string} */ k) => query.get(k)).map((/** @type {string} */ k) => [k, query.get(k)]));
  const hashOf = (/** @type {Record<string, string | null | undefined>} */ values) => listHash(base, { ...extra, ...values });
  const status = statuses.includes(query.get('status') ?? '') ? /** @type {string} */ (query.get('status')) : '';
  const cursor = query.get('cursor') ?? '';
  const title = t(titleKey);
  const heading = h('h1', { tabindex: '-1' }, title);
  const filterBar = statusFilter({
    labelText: t(filterKey),
    statuses,
    current: status,
    labelOf: statusLabel,
    onPick: (value) => navigate(hashOf({ status: value }), { focus: 'select[name="status"]' }),
  });

  /** @type {import('./types').ListPage<T>} */
  let page;
  /** @type {Map<string, string>} */
  let names;
  try {
    [page, names] = await Promise.all([
      load({ ...extra, status, limit: PAGE_SIZE, cursor }),
      enterprises().then(
        (list) => new Map(list.map((e) => [e.id, e.name])),
        () => new Map(),
      ),
    ]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title, node: h('section', { class: 'page' }, heading, filterBar, errorPanel(problem, () => navigate(location.hash))) };
  }

  const rows = page.items.map((item) =>
    h(
      'tr',
      rowAttrs(item),
      columns.map(({ col, key, render }) => h('td', { class: `col-${col}`, 'data-label': t(key) }, h('div', { class: 'cell' }, render(item, names)))),
    ),
  );
  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: ['ledger', tableClass] },
          h('caption', { class: 'visually-hidden' }, title),
          h('thead', null, h('tr', null, columns.map(({ col, key }) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
          h('tbody', null, rows),
        ),
      )
    : h('p', { class: 'empty card' }, t(emptyKey));
  const narrowed = Object.keys(extra).length
    ? h('p', { class: 'narrowed' }, t('list.narrowed'), ' ', h('a', { href: listHash(base, { status }), class: 'clear-filters' }, t('list.clearFilters')))
    : null;
  const paging = pager({
    total: page.totalAtLeast ? `${page.total}+` : page.total,
    totalFrom: page.totalFrom,
    totalAsOf: page.totalAsOf,
    cursor,
    nextCursor: page.nextCursor,
    first: () => navigate(hashOf({ status })),
    next: () => navigate(hashOf({ status, cursor: page.nextCursor })),
  });
  const exporter = exportPath ? exportButton(exportPath, { ...extra, status }) : null;
  return { title, node: h('section', { class: 'page' }, h('div', { class: 'page-head' }, heading, headAction, exporter), filterBar, narrowed, selection?.bar ?? null, table, paging) };
}

/**
 * What happened to a case, oldest first: each event's kind, when, by whom, and its details.
 * `typeLabel(event)` names the kind; `headExtra(event)` adds to the head (e.g. the round); each
 * actor is named by display name (the event's `actorName`, or the answer's `people`).
 * @template {import('./types').TimelineEvent} E
 * @param {E[]} events
 * @param {import('./types').TimelineSpec<E>} spec
 */
export function timelineCard(events, { typeLabel, details, headExtra = () => null, people = {} }) {
  return card(
    'timeline',
    t('detail.timeline'),
    events.length
      ? h(
          'ol',
          { class: 'events' },
          events.map((e) =>
            h(
              'li',
              { class: ['event', `event-${e.type}`], 'data-event': e.type },
              h(
                'div',
                { class: 'event-head' },
                h('span', { class: 'event-type' }, typeLabel(e)),
                headExtra(e),
                h('time', { datetime: e.occurredAt, class: 'event-time' }, formatDateTime(e.occurredAt)),
              ),
              h('p', { class: 'event-actor' }, t('event.actor', { actor: e.actor === 'system' ? t('event.system') : (e.actorName ?? personName(people, e.actor)) })),
              details(e),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('detail.timelineEmpty')),
  );
}

/**
 * Whom a step reached when it fired, by display name ("钱科长、孙科长"), or that nobody held what it
 * names; null where the answer holds none (an enterprise's, or a step fired before people were resolved).
 * @param {import('./types').ReachedBySteps} reached
 * @param {string | null | undefined} step
 */
function reachedPeople(reached, step) {
  const r = step ? reached?.[step] : undefined;
  if (!r) return null;
  if (r.unresolved) return h('span', { class: 'reached reached-nobody' }, t('reached.nobody'));
  return h('span', { class: 'reached' }, r.names.join(t('list.separator')));
}

/**
 * The role or post a step names, and the people it reached (“监管负责人：钱科长”): the case's
 * `reached` (inside the bureau only) by the step's key.
 * @param {import('./types').ReachedBySteps} reached
 * @param {string} named
 * @param {string | null | undefined} step
 * @returns {import('./types').Child}
 */
export function namedAndReached(reached, named, step) {
  const people = reachedPeople(reached, step);
  return people ? [named, t('reached.sep'), people] : named;
}

/**
 * What a case sent and to whom: one line per notification, its kind labelled under `kindPrefix`,
 * its recipient the role and, inside the bureau, the people its step reached.
 * @param {import('./types').CaseNotification[]} items
 * @param {string} kindPrefix
 * @param {import('./types').ReachedBySteps} reached
 */
export function notificationsCard(items, kindPrefix, reached) {
  if (!items.length) return card('notices', t('detail.notifications'), h('p', { class: 'muted' }, t('detail.notificationsEmpty')));
  return card(
    'notices',
    t('detail.notifications'),
    h(
      'ul',
      { class: 'plain-list' },
      items.map((x) => h('li', { 'data-step': x.step }, instant(x.scheduledAt), ' · ', label(kindPrefix, x.kind), ' · ', namedAndReached(reached, label('role', x.recipientRole), x.step), ' · ', x.message)),
    ),
  );
}
