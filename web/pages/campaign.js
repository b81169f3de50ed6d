// @ts-check
/**
 * One campaign's stock burn-down (存量清零): the as-of day and the breakdown live in the URL
 * (#/campaigns/<id>?asOf=YYYY-MM-DD&by=region|leader) so a view can be shared. Totals, the
 * breakdown one level down (or by responsible leader) and the day-by-day series are tables;
 * every count opens the hazard ledger behind it (#/hazards?campaign=…&cohort=…&region=…).
 */
import { api, asProblem } from '../api.js';
import { h } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { errorPanel, fact, listHash } from '../ui.js';
/** @typedef {import('../types').Navigate} Navigate */
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').CampaignBurndown} CampaignBurndown */
/** @typedef {import('../types').CampaignMeasure} CampaignMeasure */

/** @type {Array<keyof import('../types').CampaignFigures>} */
const COHORTS = ['stock', 'new'];
/**
 * The columns of each cohort, and the ledger filter each count opens.
 * @type {CampaignMeasure[]}
 */
const MEASURES = [
  { key: 'open', filter: { open: 'true' } },
  { key: 'closed', filter: { status: 'closed' } },
  { key: 'voided', filter: { status: 'void' } },
  { key: 'overdue', filter: { overdue: 'true' } },
];

export async function campaignPage(/** @type {PageContext} */ { params, query, navigate, flashed }) {
  const by = query.get('by') === 'leader' ? 'leader' : 'region';
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(query.get('asOf') ?? '') ? query.get('asOf') : undefined;
  let answer;
  try {
    answer = await api.campaignBurndown(params.id, { asOf, by });
  } catch (thrown) {
    const problem = asProblem(thrown);
    const heading = h('h1', { tabindex: '-1' }, t('campaigns.title'));
    return { title: t('campaigns.title'), node: h('section', { class: 'page' }, heading, errorPanel(problem, () => navigate(location.hash)), backLink()) };
  }
  const c = answer.campaign;
  const link = (/** @type {string} */ cohort, /** @type {CampaignMeasure} */ measure, /** @type {Record<string, string>} */ extra) => listHash('#/hazards', { campaign: c.id, cohort, ...extra, ...measure.filter });
  /** @type {import('../types').CampaignCount} */
  const count = (n, cohort, measure, extra) => h('a', { href: link(cohort, measure, extra), class: 'count-link', 'data-cohort': cohort, 'data-measure': measure.key }, String(n));

  return {
    title: c.name,
    node: h(
      'section',
      { class: 'page campaign-page', 'data-campaign-id': c.id },
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, c.name)),
      flashed ? h('div', { class: 'notice notice-success', role: 'status' }, flashed) : null,
      h(
        'dl',
        { class: 'facts' },
        fact(t('campaigns.col.region'), c.regionName),
        fact(t('campaigns.col.cutoff'), h('time', { datetime: c.cutoff }, formatDate(c.cutoff))),
        fact(t('campaigns.col.target'), h('time', { datetime: c.target }, formatDate(c.target))),
      ),
      controls(c, answer, navigate),
      status(answer),
      h('p', { class: 'hint' }, t('campaign.linkNote')),
      totalsTable(answer, count),
      breakdownTable(answer, count),
      seriesTable(answer, count),
      backLink(),
    ),
  };
}

const backLink = () => h('a', { class: 'back-link', href: '#/campaigns' }, '‹ ', t('campaign.back'));

/**
 * @param {import('../types').Campaign} c
 * @param {CampaignBurndown} answer
 * @param {Navigate} navigate
 */
function controls(c, answer, navigate) {
  const asOf = h('input', { type: 'date', id: 'campaign-as-of', name: 'asOf', value: answer.asOf, min: c.cutoff });
  const by = h(
    'select',
    { id: 'campaign-by', name: 'by' },
    ['region', 'leader'].map((v) => h('option', { value: v, selected: v === answer.by }, t(`campaign.by.${v}`))),
  );
  const form = h(
    'form',
    { class: 'filters campaign-controls', 'data-form': 'campaign-view' },
    h('div', { class: 'field' }, h('label', { for: 'campaign-as-of' }, t('campaign.asOf')), asOf),
    h('div', { class: 'field' }, h('label', { for: 'campaign-by' }, t('campaign.by')), by),
    h('button', { type: 'submit', class: 'button button-secondary' }, t('campaign.show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(listHash(`#/campaigns/${encodeURIComponent(c.id)}`, { asOf: asOf.value, by: by.value }));
  });
  return form;
}

/**
 * @param {CampaignBurndown} answer
 */
function status(answer) {
  const lines = [h('p', { class: 'campaign-scope' }, t('campaign.scope', { name: answer.scope.name }))];
  if (!answer.computedAt) lines.push(h('p', { class: 'notice notice-info', role: 'status' }, t('campaign.notTaken')));
  else {
    lines.push(h('p', { class: 'freshness' }, t('campaign.computedAt', { at: formatDateTime(answer.computedAt) })));
    if (answer.provisional) lines.push(h('p', { class: 'hint provisional' }, t('campaign.provisional')));
    lines.push(
      answer.stockCleared
        ? h('p', { class: 'campaign-cleared', 'data-cleared': 'true' }, t('campaign.cleared', { day: formatDate(answer.stockClearedOn) }))
        : h('p', { class: 'campaign-cleared', 'data-cleared': 'false' }, t('campaign.notCleared', { open: answer.totals.stock.open, total: answer.totals.stockTotal })),
    );
  }
  if (!answer.complete) lines.push(h('p', { class: 'hint' }, t('campaign.incomplete')));
  return h('div', { class: 'campaign-status' }, lines);
}

/**
 * Header rows shared by the breakdown and the series: each cohort over its four measures.
 * @param {string} first
 */
function cohortHeads(first) {
  return h(
    'thead',
    null,
    h('tr', null, h('td', { rowspan: 2 }, first), COHORTS.map((cohort) => h('th', { scope: 'colgroup', colspan: MEASURES.length }, t(`campaign.${cohort}`)))),
    h('tr', null, COHORTS.map(() => MEASURES.map((m) => h('th', { scope: 'col' }, t(`campaign.${m.key}`))))),
  );
}

/**
 * @param {import('../types').CampaignFigures} figures
 * @param {import('../types').CampaignCount} count
 * @param {Record<string, string>} extra
 */
function cohortCells(figures, count, extra) {
  return COHORTS.map((cohort) => MEASURES.map((m) => h('td', { class: 'num' }, count(figures[cohort][m.key], cohort, m, extra))));
}

/**
 * @param {CampaignBurndown} answer
 * @param {import('../types').CampaignCount} count
 */
function totalsTable(answer, count) {
  const extra = { region: answer.scope.regionId };
  return h(
    'section',
    { class: 'card campaign-totals' },
    h('h2', null, t('campaign.totals')),
    h(
      'table',
      { class: 'figures' },
      h('caption', { class: 'visually-hidden' }, t('campaign.totals')),
      h('thead', null, h('tr', null, h('td', null), MEASURES.map((m) => h('th', { scope: 'col' }, t(`campaign.${m.key}`))))),
      h(
        'tbody',
        null,
        COHORTS.map((cohort) =>
          h('tr', { 'data-cohort': cohort }, h('th', { scope: 'row' }, t(`campaign.${cohort}`)), MEASURES.map((m) => h('td', { class: 'num' }, count(answer.totals[cohort][m.key], cohort, m, extra)))),
        ),
      ),
    ),
  );
}

/**
 * @param {CampaignBurndown} answer
 * @param {import('../types').CampaignCount} count
 */
function breakdownTable(answer, count) {
  const byLeader = answer.by === 'leader';
  const rows = answer.breakdown.map((item) => {
    /** @type {Record<string, string>} */
    const extra = byLeader ? { region: answer.scope.regionId, leader: item.key } : { region: item.key };
    const name = byLeader ? (item.name ?? t('campaign.noLeader')) : item.name;
    return h('tr', { 'data-key': item.key }, h('th', { scope: 'row' }, name), cohortCells(item.figures, count, extra));
  });
  return h(
    'section',
    { class: 'card campaign-breakdown' },
    h('h2', null, t('campaign.breakdown'), ' · ', t(`campaign.by.${answer.by}`)),
    rows.length
      ? h('table', { class: 'figures' }, h('caption', { class: 'visually-hidden' }, t('campaign.breakdown')), cohortHeads(t(byLeader ? 'campaign.leader' : 'campaign.region')), h('tbody', null, rows))
      : h('p', { class: 'empty' }, t('campaign.noBreakdown')),
  );
}

/**
 * @param {CampaignBurndown} answer
 * @param {import('../types').CampaignCount} count
 */
function seriesTable(answer, count) {
  const extra = { region: answer.scope.regionId };
  return h(
    'section',
    { class: 'card campaign-series' },
    h('h2', null, t('campaign.series')),
    h(
      'table',
      { class: 'figures series' },
      h('caption', null, t('campaign.seriesCaption')),
      cohortHeads(t('campaign.day')),
      h(
        'tbody',
        null,
        answer.series.map((day) =>
          h(
            'tr',
            { 'data-day': day.day, class: day.final ? null : 'is-provisional' },
            h('th', { scope: 'row' }, h('time', { datetime: day.day }, formatDate(day.day)), day.final ? null : [' ', h('span', { class: 'muted' }, t('campaign.dayProvisional'))]),
            cohortCells(day, count, extra),
          ),
        ),
      ),
    ),
  );
}
