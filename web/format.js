// @ts-check
/** Dates and times as people in the bureau read them: always Asia/Shanghai, whatever the browser's zone. */

export const TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 24 * 60 * 60 * 1000;

const dateTimeParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * @param {Date} instant
 * @returns {Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>}
 */
function parts(instant) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const p of dateTimeParts.formatToParts(instant)) out[p.type] = p.value;
  return /** @type {Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>} */ (out);
}

/**
 * 2026-03-05 09:00 (Shanghai) for an ISO instant; '' for nothing.
 * @param {string | null | undefined} iso
 */
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * A calendar date (YYYY-MM-DD, meant in Shanghai) shown as that date.
 * @param {string | null | undefined} isoDate
 */
export function formatDate(isoDate) {
  if (!isoDate) return '';
  // Noon in Shanghai of that day: the same calendar date however it is formatted.
  const d = new Date(`${isoDate}T12:00:00+08:00`);
  if (Number.isNaN(d.getTime())) return isoDate;
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now = Date.now()) {
  const p = parts(new Date(now));
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * @param {string} isoDate
 * @param {number} days
 */
export function addDays(isoDate, days) {
  const [y = NaN, m = NaN, d = NaN] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Calendar days from one date to another (YYYY-MM-DD each): 2026-03-01 → 2026-03-08 is 7.
 * @param {string} from
 * @param {string} to
 */
export function daysBetween(from, to) {
  /** @param {string} iso */
  const day = (iso) => {
    const [y = NaN, m = NaN, d = NaN] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((day(to) - day(from)) / DAY_MS);
}

/**
 * Days overdue, counted as the escalation ladder counts them: the day after the deadline day is
 * day 1. dueAt is the end of the deadline day (the first instant of the next Shanghai day).
 * @param {string} dueAt
 * @param {number} [now]
 */
export function overdueDays(dueAt, now = Date.now()) {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due) || now < due) return 0;
  return Math.floor((now - due) / DAY_MS) + 1;
}

/**
 * A file size as people read it: 812 B, 4.2 KB, 9.8 MB.
 * @param {number} bytes
 */
export function formatSize(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  /** @param {number} n */
  const one = (n) => n.toFixed(1).replace(/\.0$/, '');
  if (bytes < 1024 * 1024) return `${one(bytes / 1024)} KB`;
  return `${one(bytes / (1024 * 1024))} MB`;
}
