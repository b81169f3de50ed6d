// @ts-check
/**
 * 督办看板: a leader's home page for a region node within reach (their own by default). The view
 * lives in the URL (#/dashboard?region=…&period=month&interval=week) so it can be shared; a
 * breadcrumb leads back up from the node to the person's own. Every figure opens the list
 * behind it; a region row opens the node one level down.
 */
import { api, ApiProblem, asProblem } from '../api.js';
import { h } from '../dom.js';
import { ageingChart, burndownChart, trendChart } from '../dashboard-charts.js';
import { BREAKDOWNS, breakdownTable, kpiTiles, noticesCard, RANKING_LENGTH, rankingCard } from '../dashboard-tables.js';
import { INTERVALS, PERIODS, dashboardHash, dashboardView, freshness, trail } from '../figure-format.js';
import { regionName, remember } from '../figure-names.js';
import { t } from '../i18n.js';
import { currentUser } from '../session.js';
import { card, errorPanel } from '../ui.js';
import { exportButton } from '../ledger-export.js';
/** @typedef {import('../types').PageContext} PageContext */
/** @typedef {import('../types').Figures['breakdown']['region']} RegionNode */

/**
 * The figures of a region. An enterprise's own (what overview and ageing answer an enterprise user)
 * are no dashboard: the other figures refuse enterprises, so this is a guard, not a path.
 * @template {object} A
 * @param {A} answer
 * @returns {Extract<A, {region: RegionNode}>}
 */
function ofRegion(answer) {
  if (!('region' in answer)) throw new ApiProblem(403, { code: 'forbidden' });
  return /** @type {Extract<A, {region: RegionNode}>} */ (answer);
}

/** @param {ReturnType<typeof dashboardView>} view */
async function load(view) {
  const region = view.region || undefined;
  const base = { region, period: view.period };
  const [overview, ageing, trend, notices, overdue, repeats, ...breakdowns] = await Promise.all([
    api.figures('overview', base),
    api.figures('ageing', { region }),
    api.figures('trend', { region, interval: view.interval }),
    api.figures('notices', { region }),
    api.figures('enterprises', { ...base, rank: 'overdue', limit: RANKING_LENGTH }),
    api.figures('enterprises', { ...base, rank: 'repeats', limit: RANKING_LENGTH }),
    ...BREAKDOWNS.map((by) => api.figures('breakdown', { ...base, by })),
  ]).then(([overview, ageing, ...rest]) => /** @type {const} */ ([ofRegion(overview), ofRegion(ageing), ...rest]));
  return { overview, ageing, trend, notices, overdue, repeats, breakdowns, campaigns: await campaignsOf(overview.region) };
}

/**
 * The campaigns (专项行动) covering this region or within it, each with its burn-down; none when refused.
 * @param {{path: string}} region
 */
async function campaignsOf(region) {
  const all = await api.listCampaigns().then((r) => r.items, () => []);
  const here = all.filter((c) => region.path.startsWith(c.regionPath) || c.regionPath.startsWith(region.path)).slice(0, 2);
  return Promise.all(here.map(async (c) => ({ campaign: c, burndown: await api.campaignBurndown(c.id, {}).catch(() => null) })));
}

/** @param {{campaign: import('../types').Campaign, burndown: import('../types').CampaignBurndown | null}} figure */
function campaignCard({ campaign, burndown }) {
  const facts = burndown
    ? h(
        'p',
        { class: 'campaign-facts' },
        burndown.stockCleared
          ? t('dash.burndown.cleared', { day: burndown.stockClearedOn })
          : t('dash.burndown.left', { stock: burndown.totals.stock.open, total: burndown.totals.stockTotal, target: campaign.target }),
      )
    : null;
  return card(
    'campaign-card',
    campaign.name,
    facts,
    burndown && burndown.series.length ? burndownChart(campaign, burndown) : h('p', { class: 'muted' }, t('dash.empty')),
    h('p', null, h('a', { href: `#/campaigns/${encodeURIComponent(campaign.id)}`, class: 'campaign-link' }, t('dash.burndown.open'), ' ›')),
  );
}

/**
 * 数据更新于 HH:mm (Shanghai), with the date when it was not today.
 * @param {string | null | undefined} computedAt
 */
function freshnessLabel(computedAt) {
  const f = freshness(computedAt);
  const text = !f ? t('dash.fresh.never') : f.sameDay ? t('dash.fresh.at', { time: f.time }) : t('dash.fresh.atDay', { date: f.date, time: f.time });
  return h('p', { class: 'freshness', role: 'status' }, h('time', { datetime: computedAt ?? null }, text));
}

/**
 * City → county → township → grid, from the person's own node to this one.
 * @param {RegionNode} region
 * @param {string} period
 */
async function breadcrumb(region, period) {
  const own = currentUser()?.regionId;
  const ids = trail(region.path, own);
  const names = await Promise.all(ids.map((id) => (id === region.id ? region.name : regionName(id))));
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': t('dash.breadcrumb') },
    h(
      'ol',
      null,
      ids.map((id, i) =>
        h(
          'li',
          null,
          id === region.id
            ? h('span', { 'aria-current': 'page' }, names[i] ?? id)
            : h('a', { href: dashboardHash({ region: id === own ? '' : id, period }) }, names[i] ?? id),
        ),
      ),
    ),
  );
}

/**
 * A row of links switching one part of the view (the period, the trend's interval).
 * @param {string} name
 * @param {string[]} values
 * @param {string} labelKey
 * @param {string} current
 * @param {(value: string) => string} hashOf
 */
function switcher(labelKey, name, values, current, hashOf) {
  return h(
    'ul',
    { class: 'switch', 'aria-label': t(labelKey), 'data-switch': name },
    values.map((v) => h('li', null, h('a', { href: hashOf(v), class: 'switch-link', 'aria-current': v === current ? 'true' : null }, t(`dash.${name}.${v}`)))),
  );
}

export async function dashboardPage(/** @type {PageContext} */ { query, navigate }) {
  const view = dashboardView(query);
  const hashOf = (/** @type {{region?: string, period?: string, interval?: string}} */ change) => dashboardHash({ ...view, ...change });
  let data;
  try {
    data = await load(view);
  } catch (thrown) {
    const problem = asProblem(thrown);
    const title = t('dash.titlePlain');
    return { title, node: h('section', { class: 'page dashboard' }, h('h1', { tabindex: '-1' }, title), errorPanel(problem, () => navigate(location.hash))) };
  }
  const { overview, ageing, trend, notices, overdue, repeats, breakdowns, campaigns } = data;
  const region = overview.region;
  remember('region', region.id, region.name);
  const title = t('dash.title', { region: region.name });
  const p = overview.period;

  const head = h(
    'div',
    { class: 'page-head dashboard-head' },
    h('div', null, h('h1', { tabindex: '-1' }, title), freshnessLabel(overview.computedAt)),
    h(
      'div',
      { class: 'dashboard-switches' },
      switcher('dash.period.label', 'period', PERIODS, view.period, (v) => hashOf({ period: v, interval: undefined })),
      h('p', { class: 'period-range muted' }, t('dash.period.range', { from: p.from, to: p.to, prevFrom: overview.previousPeriod.from, prevTo: overview.previousPeriod.to })),
    ),
  );

  const node = h(
    'section',
    { class: 'page dashboard', 'data-region': region.id, 'data-level': region.level },
    await breadcrumb(region, view.period),
    head,
    card('kpi-card', t('dash.kpi.title'), kpiTiles(overview)),
    h(
      'div',
      { class: 'dashboard-grid' },
      card('ageing-card', t('dash.ageing.title'), ageing.region ? exportButton('/figures/ageing/export.xlsx', { region: ageing.region.id }) : null, ageingChart(ageing, navigate)),
      card(
        'trend-card',
        t('dash.trend.title'),
        switcher('dash.interval.label', 'interval', INTERVALS, view.interval, (v) => hashOf({ interval: v })),
        trendChart(trend, navigate),
      ),
    ),
    // A grid has no level below it.
    breakdowns.filter((b) => b.by !== 'region' || region.level !== 'grid').map((b) => breakdownTable(b, { period: view.period })),
    h('div', { class: 'dashboard-grid' }, rankingCard(overdue, repeats, { period: view.period }), noticesCard(notices)),
    campaigns.length ? h('div', { class: 'dashboard-grid' }, campaigns.map(campaignCard)) : null,
  );
  return { title, node };
}
