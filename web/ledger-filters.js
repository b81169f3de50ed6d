// @ts-check
/**
 * The hazard list's filters that come from a figure's link (#/hazards?region=…&age=4-7&…): read
 * from the URL, passed on to the API as they are (it refuses a bad one, naming it), and shown as
 * chips, each removable. A pair (a date range, a campaign and its cohort) is one chip.
 */
import { h } from './dom.js';
import { ageBounds } from './figure-format.js';
import { knownName, regionName } from './figure-names.js';
import { t } from './i18n.js';
import { label } from './ui.js';

/** Filters only a link sets: the order is the chips' order. */
export const LINK_FILTERS = [
  'region',
  'open',
  'age',
  'listed',
  'listingLevel',
  'industry',
  'leader',
  'supervisor',
  'enterpriseId',
  'repeat',
  'extensionPending',
  'foundFrom',
  'foundTo',
  'closedFrom',
  'closedTo',
  'campaign',
  'cohort',
];

/**
 * @param {URLSearchParams} query
 * @returns {Record<string, string>}
 */
export function linkFilters(query) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const k of LINK_FILTERS) {
    const v = query.get(k);
    if (v) out[k] = v.slice(0, 200);
  }
  return out;
}

/**
 * @param {string | null | undefined} from
 * @param {string | null | undefined} to
 */
const range = (from, to) => (from && to ? (from === to ? from : `${from} – ${to}`) : from ? t('ledger.chip.since', { date: from }) : t('ledger.chip.until', { date: to }));

/**
 * The words of each chip: [keys it stands for, text].
 * @param {Record<string, string>} f
 * @param {Map<string, string>} enterpriseNames
 */
async function chipTexts(f, enterpriseNames) {
  const out = [];
  const none = t('ledger.chip.none');
  const yes = (/** @type {string | undefined} */ v) => v === 'true';
  for (const k of LINK_FILTERS) {
    const v = f[k];
    if (!v) continue;
    switch (k) {
      case 'region':
        out.push([[k], (await regionName(v)) ?? v]);
        break;
      case 'open':
        out.push([[k], t(yes(v) ? 'ledger.chip.open' : 'ledger.chip.notOpen')]);
        break;
      case 'age': {
        const b = ageBounds(v);
        out.push([[k], !b ? v : b.max === null ? t('ledger.chip.ageOver', { min: b.min - 1 }) : t('ledger.chip.age', { min: b.min, max: b.max })]);
        break;
      }
      case 'listed':
        out.push([[k], t(yes(v) ? 'ledger.chip.listed' : 'ledger.chip.notListed')]);
        break;
      case 'listingLevel':
        out.push([[k], label('listing', v)]);
        break;
      case 'industry':
        out.push([[k], t('ledger.chip.industry', { value: v === 'none' ? none : v })]);
        break;
      case 'leader':
        out.push([[k], t('ledger.chip.leader', { name: v === 'none' ? none : (knownName('leader', v) ?? v) })]);
        break;
      case 'supervisor':
        out.push([[k], t('ledger.chip.supervisor', { name: v === 'none' ? none : (knownName('supervisor', v) ?? v) })]);
        break;
      case 'enterpriseId':
        out.push([[k], t('ledger.chip.enterprise', { name: enterpriseNames.get(v) ?? v })]);
        break;
      case 'repeat':
        out.push([[k], t(yes(v) ? 'ledger.chip.repeat' : 'ledger.chip.notRepeat')]);
        break;
      case 'extensionPending':
        out.push([[k], t(yes(v) ? 'ledger.chip.extensionPending' : 'ledger.chip.noExtensionPending')]);
        break;
      case 'foundFrom':
      case 'foundTo':
        if (k === 'foundTo' && f.foundFrom) break;
        out.push([['foundFrom', 'foundTo'], t('ledger.chip.found', { range: range(f.foundFrom, f.foundTo) })]);
        break;
      case 'closedFrom':
      case 'closedTo':
        if (k === 'closedTo' && f.closedFrom) break;
        out.push([['closedFrom', 'closedTo'], t('ledger.chip.closed', { range: range(f.closedFrom, f.closedTo) })]);
        break;
      case 'campaign':
      case 'cohort':
        if (k === 'cohort' && f.campaign) break;
        out.push([['campaign', 'cohort'], t(f.cohort === 'stock' ? 'ledger.chip.stock' : f.cohort === 'new' ? 'ledger.chip.new' : 'ledger.chip.campaign')]);
        break;
    }
  }
  return out;
}

/**
 * The chips, each with a link to the same list without it; null when no link filter is set.
 * @param {Record<string, string>} f
 * @param {Map<string, string>} enterpriseNames
 * @param {(keys: string[]) => string} hashWithout
 */
export async function filterChips(f, enterpriseNames, hashWithout) {
  const chips = await chipTexts(f, enterpriseNames);
  if (!chips.length) return null;
  return h(
    'ul',
    { class: 'chips', 'aria-label': t('ledger.chip.label') },
    chips.map(([keys, text]) =>
      h(
        'li',
        { class: 'chip', 'data-filter': keys[0] },
        h('span', { class: 'chip-text' }, text),
        h('a', { class: 'chip-remove', href: hashWithout(keys), 'aria-label': t('ledger.chip.remove', { filter: text }), title: t('ledger.chip.remove', { filter: text }) }, '×'),
      ),
    ),
  );
}
