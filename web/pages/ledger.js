// @ts-check
/**
 * 隐患台账: the list of hazards with filters, newest first, a page at a time (cursor). A figure's
 * link (#/hazards?region=…&overdue=true) opens it with that figure's filters, shown as chips.
 */
import { api, asProblem, enterprises } from '../api.js';
import { h, uid } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { filterChips, LINK_FILTERS, linkFilters } from '../ledger-filters.js';
import { exportButton } from '../ledger-export.js';
import { rowSelection } from '../row-selection.js';
import { hasRole } from '../session.js';
import { supervisorQueue } from '../supervisor-queue.js';
import { badge, enterpriseName, errorPanel, escalationBadge, extensionPendingBadge, gradeBadge, nextStep, overdueBadge, provisionalMark, statusBadge, totalAsOf } from '../ui.js';
/** @typedef {import('../types').Navigate} Navigate */
/** @typedef {import('../types').PageContext} PageContext */

const PAGE_SIZE = 20;
const FILTERS = ['status', 'overdue', 'grade'];
const STATUSES = ['rectifying', 'under_review', 'closed', 'void'];
const GRADES = ['general', 'major'];

/**
 * For "previous page": the cursor of the page before each page seen, kept while the filters
 * stay the same (a cursor only means something for the list it came from). Walking it back
 * numbers the page; it survives the browser's back and forward, not a reload.
 * @type {{key: string, prevOf: Map<string, string>}}
 */
let trail = { key: '', prevOf: new Map() };

/**
 * The page number of the page at cursor, or null if the way back to the first page is unknown.
 * @param {string | null | undefined} cursor
 */
function pageNumberOf(cursor) {
  let n = 1;
  let c = cursor;
  while (c) {
    if (!trail.prevOf.has(c)) return null;
    c = trail.prevOf.get(c);
    n += 1;
  }
  return n;
}

/**
 * @param {URLSearchParams} query
 */
function filterKey(query) {
  return [...FILTERS, ...LINK_FILTERS].map((f) => `${f}=${query.get(f) ?? ''}`).join('&') + `&limit=${query.get('limit') ?? ''}`;
}

/**
 * The hash for the ledger with these query values.
 * @param {Record<string, string | null | undefined>} values
 */
export function ledgerHash(values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `#/hazards?${s}` : '#/hazards';
}

export async function ledgerPage(/** @type {PageContext} */ { query, navigate }) {
  const pick = (/** @type {string} */ name, /** @type {string[]} */ allowed) => (allowed.includes(query.get(name) ?? '') ? /** @type {string} */ (query.get(name)) : '');
  /** @type {Record<string, string>} */
  const filters = {
    status: pick('status', STATUSES),
    overdue: pick('overdue', ['true', 'false']),
    grade: pick('grade', GRADES),
  };
  const limitParam = Number(query.get('limit'));
  const limit = Number.isInteger(limitParam) && limitParam >= 1 && limitParam <= 200 ? limitParam : PAGE_SIZE;
  const cursor = query.get('cursor') ?? '';
  const linked = linkFilters(query);
  const key = filterKey(query);
  if (trail.key !== key) trail = { key, prevOf: new Map() };

  const baseValues = { ...linked, ...filters, limit: query.get('limit') ?? '' };
  const go = (/** @type {Record<string, string | null | undefined>} */ values, /** @type {string | null} */ focus = null) => navigate(ledgerHash({ ...baseValues, ...values }), { focus });

  const heading = h('h1', { tabindex: '-1' }, t('ledger.title'));
  const header = h(
    'div',
    { class: 'page-head' },
    heading,
    // Only supervisors register hazards; nobody else is offered to.
    hasRole('supervisor') ? h('a', { class: 'button button-primary', href: '#/hazards/new' }, '+ ', t('ledger.registerCta')) : null,
    exportButton('/hazards/export.xlsx', { ...linked, ...filters }),
  );

  const select = (/** @type {string} */ name, /** @type {string} */ labelKey, /** @type {Array<[string, string]>} */ options) => {
    const id = uid('filter');
    return h(
      'div',
      { class: 'filter' },
      h('label', { for: id }, t(labelKey)),
      h(
        'select',
        { id, name, onChange: (e) => go({ ...filters, [name]: e.target.value, cursor: '' }, `select[name="${name}"]`) },
        options.map(([value, text]) => h('option', { value, selected: filters[name] === value }, text)),
      ),
    );
  };

  const anyFilter = FILTERS.some((f) => filters[f]) || Object.keys(linked).length > 0;
  const filterBar = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('ledger.filters'), onSubmit: (e) => e.preventDefault() },
    select('status', 'ledger.filter.status', [['', t('ledger.filter.all')], ...STATUSES.map((s) => /** @type {[string, string]} */ ([s, t(`status.${s}`)]))]),
    select('overdue', 'ledger.filter.overdue', [
      ['', t('ledger.filter.all')],
      ['true', t('ledger.filter.overdueOnly')],
      ['false', t('ledger.filter.notOverdue')],
    ]),
    select('grade', 'ledger.filter.grade', [['', t('ledger.filter.all')], ...GRADES.map((g) => /** @type {[string, string]} */ ([g, t(`grade.${g}`)]))]),
    anyFilter ? h('a', { class: 'filters-reset', href: ledgerHash({ limit: query.get('limit') ?? '' }) }, t('ledger.filter.reset')) : null,
  );

  let page;
  let names;
  try {
    [page, names] = await Promise.all([
      api.listHazards({ ...linked, ...filters, limit, cursor }),
      enterprises().then(
        (list) => new Map(list.map((e) => [e.id, e.name])),
        () => new Map(),
      ),
    ]);
  } catch (thrown) {
    const problem = asProblem(thrown);
    return { title: t('ledger.title'), node: h('section', { class: 'page' }, header, filterBar, errorPanel(problem, () => navigate(location.hash || '#/'))) };
  }
  const without = (/** @type {string[]} */ keys) => ledgerHash({ ...baseValues, ...Object.fromEntries(keys.map((k) => [k, ''])) });
  // The supervisor's own queue, on their landing list (no filter chosen yet).
  const [chips, queue] = await Promise.all([
    filterChips(linked, names, without),
    hasRole('supervisor') && !anyFilter && !cursor ? supervisorQueue() : null,
  ]);

  const columns = [
    ['title', 'ledger.col.title'],
    ['enterprise', 'ledger.col.enterprise'],
    ['grade', 'ledger.col.grade'],
    ['status', 'ledger.col.status'],
    ['deadline', 'ledger.col.deadline'],
    ['overdue', 'ledger.col.overdue'],
    ['escalation', 'ledger.col.escalation'],
    ['next', 'ledger.col.next'],
  ];
  const cell = (/** @type {string} */ col, /** @type {import('../types').Child[]} */ ...content) =>
    h('td', { class: `col-${col}`, 'data-label': t(columns.find((c) => c[0] === col)?.[1] ?? col) }, h('div', { class: 'cell' }, ...content));
  // Supervisors and leaders pick open hazards here to issue one notice for them.
  const picking = hasRole('supervisor', 'leader');
  const selection = picking ? noticeSelection(navigate) : null;
  if (selection) columns.unshift(['select', 'ledger.col.select']);

  const rows = page.items.map((item) =>
    h(
      'tr',
      { 'data-hazard-id': item.id, class: item.overdue ? 'is-overdue' : null },
      selection ? cell('select', selection.box(item)) : null,
      cell(
        'title',
        h('a', { href: `#/hazards/${encodeURIComponent(item.id)}`, class: 'hazard-link' }, item.title),
        // A repeat of a recently closed hazard of the same enterprise and category (重复隐患).
        item.isRepeat ? badge('repeat', t('repeat.badge')) : null,
      ),
      cell('enterprise', enterpriseName(names, item.enterpriseId)),
      cell('grade', gradeBadge(item.grade)),
      cell(
        'status',
        statusBadge(item.status),
        item.round > 1 ? h('span', { class: 'round' }, t('round', { round: item.round })) : null,
        // An extension request awaits a supervisor's decision (延期待批).
        extensionPendingBadge(item),
      ),
      // 期限待定 beside a deadline counted into a year whose calendar is not yet published, as on notices.
      cell('deadline', h('time', { datetime: item.deadline }, formatDate(item.deadline)), provisionalMark(item, { note: false })),
      cell('overdue', overdueBadge(item) ?? h('span', { class: 'muted' }, t('overdue.none'))),
      cell('escalation', escalationBadge(item.escalationLevel)),
      cell('next', nextStep(item)),
    ),
  );

  const table = page.items.length
    ? h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'ledger' },
          h('caption', { class: 'visually-hidden' }, t('ledger.caption')),
          h('thead', null, h('tr', null, columns.map(([col, key]) => h('th', { scope: 'col', class: `col-${col}` }, t(key))))),
          h('tbody', null, rows),
        ),
      )
    : h('p', { class: 'empty card' }, t('ledger.empty'));

  const pageNumber = pageNumberOf(cursor);
  const known = pageNumber !== null;
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': t('ledger.pagination') },
    h('p', { class: 'total', role: 'status' }, t(page.totalAtLeast ? 'ledger.totalAtLeast' : 'ledger.total', { total: page.total }), totalAsOf(page), known ? h('span', { class: 'page-no' }, ' · ', t('ledger.page', { page: pageNumber })) : null),
    h(
      'div',
      { class: 'pager-buttons' },
      cursor && !known ? h('button', { type: 'button', class: 'button button-secondary', onClick: () => go({ cursor: '' }) }, t('ledger.first')) : null,
      cursor && known
        ? h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary',
              onClick: () => go({ cursor: trail.prevOf.get(cursor) ?? '' }),
            },
            '‹ ',
            t('ledger.prev'),
          )
        : null,
      page.nextCursor
        ? h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary',
              onClick: () => {
                trail.prevOf.set(String(page.nextCursor), cursor);
                go({ cursor: page.nextCursor });
              },
            },
            t('ledger.next'),
            ' ›',
          )
        : null,
    ),
  );

  return { title: t('ledger.title'), node: h('section', { class: 'page' }, header, queue, filterBar, chips, selection?.bar ?? null, table, pager) };
}

/**
 * The hazards ticked for a notice, and the bar that issues one for them. Only open hazards can be
 * put in a notice, and one notice goes to one enterprise: the bar says so before anyone tries.
 * A leader also urges (催办) the ticked hazards at once (row-selection.js).
 * @param {Navigate} navigate
 */
function noticeSelection(navigate) {
  const why = h('span', { class: 'muted selection-why' });
  const button = h('button', { type: 'button', class: 'button button-primary', disabled: true, 'data-action': 'issue-notice' }, t('ledger.issueNotice'));
  /** @type {ReturnType<typeof rowSelection<import('../types').HazardListItem>>} */
  const selection = rowSelection({
    kind: 'hazard',
    boxClass: 'select-hazard',
    nameOf: (item) => item.title,
    selectable: (item) => item.status === 'rectifying' || item.status === 'under_review',
    urgeKey: 'ledger.urgeSelected',
    controls: [why, button],
    onChange: (picked) => {
      const enterprisesPicked = new Set([...picked.values()].map((item) => item.enterpriseId));
      why.textContent = enterprisesPicked.size > 1 ? t('ledger.oneEnterprise') : '';
      button.disabled = picked.size === 0 || enterprisesPicked.size > 1;
    },
  });
  button.addEventListener('click', () => navigate(`#/notices/new?hazards=${[...selection.picked.keys()].map(encodeURIComponent).join(',')}`));
  return selection;
}
