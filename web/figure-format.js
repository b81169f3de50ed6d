// @ts-check
/**
 * How the leaders' figures read: shares and rates, the change against the previous period, the
 * freshness time, the hashes that open a node's dashboard or the list behind a figure, and the
 * way from the signed-in person's own region down to the node shown. Pure: no DOM, no words.
 */

const SHANGHAI_TIME = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export const PERIODS = ['week', 'month', 'quarter', 'year'];
export const INTERVALS = ['week', 'month'];
const REGION_ID = /^[A-Za-z0-9-]{1,40}$/;

/**
 * A share or rate (0..1) as a percentage with one decimal, "—" when there is none.
 * @param {number | null | undefined} value
 */
export function percent(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const p = Math.round(value * 1000) / 10;
  return `${p.toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * A count or a number of days, "—" when there is none (a median of nothing).
 * @param {number | null | undefined} value
 */
export function amount(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}

/**
 * Which way a figure moved since the previous period: up, down, same, or null when either is unknown.
 * @param {number | null | undefined} value
 * @param {number | null | undefined} previous
 */
export function change(value, previous) {
  if (value === null || value === undefined || previous === null || previous === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(previous)) return null;
  if (value > previous) return 'up';
  if (value < previous) return 'down';
  return 'same';
}

/**
 * Whether a move is good news: more closed or a higher on-time rate is, more open or overdue
 * work or a longer time to close is not. `better` names the direction that is good.
 * @param {string | null | undefined} direction 'up', 'down' or 'same'
 * @param {string | null | undefined} better the direction that is good
 */
export function tone(direction, better) {
  if (!direction || direction === 'same' || !better) return 'neutral';
  return direction === better ? 'good' : 'bad';
}

export const ARROWS = { up: '↑', down: '↓', same: '→' };

/**
 * "HH:mm" of an instant in Shanghai, and whether it was on another day than `now`.
 * @param {string | null | undefined} iso
 * @param {number} [now]
 */
export function freshness(iso, now = Date.now()) {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const day = SHANGHAI_DAY.format(d);
  return { time: SHANGHAI_TIME.format(d), date: day, sameDay: day === SHANGHAI_DAY.format(new Date(now)) };
}

/**
 * The hazard list behind a figure (the API's list query string).
 * @param {string | null | undefined} list
 */
export function hazardsHash(list) {
  return list ? `#/hazards?${list}` : '#/hazards';
}

/**
 * A node's dashboard for a period (the defaults left out, so a shared link stays short).
 * @param {{region?: string | null, period?: string, interval?: string | null}} [view]
 */
export function dashboardHash({ region, period, interval } = {}) {
  const q = new URLSearchParams();
  if (region) q.set('region', region);
  if (period && period !== 'month') q.set('period', period);
  if (interval && interval !== defaultInterval(period ?? 'month')) q.set('interval', interval);
  const s = q.toString();
  return s ? `#/dashboard?${s}` : '#/dashboard';
}

/**
 * Weekly lines for a weekly view, monthly ones otherwise.
 * @param {string} period
 */
export function defaultInterval(period) {
  return period === 'week' ? 'week' : 'month';
}

/**
 * The dashboard's view as the URL gives it, anything unknown replaced by its default.
 * @param {URLSearchParams} query
 */
export function dashboardView(query) {
  const region = query.get('region') ?? '';
  const period = PERIODS.includes(query.get('period') ?? '') ? /** @type {string} */ (query.get('period')) : 'month';
  const interval = INTERVALS.includes(query.get('interval') ?? '') ? /** @type {string} */ (query.get('interval')) : defaultInterval(period);
  return { region: REGION_ID.test(region) ? region : '', period, interval };
}

/**
 * The region ids from the person's own node down to the node shown, both included (region paths
 * are `/city/county/…/`). A node outside the person's subtree gives just itself.
 * @param {string | null | undefined} path
 * @param {string | null | undefined} ownRegionId
 */
export function trail(path, ownRegionId) {
  const ids = String(path ?? '').split('/').filter(Boolean);
  const from = ownRegionId ? ids.indexOf(ownRegionId) : -1;
  return from < 0 ? ids.slice(-1) : ids.slice(from);
}

/**
 * A bar's length in percent of the longest, at least a sliver when there is anything at all.
 * @param {number} value
 * @param {number} max
 */
export function barPercent(value, max) {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(1, Math.min(100, Math.round((value / max) * 1000) / 10));
}

/**
 * An age bucket key ("4-7", "31+") as its bounds in working days.
 * @param {string} key
 */
export function ageBounds(key) {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(String(key ?? ''));
  if (!m) return null;
  return { min: Number(m[1]), max: m[2] === undefined ? null : Number(m[2]) };
}
