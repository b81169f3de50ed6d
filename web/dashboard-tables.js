// @ts-check
/**
 * The dashboard's numbers: the KPI tiles (each beside the previous period, with an arrow), the
 * breakdown tables with inline bars, the enterprise rankings and the notices block. Every number
 * is a link to the list behind it; a region row also opens that node's own dashboard.
 */
import { h } from './dom.js';
import { ARROWS, amount, barPercent, change, dashboardHash, hazardsHash, percent, tone } from './figure-format.js';
import { remember } from './figure-names.js';
import { exportButton } from './ledger-export.js';
import { t } from './i18n.js';
import { card, label } from './ui.js';
/** @typedef {import('./types').Figures['ranking']} Ranking */

const link = (/** @type {string | null | undefined} */ list, /** @type {string | number} */ text, /** @type {string | null} */ aria) => (list ? h('a', { href: hazardsHash(list), class: 'figure-link', 'aria-label': aria ?? null }, String(text)) : String(text));

/**
 * "较上期 ↑ 12" beside a figure: the previous period's value and which way it went.
 * @param {number | null} value
 * @param {number | null} previous
 * @param {string | null} better
 * @param {(value: number | null) => string} [show]
 */
function previousLine(value, previous, better, show = amount) {
  const dir = change(value, previous);
  if (dir === null) return h('p', { class: 'kpi-previous muted' }, t('dash.kpi.noPrevious'));
  return h(
    'p',
    { class: ['kpi-previous', `trend-${tone(dir, better)}`], 'data-direction': dir },
    h('span', { class: 'kpi-arrow', 'aria-hidden': 'true' }, ARROWS[dir]),
    ' ',
    t(`dash.kpi.${dir}`, { previous: show(previous) }),
  );
}

/**
 * @param {string} key
 * @param {{value: string | number, list?: string | null, note?: import('./types').Child, previous?: import('./types').Child}} figure
 */
function tile(key, { value, list, note, previous }) {
  return h(
    'li',
    { class: 'kpi', 'data-kpi': key },
    h('p', { class: 'kpi-label' }, t(`dash.kpi.${key}`)),
    h('p', { class: 'kpi-value' }, link(list, value, `${t(`dash.kpi.${key}`)} ${value}`)),
    note ?? null,
    previous ?? null,
  );
}

/**
 * Open, overdue (and its share), listed major hazards by level, closed, on-time rate, median days.
 * @param {import('./types').Figures['overview']} o
 */
export function kpiTiles(o) {
  const listed = o.majorListed.byLevel.filter((l) => l.value > 0);
  return h(
    'ul',
    { class: 'kpis', 'aria-label': t('dash.kpi.label') },
    tile('open', { value: o.open.value, list: o.open.list, previous: previousLine(o.open.value, o.open.previous, 'down') }),
    tile('overdue', {
      value: o.overdue.value,
      list: o.overdue.list,
      note: h('p', { class: 'kpi-note' }, t('dash.kpi.overdueShare', { share: percent(o.overdue.share), major: o.overdue.major })),
      previous: h(
        'div',
        null,
        h('p', { class: 'kpi-note' }, t('dash.kpi.becameOverdue', { n: o.overdue.becameOverdue })),
        previousLine(o.overdue.becameOverdue, o.overdue.previousBecameOverdue, 'down'),
      ),
    }),
    tile('majorListed', {
      value: o.majorListed.value,
      list: o.majorListed.list,
      note: listed.length
        ? h(
            'ul',
            { class: 'kpi-levels' },
            listed.map((l) => h('li', { 'data-level': l.level }, label('listing', l.level), ' ', link(l.list, l.value, `${label('listing', l.level)} ${l.value}`))),
          )
        : h('p', { class: 'kpi-note muted' }, t('dash.kpi.noneListed')),
    }),
    tile('closed', { value: o.closed.value, list: o.closed.list, previous: previousLine(o.closed.value, o.closed.previous, 'up') }),
    tile('onTimeRate', {
      value: percent(o.onTimeRate.value),
      note: h('p', { class: 'kpi-note' }, t('dash.kpi.closedOnTime', { n: o.onTimeRate.closedOnTime })),
      previous: previousLine(o.onTimeRate.value, o.onTimeRate.previous, 'up', percent),
    }),
    tile('median', {
      value: amount(o.medianWorkingDaysToClose.value),
      note: h('p', { class: 'kpi-note' }, t('dash.kpi.medianUnit')),
      previous: previousLine(o.medianWorkingDaysToClose.value, o.medianWorkingDaysToClose.previous, 'down'),
    }),
    tile('registered', { value: o.registered.value, list: o.registered.list, previous: previousLine(o.registered.value, o.registered.previous, null) }),
  );
}

/**
 * A row's bar: open hazards, the overdue part darker; it opens the overdue list (the numbers say it).
 * @param {import('./types').Figures['breakdown']['rows'][number]} row
 * @param {number} max
 */
function bar(row, max) {
  const open = h('span', { class: 'bar-open' });
  const overdue = h('span', { class: 'bar-overdue' });
  // Widths through the style object: the page's content policy refuses style attributes.
  open.style.width = `${barPercent(row.open, max)}%`;
  overdue.style.width = `${barPercent(row.overdue, row.open)}%`;
  open.append(overdue);
  return h('a', { href: hazardsHash(row.lists.overdue), class: 'bar', tabindex: '-1', 'aria-hidden': 'true' }, open);
}

/** How many enterprises each ranking shows. */
export const RANKING_LENGTH = 10;

/** The breakdowns the dashboard shows, in order. */
export const BREAKDOWNS = ['region', 'industry', 'leader', 'supervisor'];

/**
 * One breakdown (by region one level down, industry, 包联领导 or supervisor) as a table with bars.
 * @param {import('./types').Figures['breakdown']} answer
 * @param {{period: string}} view
 */
export function breakdownTable(answer, { period }) {
  const by = answer.by;
  const max = Math.max(0, ...answer.rows.map((r) => r.open));
  const nameOf = (/** @type {import('./types').Figures['breakdown']['rows'][number]} */ r) => r.label ?? t(`dash.by.none.${by}`);
  for (const r of answer.rows) if (r.label && (by === 'region' || by === 'leader' || by === 'supervisor')) remember(by, r.key, r.label);
  const region = by === 'region';
  const head = [t(`dash.by.${by}.name`), t('dash.col.open'), t('dash.col.overdue'), t('dash.col.overdueMajor'), ...(region ? [t('dash.col.closed'), t('dash.col.onTimeRate')] : []), t('dash.col.bar')];
  const rows = answer.rows.map((r) => {
    const name = nameOf(r);
    // By region, each row is a node one level down: it drills down and has its closed and on-time figures.
    const node = 'drill' in r ? r : null;
    return h(
      'tr',
      { 'data-key': r.key, class: r.overdue ? 'is-overdue' : null },
      h(
        'th',
        { scope: 'row' },
        node ? h('a', { href: dashboardHash({ region: node.drill.region, period }), class: 'drill-link', 'data-level': node.level }, name) : name,
      ),
      h('td', { class: 'num col-open' }, link(r.lists.open, r.open, `${name} ${t('dash.col.open')} ${r.open}`)),
      h('td', { class: 'num col-overdue' }, link(r.lists.overdue, r.overdue, `${name} ${t('dash.col.overdue')} ${r.overdue}`)),
      h('td', { class: 'num col-overdue-major' }, String(r.overdueMajor)),
      node ? h('td', { class: 'num' }, String(node.closed)) : null,
      node ? h('td', { class: 'num' }, percent(node.onTimeRate)) : null,
      h('td', { class: 'col-bar' }, bar(r, max)),
    );
  });
  return card(
    `breakdown breakdown-${by}`,
    t(`dash.by.${by}.title`),
    answer.rows.length ? exportButton('/figures/breakdown/export.xlsx', { region: answer.region?.id, by, period }) : null,
    answer.rows.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'figure-table', 'data-by': by },
            h('caption', { class: 'visually-hidden' }, t(`dash.by.${by}.title`)),
            h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))),
            h('tbody', null, rows),
          ),
        )
      : h('p', { class: 'muted' }, t('dash.empty')),
    // A city has thousands of supervisors: the answer holds those with the most overdue work.
    answer.totalRows > answer.rows.length ? h('p', { class: 'muted breakdown-more' }, t('dash.breakdownTop', { shown: answer.rows.length, total: answer.totalRows })) : null,
  );
}

/**
 * The enterprises with the most overdue hazards, and with the most repeats in the period.
 * @param {Ranking} overdue
 * @param {Ranking} repeats
 * @param {{period: string}} view
 */
export function rankingCard(overdue, repeats, { period }) {
  // The workbook holds the ranking the card shows: same region, period and length.
  const exporter = (/** @type {Ranking} */ answer, /** @type {Ranking['rank']} */ key) =>
    answer.rows.length ? exportButton('/figures/enterprises/export.xlsx', { region: answer.region?.id, rank: key, period, limit: RANKING_LENGTH }) : null;
  const list = (/** @type {Ranking} */ answer, /** @type {Ranking['rank']} */ key) =>
    answer.rows.length
      ? h(
          'ol',
          { class: 'ranking', 'data-rank': key },
          answer.rows.map((/** @type {Ranking['rows'][number]} */ r) => {
            // Each ranking's rows carry the count it ranks by.
            const n = 'overdue' in r ? r.overdue : r.repeats;
            return h('li', null, h('span', { class: 'ranking-name' }, r.name), ' ', link(r.list, t(`dash.rank.${key}.n`, { n }), `${r.name} ${t(`dash.rank.${key}.n`, { n })}`));
          }),
        )
      : h('p', { class: 'muted' }, t('dash.empty'));
  return card(
    'ranking-card',
    t('dash.rank.title'),
    h(
      'div',
      { class: 'ranking-grid' },
      h('div', { 'data-rank-card': 'overdue' }, h('h3', null, t('dash.rank.overdue')), list(overdue, 'overdue'), exporter(overdue, 'overdue')),
      h('div', { 'data-rank-card': 'repeats' }, h('h3', null, t('dash.rank.repeats')), list(repeats, 'repeats'), exporter(repeats, 'repeats')),
    ),
  );
}

/**
 * Open notices, unsigned past their signing time, by instrument reached, pending decisions by
 * decider. The notice list filters by status only (not by region or signing time), so these
 * numbers are not links; the card leads to the notices within reach instead.
 * @param {import('./types').Figures['notices']} n
 */
export function noticesCard(n) {
  // Each count opens the notice list behind it.
  const open = (/** @type {string} */ list, /** @type {string} */ content) => h('a', { href: `#/notices?${list}`, class: 'figure-link' }, content);
  const fact = (/** @type {string} */ key, /** @type {number} */ value, /** @type {string} */ list) => h('div', { class: 'fact', 'data-fact': key }, h('dt', null, t(`dash.notices.${key}`)), h('dd', null, open(list, String(value))));
  return card(
    'notices-card',
    t('dash.notices.title'),
    h('dl', { class: 'facts' }, fact('open', n.open, n.lists.open), fact('unsigned', n.unsignedPastDue, n.lists.unsigned), fact('overdue', n.overdue, n.lists.overdue)),
    h('h3', null, t('dash.notices.byInstrument')),
    n.byInstrument.length
      ? h('ul', { class: 'plain-list' }, n.byInstrument.map((i) => h('li', { 'data-instrument': i.instrument }, open(i.list, t('dash.notices.count', { name: label('notices.instrument', i.instrument), n: i.n })))))
      : h('p', { class: 'muted' }, t('dash.empty')),
    h('h3', null, t('dash.notices.pending')),
    n.pendingDecisions.length
      ? h(
          'ul',
          { class: 'plain-list' },
          n.pendingDecisions.map((d) => h('li', { 'data-decision': d.kind }, open(d.list, t('dash.notices.count', { name: `${label('notices.decision', d.kind)} · ${label('role', d.deciderRole)}`, n: d.n })))),
        )
      : h('p', { class: 'muted' }, t('dash.empty')),
    h('p', null, h('a', { href: '#/notices', class: 'notices-link' }, t('dash.notices.all'), ' ›')),
  );
}
