// @ts-check
/**
 * The dashboard's charts: overdue ageing (stacked bars, general and major per age bucket) and
 * the trend (lines per week or month). Apache ECharts comes from this server (/vendor/, the npm
 * package's build), loaded when a chart is first drawn. Beside every chart is a real table with
 * the same numbers, each a link to the list behind it: the chart is a picture (role img, labelled)
 * and the table is what a screen reader reads; a button shows the table to everyone.
 */
import { h, uid } from './dom.js';
import { formatDate } from './format.js';
import { ageBounds, hazardsHash } from './figure-format.js';
import { t } from './i18n.js';
/** @typedef {import('./types').Navigate} Navigate */

const ECHARTS_SRC = '/vendor/echarts.min.js';
/** @type {Promise<typeof import('echarts')> | null} */
let loading = null;

/**
 * window.echarts, once the script has loaded (a failure leaves the tables, and is tried again later).
 * @returns {Promise<typeof import('echarts')>}
 */
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  loading ??= new Promise((resolve, reject) => {
    const script = h('script', { src: ECHARTS_SRC, async: true });
    script.addEventListener('load', () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts missing'))));
    script.addEventListener('error', () => {
      loading = null;
      script.remove();
      reject(new Error(`${ECHARTS_SRC} not loaded`));
    });
    document.head.append(script);
  });
  return loading;
}

/** @type {Record<string, string>} */
const COLORS = { general: '#d68a00', major: '#b3141c', registered: '#0b3d91', closed: '#1a7f3c', becameOverdue: '#b3141c', escalated: '#7a4a00' };
const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

/**
 * Draw `option` into `box` once the box is on the page; a click on a data point calls
 * `onPick(seriesId, dataIndex)`. The chart follows the box's size and is let go with the page.
 * @param {HTMLElement} box
 * @param {object} option an ECharts option
 * @param {((seriesId: string, dataIndex: number) => void) | undefined} onPick
 */
function draw(box, option, onPick) {
  loadECharts()
    .then((ec) => {
      requestAnimationFrame(() => {
        if (!box.isConnected) return;
        const chart = ec.init(box, null, { renderer: 'canvas' });
        chart.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...option });
        chart.on('click', (/** @type {import('echarts').ECElementEvent} */ p) => {
          if (p.seriesId !== undefined) onPick?.(p.seriesId, p.dataIndex);
        });
        const resize = () => {
          if (!box.isConnected) {
            window.removeEventListener('resize', resize);
            chart.dispose();
          } else chart.resize();
        };
        window.addEventListener('resize', resize);
        box.dataset.drawn = 'true';
      });
    })
    .catch(() => {
      box.hidden = true;
      box.closest('.chart-block')?.querySelector('.chart-table')?.classList.remove('visually-hidden');
    });
}

/**
 * A chart picture, its data table (hidden from sight until asked for) and the button between.
 * @param {{className: string, labelText: string, caption: string, head: string[], rows: HTMLElement[], option: object, onPick?: (seriesId: string, dataIndex: number) => void}} spec
 */
function chartBlock({ className, labelText, caption, head, rows, option, onPick }) {
  const tableId = uid('chart-table');
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': labelText });
  const wrap = h(
    'div',
    { class: 'chart-table visually-hidden', id: tableId },
    h('table', { class: 'figure-table' }, h('caption', null, caption), h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', null, rows)),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'button button-link chart-toggle',
      'aria-controls': tableId,
      'aria-expanded': 'false',
      onClick: () => {
        const show = wrap.classList.toggle('visually-hidden') === false;
        toggle.setAttribute('aria-expanded', show ? 'true' : 'false');
        toggle.textContent = t(show ? 'dash.chart.hideTable' : 'dash.chart.showTable');
      },
    },
    t('dash.chart.showTable'),
  );
  draw(box, option, onPick);
  return h('div', { class: ['chart-block', className] }, box, toggle, wrap);
}

const link = (/** @type {string} */ list, /** @type {string | number} */ text, /** @type {string | null} */ aria) => h('a', { href: hazardsHash(list), class: 'figure-link', 'aria-label': aria ?? null }, String(text));

/**
 * "1–3 个工作日", "30 个工作日以上".
 * @param {string} key
 */
export function ageLabel(key) {
  const b = ageBounds(key);
  if (!b) return key;
  return b.max === null ? t('dash.age.over', { min: b.min - 1 }) : t('dash.age.range', { min: b.min, max: b.max });
}

/**
 * Overdue hazards by working days overdue, general and major stacked.
 * @param {Navigate} navigate
 * @param {import('./types').Figures['ageing']} ageing
 */
export function ageingChart(ageing, navigate) {
  const buckets = ageing.buckets;
  const names = buckets.map((b) => ageLabel(b.bucket));
  const total = buckets.reduce((a, b) => a + b.total, 0);
  const rows = buckets.map((b, i) =>
    h(
      'tr',
      { 'data-bucket': b.bucket },
      h('th', { scope: 'row' }, names[i]),
      h('td', { class: 'num' }, link(b.lists.general, b.general, `${names[i]} ${t('grade.general')} ${b.general}`)),
      h('td', { class: 'num' }, link(b.lists.major, b.major, `${names[i]} ${t('grade.major')} ${b.major}`)),
      h('td', { class: 'num' }, link(b.list, b.total, `${names[i]} ${t('dash.total')} ${b.total}`)),
    ),
  );
  const series = (/** @type {'general' | 'major'} */ grade) => ({
    id: grade,
    name: t(`grade.${grade}`),
    type: 'bar',
    stack: 'age',
    barMaxWidth: 48,
    itemStyle: { color: COLORS[grade] },
    emphasis: { focus: 'series' },
    cursor: 'pointer',
    data: buckets.map((b) => b[grade]),
  });
  return chartBlock({
    className: 'ageing-chart',
    labelText: t('dash.ageing.aria', { total, detail: buckets.map((b, i) => `${names[i]} ${b.total}`).join(t('dash.listSeparator')) }),
    caption: t('dash.ageing.caption'),
    head: [t('dash.ageing.bucket'), t('grade.general'), t('grade.major'), t('dash.total')],
    rows,
    option: {
      grid: { left: 48, right: 16, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
      xAxis: { type: 'category', data: names, name: t('dash.ageing.axis'), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', minInterval: 1 },
      series: [series('general'), series('major')],
    },
    onPick: (/** @type {string} */ grade, /** @type {number} */ i) => {
      const list = grade === 'general' || grade === 'major' ? buckets[i]?.lists[grade] : undefined;
      if (list) navigate(hazardsHash(list));
    },
  });
}

/** @type {Array<'registered' | 'closed' | 'becameOverdue' | 'escalated'>} */
const TREND_SERIES = ['registered', 'closed', 'becameOverdue', 'escalated'];
/** @typedef {import('./types').Figures['trend']['points'][number]} TrendPoint */
/** The hazard list behind a point's measure, where there is one. */
const listOf = (/** @type {TrendPoint} */ p, /** @type {string} */ key) => /** @type {Partial<Record<string, string>>} */ (p.lists)[key];

/**
 * "2026-03" for a month, "2026-03-02 起" for a week: what the period is called on the axis.
 * @param {TrendPoint['period']} p
 */
function periodName(p) {
  return p.kind === 'month' ? p.from.slice(0, 7) : t('dash.trend.weekOf', { from: formatDate(p.from).slice(5) });
}

/**
 * New, closed, newly overdue and escalated hazards per period, oldest first.
 * @param {Navigate} navigate
 * @param {import('./types').Figures['trend']} trend
 */
export function trendChart(trend, navigate) {
  const points = trend.points;
  const names = points.map((p) => periodName(p.period));
  const cell = (/** @type {TrendPoint} */ p, /** @type {(typeof TREND_SERIES)[number]} */ key, /** @type {number} */ i) => {
    const aria = `${names[i]} ${t(`dash.trend.${key}`)} ${p[key]}`;
    // Only some measures have a list behind them (registered, closed).
    const list = listOf(p, key);
    return h('td', { class: 'num' }, list ? link(list, p[key], aria) : String(p[key]));
  };
  const rows = points.map((p, i) => h('tr', null, h('th', { scope: 'row' }, h('time', { datetime: p.period.from }, names[i])), TREND_SERIES.map((k) => cell(p, k, i))));
  const sum = (/** @type {(typeof TREND_SERIES)[number]} */ k) => points.reduce((a, p) => a + p[k], 0);
  return chartBlock({
    className: 'trend-chart',
    labelText: t('dash.trend.aria', {
      from: names[0] ?? '',
      to: names[names.length - 1] ?? '',
      registered: sum('registered'),
      closed: sum('closed'),
      becameOverdue: sum('becameOverdue'),
      escalated: sum('escalated'),
    }),
    caption: t('dash.trend.caption'),
    head: [t('dash.trend.period'), ...TREND_SERIES.map((k) => t(`dash.trend.${k}`))],
    rows,
    option: {
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: names, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: TREND_SERIES.map((k) => ({ id: k, name: t(`dash.trend.${k}`), type: 'line', symbolSize: 7, itemStyle: { color: COLORS[k] }, lineStyle: { color: COLORS[k] }, data: points.map((p) => p[k]) })),
    },
    onPick: (/** @type {string} */ key, /** @type {number} */ i) => {
      const point = points[i];
      const list = point && listOf(point, key);
      if (list) navigate(hazardsHash(list));
    },
  });
}

/**
 * A campaign's stock burn-down (存量清零): stock and new still open, day by day since the cut-off.
 * @param {import('./types').Campaign} campaign
 * @param {import('./types').CampaignBurndown} burndown
 */
export function burndownChart(campaign, burndown) {
  const series = burndown.series;
  const days = series.map((s) => s.day);
  const rows = series.map((s) =>
    h('tr', null, h('th', { scope: 'row' }, h('time', { datetime: s.day }, s.day)), h('td', { class: 'num' }, String(s.stock.open)), h('td', { class: 'num' }, String(s.new.open))),
  );
  const last = series[series.length - 1];
  return chartBlock({
    className: 'burndown-chart',
    labelText: t('dash.burndown.aria', { name: campaign.name, from: days[0] ?? '', to: days[days.length - 1] ?? '', stock: last?.stock.open ?? 0 }),
    caption: t('dash.burndown.caption', { name: campaign.name }),
    head: [t('dash.burndown.day'), t('dash.burndown.stock'), t('dash.burndown.new')],
    rows,
    option: {
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: days, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { id: 'stock', name: t('dash.burndown.stock'), type: 'line', symbolSize: 5, itemStyle: { color: COLORS.major }, lineStyle: { color: COLORS.major }, data: series.map((s) => s.stock.open) },
        { id: 'new', name: t('dash.burndown.new'), type: 'line', symbolSize: 5, itemStyle: { color: COLORS.registered }, lineStyle: { color: COLORS.registered }, data: series.map((s) => s.new.open) },
      ],
    },
  });
}
